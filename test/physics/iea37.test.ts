import { test } from "node:test";
import {
  aepGWh, builtinLayout, builtinSite, builtinTurbine, degrees360, deficitModel, simulate,
  superpositionModel, windFarmModel, type BuiltinLayoutName,
} from "../../src/physics/index.js";
import { assertAllClose, assertClose, reference } from "./helpers.js";

// IEA 37 CS1: aepcalc results on the baselines (iea37_cs1.json, MWh) and PyWake's
// IEA37SimpleBastankhahGaussian on the 16-turbine case (pywake_hornsrev1_iea37.json, MWh).
const cs1 = reference("iea37_cs1.json");
const pywake = reference("pywake_hornsrev1_iea37.json");

const model = windFarmModel({
  site: builtinSite("iea37"),
  turbine: builtinTurbine("IEA37_3.35MW"),
  deficit: deficitModel("IEA37SimpleBastankhahGaussian"),
  superposition: superpositionModel("squared"),
});

for (const n of ["16", "36", "64"]) {
  test(`IEA 37 baseline ${n} turbines: AEP and per-direction AEP match iea37-aepcalc`, () => {
    const { x, y } = builtinLayout(`iea37-${n}` as BuiltinLayoutName);
    // iea37_cs1.json baseline.<n>.aep_MWh / aep_per_dir_MWh
    assertClose(aepGWh(model, x, y) * 1e3, cs1.baseline[n].aep_MWh, 1e-9, "aep");
    const sim = simulate(model, x, y);
    assertClose(sim.aep() * 1e3, cs1.baseline[n].aep_MWh, 1e-9, "simulate aep");
    assertAllClose(sim.aepPerDirection().data.map((v) => v * 1e3), cs1.baseline[n].aep_per_dir_MWh, 1e-9, "per direction");
  });
}

test("IEA 37 16 turbines: PyWake per-turbine, no-wake, WS_eff and 360-direction values", () => {
  const r = pywake.iea37["16"];
  const { x, y } = builtinLayout("iea37-16");
  const sim = simulate(model, x, y);
  // pywake_hornsrev1_iea37.json iea37.16.*
  assertClose(sim.aep() * 1e3, r.aep_MWh_wd16, 1e-9, "aep_MWh_wd16");
  assertAllClose(sim.aepPerDirection().data.map((v) => v * 1e3), r.aep_per_dir_MWh_wd16, 1e-9, "aep_per_dir_MWh_wd16");
  assertAllClose(sim.aepPerTurbine().data.map((v) => v * 1e3), r.aep_per_wt_MWh_wd16, 1e-9, "aep_per_wt_MWh_wd16");
  assertClose(sim.aepNoWake() * 1e3, r.aep_no_wake_MWh_wd16, 1e-9, "aep_no_wake_MWh_wd16");
  // WS_eff_wd16 is [turbine][direction]
  const ws = sim.wsEff;
  for (let i = 0; i < 16; i++) {
    const row = Array.from({ length: 16 }, (_, l) => ws.get(i, l, 0));
    assertAllClose(row, r.WS_eff_wd16[i], 1e-9, `WS_eff turbine ${i}`);
  }
  const wd360 = degrees360();
  assertClose(aepGWh(model, x, y, { wdDeg: wd360 }) * 1e3, r.aep_MWh_wd360_default, 1e-9, "aep_MWh_wd360_default");
  const sim360 = simulate(model, x, y, { wdDeg: wd360 });
  assertAllClose(sim360.aepPerTurbine().data.map((v) => v * 1e3), r.aep_per_wt_MWh_wd360, 1e-9, "aep_per_wt_MWh_wd360");
});
