/**
 * Wind-farm models as the literature defines them, one line each, in the manner of PyWake's
 * `IEA37SimpleBastankhahGaussian(site, wt)`: `aepGWh(iea37CaseStudy1(), x, y)`. Each preset
 * names the publication that fixes its site, turbine and wake model; each is checked against
 * that publication's reference numbers (test/physics/literature.test.ts). Presets of PyWake's
 * literature models (e.g. Nygaard_2022) belong here too, one function each.
 *
 * Imported as a namespace from the package (`literature.iea37CaseStudy1()`); the IEA 37 case
 * studies are also exported by name. PyWake's literature wind-farm models take a site and a
 * turbine (`literature.nygaard2022(site, turbine)`), as `Nygaard_2022(site, wt)` does; their
 * parameters and names are those of the case-file presets (modelSpec.ts, README "Wake models").
 */
import { windFarmModel, type WindFarmModel } from "./engine.js";
import { deficitModel, type IEA37SimpleBastankhahGaussian } from "./deficit/index.js";
import { superpositionModel } from "./superposition.js";
import { builtinSite } from "./site.js";
import { builtinTurbine, type Turbine } from "./turbine.js";
import type { Site } from "./site.js";
import { parseWakeModel, windFarmModelOf } from "./modelSpec.js";

/**
 * IEA Wind Task 37 case study 1 (Baker et al. 2019, "Best Practices for Wake Model and
 * Optimization Algorithm Selection in Wind Farm Layout Optimization", AIAA SciTech): the
 * 16-sector rose at 9.8 m/s, the IEA 3.35 MW turbine, the simplified Bastankhah Gaussian
 * wake with squared-sum superposition. Baseline layouts: `builtinLayout("iea37-16" | "iea37-36" | "iea37-64")`.
 */
export function iea37CaseStudy1(): WindFarmModel<IEA37SimpleBastankhahGaussian> {
  return windFarmModel({
    site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"),
    deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared"),
  });
}

/**
 * IEA Wind Task 37 case study 3 (Baker et al. 2019): the 20 × 20 direction × speed rose, the
 * IEA 10 MW turbine, the same wake model as case study 1. Boundary `builtinBoundary("iea37-cs3")`,
 * baseline `builtinLayout("iea37-cs3-baseline")`.
 */
export function iea37CaseStudy3(): WindFarmModel<IEA37SimpleBastankhahGaussian> {
  return windFarmModel({
    site: builtinSite("iea37-cs3"), turbine: builtinTurbine("IEA37_10MW"),
    deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared"),
  });
}

/**
 * IEA Wind Task 37 case study 4 (Baker et al. 2019): as case study 3 on its 360-direction rose.
 * Boundary `builtinBoundary("iea37-cs4")`, baseline `builtinLayout("iea37-cs4-baseline")`.
 */
export function iea37CaseStudy4(): WindFarmModel<IEA37SimpleBastankhahGaussian> {
  return windFarmModel({
    site: builtinSite("iea37-cs4"), turbine: builtinTurbine("IEA37_10MW"),
    deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared"),
  });
}

/**
 * TurbOPark (Nygaard et al. 2022, "Large-scale benchmarking of wake models for offshore wind
 * farms", J. Phys.: Conf. Ser. 2265 022008), as PyWake's `Nygaard_2022(site, wt)`: TurboGaussian
 * with 1-D momentum induction, a mirrored ground, GaussianOverlap rotor average, squared sum.
 * `params` as the case-file preset takes them (`A`, `cTI`, `ceps`, `ctlim`).
 */
export function nygaard2022(site: Site, turbine: Turbine, params: Record<string, unknown> = {}): WindFarmModel {
  return windFarmModelOf(site, turbine, parseWakeModel({ ...params, preset: "Nygaard_2022" }, "params"));
}

/**
 * Niayifar & Porté-Agel (2016), "Analytical modeling of wind farms: a new approach for power
 * prediction", Energies 9 741, as PyWake's `Niayifar_PorteAgel_2016(site, wt)`: k from the
 * source's effective TI (Crespo–Hernández added turbulence, SqrMaxSum), effective-speed deficits,
 * GaussianOverlap rotor average, linear sum. `params`: `a`, `ceps`, `use_effective_ws`, `use_effective_ti`.
 */
export function niayifarPorteAgel2016(site: Site, turbine: Turbine, params: Record<string, unknown> = {}): WindFarmModel {
  return windFarmModelOf(site, turbine, parseWakeModel({ ...params, preset: "Niayifar_PorteAgel_2016" }, "params"));
}

/**
 * Bastankhah & Porté-Agel (2014), "A new analytical model for wind-turbine wakes", Renew.
 * Energy 70 116–123, as PyWake's `Bastankhah_PorteAgel_2014(site, wt, k)`: 1-D momentum
 * induction, effective-speed deficits, linear sum; the wake expansion `k` is required.
 */
export function bastankhahPorteAgel2014(site: Site, turbine: Turbine, k: number, params: Record<string, unknown> = {}): WindFarmModel {
  return windFarmModelOf(site, turbine, parseWakeModel({ ...params, preset: "Bastankhah_PorteAgel_2014", k }, "params"));
}

/**
 * Jensen (1983), "A note on wind generator interaction", Risø-M-2411, as PyWake's
 * `Jensen_1983(site, wt)`: the top-hat NOJ wake (k = 0.1) averaged by area overlap, squared sum.
 */
export function jensen1983(site: Site, turbine: Turbine, params: Record<string, unknown> = {}): WindFarmModel {
  return windFarmModelOf(site, turbine, parseWakeModel({ ...params, preset: "Jensen_1983" }, "params"));
}
