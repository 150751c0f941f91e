/**
 * `wflo kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT] [--jupyter CMD]`
 *
 * Registers a Jupyter kernel (tslab) that runs this wflo: cells `import … from "wflo"` in
 * any folder get the wflo this command belongs to (e.g. ./node_modules/wflo after
 * `npm install wflo`), unless the notebook's own folder has one installed. The locations
 * are Jupyter's own: the kernelspec is handed to `jupyter kernelspec install`, which knows
 * where --user, --sys-prefix and the system-wide default live for the Jupyter you use.
 * The kernelspec holds absolute paths (node, the launcher in this package): reinstall it
 * after moving the folder or changing Node.
 * Exit 0 installed, 1 Jupyter missing or refusing (permissions), 2 bad options.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { flag, option, parseArgs } from "../args.js";
import { UsageError, WfloError } from "../../errors.js";

export const summary = "install the Jupyter kernel (tslab) that imports this wflo in any folder";

export const usage = [
  "usage: wflo kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT] [--jupyter CMD]",
  "",
  "  --user          into your per-user kernels (~/.local/share/jupyter/kernels on Linux)",
  "  --sys-prefix    into the kernels of the Python environment running Jupyter (venv, conda)",
  "  --prefix DIR    into DIR/share/jupyter/kernels (Jupyter finds it with JUPYTER_PATH=DIR/share/jupyter)",
  "                  none of the three: system-wide (/usr/local/share/jupyter/kernels), usually needs root",
  "  --name NAME     kernel name notebooks refer to (default wflo, as the notebooks of wflo use)",
  "  --display-name  name shown in Jupyter's kernel menu",
  "  --jupyter CMD   the jupyter executable (default: jupyter on PATH, else /usr/bin/jupyter)",
].join("\n");

/** The root of the wflo package this module belongs to (dist/cli/commands or src/cli/commands). */
export function packageRoot(): string {
  return fileURLToPath(new URL("../../../", import.meta.url)).replace(/\/$/, "");
}

/** Whether a command is an executable file on PATH (or a path to one). */
function findExecutable(cmd: string): string | undefined {
  const candidates = cmd.includes("/") ? [resolve(cmd)] : (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch { /* not there */ }
  }
  return undefined;
}

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: string;
  metadata: Record<string, unknown>;
}

/** The kernelspec for the wflo at `root`: this Node runs root's launcher (see kernels/wflo/launch.cjs). */
export function kernelSpec(root: string, displayName: string): KernelSpec {
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  return {
    // Absolute: Jupyter started from a desktop menu has another PATH than the shell that installed.
    argv: [process.execPath, "--disable-warning=ExperimentalWarning", join(root, "kernels", "wflo", "launch.cjs"), "{connection_file}"],
    display_name: displayName,
    language: "typescript",
    interrupt_mode: "signal",
    metadata: { debugger: false, wflo: { root, version } },
  };
}

/**
 * Files a kernelspec serves (Jupyter at <base>kernelspecs/<name>/<file>), from the package's
 * dependencies: the figures' loader (src/figures/html.ts) fetches plotly.js there when a
 * saved notebook holds none. The repo keeps them as links into node_modules, which npm pack
 * leaves out and npm's hoisting would break anyway: they are resolved from the package.
 */
const SERVED_FILES: Record<string, string> = { "plotly.min.js": "plotly.js-dist-min/plotly.min.js" };

