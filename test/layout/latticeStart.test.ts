// Lattice starts: n turbines on a sheared lattice inside the boundary, strictly feasible,
// deterministic for a seed; the default basin hopping solves them before its search.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aepGWh } from "../../src/physics/index.js";
import { circleBoundary, pointsAlongOutline, polygon, polygonBoundary, signedDistance } from "../../src/layout/boundary.js";
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

test("ring starts: part of the turbines on the outlines (shared by length), the rest at least the spacing inside; deterministic", () => {
  const boundary = polygonBoundary([polygon([[0, 0], [3000, 0], [3000, 2000], [0, 2000]]), polygon([[4000, 0], [5000, 0], [5000, 3000], [4000, 3000]])]);
  const opts = { boundary, nTurbines: 30, minSpacingM: 260, aep, shapes: 0, keep: 0, ringShapes: 40, ringKeep: 3, seed: 5 };
  const a = latticeStarts(opts);
  const b = latticeStarts(opts);
  assert.equal(a.evaluations, 40);
  assert.equal(a.starts.length, 3);
  assert.deepEqual(a.starts.map((s) => Array.from(s.y)), b.starts.map((s) => Array.from(s.y)));
  for (const s of a.starts) {
    assert.equal(s.x.length, 30);
    assert.equal(s.aepGWh, aep(s.x, s.y));
    const sd = signedDistance(boundary, s.x, s.y, new Float64Array(30));
    let onEdge = 0;
    for (let i = 0; i < 30; i++) {
      assert.ok(sd[i] >= -1e-6, `turbine ${i} outside by ${-sd[i]} m`);
      if (sd[i] < 1e-6) onEdge++;
      else assert.ok(sd[i] >= 260 - 1e-6, `an inner turbine ${sd[i]} m from the edge: the lattice is inset by the spacing`);
    }
    assert.ok(onEdge >= 1, "some on the outline");
    // Both regions' outlines get turbines (10 km and 8 km long).
    assert.ok(Array.from(s.x).some((x, i) => x >= 4000 && sd[i] < 1e-6) && Array.from(s.x).some((x, i) => x <= 3000 && sd[i] < 1e-6));
  }
  // Both families: the lattice ones first, then the ring ones.
  const both = latticeStarts({ ...opts, shapes: 20, keep: 2 });
  assert.equal(both.starts.length, 5);
  assert.equal(both.evaluations, 60);
});

test("points along an outline: evenly by arc length, the phase shifting them along", () => {
  const sq = polygon([[0, 0], [400, 0], [400, 400], [0, 400]]);
  const xs: number[] = [], ys: number[] = [];
  pointsAlongOutline(sq, 8, 0, xs, ys);
  assert.deepEqual(xs.map((v) => Math.round(v)), [0, 200, 400, 400, 400, 200, 0, 0]);
  assert.deepEqual(ys.map((v) => Math.round(v)), [0, 0, 0, 200, 400, 400, 400, 200]);
  xs.length = 0; ys.length = 0;
  pointsAlongOutline(sq, 4, 0.5, xs, ys);
  assert.deepEqual(xs.map((v) => Math.round(v)), [200, 400, 200, 0]);
  xs.length = 0; ys.length = 0;
  pointsAlongOutline(circleBoundary([10, 0], 100), 4, 0, xs, ys);
  assert.deepEqual(xs.map((v) => Math.round(v)), [110, 10, -90, 10]);
});

test("basin hopping from ring starts alone (optimizer.ring_starts, lattice starts off): deterministic, feasible", () => {
  const boundary = polygonBoundary([polygon([[0, 0], [1500, 0], [1500, 1500], [0, 1500]]), polygon([[2000, 0], [3000, 0], [3000, 2500], [2000, 2500]])]);
  const cfg = { model, boundary, nTurbines: 12, minSpacingM: 260, gridSize: 12, randomPct: 30, seed: 2, optimizer: { hops: 1, latticeStarts: 0, ringStarts: 2 } };
  const a = optimizeLayout(cfg), b = optimizeLayout(cfg);
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.ok(a.feasible && feasibilityCheck(boundary, a.x, a.y, 260, 0).feasible);
  assert.ok(a.aepGWh >= a.aepInitialGWh);
});
