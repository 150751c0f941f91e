#!/usr/bin/env node
// Jupyter kernel launcher for wflo: runs tslab's kernel in this process (so the kernel
// interrupt, SIGINT, reaches tslab directly) and exits when the process that started it
// is gone. tslab alone outlives a killed nbconvert/nbclient and keeps the CI job's stdout
// open; polling the parent is the portable fix (no prctl from Node).
//
// kernel.json: node --disable-warning=ExperimentalWarning {resource_dir}/launch.cjs {connection_file}
"use strict";
const connectionFile = process.argv[2];
if (!connectionFile) {
  process.stderr.write("usage: launch.cjs <connection_file> (started by Jupyter from kernels/wflo/kernel.json)\n");
  process.exit(2);
}

// Jupyter names its own pid; without it (a bare `jupyter kernel` or a test) watch our parent.
const parentPid = Number(process.env.JPY_PARENT_PID) > 1 ? Number(process.env.JPY_PARENT_PID) : process.ppid;
const startPpid = process.ppid;
function parentAlive() {
  // Reparenting (to init or a subreaper) means whoever started us has died, even if its
  // pid has already been reused.
  if (process.ppid !== startPpid) return false;
  try {
    process.kill(parentPid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
const pollMs = Number(process.env.WFLO_KERNEL_PARENT_POLL_MS) || 1000;
setInterval(() => {
  if (!parentAlive()) process.exit(0);
}, pollMs).unref();

// tslab from wflo's own dependencies (the version pinned in package.json: the display
// helpers in src/notebook use its internal writer), not a global one. An installed kernel
// (`wflo kernel install`) names the package's folder in WFLO_PACKAGE_DIR; the repository's
// kernels/wflo finds it beside itself.
const packageDir = process.env.WFLO_PACKAGE_DIR || require("node:path").join(__dirname, "..", "..");
let mainPath;
try {
  mainPath = require.resolve("tslab/dist/main.js", { paths: [packageDir, __dirname] });
} catch {
  process.stderr.write(`wflo kernel: tslab not found from ${packageDir}; run \`npm install\` there (or \`npx wflo kernel install\` again)\n`);
  process.exit(1);
}
require(mainPath).startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
