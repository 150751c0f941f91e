/**
 * Wake deficit models: one file per model, each citing its paper. A model is a plain,
 * typed parameter object; the engine (../engine.ts) calls the formula functions exported
 * beside it. `GaussianDeficit` models have analytic gradients; NOJ's top hat has none.
 */
import { InputError } from "../../errors.js";
import { bastankhahGaussian, type BastankhahGaussian } from "./bastankhahGaussian.js";
import { iea37SimpleBastankhahGaussian, type IEA37SimpleBastankhahGaussian } from "./iea37SimpleBastankhahGaussian.js";
import { niayifarGaussian, type NiayifarGaussian } from "./niayifarGaussian.js";
import { noj, type NOJ } from "./noj.js";
import { turboGaussian, type TurboGaussian } from "./turboGaussian.js";

export * from "./bastankhahGaussian.js";
export * from "./iea37SimpleBastankhahGaussian.js";
export * from "./niayifarGaussian.js";
export * from "./noj.js";
export * from "./turboGaussian.js";
export * from "./induction.js";

export type GaussianDeficit = IEA37SimpleBastankhahGaussian | BastankhahGaussian | NiayifarGaussian;
export type DeficitModel = GaussianDeficit | NOJ | TurboGaussian;
export type DeficitName = DeficitModel["kind"];
export const DEFICIT_NAMES: readonly DeficitName[] = ["NOJ", "BastankhahGaussian", "IEA37SimpleBastankhahGaussian", "NiayifarGaussian", "TurboGaussian"];

export function isGaussian(d: DeficitModel): d is GaussianDeficit {
  return d.kind !== "NOJ" && d.kind !== "TurboGaussian";
}

/** A deficit model by name with PyWake's default parameters. */
export function deficitModel<N extends DeficitName>(name: N): Extract<DeficitModel, { kind: N }>;
export function deficitModel(name: DeficitName): DeficitModel {
  switch (name) {
    case "NOJ": return noj();
    case "BastankhahGaussian": return bastankhahGaussian();
    case "IEA37SimpleBastankhahGaussian": return iea37SimpleBastankhahGaussian();
    case "NiayifarGaussian": return niayifarGaussian();
    case "TurboGaussian": return turboGaussian();
    default:
      throw new InputError(`unknown deficit model "${String(name)}" (known: ${DEFICIT_NAMES.join(", ")})`, { field: "model.deficit" });
  }
}
