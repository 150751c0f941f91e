import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";
import { validate } from "../../src/store/validate.js";
import { readOutput, repoRoot, smallSpec, tempDir, wfloCli } from "../batch/helpers.js";

const dev = ["--import", "tsx", "src/cli/dev.ts"];
let tmp: ReturnType<typeof tempDir>;
before(() => { tmp = tempDir("wflo-run-cli-"); });
after(() => tmp.cleanup());
let n = 0;

function specFile(spec: Record<string, unknown>): string {
  const p = join(tmp.dir, `spec${++n}.json`);
  writeFileSync(p, JSON.stringify(spec, null, 1));
  return p;
}

function wflo(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...dev, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, ...env } });
}

test("wflo run does every config; --json's last line has the contract's fields; a re-run skips them all", () => {
  const out = join(tmp.dir, "a.h5");
  const spec = specFile(smallSpec({ seeds: 2 }));
  const r = wflo(["run", spec, "--out", out, "--workers", "2", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.deepEqual(Object.keys(last).sort(), ["done", "elapsed_s", "failed", "out", "skipped", "total"]);
  assert.equal(last.total, 4);
  assert.equal(last.done, 4);
  assert.equal(last.failed, 0);
  assert.equal(last.skipped, 0);
  assert.equal(last.out, out);
  assert.match(r.stderr, /\[finished\] 4\/4/, "plain progress lines when stderr is not a terminal");
  const again = wflo(["run", spec, "--out", out, "--json"]);
  assert.equal(again.status, 0, again.stderr);
  const l2 = JSON.parse(again.stdout.trim().split("\n").at(-1)!);
  assert.equal(l2.skipped, 4);
  assert.equal(l2.done, 0);
});

test("more --workers than CPU cores: a warning that names the default, and the batch runs", () => {
  const cores = availableParallelism();
  const out = join(tmp.dir, "w.h5");
  const r = wflo(["run", specFile(smallSpec({ seeds: 1 })), "--out", out, "--workers", String(cores + 1)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`warning: --workers ${cores + 1} on ${cores} CPU cores?: .*--workers ${cores}\\)`));
  const quiet = wflo(["run", specFile(smallSpec({ seeds: 1 })), "--out", join(tmp.dir, "w2.h5"), "--workers", String(cores)]);
  assert.doesNotMatch(quiet.stderr, /warning: --workers/);
});

test("bad input exits 2 with the field named, no stack trace, nothing created", () => {
  const out = join(tmp.dir, "bad.h5");
  const s = smallSpec();
  (s.turbines as unknown[])[0] = { name: "neg", diameter_m: -130, hub_height_m: 110, cut_in_ws: 4, rated_ws: 9.8, cut_out_ws: 25, rated_power_W: 3.35e6 };
  const r = wflo(["run", specFile(s), "--out", out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /turbines\[0\]\.diameter_m/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.ok(!existsSync(`${out}.parts`));

  const big = smallSpec();
  (big.farms as { n_turbines: number }[])[1].n_turbines = 200;
  const r2 = wflo(["run", specFile(big), "--out", out]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /farms\[1\]\.n_turbines: 200 turbines at 300 m spacing cannot fit/);

  const notJson = join(tmp.dir, "x.json");
  writeFileSync(notJson, "{ farms: ");
  const r3 = wflo(["run", notJson, "--out", out]);
  assert.equal(r3.status, 2);
  assert.match(r3.stderr, /x\.json: not valid JSON/);

  assert.equal(wflo(["run", notJson]).status, 2, "--out is required");
  assert.equal(wflo(["run", notJson, "--out", out, "--shard", "2/2"]).status, 2);
  assert.ok(!existsSync(`${out}.parts`));
});

test("exit 1 when some config failed after its retries; the failure is in the output", async () => {
  const out = join(tmp.dir, "f.h5");
  const spec = specFile(smallSpec({ seeds: 1, _fault: { farm1_t0_s0: { kind: "throw" } } }));
  const r = wflo(["run", spec, "--out", out, "--retries", "1"], { WFLO_TEST_FAULTS: "1" });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /2 configs: 1 done, 1 failed/);
  assert.match(r.stdout, /failed: farm1_t0_s0 after 2 attempts: injected fault/);
  const o = await readOutput(out);
  assert.deepEqual(o.failures.map((f) => f.key), ["farm1_t0_s0"]);
});

test("a second wflo run on the same output is refused with a clear message while the first runs", async () => {
  const out = join(tmp.dir, "c.h5");
  const spec = specFile(smallSpec({ seeds: 1, _fault: { "*": { kind: "sleep", ms: 1500 } } }));
  const first = spawn(process.execPath, [...dev, "run", spec, "--out", out, "--workers", "1"], { cwd: repoRoot, env: { ...process.env, WFLO_TEST_FAULTS: "1" }, stdio: "ignore" });
  const firstExit = new Promise<number | null>((res) => first.on("exit", (code) => res(code)));
  const lock = `${out}.parts/writer.lock`;
  for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(lock), "the first run took the writer lock");
  const second = wflo(["run", spec, "--out", out]);
  assert.equal(second.status, 2);
  assert.match(second.stderr, new RegExp(`held by pid ${first.pid} .*another wflo run is using this output`));
  assert.equal(await firstExit, 0);
});

test("Ctrl-C stops cleanly (exit 130) and the same command resumes", async () => {
  const out = join(tmp.dir, "i.h5");
  const spec = specFile(smallSpec({ seeds: 6, _fault: { "*": { kind: "sleep", ms: 300 } } }));
  const child = spawn(process.execPath, [...dev, "run", spec, "--out", out, "--workers", "2", "--json"], { cwd: repoRoot, env: { ...process.env, WFLO_TEST_FAULTS: "1", WFLO_PROGRESS_INTERVAL_S: "0" } });
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (d) => { stdout += d; });
  const exit = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  await new Promise<void>((res) => child.stderr.on("data", (d) => {
    stderr += d;
    if (/\(([1-9]\d*) done/.test(stderr)) res();
  }));
  child.kill("SIGINT");
  assert.equal(await exit, 130, stderr);
  assert.match(stderr, /stopping — running configs finish/);
  const first = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assert.ok(first.done >= 1 && first.done < 12);
  const rest = wflo(["run", spec, "--out", out, "--json"], { WFLO_TEST_FAULTS: "1" });
  assert.equal(rest.status, 0, rest.stderr);
  const l = JSON.parse(rest.stdout.trim().split("\n").at(-1)!);
  assert.equal(l.skipped, first.done);
  assert.equal(l.done, 12 - first.done);
  // the summary's best and mean are this run's, not the file's: it says so after a resume
  assert.match(rest.stderr, new RegExp(`wflo run: AEP of the ${12 - first.done} done now: best `));
  assert.ok((await validate(out)).ok);
});

test("--report writes an offline HTML report (plotly inlined, no network) and wflo report does the same", () => {
  const out = join(tmp.dir, "a.h5"); // made by the first test
  const html = join(tmp.dir, "a.html");
  const r = wflo(["report", out, "--out", html, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).results, 4);
  const text = readFileSync(html, "utf8");
  assert.ok(/data-wflo-plotly="\d+\.\d+\.\d+"/.test(text), "plotly.js inlined");
  assert.ok(text.length > 3e6, "plotly.js is in the file itself");
  // Outside the inlined library (whose code mentions CDNs for features we do not use): nothing fetched.
  const page = text.replace(/<script type="text\/javascript" data-wflo-plotly[\s\S]*?<\/script>/, "");
  assert.ok(!/<script[^>]+src=/i.test(page), "no external scripts");
  assert.ok(!/https?:\/\//.test(page), "no URLs at all in the page around plotly.js");
  for (const k of ["farm0_t0_s0", "farm1_t0_s1", "AEP per farm and turbine type", "Smart start against optimized"]) assert.ok(text.includes(k), k);
  const out2 = join(tmp.dir, "r.h5");
  const r2 = wflo(["run", specFile(smallSpec({ seeds: 1 })), "--out", out2, "--report", join(tmp.dir, "r.html")]);
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stdout, /report: .*r\.html \(2 results/);
  assert.ok(readFileSync(join(tmp.dir, "r.html"), "utf8").includes("farm1_t0_s0"));
});

test("wflo run onto a file that is not a wflo output refuses before any work: the file unchanged, no parts directory left", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 1 })));
  const out = join(dir, "notes.h5");
  writeFileSync(out, "someone's notes, not HDF5\n");
  const r = wfloCli(["run", spec, "--out", out]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /notes\.h5: the output is damaged \(not-hdf5.*nothing was run\. Salvage it with: wflo recover/);
  assert.equal(readFileSync(out, "utf8"), "someone's notes, not HDF5\n");
  assert.equal(existsSync(`${out}.parts`), false, "no empty parts directory");
});
