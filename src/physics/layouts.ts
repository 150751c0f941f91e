/** Built-in layouts: Horns Rev 1 (80 turbines) and the IEA 37 CS1 baselines. */
import { InputError } from "../errors.js";
import {
  HORNSREV1_X, HORNSREV1_Y, IEA37_16_X, IEA37_16_Y, IEA37_36_X, IEA37_36_Y, IEA37_64_X, IEA37_64_Y,
} from "./data/builtin.js";

/** Turbine positions (m), structure of arrays. */
export interface Layout {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export type BuiltinLayoutName = "iea37-16" | "iea37-36" | "iea37-64" | "hornsrev1";
export const BUILTIN_LAYOUT_NAMES: readonly BuiltinLayoutName[] = ["iea37-16", "iea37-36", "iea37-64", "hornsrev1"];

/** A fresh copy each call, so callers may move the turbines. */
export function builtinLayout(name: BuiltinLayoutName): Layout {
  switch (name) {
    case "iea37-16": return { x: Float64Array.from(IEA37_16_X), y: Float64Array.from(IEA37_16_Y) };
    case "iea37-36": return { x: Float64Array.from(IEA37_36_X), y: Float64Array.from(IEA37_36_Y) };
    case "iea37-64": return { x: Float64Array.from(IEA37_64_X), y: Float64Array.from(IEA37_64_Y) };
    case "hornsrev1": return { x: Float64Array.from(HORNSREV1_X), y: Float64Array.from(HORNSREV1_Y) };
    default:
      throw new InputError(`unknown built-in layout "${String(name)}" (known: ${BUILTIN_LAYOUT_NAMES.join(", ")})`, { field: "layout" });
  }
}
