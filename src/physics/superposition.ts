/**
 * Superposition of the deficits d_ij that upstream turbines i cause at turbine j:
 * - `squared` (PyWake `SquaredSum`, Katic et al. 1986): WS_eff = WS − √(Σ d²)
 * - `linear` (PyWake `LinearSum`, Lissaman 1979): WS_eff = WS − Σ d
 */
import { InputError } from "../errors.js";

export interface SuperpositionModel {
  readonly kind: "squared" | "linear";
}
export type SuperpositionName = SuperpositionModel["kind"];

export function superpositionModel(name: SuperpositionName): SuperpositionModel {
  if (name !== "squared" && name !== "linear") {
    throw new InputError(`unknown superposition "${String(name)}" (known: squared, linear)`, { field: "model.superposition" });
  }
  return { kind: name };
}
