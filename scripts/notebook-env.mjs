// The environment every Jupyter process of wflo runs in: the kernelspec from the repo
// (JUPYTER_PATH=<repo root> finds kernels/wflo), and Jupyter's own state kept in an
// ignored folder of the repo instead of the home directory.
// Used by `npm run notebook`, scripts/run-notebooks.mjs and test/notebook.
import { mkdirSync, existsSync, statSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
// Debian's Jupyter: another python3 (pyenv) may come first on PATH without its modules.
export const jupyterBin = "/usr/bin/jupyter";
export const pythonBin = "/usr/bin/python3";
export const chromiumBin = "/usr/bin/chromium";
export const debianPackages = [
  "jupyter-notebook", "jupyter-client", "jupyter-nbconvert", "jupyter-nbformat",
  "python3-nbclient", "python3-ipykernel", "chromium",
];

/** Environment for Jupyter with wflo's kernel; `stateDir` defaults to <repo>/.jupyter-state. */
export function jupyterEnv(stateDir = join(repoRoot, ".jupyter-state"), extra = {}) {
  const dirs = {
    JUPYTER_CONFIG_DIR: join(stateDir, "config"),
    JUPYTER_DATA_DIR: join(stateDir, "data"),
    JUPYTER_RUNTIME_DIR: join(stateDir, "runtime"),
    IPYTHONDIR: join(stateDir, "ipython"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return {
    ...process.env,
    ...dirs,
    JUPYTER_PATH: repoRoot,
    // Silences ipykernel's debugger warning printed by every `jupyter` command on Debian 12.
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    ...extra,
  };
}

/** Which of the Debian packages the notebooks need are missing (empty: all there). */
export function missingSystemTools() {
  const missing = [];
  for (const [bin, what] of [[jupyterBin, "jupyter"], [chromiumBin, "chromium"]]) {
    if (!existsSync(bin)) missing.push(what);
  }
  if (existsSync(pythonBin)) {
    const r = spawnSync(pythonBin, ["-c", "import nbclient, nbconvert, nbformat, notebook, jupyter_client"], { encoding: "utf8" });
    if (r.status !== 0) missing.push("python3 modules nbclient/nbconvert/nbformat/notebook");
  } else missing.push("/usr/bin/python3");
  return missing;
}

function newestMtime(dir) {
  let t = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    t = Math.max(t, name.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Cells import the compiled package (tslab ignores tsconfig): build dist/ when src/ is newer. */
export function ensureBuilt({ quiet = false } = {}) {
  const index = join(repoRoot, "dist", "index.js");
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(repoRoot, "src"));
  if (fresh()) return false;
  // Tests run in parallel: one build at a time (a directory is created atomically or not).
  const lock = join(repoRoot, ".jupyter-state", "build.lock");
  mkdirSync(dirname(lock), { recursive: true });
  const end = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > end) rmSync(lock, { recursive: true, force: true }); // a build that died holding it
      else spawnSync("sleep", ["0.2"]);
    }
  }
  try {
    if (fresh()) return false;
    if (!quiet) console.error("building dist/ (cells import the compiled package) ...");
    const r = spawnSync(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
      cwd: repoRoot, encoding: "utf8",
    });
    // tsc emits even with type errors elsewhere in the tree; the notebooks then report
    // what they cannot use. Say so instead of failing here.
    if (r.status !== 0 && !quiet) console.error(`tsc reported errors (dist/ was still written):\n${r.stdout.slice(0, 2000)}`);
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * `import … from "wflo"` in the repository's own notebooks (served by `npm run notebook`):
 * the package links itself into its node_modules, as `npm install wflo` does in a user's
 * folder. tslab resolves modules like TypeScript's Node10 resolution (no self-reference
 * through "exports"), so the link must exist on disk. Returns what it did.
 */
export function ensureSelfLink() {
  const link = join(repoRoot, "node_modules", "wflo");
  if (existsSync(link)) return "present";
  if (!existsSync(join(repoRoot, "node_modules"))) return "no node_modules (run npm ci)";
  symlinkSync("..", link);
  return "linked";
}
