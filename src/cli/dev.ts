// Runs the CLI from source (under tsx) for tests and development: `node --import tsx src/cli/dev.ts aep case.json`.
import { main } from "./main.js";
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
