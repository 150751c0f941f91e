// Unbounded inputs are refused before any work with a message naming the field (exit 2):
// no out-of-memory crash, no "Invalid array length", no reading /dev/zero until memory runs out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { smallSpec, tempDir, wfloCli as wflo } from "../batch/helpers.js";

test("sizes beyond the documented limits are refused up front, naming the field", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "o.h5");
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["seeds 1e9", { seeds: 1e9 }, /seeds.*\[1, 100000\]/],
    ["seeds 1e15", { seeds: 1e15 }, /seeds.*\[1, 100000\]/],
    ["relocation_grid 20000", { optimizer: { relocation_grid: 20000 } }, /optimizer\.relocation_grid/],
    ["duplicate farm names", { farms: [{ ...(smallSpec().farms as object[])[0], name: "A" }, { ...(smallSpec().farms as object[])[1], name: "A" }] }, /farms\[1\]\.name.*"A" is also the name of farms\[0\]/],
    ["description of 200k chars", { description: "x".repeat(200_000) }, /description/],
    ["ws where no turbine makes power", { site: { type: "uniform", p_wd: [0.25, 0.25, 0.25, 0.25], ws: [40] } }, /turbines\[0\]: produces no energy at this site/],
    ["all-zero sector probabilities", { site: { type: "uniform", p_wd: [0, 0, 0, 0], ws: [9.8] } }, /turbines\[0\]: produces no energy at this site/],
    ["a 5 km rotor", { turbines: [{ diameter_m: 5000, hub_height_m: 90, cut_in_ws: 4, rated_ws: 10, cut_out_ws: 25, rated_power_W: 3e6 }] }, /turbines\[0\]: rotor diameter 5000 m is outside \[1, 500\] m/],
  ];
  for (const [what, over, re] of cases) {
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify(smallSpec(over)));
    const r = wflo(["run", spec, "--out", out]);
    assert.equal(r.status, 2, `${what}: ${r.stderr}`);
    assert.match(r.stderr, re, what);
    assert.doesNotMatch(r.stderr, /\n\s+at |Invalid (typed )?array length|heap out of memory/, what);
    assert.ok(!existsSync(out) && !existsSync(`${out}.parts`), `${what}: nothing written`);
  }
  // A spec that is a symlink to /dev/zero: refused, not read.
  const zero = join(dir, "zero.json");
  symlinkSync("/dev/zero", zero);
  const z = wflo(["run", zero, "--out", out]);
  assert.equal(z.status, 2, z.stderr);
  assert.match(z.stderr, /batch spec is not a regular file/);
  // A layout of 1e6 turbines and a polygon of 1e5 vertices.
  const big = join(dir, "case.json");
  const n = 1_000_000;
  writeFileSync(big, JSON.stringify({ site: "iea37", turbine: "IEA37_3.35MW", model: { deficit: "NOJ" }, layout: { x: new Array(n).fill(0), y: new Array(n).fill(0) } }));
  const a = wflo(["aep", big, "--json"]);
  assert.equal(a.status, 2, a.stderr);
  assert.match(a.stderr, /layout\.x.*1000000 turbines; the limit is 5000/);
  const verts = Array.from({ length: 100_000 }, (_, i) => [Math.cos((2 * Math.PI * i) / 100_000) * 1000, Math.sin((2 * Math.PI * i) / 100_000) * 1000]);
  writeFileSync(join(dir, "spec.json"), JSON.stringify(smallSpec({ farms: [{ boundary: { polygon: verts }, n_turbines: 4, min_spacing_m: 200 }] })));
  const p = wflo(["run", join(dir, "spec.json"), "--out", out]);
  assert.equal(p.status, 2, p.stderr);
  assert.match(p.stderr, /farms\[0\]\.boundary.*100000 vertices; the limit is 10000/);
});
