import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dev = ["--import", "tsx", "src/cli/dev.ts"];
const wflo = (...a: string[]) => spawnSync(process.execPath, [...dev, ...a], { encoding: "utf8" });

for (const file of ["concave-polygon", "exclusion-zone"]) {
  test(`wflo optimize --json on examples/cases/${file}.json: the contract's fields, feasible`, () => {
    const r = wflo("optimize", `examples/cases/${file}.json`, "--grid", "18", "--random-pct", "30", "--seed", "3", "--hops", "3", "--json");
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), [
      "x", "y", "aep_GWh", "aep_initial_GWh", "iterations", "feasible", "min_spacing_m", "max_boundary_violation_m", "elapsed_s",
      "evaluations", "moves",
    ]);
    assert.equal(out.feasible, true);
    assert.equal(out.x.length, out.y.length);
    assert.ok(out.min_spacing_m >= 260 - 1e-6);
    assert.ok(out.max_boundary_violation_m <= 1e-6);
    assert.ok(out.aep_GWh > out.aep_initial_GWh);
    assert.ok(Number.isInteger(out.iterations) && out.iterations > 0);
    assert.ok(out.elapsed_s > 0);
    assert.ok(Number.isInteger(out.evaluations) && out.evaluations > 0);
    const m = out.moves as Record<string, { tried: number; improved: number }>;
    assert.deepEqual(Object.keys(m).sort(), ["relocate", "repack", "shake"]);
    assert.equal(m.relocate.tried + m.shake.tried + m.repack.tried, 3, "--hops 3: three moves tried");
  });
}

test("wflo optimize without --json prints a readable summary", () => {
  const r = wflo("optimize", "examples/cases/concave-polygon.json", "--hops", "0");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /AEP optimized +\d+\.\d+ GWh/);
  assert.match(r.stdout, /feasible true/);
});

test("wflo optimize --json: progress (best AEP, evaluations, elapsed) on stderr, only the JSON on stdout; --method, --max-evaluations", () => {
  const r = wflo("optimize", "examples/cases/concave-polygon.json", "--hops", "2", "--method", "wec", "--max-evaluations", "5000", "--json");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.feasible, true);
  assert.match(r.stderr, /wflo optimize: smart start/);
  const lines = r.stderr.split("\n").filter((l) => /evaluations/.test(l));
  assert.ok(lines.length >= 1, r.stderr);
  assert.match(lines.at(-1)!, /^wflo optimize: \[done\] best \d+\.\d+ GWh, \d+\/5000 evaluations, \d+\.\d s elapsed$/);
  const best = Number(/best (\d+\.\d+) GWh/.exec(lines.at(-1)!)![1]);
  assert.ok(Math.abs(best - out.aep_GWh) < 1e-4);
  const q = wflo("optimize", "examples/cases/concave-polygon.json", "--hops", "0", "--json", "--quiet");
  assert.equal(q.status, 0, q.stderr);
  assert.equal(q.stderr, "");
  const bad = wflo("optimize", "examples/cases/concave-polygon.json", "--method", "sgd");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--method must be one of basin-hopping, multistart, wec/);
});

