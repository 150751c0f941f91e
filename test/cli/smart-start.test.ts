import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dev = ["--import", "tsx", "src/cli/dev.ts"];
const wflo = (...a: string[]) => spawnSync(process.execPath, [...dev, ...a], { encoding: "utf8" });
// topfarm_smart_start_seed0.json: TopFarm's smart start on IEA37-16 (grid 18, spacing 260 m).
const ref = JSON.parse(readFileSync(new URL("../../../shared/reference/topfarm_smart_start_seed0.json", import.meta.url), "utf8"));

test("wflo smart-start --json reproduces TopFarm's seed-0 layouts in placement order", () => {
  for (const [pct, run] of [["30", ref.case.runs["0"]], ["0", ref.case.random_pct0_seed0]]) {
    const r = wflo("smart-start", "examples/cases/iea37-16-optimize.json", "--grid", "18", "--random-pct", pct, "--seed", "0", "--json");
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ["x", "y", "aep_GWh"]);
    assert.deepEqual(out.x, run.x);
    assert.deepEqual(out.y, run.y);
    assert.ok(Math.abs(out.aep_GWh * 1000 - run.aep_MWh) < 1e-6);
  }
});

function caseWith(boundary: unknown, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "wflo-ss-"));
  const p = join(dir, "case.json");
  writeFileSync(p, JSON.stringify({
    site: "iea37", turbine: "IEA37_3.35MW",
    model: { deficit: "IEA37SimpleBastankhahGaussian", superposition: "squared" },
    boundary, n_turbines: 4, min_spacing_m: 260, ...extra,
  }));
  return p;
}

test("bad boundaries and counts exit 2 naming the field, without a stack trace", () => {
  const cases: [string, RegExp][] = [
    [caseWith({ polygon: [[0, 0], [1000, 1000], [1000, 0], [0, 1000]] }), /boundary\.polygon: polygon is self-intersecting/],
    [caseWith({ polygon: [] }), /boundary\.polygon: polygon is empty/],
    [caseWith({ circle: { center: [0, 0], radius: -1 } }), /boundary\.circle\.radius/],
    [caseWith({ square: 1 }), /boundary\.square: unknown key/],
    [caseWith({ polygons: [[[0, 0], [100, 0], [0, 100]]], exclusions: [[[0, 0], [1, 1]]] }), /boundary\.exclusions\[0\]: polygon needs at least 3/],
    [caseWith({ circle: { center: [0, 0], radius: 300 } }, { n_turbines: 40 }), /boundary: cannot hold 40 turbines/],
    [caseWith({ circle: { center: [0, 0], radius: 300 } }, { n_turbines: 0 }), /n_turbines: must be an integer ≥ 1/],
    [caseWith(undefined), /boundary: is missing/],
  ];
  for (const [path, re] of cases) {
    const r = wflo("smart-start", path, "--json");
    assert.equal(r.status, 2, `${re}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.match(r.stderr, /case\.json/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  const u = wflo("smart-start", "examples/cases/iea37-16-optimize.json", "--seed", "-3");
  assert.equal(u.status, 2);
  assert.match(u.stderr, /--seed/);
});
