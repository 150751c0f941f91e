// wflo as a user gets it: `npm pack`, then `npm install <tarball>` into an empty folder,
// `npx wflo kernel install --prefix DIR`, and a notebook in that folder that imports
// "wflo" by name runs headless (nbconvert --execute) in the installed kernel: the four
// cell helpers are there, a figure is shown, and a small batch runs in worker threads
// from the installed package.
//
// Offline by construction: only the npm registry is reachable in CI, and the tarball's
// dependencies are already in the repository's node_modules. `npm install --offline`
// alone fails (ENOTCACHED: the cache holds tarballs, not every package's metadata); with
// the production dependencies copied into the new folder first, npm finds them satisfied
// and installs the tarball without asking the registry (measured: ~6 s).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ensureBuilt, jupyterBin, jupyterEnv, missingSystemTools, repoRoot } from "../../scripts/notebook-env.mjs";

const missing = missingSystemTools().filter((m) => m !== "chromium");
const skip = missing.length > 0 && process.env.CI !== "true"
  ? `missing ${missing.join(", ")}: run \`bash scripts/setup-system.sh\` to run the notebook tests`
  : false;

const sh = (cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutS?: number }) => {
  const r = spawnSync("timeout", [String(opts.timeoutS ?? 120), cmd, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, encoding: "utf8" });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
};

const cell = (source: string) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source });

test("npm pack → npm install into an empty folder → wflo kernel install → a notebook importing \"wflo\" runs", { skip, timeout: 240_000 }, (t) => {
  ensureBuilt({ quiet: true });
  const base = mkdtempSync(join(tmpdir(), "wflo-pkg-"));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const t0 = Date.now();
  const packed = sh("npm", ["pack", "--ignore-scripts", "--pack-destination", base], { cwd: repoRoot });
  const tgz = readdirSync(base).find((f) => /^wflo-.*\.tgz$/.test(f));
  assert.ok(tgz, packed);

  const app = join(base, "app");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "my-study", version: "1.0.0", private: true }));
  // The production dependency closure (tslab included: a real dependency now), copied.
  const deps = sh("npm", ["ls", "--omit=dev", "--parseable", "--all"], { cwd: repoRoot }).trim().split("\n").slice(1)
    .filter((p) => p.includes("/node_modules/"));
  assert.ok(deps.some((p) => p.endsWith("/node_modules/tslab")), "tslab is a production dependency");
  for (const d of deps) cpSync(d, join(app, "node_modules", relative(join(repoRoot, "node_modules"), d)), { recursive: true, dereference: true });
  sh("npm", ["install", "--offline", "--no-audit", "--no-fund", join(base, tgz)], { cwd: app });
  assert.ok(existsSync(join(app, "node_modules", "wflo", "dist", "index.js")));
  const tInstall = Date.now() - t0;

  // The kernel, registered under a prefix (not the home folder) with Debian's jupyter.
  const prefix = join(base, "jupyter");
  const said = sh(join(app, "node_modules", ".bin", "wflo"), ["kernel", "install", "--prefix", prefix, "--jupyter", jupyterBin], { cwd: app });
  assert.match(said, /installed kernel "wflo" \(wflo \d+\.\d+\.\d+ in .*app\/node_modules\/wflo\/?, node .*\) in .*jupyter\/share\/jupyter\/kernels\/wflo/);
  const spec = JSON.parse(readFileSync(join(prefix, "share", "jupyter", "kernels", "wflo", "kernel.json"), "utf8")) as { argv: string[]; env: { WFLO_PACKAGE_DIR: string } };
  assert.match(spec.env.WFLO_PACKAGE_DIR, /app\/node_modules\/wflo\/?$/);
  assert.equal(spec.argv[0], process.execPath);

  // A notebook in a subfolder of the user's folder, importing "wflo" by name.
  mkdirSync(join(app, "analysis"));
  const nb = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "wflo", display_name: "wflo", language: "typescript" } },
    cells: [
      cell(`import { runBatch, validate, recover, notebook as nb, windRoseFigure, show } from "wflo";\nconsole.log([runBatch, validate, recover, nb.runBatch].map((f) => typeof f).join(" "));`),
      cell(`show(windRoseFigure({ directionsDeg: [0, 90, 180, 270], frequency: [1, 2, 3, 4] }));`),
      cell(`const summary = await nb.runBatch({ site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_3.35MW"],\n  farms: [{ boundary: { circle: { center: [0, 0], radius: 500 } }, n_turbines: 4, min_spacing_m: 260 }], seeds: 2, grid_size: 8, random_pct: 30, optimizer: { hops: 1 } },\n  { out: nb.workDir("pkg") + "/run.h5", workers: 2 });\nconsole.log(JSON.stringify({ done: summary.done, results: summary.outputResults }));`),
    ],
  };
  writeFileSync(join(app, "analysis", "study.ipynb"), JSON.stringify(nb));
  const env = { ...jupyterEnv(join(base, ".jupyter-state")), JUPYTER_PATH: join(prefix, "share", "jupyter") };
  const t1 = Date.now();
  sh(jupyterBin, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=90", "--output", "study.out.ipynb", "study.ipynb"],
    { cwd: join(app, "analysis"), env, timeoutS: 180 });
  const out = JSON.parse(readFileSync(join(app, "analysis", "study.out.ipynb"), "utf8")) as { cells: { outputs: { output_type: string; name?: string; text?: string | string[]; data?: Record<string, unknown> }[] }[] };
  const text = (i: number, stream: string) => out.cells[i].outputs.filter((o) => o.output_type === "stream" && o.name === stream).map((o) => [o.text].flat().join("")).join("");
  for (let i = 0; i < 3; i++) assert.equal(text(i, "stderr"), "", `cell ${i} wrote to stderr`);
  assert.equal(text(0, "stdout").trim(), "function function function function");
  const fig = out.cells[1].outputs.find((o) => o.data?.["application/vnd.plotly.v1+json"]);
  assert.ok(fig, "the figure's bundle");
  assert.match([fig.data!["text/html"]].flat().join(""), /<script type="application\/x-wflo-plotly"/, "plotly.js from the installed package");
  assert.deepEqual(JSON.parse(text(2, "stdout").trim().split("\n").at(-1)!), { done: 2, results: 2 });
  t.diagnostic(`pack + offline install ${(tInstall / 1000).toFixed(1)} s; kernel install + nbconvert --execute ${((Date.now() - t1) / 1000).toFixed(1)} s`);
});
