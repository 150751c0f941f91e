import { test } from "node:test";
import assert from "node:assert/strict";
import {
  builtinSite, builtinTurbine, candidateAepGWh, deficitModel, superpositionModel, windFarmModel,
} from "../../src/physics/index.js";
import { assertAllClose, reference } from "./helpers.js";

// TopFarm's aep4smart_start map on the IEA 37 16-turbine case (topfarm_smart_start_seed0.json,
// aep_map_example: GWh per candidate, 16 directions, 9.8 m/s).
const ss = reference("topfarm_smart_start_seed0.json");
const model = windFarmModel({
  site: builtinSite("iea37"),
  turbine: builtinTurbine("IEA37_3.35MW"),
  deficit: deficitModel("IEA37SimpleBastankhahGaussian"),
  superposition: superpositionModel("squared"),
});
const X: number[] = ss.aep_map_example.X;
const Y: number[] = ss.aep_map_example.Y;

test("smart-start value map with no turbine placed", () => {
  const out = new Float64Array(X.length);
  candidateAepGWh(model, [], [], X, Y, out);
  // topfarm_smart_start_seed0.json aep_map_example.aep_GWh_no_turbines
  assertAllClose(out, ss.aep_map_example.aep_GWh_no_turbines, 1e-9, "aep_GWh_no_turbines");
});

test("smart-start value map with one turbine placed (dw = 0 counts: the turbine's own point is fully waked)", () => {
  const out = new Float64Array(X.length);
  const [ex, ey] = ss.aep_map_example.existing_turbine;
  candidateAepGWh(model, [ex], [ey], X, Y, out);
  // topfarm_smart_start_seed0.json aep_map_example.aep_GWh_one_turbine
  assertAllClose(out, ss.aep_map_example.aep_GWh_one_turbine, 1e-9, "aep_GWh_one_turbine");
  assert.equal(out[0], 0);
});
