// What a configuration is (src/batch/config.ts): the arguments optimizeLayout gets, the names
// and attributes stored with its result, the root attributes of the output.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildBoundary, buildModel, expandConfigs, layoutProblem, parseBatchSpec, resultAttrs, rootAttrs, specJson, turbineName,
} from "../../src/batch/index.js";

const spec = parseBatchSpec({
  site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" },
  turbines: ["IEA37_3.35MW", { name: "small", diameter_m: 80, hub_height_m: 70, ws: [3, 10, 25], power_W: [0, 1e6, 2e6], ct: [0.8, 0.8, 0.1] }],
  farms: [{ name: "round", boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 9, min_spacing_m: 260 }, { boundary: { circle: { center: [0, 0], radius: 900 } }, n_turbines: 4, min_spacing_m: 200 }],
  seeds: 2, grid_size: 12, random_pct: 20, optimizer: { hops: 1, max_evaluations: 50 },
});

test("layoutProblem maps a config of the spec to optimizeLayout's arguments", () => {
  const [c] = expandConfigs(spec).filter((k) => k.key === "farm1_t0_s1");
  const model = buildModel(spec, c.typeIdx), boundary = buildBoundary(spec, c.farmIdx);
  const p = layoutProblem(spec, c, { model, boundary });
  assert.equal(p.model, model);
  assert.equal(p.boundary, boundary);
  assert.deepEqual({ n: p.nTurbines, s: p.minSpacingM, g: p.gridSize, r: p.randomPct, seed: p.seed }, { n: 4, s: 200, g: 12, r: 20, seed: 1 });
  assert.deepEqual(p.optimizer, { hops: 1, maxEvaluations: 50 });
});

test("a turbine type is named by its built-in name, its definition's name, else its place", () => {
  assert.equal(turbineName(spec, 0), "IEA37_3.35MW");
  const noName = { ...spec, turbines: [...spec.turbines, { diameter_m: 80, hub_height_m: 70, ws: [3, 10, 25], power_W: [0, 1e6, 2e6], ct: [0.8, 0.8, 0.1] }] };
  assert.equal(turbineName(noName, 2), "turbines[2]");
});

test("resultAttrs and rootAttrs carry the config's and the batch's settings", () => {
  assert.deepEqual(resultAttrs(spec, { farmIdx: 0, typeIdx: 1, seed: 0 }), {
    n_turbines: 9, wake_model: "IEA37SimpleBastankhahGaussian+squared", turbine: "small",
    farm: "round", min_spacing_m: 260, grid_size: 12, random_pct: 20,
  });
  assert.equal(resultAttrs(spec, { farmIdx: 1, typeIdx: 0, seed: 0 }).farm, undefined);
  assert.deepEqual(rootAttrs(spec), { grid_size: 12, random_pct: 20, total_configs: 8, spec_json: specJson(spec) });
});
