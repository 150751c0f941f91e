/**
 * Wind-farm models as the literature defines them, one line each, in the manner of PyWake's
 * `IEA37SimpleBastankhahGaussian(site, wt)`: `aepGWh(iea37CaseStudy1(), x, y)`. Each preset
 * names the publication that fixes its site, turbine and wake model; each is checked against
 * that publication's reference numbers (test/physics/literature.test.ts). Presets of PyWake's
 * literature models (e.g. Nygaard_2022) belong here too, one function each.
 *
 * Imported as a namespace from the package (`literature.iea37CaseStudy1()`); the IEA 37 case
 * studies are also exported by name.
 */
import { windFarmModel, type WindFarmModel } from "./engine.js";
import { deficitModel, type IEA37SimpleBastankhahGaussian } from "./deficit/index.js";
import { superpositionModel } from "./superposition.js";
import { builtinSite } from "./site.js";
import { builtinTurbine } from "./turbine.js";

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
