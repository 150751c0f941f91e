// min_spacing_D: a farm's spacing in rotor diameters, one value for every turbine type
// (each in its own diameter) or one per type; the optimizer and the stored result get
// metres. Errors name the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../src/errors.js";
import { parseBatchSpec, spacingM } from "../../src/batch/index.js";
import { layoutProblem, resultAttrs } from "../../src/batch/config.js";
import { buildBoundary, buildModel } from "../../src/batch/build.js";
import type { BatchSpecInput } from "../../src/batch/index.js";

// IEA37_3.35MW has a 130 m rotor; "small" an 80 m one.
const small = { name: "small", diameter_m: 80, hub_height_m: 70, ws: [3, 10, 25], power_W: [0, 1e6, 2e6], ct: [0.8, 0.8, 0.1] };
const spec = (farm: Record<string, unknown>): BatchSpecInput => ({
  site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_3.35MW", small],
  farms: [{ boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 9, ...farm } as BatchSpecInput["farms"][number]],
  seeds: 2, grid_size: 12, random_pct: 30,
});

function rejects(input: unknown, field: string, msg: RegExp): void {
  assert.throws(() => parseBatchSpec(input), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.field, field, e.message);
    assert.match(e.message, msg);
    return true;
  });
}

test("min_spacing_D: one value is each turbine type's own diameters; a list gives one per type", () => {
  const one = parseBatchSpec(spec({ min_spacing_D: 2 }));
  assert.deepEqual(one.farms[0].min_spacing_D, 2);
  assert.equal(one.farms[0].min_spacing_m, undefined);
  assert.equal(spacingM(one, 0, 0), 260);
  assert.equal(spacingM(one, 0, 1), 160);
  const per = parseBatchSpec(spec({ min_spacing_D: [3, 4] }));
  assert.equal(spacingM(per, 0, 0), 390);
  assert.equal(spacingM(per, 0, 1), 320);
  // The optimizer and the stored attributes get metres.
  const k = { farmIdx: 0, typeIdx: 1, seed: 0, key: "farm0_t1_s0" };
  const problem = layoutProblem(per, k, { model: buildModel(per, 1), boundary: buildBoundary(per, 0) });
  assert.equal(problem.minSpacingM, 320);
  assert.equal(resultAttrs(per, k).min_spacing_m, 320);
  // Metres as before.
  const m = parseBatchSpec(spec({ min_spacing_m: 300 }));
  assert.equal(spacingM(m, 0, 1), 300);
});

test("min_spacing_D errors name the field: both given, neither, wrong list length, out of range, too tight", () => {
  rejects(spec({ min_spacing_m: 260, min_spacing_D: 2 }), "farms[0].min_spacing_D", /not both/);
  rejects(spec({}), "farms[0].min_spacing_m", /required \(m\), or min_spacing_D in rotor diameters/);
  rejects(spec({ min_spacing_D: [2] }), "farms[0].min_spacing_D", /a list of 2 such numbers \(one per turbine type\), got \[2\]/);
  rejects(spec({ min_spacing_D: -1 }), "farms[0].min_spacing_D", /in \[0, 100\]/);
  // 9 turbines fit 2 D of the small rotor but not 12 D of the large one in a 1300 m circle.
  rejects(spec({ min_spacing_D: [12, 2] }), "farms[0].n_turbines", /at 12 D × 130 m = 1560 m \(turbines\[0\]\) spacing cannot fit .* Lower n_turbines or min_spacing_D/);
});
