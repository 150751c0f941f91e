/** Built-in layouts: Horns Rev 1 (80 turbines), the IEA 37 CS1 baselines and the CS3/CS4 baselines. */
import { InputError } from "../errors.js";
import {
  HORNSREV1_X, HORNSREV1_Y, IEA37_16_X, IEA37_16_Y, IEA37_36_X, IEA37_36_Y, IEA37_64_X, IEA37_64_Y,
} from "./data/builtin.js";
import { IEA37_CS3_BASELINE_X, IEA37_CS3_BASELINE_Y, IEA37_CS4_BASELINE_X, IEA37_CS4_BASELINE_Y } from "./data/iea37cs34.js";

/** Turbine positions (m), structure of arrays. */
export interface Layout {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export type BuiltinLayoutName = "iea37-16" | "iea37-36" | "iea37-64" | "hornsrev1" | "iea37-cs3-baseline" | "iea37-cs4-baseline";
export const BUILTIN_LAYOUT_NAMES: readonly BuiltinLayoutName[] = [
  "iea37-16", "iea37-36", "iea37-64", "hornsrev1", "iea37-cs3-baseline", "iea37-cs4-baseline",
];

/** A fresh copy each call, so callers may move the turbines. */
export function builtinLayout(name: BuiltinLayoutName): Layout {
  switch (name) {
    case "iea37-16": return { x: Float64Array.from(IEA37_16_X), y: Float64Array.from(IEA37_16_Y) };
    case "iea37-36": return { x: Float64Array.from(IEA37_36_X), y: Float64Array.from(IEA37_36_Y) };
    case "iea37-64": return { x: Float64Array.from(IEA37_64_X), y: Float64Array.from(IEA37_64_Y) };
    case "hornsrev1": return { x: Float64Array.from(HORNSREV1_X), y: Float64Array.from(HORNSREV1_Y) };
    // The organisers' baselines (iea37-ex-opt3/4.yaml): up to 0.065 m outside the rounded boundary.
    case "iea37-cs3-baseline": return { x: Float64Array.from(IEA37_CS3_BASELINE_X), y: Float64Array.from(IEA37_CS3_BASELINE_Y) };
    case "iea37-cs4-baseline": return { x: Float64Array.from(IEA37_CS4_BASELINE_X), y: Float64Array.from(IEA37_CS4_BASELINE_Y) };
    default:
      throw new InputError(`unknown built-in layout "${String(name)}" (known: ${BUILTIN_LAYOUT_NAMES.join(", ")})`, { field: "layout" });
  }
}
