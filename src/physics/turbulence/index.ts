/**
 * Wake-added turbulence models (PyWake 2.6's `turbulence_models`), one file each, and the rules
 * that combine the added turbulence intensities of several upstream turbines into a turbine's
 * effective TI. Effective TI is propagated downwind like the deficits: a turbine's TI_eff is
 * known once every turbine upstream of it has been visited, and feeds the deficit models that
 * use it (NiayifarGaussian's wake expansion).
 */
import { InputError } from "../../errors.js";

export * from "./stf.js";
export * from "./crespoHernandez.js";
export * from "./gcl.js";

import { stf2017, stf2005, type STF2017, type STF2005 } from "./stf.js";
import { crespoHernandez, type CrespoHernandez } from "./crespoHernandez.js";
import { gcl, type GCL } from "./gcl.js";

export type TurbulenceModel = STF2017 | STF2005 | CrespoHernandez | GCL;
export type TurbulenceName = TurbulenceModel["kind"];
export const TURBULENCE_NAMES: readonly TurbulenceName[] = ["STF2017", "STF2005", "CrespoHernandez", "GCL"];

/**
 * How added TI from several sources combine (PyWake's AddedTurbulenceSuperpositionModel), with
 * TI the ambient TI at the destination and a_i the added TIs:
 * - `linear` (LinearSum):   TI + Σ a_i           (STF2017/STF2005 default)
 * - `squared` (SquaredSum): TI + √(Σ a_i²)
 * - `max` (MaxSum):         TI + max a_i
 * - `sqrmax` (SqrMaxSum):   √(TI² + (max a_i)²)  (CrespoHernandez, GCL default)
 */
export type AddedTiSum = "linear" | "squared" | "max" | "sqrmax";
export const ADDED_TI_SUMS: readonly AddedTiSum[] = ["linear", "squared", "max", "sqrmax"];

/** Effective TI from the ambient TI and the accumulator `acc` (Σa, Σa² or max a by `sum`). */
export function effectiveTi(sum: AddedTiSum, ti: number, acc: number): number {
  switch (sum) {
    case "linear": return ti + acc;
    case "squared": return ti + Math.sqrt(acc);
    case "max": return ti + acc;
    case "sqrmax": return Math.sqrt(ti * ti + acc * acc);
  }
}

/** Adds one source's added TI `a` (≥ 0) into the accumulator. */
export function accumulateTi(sum: AddedTiSum, acc: number, a: number): number {
  switch (sum) {
    case "linear": return acc + a;
    case "squared": return acc + a * a;
    case "max":
    case "sqrmax": return a > acc ? a : acc;
  }
}

/** A turbulence model by name with PyWake's defaults. */
export function turbulenceModel(name: string, field = "model.turbulence"): TurbulenceModel {
  switch (name) {
    case "STF2017": return stf2017();
    case "STF2005": return stf2005();
    case "CrespoHernandez": return crespoHernandez();
    case "GCL": return gcl();
    default:
      throw new InputError(`unknown turbulence model "${name}" (known: ${TURBULENCE_NAMES.join(", ")})`, { field });
  }
}
