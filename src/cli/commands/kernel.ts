// `wflo kernel install`: registers a Jupyter kernel ("wflo", TypeScript through tslab)
// that runs with the wflo of the folder it was installed from. The kernelspec is the
// package's kernels/wflo (kernel.json + launch.cjs) with two absolute facts added: the
// node that ran the install (Jupyter's PATH may hold another, or none) and this package's
// folder (WFLO_PACKAGE_DIR: the launcher loads tslab from there). `jupyter kernelspec
// install` copies it where the options say, exactly as for any other kernel.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { UsageError } from "../../errors.js";
import { flag, option, parseArgs } from "../args.js";

export const usage = `usage: wflo kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--jupyter PATH]

  --user        install for the current user (Jupyter's user data folder)
  --sys-prefix  install into the Python environment Jupyter runs in (sys.prefix)
  --prefix DIR  install under DIR/share/jupyter/kernels (then JUPYTER_PATH=DIR/share/jupyter)
  (none)        Jupyter's system-wide folder, as \`jupyter kernelspec install\` does
  --name NAME   kernel name (default wflo); notebooks name it in their metadata
  --jupyter P   the jupyter command to use (default: jupyter on PATH)`;
export const summary = "install the wflo Jupyter kernel (TypeScript via tslab) for this installed package";

/** The package's root folder: dist/cli/commands/kernel.js sits three levels down. */
const packageDir = () => fileURLToPath(new URL("../../../", import.meta.url));

/** The kernelspec folder's files for this package; exported for tests. */
export function kernelSpec(pkgDir: string, nodePath = process.execPath): { kernelJson: object; launcher: string } {
  const base = JSON.parse(readFileSync(join(pkgDir, "kernels", "wflo", "kernel.json"), "utf8")) as { argv: string[]; [k: string]: unknown };
  return {
    kernelJson: { ...base, argv: [nodePath, ...base.argv.slice(1)], env: { WFLO_PACKAGE_DIR: pkgDir } },
    launcher: join(pkgDir, "kernels", "wflo", "launch.cjs"),
  };
}

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { user: "flag", "sys-prefix": "flag", prefix: "value", name: "value", jupyter: "value" });
  const [sub, ...extra] = p.positional;
  if (sub !== "install" || extra.length) throw new UsageError(`expected \`wflo kernel install\`\n${usage}`);
  const where = [flag(p, "user") && "--user", flag(p, "sys-prefix") && "--sys-prefix", option(p, "prefix") !== undefined && "--prefix"].filter(Boolean);
  if (where.length > 1) throw new UsageError(`${where.join(" and ")}: give one of --user, --sys-prefix, --prefix DIR`);
  const name = option(p, "name") ?? "wflo";
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new UsageError(`--name ${name}: a kernel name is letters, digits, ".", "_" and "-"`);
  const pkgDir = packageDir();
  let tslab: string | undefined;
  try {
    tslab = createRequire(join(pkgDir, "package.json")).resolve("tslab/dist/main.js");
  } catch { /* reported below */ }
  if (!tslab) return fail(`tslab is not installed beside wflo in ${pkgDir}: run \`npm install\` there first`);
  const { kernelJson, launcher } = kernelSpec(pkgDir);
  const dir = mkdtempSync(join(tmpdir(), "wflo-kernelspec-"));
  try {
    const spec = join(dir, name);
    mkdirSync(spec);
    writeFileSync(join(spec, "kernel.json"), JSON.stringify({ ...kernelJson, display_name: name === "wflo" ? (kernelJson as { display_name: string }).display_name : `${name} (wflo, TypeScript)` }, null, 2) + "\n");
    copyFileSync(launcher, join(spec, "launch.cjs"));
    const jupyter = option(p, "jupyter") ?? "jupyter";
    const args = ["kernelspec", "install", spec, "--name", name, "--replace"];
    if (flag(p, "user")) args.push("--user");
    if (flag(p, "sys-prefix")) args.push("--sys-prefix");
    const prefix = option(p, "prefix");
    if (prefix !== undefined) args.push("--prefix", prefix);
    const r = spawnSync(jupyter, args, { encoding: "utf8" });
    if (r.error) return fail(`cannot run ${jupyter}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}; install Jupyter or give --jupyter PATH`);
    if (r.status !== 0) return fail(`${jupyter} kernelspec install failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ")}`);
    const installed = /Installed kernelspec \S+ in (.+)$/m.exec(r.stderr + r.stdout)?.[1]?.trim();
    console.log(`installed kernel "${name}" (wflo ${pkgVersion(pkgDir)} in ${pkgDir}, node ${process.execPath})${installed ? ` in ${installed}` : ""}`);
    if (prefix !== undefined) console.log(`Jupyter finds it with JUPYTER_PATH=${join(prefix, "share", "jupyter")}`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Not the user's input: the environment lacks something (exit 1, like other tool failures).
function fail(message: string): number {
  console.error(`wflo kernel: ${message}`);
  return 1;
}

function pkgVersion(pkgDir: string): string {
  const f = join(pkgDir, "package.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as { version: string }).version : "?";
}