/** The kernelspec's other files: regular files of kernels/wflo, then SERVED_FILES from root's dependencies. */
function copyResources(from: string, to: string, root: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(from);
  } catch { /* no folder: only the served files */ }
  for (const n of names) {
    if (n === "kernel.json" || n === "launch.cjs") continue;
    try {
      const real = realpathSync(join(from, n));
      if (statSync(real).isFile()) copyFileSync(real, join(to, n));
    } catch { /* a dangling link: SERVED_FILES below */ }
  }
  const req = createRequire(join(root, "package.json"));
  for (const [n, spec] of Object.entries(SERVED_FILES)) {
    if (existsSync(join(to, n))) continue;
    try {
      copyFileSync(req.resolve(spec), join(to, n));
    } catch {
      console.error(`wflo kernel: ${spec} not found from ${root}: figures in notebooks saved without plotly.js will not draw`);
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    user: "flag", "sys-prefix": "flag", prefix: "value", name: "value", "display-name": "value", jupyter: "value",
  });
  const [sub, ...extra] = p.positional;
  if (sub !== "install") throw new UsageError(sub === undefined ? `expected a subcommand: install\n${usage}` : `unknown subcommand "${sub}" (expected install)\n${usage}`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"\n${usage}`);
  const scopes = ["user", "sys-prefix", "prefix"].filter((s) => p.options.has(s));
  if (scopes.length > 1) throw new UsageError(`--${scopes[0]} and --${scopes[1]} exclude each other: give one place to install to`);
  const prefixRaw = option(p, "prefix");
  let prefix: string | undefined;
  if (prefixRaw !== undefined) {
    if (prefixRaw === "") throw new UsageError("--prefix needs a directory");
    prefix = resolve(prefixRaw);
    if (existsSync(prefix) && !statSync(prefix).isDirectory()) throw new UsageError(`--prefix ${prefixRaw} is not a directory`);
  }
  const name = option(p, "name") ?? "wflo";
  // Jupyter's rule for kernel names (jupyter_client.kernelspec._kernel_name_pat).
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new UsageError(`--name "${name}": a kernel name has only letters, digits, ".", "_" and "-"`);
  const displayName = option(p, "display-name") ?? (name === "wflo" ? "wflo (TypeScript, tslab)" : `wflo (TypeScript, tslab): ${name}`);
  if (displayName.trim() === "") throw new UsageError("--display-name is empty");
  const jupyterOpt = option(p, "jupyter");
  const jupyter = jupyterOpt !== undefined ? findExecutable(jupyterOpt) : (findExecutable("jupyter") ?? findExecutable("/usr/bin/jupyter"));
  if (jupyterOpt !== undefined && !jupyter) throw new UsageError(`--jupyter ${jupyterOpt}: no such executable`);
  if (!jupyter) {
    throw new WfloError("jupyter not found (looked on PATH and at /usr/bin/jupyter): install Jupyter (Debian: apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient; pip: pip install notebook), or name it with --jupyter", "input", 1);
  }

  const root = packageRoot();
  const launcher = join(root, "kernels", "wflo", "launch.cjs");
  if (!existsSync(launcher)) throw new WfloError(`${launcher} is missing: this wflo is incomplete (reinstall it)`, "input", 1);
  try {
    createRequire(launcher).resolve("tslab/dist/main.js");
  } catch {
    throw new WfloError(`tslab not found from ${root}: run \`npm install\` there (tslab is a dependency of wflo)`, "input", 1);
  }

  const dir = mkdtempSync(join(tmpdir(), "wflo-kernelspec-"));
  try {
    const specDir = join(dir, name);
    // jupyter kernelspec install copies a folder; the launcher stays in the package (it needs its node_modules).
    mkdirSync(specDir);
    writeFileSync(join(specDir, "kernel.json"), JSON.stringify(kernelSpec(root, displayName), null, 2) + "\n");
    copyResources(join(root, "kernels", "wflo"), specDir, root);
    const args = ["kernelspec", "install", specDir, "--name", name];
    if (flag(p, "user")) args.push("--user");
    if (flag(p, "sys-prefix")) args.push("--sys-prefix");
    if (prefix) args.push(`--prefix=${prefix}`);
    const r = spawnSync(jupyter, args, { encoding: "utf8", env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" } });
    const said = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : said.trim().split("\n").slice(-3).join("\n");
      const hint = /Permission denied|EACCES|Errno 13/.test(said) && scopes.length === 0 ? "\n(the system-wide kernels need root: try --user, --sys-prefix or --prefix DIR)" : "";
      throw new WfloError(`${jupyter} ${args.join(" ")} failed:\n${why}${hint}`, "input", 1);
    }
    const where = /Installed kernelspec \S+ in (.+)$/m.exec(said)?.[1]?.trim();
    console.log(`installed kernel "${name}" (${displayName}) in ${where ?? "Jupyter's kernels"}`);
    console.log(`it runs wflo from ${root} with ${process.execPath}`);
    // Jupyter warns when a --prefix is not on its search path; say what to do about it.
    if (/not in \[/.test(said) || /may not be found/.test(said)) {
      const share = prefix ? join(prefix, "share", "jupyter") : undefined;
      console.log(`Jupyter does not look there by default${share ? `: set JUPYTER_PATH=${share}` : ""} (${said.trim().split("\n").find((l) => /not in|may not be found/.test(l))?.trim()})`);
    }
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
