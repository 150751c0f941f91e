// The environment every Jupyter process of wflo runs in: the kernelspec from the repo
// (JUPYTER_PATH=<repo root> finds kernels/wflo), and Jupyter's own state kept in an
// ignored folder of the repo instead of the home directory.
// Used by `npm run notebook`, scripts/run-notebooks.mjs and test/notebook.
import { mkdirSync, existsSync, statSync, readdirSync, rmSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
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

/**
 * Whether a notebook test runs: false when the system tools it needs are there, and always
 * in CI (a missing tool must fail there, not skip); else the skip reason naming what is
 * missing. `chromium: false` for tests that drive Jupyter only, `jupyter: false` for tests
 * that need only the browser.
 */
export function notebookTestSkip({ chromium = true, jupyter = true } = {}) {
  if (process.env.CI === "true") return false;
  const missing = missingSystemTools().filter((m) => (m === "chromium" ? chromium : jupyter));
  return missing.length > 0 ? `missing ${missing.join(", ")}: run \`bash scripts/setup-system.sh\` to run the notebook tests` : false;
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
 * Arguments for `jupyter notebook` from the user's own (`npm run notebook -- …`): serves
 * notebooks/ unless the user names a --notebook-dir (Jupyter refuses two), and a relative one
 * is taken from the folder npm was run in (INIT_CWD), not the repo root npm moves to.
 */
export function notebookDirArgs(userArgs, { defaultDir = join(repoRoot, "notebooks"), cwd = process.env.INIT_CWD || process.cwd() } = {}) {
  const out = [];
  let named = false;
  for (let i = 0; i < userArgs.length; i++) {
    const a = userArgs[i];
    const m = /^--(notebook-dir|NotebookApp\.notebook_dir|ServerApp\.root_dir)(=(.*))?$/.exec(a);
    if (!m) {
      out.push(a);
      continue;
    }
    let dir = m[3];
    if (dir === undefined) {
      if (i + 1 >= userArgs.length) throw new Error(`${a} needs a directory`);
      dir = userArgs[++i];
    }
    const abs = resolve(cwd, dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new Error(`--${m[1]} ${dir}: no such directory (${abs})`);
    out.push(`--${m[1]}=${abs}`);
    named = true;
  }
  return named ? out : [`--notebook-dir=${defaultDir}`, ...out];
}
