import { test } from "node:test";
import {
  aepGWh, builtinLayout, builtinSite, builtinTurbine, deficitModel, simulate, superpositionModel,
  uniformSite, windFarmModel,
} from "../../src/physics/index.js";
import { assertAllClose, assertClose, reference } from "./helpers.js";

// PyWake 2.6.7 on Horns Rev 1 (80 × V80, wd 0..359, ws 3..25) and on small 3-turbine rows:
// pywake_hornsrev1_iea37.json (GWh, W, m/s).
const ref = reference("pywake_hornsrev1_iea37.json");
const layout = builtinLayout("hornsrev1");

for (const name of ["NOJ", "BastankhahGaussian"] as const) {
  test(`Horns Rev 1 with ${name}: total, no-wake, per turbine, per direction, per speed`, () => {
    const model = windFarmModel({
      site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"),
      deficit: deficitModel(name), superposition: superpositionModel("squared"),
    });
    const r = ref.hornsrev1.models[name];
    const sim = simulate(model, layout.x, layout.y);
    // pywake_hornsrev1_iea37.json hornsrev1.models.<name>.aep_GWh, aep_no_wake_GWh, aep_per_{wt,wd,ws}_GWh
    assertClose(sim.aep(), r.aep_GWh, 1e-9, "aep_GWh");
    assertClose(aepGWh(model, layout.x, layout.y), r.aep_GWh, 1e-9, "aepGWh fast path");
    assertClose(sim.aepNoWake(), r.aep_no_wake_GWh, 1e-9, "aep_no_wake_GWh");
    assertAllClose(sim.aepPerTurbine().data, r.aep_per_wt_GWh, 1e-9, "aep_per_wt_GWh");
    assertAllClose(sim.aepPerDirection().data, r.aep_per_wd_GWh, 1e-9, "aep_per_wd_GWh");
    assertAllClose(sim.aepPerSpeed().data, r.aep_per_ws_GWh, 1e-9, "aep_per_ws_GWh");
  });
}

test("small 3-turbine rows: effective wind speed, power and Ct per turbine (NOJ, Bastankhah)", () => {
  for (const [caseName, c] of Object.entries<any>(ref.small_cases)) {
    // pywake_hornsrev1_iea37.json small_cases.<case>: UniformSite(p_wd=[1]), V80, one (wd, ws)
    const site = uniformSite({ sectorFreq: [1], ti: 0.1, wdDeg: [c.wd], ws: [c.ws] });
    for (const name of ["NOJ", "BastankhahGaussian"] as const) {
      const model = windFarmModel({ site, turbine: builtinTurbine("V80"), deficit: deficitModel(name), superposition: superpositionModel("squared") });
      const sim = simulate(model, c.x, c.y);
      const r = c.models[name];
      assertAllClose(sim.wsEff.data, r.WS_eff, 1e-9, `${caseName} ${name} WS_eff`);
      assertAllClose(sim.powerW.data, r.Power_W, 1e-9, `${caseName} ${name} Power_W`);
      assertAllClose(sim.ct.data, r.CT, 1e-9, `${caseName} ${name} CT`);
    }
  }
});
