import { test } from "node:test";
import assert from "node:assert/strict";
import { circleBoundary, polygon, polygonBoundary } from "../../src/layout/boundary.js";
import { feasibilityCheck, repairLayout } from "../../src/layout/constraints.js";

test("feasibilityCheck reports outside turbines, close pairs and the worst numbers", () => {
  const b = circleBoundary([0, 0], 100);
  const x = Float64Array.of(0, 50, 103, 0), y = Float64Array.of(0, 0, 0, 40);
  const f = feasibilityCheck(b, x, y, 45);
  assert.equal(f.feasible, false);
  assert.deepEqual(f.outside, [2]);
  assert.ok(Math.abs(f.maxBoundaryViolationM - 3) < 1e-12);
  assert.deepEqual(f.tooClose, [[0, 3]]);
  assert.equal(f.minSpacingM, 40);
  assert.equal(f.maxSpacingViolationM, 5);
  // Within the 1e-6 m tolerance counts as feasible.
  const g = feasibilityCheck(b, Float64Array.of(0, 45 - 5e-7), Float64Array.of(0, 0), 45);
  assert.equal(g.feasible, true);
  assert.equal(feasibilityCheck(b, Float64Array.of(NaN), Float64Array.of(0), 10).feasible, false);
});

test("repairLayout removes small violations on circles, concave polygons and exclusion zones", () => {
  const boundaries = [
    circleBoundary([0, 0], 500),
    polygonBoundary([polygon([[0, 0], [1000, 0], [1000, 400], [400, 400], [400, 1000], [0, 1000]])]),
    polygonBoundary([polygon([[0, 0], [1000, 0], [1000, 1000], [0, 1000]])], [polygon([[400, 400], [600, 400], [600, 600], [400, 600]])]),
  ];
  const layouts = [
    { x: [0, 100, 499.5, -200], y: [0, 0.5, 30, 300] },
    { x: [100, 199.8, 600, 400.4, 1000.3], y: [100, 100, 500, 700, 50] },
    { x: [100, 400.2, 500, 599.9], y: [100, 500, 399.7, 600.1] },
  ];
  boundaries.forEach((b, k) => {
    const x = Float64Array.from(layouts[k].x), y = Float64Array.from(layouts[k].y);
    assert.equal(feasibilityCheck(b, x, y, 100).feasible, false, `case ${k} starts infeasible`);
    assert.equal(repairLayout(b, x, y, 100), true, `case ${k} repaired`);
    const f = feasibilityCheck(b, x, y, 100, 0);
    assert.equal(f.feasible, true);
    // A repair moves turbines by about the violation, not across the farm.
    for (let i = 0; i < x.length; i++) {
      assert.ok(Math.hypot(x[i] - layouts[k].x[i], y[i] - layouts[k].y[i]) < 120, `case ${k} turbine ${i} moved far`);
    }
  });
});
