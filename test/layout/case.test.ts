import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../src/errors.js";
import { parseBoundary, parseLayoutCase } from "../../src/layout/case.js";
import { signedDistanceAt } from "../../src/layout/boundary.js";

const base = {
  site: "iea37", turbine: "IEA37_3.35MW",
  model: { deficit: "IEA37SimpleBastankhahGaussian", superposition: "squared" },
};

test("a case with a circle, n_turbines and the default spacing of 2 rotor diameters", () => {
  const c = parseLayoutCase({ ...base, boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 16 }, "c.json");
  assert.equal(c.boundary.kind, "circle");
  assert.equal(c.nTurbines, 16);
  assert.equal(c.minSpacingM, 260);
  assert.equal(c.wdDeg.length, 16);
});

test("polygon with exclusions, and several polygons", () => {
  const b = parseBoundary({ polygon: [[0, 0], [100, 0], [100, 100], [0, 100]], exclusions: [[[40, 40], [60, 40], [60, 60], [40, 60]]] });
  assert.ok(signedDistanceAt(b, 10, 10) > 0);
  assert.ok(signedDistanceAt(b, 50, 50) < 0);
  const m = parseBoundary({ polygons: [[[0, 0], [10, 0], [0, 10]], [[20, 0], [30, 0], [20, 10]]] });
  assert.equal(m.kind === "polygons" && m.polygons.length, 2);
});

test("errors name the file and the field", () => {
  const bad: [unknown, string][] = [
    [{ ...base, n_turbines: 3 }, "boundary"],
    [{ ...base, boundary: { circle: { center: [0, 0], radius: 500 } } }, "n_turbines"],
    [{ ...base, boundary: { circle: { center: [0, 0], radius: 500 } }, n_turbines: 2.5 }, "n_turbines"],
    [{ ...base, boundary: { circle: { center: [0, 0], radius: 500 } }, n_turbines: 2, min_spacing_m: -1 }, "min_spacing_m"],
    [{ ...base, boundary: { circle: { center: [0, 0] } }, n_turbines: 2 }, "boundary.circle.radius"],
    [{ ...base, boundary: { circle: { center: [0, 0], radius: 5 }, polygon: [] }, n_turbines: 2 }, "boundary"],
    [{ ...base, boundary: { circle: { center: [0, 0], radius: 5 }, exclusions: [] }, n_turbines: 2 }, "boundary.exclusions"],
    [{ ...base, boundary: { polygons: [] }, n_turbines: 2 }, "boundary.polygons"],
    [{ ...base, boundary: { polygons: [[[0, 0], [1, 0], [0, 1]], [[0, 0], [5, 5], [5, 0], [0, 5]]] }, n_turbines: 1 }, "boundary.polygons[1]"],
  ];
  for (const [v, field] of bad) {
    assert.throws(() => parseLayoutCase(v, "farm.json"), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.field, field);
      assert.equal(e.file, "farm.json");
      return true;
    });
  }
});
