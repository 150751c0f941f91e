// wflo as a user gets it: `npm pack` → `npm install <tarball>` into an empty folder →
// `npx wflo kernel install --prefix <tmp>` → a notebook in ANOTHER folder (no
// node_modules/wflo near it) runs in that kernel with `import … from "wflo"`, type-checked
// against the package's .d.ts, and prints real results that this test recomputes with the
// physics of src/ (to 1e-9).
//
// Installing: `npm install --offline` fails even after `npm ci` filled the cache (npm 11
// wants full packuments for an install without a lockfile; `npm ci` caches only the
// abbreviated ones: ENOTCACHED), so the install is `--prefer-offline`: packuments from the
// registry (reachable in CI), every tarball from the cache `npm ci` filled.
// Needs Debian's Jupyter (scripts/setup-system.sh): skipped without it on a developer
// machine, never in CI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ensureBuilt, jupyterBin, notebookDirArgs, notebookTestSkip, repoRoot } from "../../scripts/notebook-env.mjs";
import { parseBatchSpec } from "../../src/batch/spec.js";
import { buildModel } from "../../src/batch/build.js";
import { aepGWh } from "../../src/physics/engine.js";

const skip = notebookTestSkip({ chromium: false });

interface Ran { code: number | null; out: string; ms: number }

function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - t0 });
    });
  });
}

// One farm, one turbine type, one seed: small enough for a test, the whole pipeline still runs.
const spec = {
  name: "package-test",
  site: "iea37",
  model: { deficit: "IEA37SimpleBastankhahGaussian", superposition: "squared" },
  turbines: ["IEA37_3.35MW"],
  farms: [{ name: "circle", n_turbines: 6, min_spacing_m: 260, boundary: { circle: { center: [0, 0], radius: 900 } } }],
  seeds: 1,
  grid_size: 10,
  random_pct: 30,
  optimizer: { hops: 4 },
};

const cells = [
  `import { runBatch, validate, recover, notebook } from "wflo";
// @ts-expect-error: a type error here proves the cell was checked against wflo's .d.ts (were it \`any\`, this directive would be the error)
const notANumber: number = runBatch;
console.log("WFLO_FROM " + require.resolve("wflo"));`,
  `const spec = ${JSON.stringify(spec)};
const summary = await runBatch(spec, { out: "pack.h5", workers: 1 });
console.log("RUN " + JSON.stringify({ total: summary.total, done: summary.done, failed: summary.failed }));`,
  `const report = await validate("pack.h5");
console.log("VALIDATE " + JSON.stringify({ ok: report.ok, results: report.results }));`,
  `const rec = await recover(["pack.h5"], "recovered.h5");
console.log("RECOVER " + JSON.stringify({ recovered: rec.recovered, written: rec.written }));`,
  `const data = await notebook.results("recovered.h5");
console.log("RESULTS " + JSON.stringify(data.rows.map((r) => ({ key: r.key, aepGWh: r.aepGWh, x: Array.from(r.x), y: Array.from(r.y) }))));`,
];

function notebookJson(): string {
  return JSON.stringify({
    cells: cells.map((src, i) => ({
      cell_type: "code", execution_count: null, id: `pkg-${i}`, metadata: {}, outputs: [],
      source: src.split(/(?<=\n)/),
    })),
    metadata: { kernelspec: { name: "wflo", display_name: "wflo (TypeScript, tslab)", language: "typescript" }, language_info: { name: "typescript" } },
    nbformat: 4, nbformat_minor: 5,
  }, null, 1);
}

/** Every stream text of the executed notebook (stdout and stderr, or only `name`), in order. */
function printed(ipynb: string, name?: string): string {
  const nb = JSON.parse(readFileSync(ipynb, "utf8")) as { cells: { outputs?: { name?: string; text?: string | string[] }[] }[] };
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => !name || o.name === name)
    .map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join("");
}

const errors = (ipynb: string) => printed(ipynb, "stderr");

function line(text: string, tag: string): string {
  const l = text.split("\n").find((s) => s.startsWith(`${tag} `));
  assert.ok(l, `the notebook printed a ${tag} line:\n${text}`);
  return l.slice(tag.length + 1);
}

