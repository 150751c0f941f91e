#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (npm install/ci builds dist/ via "prepare").
import { main } from "../dist/cli/main.js";
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
