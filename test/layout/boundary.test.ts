import { test } from "node:test";
import assert from "node:assert/strict";
import {
  boundaryCanHold, circleBoundary, polygon, polygonBoundary, signedDistance, signedDistanceAt,
} from "../../src/layout/boundary.js";
import { InputError } from "../../src/errors.js";

const sq = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s]];

test("circle: R − |p − c| and its gradient", () => {
  const b = circleBoundary([100, -50], 1000);
  const x = Float64Array.of(100, 700, 1100, 100), y = Float64Array.of(-50, 750, -50, 1250);
  const out = new Float64Array(4), gx = new Float64Array(4), gy = new Float64Array(4);
  signedDistance(b, x, y, out, gx, gy);
  assert.deepEqual(Array.from(out), [1000, 0, 0, -300]);
  assert.ok(Math.abs(gx[1] + 0.6) < 1e-15 && Math.abs(gy[1] + 0.8) < 1e-15);
  assert.equal(gy[3], -1);
});

test("polygon signed distance is orientation-free and right on a concave shape", () => {
  const ccw = [[0, 0], [200, 0], [200, 100], [100, 100], [100, 200], [0, 200]];
  for (const verts of [ccw, [...ccw].reverse()]) {
    const b = polygonBoundary([polygon(verts)]);
    assert.equal(signedDistanceAt(b, 50, 50), 50);
    assert.equal(signedDistanceAt(b, 150, 50), 50);
    assert.equal(signedDistanceAt(b, 150, 150), -50); // the notch is outside
    assert.equal(signedDistanceAt(b, 90, 150), 10);
    assert.equal(signedDistanceAt(b, 300, 0), -100);
    assert.equal(signedDistanceAt(b, 200, 50), 0);
  }
});

test("signed-distance gradient matches finite differences (polygons, exclusions)", () => {
  const b = polygonBoundary(
    [polygon([[0, 0], [400, 0], [400, 300], [250, 150], [0, 300]]), polygon(sq(600, 0, 200))],
    [polygon(sq(100, 50, 80))],
  );
  const pts = [[50, 40], [140, 200], [320, 100], [480, 90], [690, 125], [260, 280], [150, 75], [-30, -20]];
  const h = 1e-5;
  for (const [px, py] of pts) {
    const gx = new Float64Array(1), gy = new Float64Array(1), o = new Float64Array(1);
    signedDistance(b, Float64Array.of(px), Float64Array.of(py), o, gx, gy);
    const fx = (signedDistanceAt(b, px + h, py) - signedDistanceAt(b, px - h, py)) / (2 * h);
    const fy = (signedDistanceAt(b, px, py + h) - signedDistanceAt(b, px, py - h)) / (2 * h);
    assert.ok(Math.abs(fx - gx[0]) < 1e-6 && Math.abs(fy - gy[0]) < 1e-6, `(${px}, ${py}): ${gx[0]},${gy[0]} vs ${fx},${fy}`);
  }
});

test("several polygons with an exclusion zone: sign is exact", () => {
  const b = polygonBoundary([polygon(sq(0, 0, 100)), polygon(sq(200, 0, 100))], [polygon(sq(40, 40, 20))]);
  assert.ok(signedDistanceAt(b, 10, 10) > 0);
  assert.ok(signedDistanceAt(b, 250, 50) > 0);
  assert.ok(signedDistanceAt(b, 150, 50) < 0); // between the polygons
  assert.equal(signedDistanceAt(b, 50, 50), -10); // inside the exclusion
  assert.equal(signedDistanceAt(b, 35, 50), 5);
});

test("bad polygons are rejected with InputError naming the field", () => {
  const where = { file: "farm.json", field: "boundary.polygon" };
  const cases: [unknown, RegExp][] = [
    [[], /empty/],
    [[[0, 0], [1, 1]], /at least 3/],
    [[[0, 0], [1, 0], [2, 0]], /area is zero|folds back/],
    [[[0, 0], [10, 10], [10, 0], [0, 10]], /self-intersecting/],
    [[[0, 0], [10, 0], [10, 0], [0, 10]], /coincide/],
    [[[0, 0], [10, 0], [NaN, 5]], /finite/],
    ["square", /array/],
  ];
  for (const [v, re] of cases) {
    assert.throws(() => polygon(v, where), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.equal(e.field?.startsWith("boundary.polygon"), true);
      assert.match(e.message, /farm\.json: boundary\.polygon/);
      assert.match(e.message, re);
      return true;
    });
  }
  assert.throws(() => circleBoundary([0, 0], -5, { field: "boundary.circle" }), /boundary\.circle\.radius/);
  assert.throws(() => polygonBoundary([], [], { field: "boundary" }), /boundary\.polygons/);
  // A closing vertex equal to the first is accepted and dropped.
  assert.equal(polygon([[0, 0], [1, 0], [0, 1], [0, 0]]).x.length, 3);
});

test("boundaryCanHold: a cheap necessary condition", () => {
  const c = circleBoundary([0, 0], 1300);
  assert.equal(boundaryCanHold(c, 16, 260).possible, true);
  assert.equal(boundaryCanHold(c, 64, 260).possible, true);
  // Oler: 2A/(√3 s²) + P/(2s) + 1 for R = 1300, s = 260 is 107.4.
  assert.equal(boundaryCanHold(c, 107, 260).possible, true);
  assert.equal(boundaryCanHold(c, 108, 260).possible, false);
  // Concave polygon: dilation-area bound.
  const L = polygonBoundary([polygon([[0, 0], [1000, 0], [1000, 300], [300, 300], [300, 1000], [0, 1000]])]);
  assert.equal(boundaryCanHold(L, 20, 200).possible, true);
  assert.equal(boundaryCanHold(L, 200, 200).possible, false);
  assert.equal(boundaryCanHold(L, 1, 1e9).possible, true);
});

// A boundary copied in km or in degrees (a GIS export before projecting) is a few metres wide:
// the capacity refusal says what its coordinates may be in; a real farm's refusal does not.
test("boundaryCanHold: a boundary a few metres wide (km, degrees) gets a units hint in its refusal", () => {
  const lonLat = polygonBoundary([polygon([[7.85, 55.48], [7.95, 55.48], [7.95, 55.53], [7.85, 55.53]])]);
  const hint = boundaryCanHold(lonLat, 80, 560);
  assert.equal(hint.possible, false);
  assert.match(hint.unitsHint, /spans only 0\.1 × 0\.05 m: are its coordinates in km or in degrees \(longitude, latitude\)\? wflo works in metres/);
  const km = polygonBoundary([polygon([[424, 6147.5], [429.5, 6147.5], [429.5, 6151.4], [424, 6151.4]])]);
  assert.match(boundaryCanHold(km, 80, 560).unitsHint, /5\.5 × 3\.9 m: are its coordinates in km\? wflo/);
  assert.equal(boundaryCanHold(circleBoundary([0, 0], 1300), 200, 260).possible, false);
  assert.equal(boundaryCanHold(circleBoundary([0, 0], 1300), 200, 260).unitsHint, "", "a real farm that is merely full");
  assert.equal(boundaryCanHold(lonLat, 1, 560).unitsHint, "", "no refusal, no hint");
});