test("npm pack → npm install into an empty folder → wflo kernel install --prefix → a notebook elsewhere imports \"wflo\" and computes", { skip, timeout: 240_000 }, async (t) => {
  const base = mkdtempSync(join(tmpdir(), "wflo-package-"));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  ensureBuilt({ quiet: true });
  const times: string[] = [];

  // dist/ is fresh (ensureBuilt); prepare would only build it again.
  const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", base], { cwd: repoRoot, timeoutMs: 60_000 });
  assert.equal(pack.code, 0, `npm pack failed:\n${pack.out}`);
  times.push(`pack ${pack.ms} ms`);
  const packed = JSON.parse(pack.out.slice(pack.out.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  const files = new Set(packed[0].files.map((f) => f.path));
  for (const f of ["dist/index.js", "dist/index.d.ts", "dist/cli/commands/kernel.js", "bin/wflo.js", "kernels/wflo/launch.cjs"]) {
    assert.ok(files.has(f), `the tarball holds ${f}`);
  }
  assert.ok(![...files].some((f) => f.startsWith("src/") || f.startsWith("test/")), "the tarball ships no sources or tests");
  const tarball = join(base, packed[0].filename);

  const project = join(base, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-wind-study", private: true }) + "\n");
  const install = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], { cwd: project, timeoutMs: 150_000 });
  assert.equal(install.code, 0, `npm install <tarball> failed:\n${install.out}`);
  times.push(`install ${install.ms} ms`);
  const pkg = JSON.parse(readFileSync(join(project, "node_modules", "wflo", "package.json"), "utf8")) as { dependencies: Record<string, string> };
  assert.ok(pkg.dependencies.tslab, "tslab is a dependency, not a devDependency");
  assert.ok(existsSync(join(project, "node_modules", "tslab", "dist", "main.js")), "npm install wflo brings tslab");
  assert.ok(existsSync(join(project, "node_modules", ".bin", "wflo")), "npm linked the wflo command");

  const prefix = join(base, "jupyter-prefix");
  const kernel = await run("npx", ["--no", "wflo", "kernel", "install", "--prefix", prefix], { cwd: project, timeoutMs: 60_000 });
  assert.equal(kernel.code, 0, `npx wflo kernel install failed:\n${kernel.out}`);
  times.push(`kernel install ${kernel.ms} ms`);
  const specFile = join(prefix, "share", "jupyter", "kernels", "wflo", "kernel.json");
  const kspec = JSON.parse(readFileSync(specFile, "utf8")) as { argv: string[] };
  const installedWflo = realpathSync(join(project, "node_modules", "wflo"));
  assert.equal(kspec.argv[2], join(installedWflo, "kernels", "wflo", "launch.cjs"), "the kernel runs the installed wflo's launcher");
  assert.match(kernel.out, /JUPYTER_PATH=/, "says how Jupyter finds a --prefix install");
  // Served to the figures' loader at kernelspecs/wflo/plotly.min.js (npm pack drops the repo's link).
  assert.equal(statSync(join(dirname(specFile), "plotly.min.js")).size, statSync(join(project, "node_modules", "plotly.js-dist-min", "plotly.min.js")).size, "the kernelspec serves plotly.js");

  // The notebook lives beside, not inside, the project: only the kernel knows where wflo is.
  const elsewhere = join(base, "notebooks");
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, "uses-wflo.ipynb"), notebookJson());
  const state = join(base, "jupyter-state");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Only the kernels of the prefix and of this state: not the repo's kernels/wflo.
    JUPYTER_PATH: join(prefix, "share", "jupyter"),
    JUPYTER_DATA_DIR: join(state, "data"),
    JUPYTER_CONFIG_DIR: join(state, "config"),
    JUPYTER_RUNTIME_DIR: join(state, "runtime"),
    IPYTHONDIR: join(state, "ipython"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  const exec = await run(jupyterBin, [
    // --allow-errors: the executed notebook then holds a failing cell's stderr (tslab's
    // diagnostics), which the assertions below show; nbconvert alone would say nothing.
    "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--ExecutePreprocessor.timeout=120",
    "--output", "executed.ipynb", "uses-wflo.ipynb",
  ], { cwd: elsewhere, env, timeoutMs: 180_000 });
  const executed = join(elsewhere, "executed.ipynb");
  assert.equal(exec.code, 0, `nbconvert --execute failed:\n${exec.out}\n${existsSync(executed) ? printed(executed) : ""}`);
  times.push(`notebook ${exec.ms} ms`);
  const text = printed(executed);
  assert.doesNotMatch(errors(executed), /\S/, `no cell wrote to stderr:\n${text}`);

  assert.equal(line(text, "WFLO_FROM"), join(installedWflo, "dist", "index.js"), "the cell ran the installed wflo");
  assert.deepEqual(JSON.parse(line(text, "RUN")), { total: 1, done: 1, failed: 0 });
  assert.deepEqual(JSON.parse(line(text, "VALIDATE")), { ok: true, results: 1 });
  assert.deepEqual(JSON.parse(line(text, "RECOVER")), { recovered: 1, written: true });
  const rows = JSON.parse(line(text, "RESULTS")) as { key: string; aepGWh: number; x: number[]; y: number[] }[];
  assert.equal(rows.length, 1);
  const [r] = rows;
  assert.equal(r.x.length, 6);
  for (let i = 0; i < 6; i++) assert.ok(Math.hypot(r.x[i], r.y[i]) <= 900 + 1e-6, `turbine ${i} inside the 900 m circle`);
  // The AEP the notebook stored and read back is the AEP of its layout under src/'s physics.
  const model = buildModel(parseBatchSpec(spec), 0);
  const expected = aepGWh(model, Float64Array.from(r.x), Float64Array.from(r.y));
  assert.ok(Math.abs(r.aepGWh - expected) <= 1e-9 * expected, `stored AEP ${r.aepGWh} GWh = recomputed ${expected} GWh`);
  t.diagnostic(`${times.join(", ")}; ${r.key}: ${r.aepGWh.toFixed(3)} GWh`);
});