test("a case file's optimizer section (the spec's keys) sets the run's budget; the command line overrides it; a wrong key exits 2 naming it", () => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-case-opt-"));
  try {
    const base = JSON.parse(readFileSync("examples/cases/concave-polygon.json", "utf8"));
    const file = join(dir, "case.json");
    writeFileSync(file, JSON.stringify({ ...base, optimizer: { max_evaluations: 700, hops: 1 } }));
    const r = wflo("optimize", file, "--json");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /\[done\] best \d+\.\d+ GWh, \d+\/700 evaluations/);
    const o = wflo("optimize", file, "--max-evaluations", "900", "--json");
    assert.equal(o.status, 0, o.stderr);
    assert.match(o.stderr, /\/900 evaluations/);
    // The other commands read the same file (the section is the layout tools').
    const ss = wflo("smart-start", file, "--json");
    assert.equal(ss.status, 0, ss.stderr);
    writeFileSync(file, JSON.stringify({ ...base, optimizer: { max_evaluation: 700 } }));
    const bad = wflo("optimize", file);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /optimizer\.max_evaluation/);
    assert.match(bad.stderr, /case\.json/);
    // Only wflo optimize reads the section: smart start ignores it, even when it is wrong.
    assert.equal(wflo("smart-start", file, "--json").status, 0);
    writeFileSync(file, JSON.stringify({ ...base, optimizer: { max_evaluations: -1 } }));
    const neg = wflo("optimize", file);
    assert.equal(neg.status, 2);
    assert.match(neg.stderr, /optimizer\.max_evaluations/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Ctrl-C during wflo optimize prints the best feasible layout so far (exit 130) instead of losing the run", async () => {
  // Case study 4 (81 turbines, 48,000 evaluations): 17 minutes of work, stopped 3 s into it.
  const dir = mkdtempSync(join(tmpdir(), "wflo-opt-int-"));
  const csv = join(dir, "best.csv");
  const child = spawn(process.execPath, [...dev, "optimize", "examples/cases/iea37-cs4.json", "--json", "--out", csv], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  child.stdout.on("data", (d) => { stdout += d; });
  const exit = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  await new Promise<void>((res) => child.stderr.on("data", (d) => {
    stderr += d;
    if (/smart start \(81 turbines/.test(stderr)) res();
  }));
  await new Promise((res) => setTimeout(res, 3000));
  const t = performance.now();
  child.kill("SIGINT");
  assert.equal(await exit, 130, stderr);
  assert.ok(performance.now() - t < 60_000, "stops at the next check, not at the end of the budget");
  assert.match(stderr, /Ctrl-C — stopping at the next check/);
  assert.match(stderr, /stopped by SIGINT after \d+ evaluations: the layout above is the best feasible one so far/);
  const out = JSON.parse(stdout);
  assert.equal(out.x.length, 81);
  assert.equal(out.feasible, true);
  assert.ok(out.min_spacing_m >= 396 - 1e-6 && out.max_boundary_violation_m <= 0);
  assert.ok(out.aep_GWh >= out.aep_initial_GWh);
  // --out kept that layout too, marked as stopped, and a case reads it back to the same AEP.
  const text = readFileSync(csv, "utf8");
  assert.match(text, /# stopped by SIGINT: the best feasible layout so far/);
  const aep = wflo("aep", "examples/cases/iea37-cs4.json", "--layout", csv, "--json");
  assert.equal(aep.status, 0, aep.stderr);
  assert.ok(Math.abs(JSON.parse(aep.stdout).aep_GWh - out.aep_GWh) <= 1e-9 * out.aep_GWh);
  rmSync(dir, { recursive: true, force: true });
});

test("wflo optimize --out and smart-start --out write the layout at full precision; wflo aep --layout reads it back to the same AEP; --start goes on from it", () => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-opt-out-"));
  try {
    const csv = join(dir, "new", "best.csv");
    const r = wflo("optimize", "examples/cases/concave-polygon.json", "--seed", "2", "--hops", "2", "--json", "--out", csv);
    assert.equal(r.status, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.match(r.stderr, /layout written to .*best\.csv/);
    const lines = readFileSync(csv, "utf8").trim().split("\n").filter((l) => !l.startsWith("#"));
    assert.equal(lines[0], "x_m,y_m");
    // Every coordinate exactly as the optimizer returned it (the printed table rounds to a millimetre).
    assert.deepEqual(lines.slice(1).map((l) => l.split(",").map(Number)), o.x.map((x: number, i: number) => [x, o.y[i]]));
    const aep = wflo("aep", "examples/cases/concave-polygon.json", "--layout", csv, "--json");
    assert.equal(aep.status, 0, aep.stderr);
    assert.equal(JSON.parse(aep.stdout).aep_GWh, o.aep_GWh);

    const ss = join(dir, "start.csv");
    const s = wflo("smart-start", "examples/cases/concave-polygon.json", "--seed", "2", "--json", "--out", ss);
    assert.equal(s.status, 0, s.stderr);
    assert.equal(JSON.parse(wflo("aep", "examples/cases/concave-polygon.json", "--layout", ss, "--json").stdout).aep_GWh, JSON.parse(s.stdout).aep_GWh);

    // --start: from that layout instead of the smart start; it is the start AEP, and nothing gets worse.
    const again = wflo("optimize", "examples/cases/concave-polygon.json", "--seed", "5", "--hops", "2", "--json", "--start", csv);
    assert.equal(again.status, 0, again.stderr);
    const a = JSON.parse(again.stdout);
    assert.equal(a.aep_initial_GWh, o.aep_GWh);
    assert.ok(a.aep_GWh >= o.aep_GWh && a.feasible);
    assert.match(again.stderr, /from .*best\.csv \(\d+ turbines\)/);
    // A start outside the boundary is said, and repaired.
    const outside = join(dir, "outside.csv");
    writeFileSync(outside, readFileSync(csv, "utf8").replace(/^(-?[\d.e+-]+),/m, (_, x: string) => `${Number(x) - 5000},`));
    const rep = wflo("optimize", "examples/cases/concave-polygon.json", "--hops", "0", "--json", "--start", outside);
    assert.equal(rep.status, 0, rep.stderr);
    assert.match(rep.stderr, /warning: --start .*outside\.csv is not feasible .*\(1 turbine outside, by up to \d+\.\d+ m;.*the first solve repairs it/);
    assert.equal(JSON.parse(rep.stdout).feasible, true);
    const wrongN = wflo("optimize", "examples/cases/concave-polygon.json", "--start", "iea37-64");
    assert.equal(wrongN.status, 2);
    assert.match(wrongN.stderr, /--start iea37-64 has 64 turbines; .*concave-polygon\.json asks for n_turbines = \d+/);

    // A name that a case's layout would not read is refused before any work.
    const bad = wflo("optimize", "examples/cases/concave-polygon.json", "--out", join(dir, "best.json"));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--out must name a \.csv file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
