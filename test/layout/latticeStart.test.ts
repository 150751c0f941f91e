// Lattice starts: n turbines on a sheared lattice inside the boundary, strictly feasible,
// deterministic for a seed; the default basin hopping solves them before its search.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aepGWh } from "../../src/physics/index.js";
import { circleBoundary, polygon, polygonBoundary } from "../../src/layout/boundary.js";
import { feasibilityCheck } from "../../src/layout/constraints.js";
import { latticeStarts } from "../../src/layout/latticeStart.js";
import { optimizeLayout } from "../../src/layout/optimizeLayout.js";
import { iea37Model } from "./helpers.js";

const model = iea37Model();
const aep = (x: Float64Array, y: Float64Array) => aepGWh(model, x, y);

test("lattice starts: n turbines, strictly feasible, best first, deterministic for a seed", () => {
  for (const boundary of [
    circleBoundary([0, 0], 2000),
    // Two separate regions: the lattice is clipped to their union.
    polygonBoundary([polygon([[0, 0], [1500, 0], [1500, 1500], [0, 1500]]), polygon([[2000, 0], [3000, 0], [3000, 2500], [2000, 2500]])]),
  ]) {
    const a = latticeStarts({ boundary, nTurbines: 20, minSpacingM: 260, aep, shapes: 60, keep: 4, seed: 7 });
    const b = latticeStarts({ boundary, nTurbines: 20, minSpacingM: 260, aep, shapes: 60, keep: 4, seed: 7 });
    assert.equal(a.evaluations, 60);
    assert.equal(a.starts.length, 4);
    assert.deepEqual(a.starts.map((s) => Array.from(s.x)), b.starts.map((s) => Array.from(s.x)));
    for (let k = 0; k < a.starts.length; k++) {
      const s = a.starts[k];
      assert.equal(s.x.length, 20);
      const f = feasibilityCheck(boundary, s.x, s.y, 260, 0);
      assert.ok(f.feasible, JSON.stringify(f));
      assert.equal(s.aepGWh, aep(s.x, s.y));
      if (k > 0) assert.ok(s.aepGWh <= a.starts[k - 1].aepGWh, "best first");
    }
    const c = latticeStarts({ boundary, nTurbines: 20, minSpacingM: 260, aep, shapes: 60, keep: 4, seed: 8 });
    assert.notDeepEqual(Array.from(c.starts[0].x), Array.from(a.starts[0].x), "another seed draws other shapes");
  }
});

test("basin hopping with lattice starts: deterministic for a seed, feasible, never below the run without them on its first solve", () => {
  const cfg = { model, boundary: circleBoundary([0, 0], 2000), nTurbines: 36, minSpacingM: 260, gridSize: 18, randomPct: 30, seed: 1 };
  const r1 = optimizeLayout({ ...cfg, optimizer: { hops: 2 } });
  const r2 = optimizeLayout({ ...cfg, optimizer: { hops: 2 } });
  assert.deepEqual(Array.from(r1.x), Array.from(r2.x));
  assert.equal(r1.aepGWh, r2.aepGWh);
  assert.ok(feasibilityCheck(cfg.boundary, r1.x, r1.y, 260, 0).feasible);
  // The smart start's own solve is one of the candidates, so the search starts at least there.
  const local = optimizeLayout({ ...cfg, optimizer: { hops: 0 } });
  assert.ok(r1.hopHistory[0] >= local.aepGWh - 1e-9, `${r1.hopHistory[0]} vs ${local.aepGWh}`);
  const off = optimizeLayout({ ...cfg, optimizer: { hops: 2, latticeStarts: 0 } });
  assert.ok(off.feasible);
});