// ---- `wflo kernel install` itself, from the repo (fast: no packing)

const dev = [process.execPath, "--import", "tsx", join(repoRoot, "src", "cli", "dev.ts")];

function wflo(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(dev[0], [...dev.slice(1), ...args], { cwd: repoRoot, encoding: "utf8", env });
}

test("wflo kernel: bad options exit 2 naming the option; --help exits 0", () => {
  const cases: [string[], RegExp][] = [
    [["kernel"], /expected a subcommand: install/],
    [["kernel", "instal"], /unknown subcommand "instal"/],
    [["kernel", "install", "--user", "--prefix", "/tmp/x"], /--user and --prefix exclude each other/],
    [["kernel", "install", "--sys-prefix", "--user"], /--user and --sys-prefix exclude each other/],
    [["kernel", "install", "--prefix"], /--prefix needs a value/],
    [["kernel", "install", "--prefix", join(repoRoot, "package.json")], /--prefix .*package\.json is not a directory/],
    [["kernel", "install", "--name", "my kernel"], /--name "my kernel": a kernel name has only/],
    [["kernel", "install", "--jupyter", "/nonexistent/jupyter"], /--jupyter \/nonexistent\/jupyter: no such executable/],
    [["kernel", "install", "--frobnicate"], /unknown option --frobnicate/],
  ];
  for (const [args, msg] of cases) {
    const r = wflo(args);
    assert.equal(r.status, 2, `${args.join(" ")}: exit 2 (${r.stderr})`);
    assert.match(r.stderr, msg, args.join(" "));
  }
  const h = wflo(["kernel", "--help"]);
  assert.equal(h.status, 0);
  for (const o of ["--user", "--sys-prefix", "--prefix DIR", "--name", "--display-name"]) assert.ok(h.stdout.includes(o), `--help names ${o}`);
});

test("wflo kernel install --user writes a kernelspec that runs the repo's launcher with this Node", { skip }, () => {
  const data = mkdtempSync(join(tmpdir(), "wflo-kernel-user-"));
  try {
    // --user installs into Jupyter's data dir, which JUPYTER_DATA_DIR moves out of $HOME.
    const r = wflo(["kernel", "install", "--user", "--name", "wflo-test", "--display-name", "wflo test"], { ...process.env, JUPYTER_DATA_DIR: data });
    assert.equal(r.status, 0, r.stderr);
    const spec = JSON.parse(readFileSync(join(data, "kernels", "wflo-test", "kernel.json"), "utf8")) as { argv: string[]; display_name: string; language: string; metadata: { wflo: { root: string } } };
    assert.deepEqual(spec.argv, [process.execPath, "--disable-warning=ExperimentalWarning", join(repoRoot, "kernels", "wflo", "launch.cjs"), "{connection_file}"]);
    assert.equal(spec.display_name, "wflo test");
    assert.equal(spec.language, "typescript");
    assert.equal(spec.metadata.wflo.root, repoRoot.replace(/\/$/, ""));
    assert.match(r.stdout, new RegExp(`installed kernel "wflo-test" \\(wflo test\\) in ${join(data, "kernels", "wflo-test")}`));
    // Jupyter finds it: the kernel list of that data dir names it.
    const list = spawnSync(jupyterBin, ["kernelspec", "list", "--json"], { encoding: "utf8", env: { ...process.env, JUPYTER_DATA_DIR: data, PYDEVD_DISABLE_FILE_VALIDATION: "1" } });
    assert.ok(JSON.parse(list.stdout).kernelspecs["wflo-test"], list.stdout + list.stderr);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test("npm run notebook: --notebook-dir replaces notebooks/, relative to the folder npm ran in", () => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-nbdir-"));
  try {
    mkdirSync(join(dir, "mine"));
    assert.deepEqual(notebookDirArgs(["--port=8899"], { cwd: dir }), [`--notebook-dir=${join(repoRoot, "notebooks")}`, "--port=8899"]);
    assert.deepEqual(notebookDirArgs(["--notebook-dir=mine", "--port=8899"], { cwd: dir }), [`--notebook-dir=${join(dir, "mine")}`, "--port=8899"]);
    assert.deepEqual(notebookDirArgs(["--notebook-dir", "mine"], { cwd: dir }), [`--notebook-dir=${join(dir, "mine")}`]);
    assert.throws(() => notebookDirArgs(["--notebook-dir=missing"], { cwd: dir }), /--notebook-dir missing: no such directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
