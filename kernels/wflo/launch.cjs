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

// `import ... from "wflo"` in a cell resolves to the wflo this launcher belongs to (the folder
// `wflo kernel install` ran from, or the repo), wherever the notebook is: a notebook's folder
// rarely has node_modules/wflo. A wflo installed in the notebook's folder or one of its
// ancestors wins, as Node would choose it. tslab resolves twice, so both are taught:
//  - the type check (tslab's TypeScript, Node10 resolution from the notebook's folder) sees
//    <notebook dir>/node_modules/wflo as a symbolic link to wfloRoot: a virtual one, the
//    file system calls of ts.sys map that prefix and realpath gives the target, so wflo's
//    own imports resolve from where it really is;
//  - the run (require from the notebook's folder) falls back to wfloRoot's own resolution
//    when Node finds no "wflo" from the notebook.
// Node's own types likewise: with no node_modules/@types above the notebook, tslab falls
// back to <tslab>/node_modules/@types, which npm's hoisting leaves empty in an installed
// wflo (then `console` is unknown); it is linked to the @types/node tslab depends on.
function linkWflo(wfloRoot, tslabMain) {
  const path = require("node:path");
  const fs = require("node:fs");
  let pkg;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(wfloRoot, "package.json"), "utf8"));
  } catch {
    return;
  }
  if (pkg.name !== "wflo") return;
  const Module = require("node:module");
  const wfloRequire = Module.createRequire(path.join(wfloRoot, "package.json"));
  const isWflo = (request) => request === "wflo" || request.startsWith("wflo/");
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    try {
      return resolveFilename.call(this, request, ...rest);
    } catch (e) {
      if (e && e.code === "MODULE_NOT_FOUND" && isWflo(request)) return wfloRequire.resolve(request);
      throw e;
    }
  };

  // TypeScript hands ts.sys forward-slash paths.
  const slash = (p) => p.split(path.sep).join("/");
  const cwd = process.cwd();
  const links = []; // [virtual path, real path]
  let localWflo = false;
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", "wflo", "package.json"))) localWflo = true; // Node's and TypeScript's own choice
    if (path.dirname(dir) === dir) break;
  }
  if (!localWflo) links.push([path.join(cwd, "node_modules", "wflo"), wfloRoot]);
  const tslabRoot = path.resolve(path.dirname(tslabMain), "..");
  const tslabTypes = path.join(tslabRoot, "node_modules", "@types");
  if (!fs.existsSync(tslabTypes)) {
    try {
      const nodeTypes = require.resolve("@types/node/package.json", { paths: [tslabRoot] });
      links.push([tslabTypes, path.dirname(path.dirname(nodeTypes))]);
    } catch { /* no @types/node: cells then lack Node's types, as in plain tslab */ }
  }
  if (links.length === 0) return;
  let ts;
  try {
    ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslabRoot] }));
  } catch {
    return; // another tslab layout: cells then need wflo installed beside the notebook
  }
  const pairs = links.map(([from, to]) => [slash(from), slash(to)]);
  const map = (p) => {
    if (typeof p !== "string") return p;
    for (const [from, to] of pairs) if (p === from || p.startsWith(from + "/")) return to + p.slice(from.length);
    return p;
  };
  const sys = ts.sys;
  for (const fn of ["fileExists", "directoryExists", "readFile", "getDirectories", "readDirectory", "getModifiedTime", "realpath", "watchFile", "watchDirectory"]) {
    const orig = sys[fn];
    if (typeof orig !== "function") continue;
    sys[fn] = function (p, ...rest) {
      return orig.call(sys, map(p), ...rest);
    };
  }
  // A link reads as an entry of its parent directory.
  const getDirectories = sys.getDirectories;
  sys.getDirectories = function (p, ...rest) {
    const dirs = getDirectories.call(sys, p, ...rest);
    const extra = pairs.filter(([from]) => path.posix.dirname(from) === p).map(([from]) => path.posix.basename(from)).filter((n) => !dirs.includes(n));
    return extra.length ? [...dirs, ...extra] : dirs;
  };
}

// tslab from this package's node_modules (the version pinned in package.json: the display
// helpers in src/notebook use its internal writer), not a global one.
let mainPath;
try {
  mainPath = require.resolve("tslab/dist/main.js", { paths: [__dirname] });
} catch {
  process.stderr.write(`wflo kernel: tslab not found from ${__dirname}; run \`npm ci\` in the wflo repository\n`);
  process.exit(1);
}
linkWflo(require("node:path").resolve(__dirname, "..", ".."), mainPath);
require(mainPath).startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
