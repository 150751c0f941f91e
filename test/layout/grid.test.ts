import { test } from "node:test";
import assert from "node:assert/strict";
import { circleBoundary, polygon, polygonBoundary } from "../../src/layout/boundary.js";
import { candidateGrid, linspace } from "../../src/layout/grid.js";
import { reference } from "./helpers.js";

test("linspace is numpy's: start + i·step, last = stop", () => {
  const a = linspace(-1300, 1300, 18);
  assert.equal(a.length, 18);
  assert.equal(a[0], -1300);
  assert.equal(a[17], 1300);
  const step = 2600 / 17;
  for (let i = 0; i < 17; i++) assert.equal(a[i], i * step + -1300);
  assert.deepEqual(Array.from(linspace(2, 2, 3)), [2, 2, 2]);
  assert.deepEqual(Array.from(linspace(5, 9, 1)), [5]);
});

test("grid 18 on the IEA37-16 circle: 324 points, 216 inside, TopFarm's order and values", () => {
  const g = candidateGrid(circleBoundary([0, 0], 1300), 18);
  assert.equal(g.total, 324);
  assert.equal(g.x.length, 216);
  // topfarm_smart_start_seed0.json aep_map_example.X / .Y: TopFarm's candidate list, in order.
  const ref = reference("topfarm_smart_start_seed0.json").aep_map_example;
  assert.deepEqual(Array.from(g.x), ref.X);
  assert.deepEqual(Array.from(g.y), ref.Y);
});

test("polygon grid keeps inside and on-edge points in row-major order", () => {
  // L-shaped (concave) farm, clockwise on purpose.
  const L = polygon([[0, 0], [0, 200], [100, 200], [100, 100], [200, 100], [200, 0]]);
  const g = candidateGrid(polygonBoundary([L]), 3);
  // Grid 0/100/200 on both axes; only (200, 200) is outside.
  assert.deepEqual(Array.from(g.x), [0, 100, 200, 0, 100, 200, 0, 100]);
  assert.deepEqual(Array.from(g.y), [0, 0, 0, 100, 100, 100, 200, 200]);
});
