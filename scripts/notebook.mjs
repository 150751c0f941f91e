#!/usr/bin/env node
// `npm run notebook`: Jupyter Notebook (Debian's) on 127.0.0.1 with wflo's tslab kernel,
// serving notebooks/ (or --notebook-dir=DIR, relative to where npm ran). Jupyter's state stays in .jupyter-state/ of the repo, not in $HOME.
// Extra arguments go to `jupyter notebook` (e.g. --port=8899, --NotebookApp.token=...).
import { spawn } from "node:child_process";
import { ensureBuilt, jupyterBin, jupyterEnv, missingSystemTools, notebookDirArgs, repoRoot } from "./notebook-env.mjs";

const missing = missingSystemTools().filter((m) => m !== "chromium");
if (missing.length) {
  console.error(`npm run notebook: missing ${missing.join(", ")}: run \`bash scripts/setup-system.sh\` (installs Debian's Jupyter)`);
  process.exit(2);
}
ensureBuilt();
let userArgs;
try {
  userArgs = notebookDirArgs(process.argv.slice(2));
} catch (e) {
  console.error(`npm run notebook: ${e.message}`);
  process.exit(2);
}
const args = ["notebook", "--ip=127.0.0.1", "--no-browser",
  // New notebooks get the wflo kernel.
  "--MultiKernelManager.default_kernel_name=wflo",
  ...(process.getuid?.() === 0 ? ["--allow-root"] : []), ...userArgs];
const child = spawn(jupyterBin, args, { cwd: repoRoot, env: jupyterEnv(), stdio: "inherit" });
// Ctrl-C reaches Jupyter through the terminal's process group; Jupyter asks to confirm.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
