/**
 * The wake model of a case or batch spec: `"model": {...}` (README "Wake models" lists every
 * name and parameter). Either a literature preset by PyWake's name,
 *   {"preset": "Nygaard_2022" | "Niayifar_PorteAgel_2016" | "Bastankhah_PorteAgel_2014" | "Jensen_1983" | "IEA37CaseStudy1", ...params}
 * or the parts,
 *   {"deficit": "NOJ" | "BastankhahGaussian" | "IEA37SimpleBastankhahGaussian" | "NiayifarGaussian" | "TurboGaussian",
 *    "superposition": "squared" | "linear", "turbulence"?: "STF2017" | "STF2005" | "CrespoHernandez" | "GCL",
 *    "rotor_average"?: "center" | "GaussianOverlap", ...params}.
 * A wrong name or parameter is an InputError naming the field (`model.deficit`, `model.k`, …).
 * `parseWakeModel` is pure: JSON value in, `WakeModel` out.
 */
import { InputError } from "../errors.js";
import { turboGaussian, type TurboGaussian } from "./deficit/turboGaussian.js";
import type { WindFarmModel } from "./kernels/common.js";
import type { Site } from "./site.js";
import type { Turbine } from "./turbine.js";
import { ADDED_TI_SUMS, TURBULENCE_NAMES, crespoHernandez, gcl, stf2005, stf2017, type AddedTiSum, type TurbulenceModel } from "./turbulence/index.js";

export type Ct2aName = "madsen" | "mom1d";
export const CT2A_NAMES: readonly Ct2aName[] = ["madsen", "mom1d"];

/** Which wind speed scales a source's deficit: its free stream (PyWake's WS_ilk) or its effective speed (WS_eff_ilk). */
interface WsRef { readonly useEffectiveWs: boolean }

export interface NOJSpec { readonly kind: "NOJ"; readonly k: number; readonly ct2a: Ct2aName; readonly useEffectiveWs: boolean }
export interface BastankhahSpec extends WsRef { readonly kind: "BastankhahGaussian"; readonly k: number; readonly ceps: number; readonly ctlim: number; readonly ct2a: Ct2aName }
export interface IEA37SimpleSpec { readonly kind: "IEA37SimpleBastankhahGaussian"; readonly k: number; readonly useEffectiveWs: boolean }
export interface NiayifarSpec extends WsRef {
  readonly kind: "NiayifarGaussian"; readonly a: readonly [number, number]; readonly ceps: number; readonly ctlim: number; readonly ct2a: Ct2aName;
  /** k from the source's effective TI (PyWake's default, needs a turbulence model to differ) or from the ambient TI. */
  readonly useEffectiveTi: boolean;
}
export type TurboSpec = TurboGaussian;
export type DeficitSpec = NOJSpec | BastankhahSpec | IEA37SimpleSpec | NiayifarSpec | TurboSpec;
export type DeficitSpecName = DeficitSpec["kind"];
export const DEFICIT_SPEC_NAMES: readonly DeficitSpecName[] = ["NOJ", "BastankhahGaussian", "IEA37SimpleBastankhahGaussian", "NiayifarGaussian", "TurboGaussian"];

export type RotorAverageName = "center" | "GaussianOverlap";
export const ROTOR_AVERAGE_NAMES: readonly RotorAverageName[] = ["center", "GaussianOverlap"];

export type PresetName = "Nygaard_2022" | "Niayifar_PorteAgel_2016" | "Bastankhah_PorteAgel_2014" | "Jensen_1983" | "IEA37CaseStudy1";
export const PRESET_NAMES: readonly PresetName[] = ["Nygaard_2022", "Niayifar_PorteAgel_2016", "Bastankhah_PorteAgel_2014", "Jensen_1983", "IEA37CaseStudy1"];

/** Deficit + superposition + optional turbulence + rotor average. NOJ always averages by area overlap. */
export interface WakeModel {
  readonly deficit: DeficitSpec;
  readonly superposition: "squared" | "linear";
  readonly turbulence?: TurbulenceModel;
  readonly rotorAverage: RotorAverageName;
  /** The preset it came from, if any. */
  readonly preset?: PresetName;
}

/** PyWake's defaults per deficit (`NOJDeficit()`, `BastankhahGaussianDeficit()`, …). */
export function defaultDeficit(name: DeficitSpecName): DeficitSpec {
  switch (name) {
    case "NOJ": return { kind: "NOJ", k: 0.1, ct2a: "madsen", useEffectiveWs: false };
    case "BastankhahGaussian": return { kind: "BastankhahGaussian", k: 0.0324555, ceps: 0.2, ctlim: 0.899, ct2a: "madsen", useEffectiveWs: false };
    case "IEA37SimpleBastankhahGaussian": return { kind: "IEA37SimpleBastankhahGaussian", k: 0.0324555, useEffectiveWs: false };
    case "NiayifarGaussian": return { kind: "NiayifarGaussian", a: [0.38, 0.004], ceps: 0.2, ctlim: 0.899, ct2a: "madsen", useEffectiveWs: false, useEffectiveTi: true };
    case "TurboGaussian": return turboGaussian();
  }
}

/** The literature presets, as PyWake 2.6.7's `py_wake.literature` builds them. */
export function presetWakeModel(name: PresetName, k?: number): WakeModel {
  switch (name) {
    case "Nygaard_2022":
      // TurboGaussianDeficit(ct2a=ct2a_mom1d, groundModel=Mirror(), rotorAvgModel=GaussianOverlapAvgModel()), WS_key
      // "WS_jlk" (the free stream at the destination: the source's free stream on a uniform site), SquaredSum.
      return { deficit: { ...(defaultDeficit("TurboGaussian") as TurboSpec), ct2a: "mom1d" }, superposition: "squared", rotorAverage: "GaussianOverlap", preset: name };
    case "Niayifar_PorteAgel_2016":
      return {
        deficit: { ...(defaultDeficit("NiayifarGaussian") as NiayifarSpec), a: [0.3837, 0.003678], ct2a: "mom1d", useEffectiveWs: true, useEffectiveTi: true },
        superposition: "linear", rotorAverage: "GaussianOverlap", preset: name,
        turbulence: crespoHernandez({ c: [0.73, 0.8325, 0.0325, -0.32], ct2a: "mom1d", sum: "sqrmax" }),
      };
    case "Bastankhah_PorteAgel_2014":
      if (k === undefined) throw new InputError("Bastankhah_PorteAgel_2014 needs the wake expansion k (e.g. 0.0324555)", { field: "model.k" });
      return {
        deficit: { ...(defaultDeficit("BastankhahGaussian") as BastankhahSpec), k, ct2a: "mom1d", useEffectiveWs: true },
        superposition: "linear", rotorAverage: "center", preset: name,
      };
    case "Jensen_1983":
      return { deficit: defaultDeficit("NOJ"), superposition: "squared", rotorAverage: "center", preset: name };
    case "IEA37CaseStudy1":
      return { deficit: defaultDeficit("IEA37SimpleBastankhahGaussian"), superposition: "squared", rotorAverage: "center", preset: name };
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parameters each deficit accepts (JSON names). */
const DEFICIT_PARAMS: Record<DeficitSpecName, readonly string[]> = {
  NOJ: ["k", "ct2a", "use_effective_ws"],
  BastankhahGaussian: ["k", "ceps", "ctlim", "ct2a", "use_effective_ws"],
  IEA37SimpleBastankhahGaussian: ["k", "use_effective_ws"],
  NiayifarGaussian: ["a", "ceps", "ctlim", "ct2a", "use_effective_ws", "use_effective_ti"],
  TurboGaussian: ["A", "cTI", "ceps", "ctlim", "ct2a", "use_effective_ws", "use_effective_ti", "ground"],
};
const TURBULENCE_PARAMS = ["turbulence_c", "turbulence_sum", "turbulence_ct2a"];
const PRESET_PARAMS: Record<PresetName, readonly string[]> = {
  Nygaard_2022: ["A", "cTI", "ceps", "ctlim"],
  Niayifar_PorteAgel_2016: ["a", "ceps", "use_effective_ws", "use_effective_ti"],
  Bastankhah_PorteAgel_2014: ["k", "ceps", "use_effective_ws"],
  Jensen_1983: ["k"],
  IEA37CaseStudy1: [],
};

function num(v: unknown, field: string, file: string | undefined, check: (x: number) => boolean, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || !check(v)) throw new InputError(`must be ${what}, got ${JSON.stringify(v)}`, { field, file });
  return v;
}
function pair(v: unknown, field: string, file?: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new InputError("must be an array of 2 numbers", { field, file });
  return [num(v[0], `${field}[0]`, file, () => true, "a number"), num(v[1], `${field}[1]`, file, () => true, "a number")];
}
function bool(v: unknown, field: string, file?: string): boolean {
  if (typeof v !== "boolean") throw new InputError(`must be true or false, got ${JSON.stringify(v)}`, { field, file });
  return v;
}
function oneOf<T extends string>(v: unknown, names: readonly T[], field: string, file?: string): T {
  if (typeof v !== "string" || !(names as readonly string[]).includes(v)) {
    const key = field.split(".").pop() ?? field;
    // Say what kind of name it is, as the rest of the CLI does ("unknown model …").
    const what = ({ deficit: "model", superposition: "superposition", turbulence: "turbulence model", preset: "preset", rotor_average: "rotor average" } as Record<string, string>)[key] ?? key;
    throw new InputError(`unknown ${what} ${JSON.stringify(v)} (known: ${names.join(", ")})`, { field, file });
  }
  return v as T;
}

/** Applies the JSON parameters `o` (already checked against the allowed list) to a deficit. */
function withParams(d: DeficitSpec, o: Obj, field: string, file?: string): DeficitSpec {
  const f = (k: string): string => `${field}.${k}`;
  const pos = (x: number): boolean => x > 0;
  const nonneg = (x: number): boolean => x >= 0;
  const m: Record<string, unknown> = { ...d };
  if (o.k !== undefined) m.k = num(o.k, f("k"), file, nonneg, "a number ≥ 0");
  if (o.ceps !== undefined) m.ceps = num(o.ceps, f("ceps"), file, pos, "a number > 0");
  if (o.ctlim !== undefined) m.ctlim = num(o.ctlim, f("ctlim"), file, (x) => x > 0 && x < 1, "a number in (0, 1)");
  if (o.ct2a !== undefined) m.ct2a = oneOf(o.ct2a, CT2A_NAMES, f("ct2a"), file);
  if (o.use_effective_ws !== undefined) m.useEffectiveWs = bool(o.use_effective_ws, f("use_effective_ws"), file);
  if (o.use_effective_ti !== undefined) m.useEffectiveTi = bool(o.use_effective_ti, f("use_effective_ti"), file);
  if (o.a !== undefined) m.a = pair(o.a, f("a"), file);
  if (o.A !== undefined) m.A = num(o.A, f("A"), file, pos, "a number > 0");
  if (o.cTI !== undefined) {
    const c = pair(o.cTI, f("cTI"), file);
    if (!(c[0] > 0 && c[1] > 0)) throw new InputError("must be two numbers > 0", { field: f("cTI"), file });
    m.cTI = c;
  }
  if (o.ground !== undefined) m.ground = oneOf(o.ground, ["Mirror", "none"] as const, f("ground"), file);
  return m as unknown as DeficitSpec;
}

function turbulenceWith(name: string, o: Obj, field: string, file?: string): TurbulenceModel {
  const f = (k: string): string => `${field}.${k}`;
  const sum = o.turbulence_sum === undefined ? undefined : oneOf<AddedTiSum>(o.turbulence_sum, ADDED_TI_SUMS, f("turbulence_sum"), file);
  const cArr = (len: number): number[] | undefined => {
    if (o.turbulence_c === undefined) return undefined;
    const v = o.turbulence_c;
    if (!Array.isArray(v) || v.length !== len) throw new InputError(`must be an array of ${len} numbers for ${name}`, { field: f("turbulence_c"), file });
    return v.map((x, i) => num(x, `${f("turbulence_c")}[${i}]`, file, () => true, "a number"));
  };
  if (o.turbulence_ct2a !== undefined && name !== "CrespoHernandez") {
    throw new InputError(`only CrespoHernandez takes an induction (turbulence is ${name})`, { field: f("turbulence_ct2a"), file });
  }
  switch (name) {
    case "STF2017": { const c = cArr(2); return stf2017({ ...(c ? { c: c as [number, number] } : {}), ...(sum ? { sum } : {}) }); }
    case "STF2005": { const c = cArr(3); return stf2005({ ...(c ? { c: c as [number, number, number] } : {}), ...(sum ? { sum } : {}) }); }
    case "CrespoHernandez": {
      const c = cArr(4);
      const ct2a = o.turbulence_ct2a === undefined ? undefined : oneOf(o.turbulence_ct2a, CT2A_NAMES, f("turbulence_ct2a"), file);
      return crespoHernandez({ ...(c ? { c: c as [number, number, number, number] } : {}), ...(sum ? { sum } : {}), ...(ct2a ? { ct2a } : {}) });
    }
    case "GCL":
      if (o.turbulence_c !== undefined) throw new InputError("GCL has no coefficients", { field: f("turbulence_c"), file });
      return gcl(sum ? { sum } : {});
    default:
      throw new InputError(`unknown turbulence model ${JSON.stringify(name)} (known: ${TURBULENCE_NAMES.join(", ")})`, { field: f("turbulence"), file });
  }
}

/**
 * Parses a `"model"` value. `field` is its name in the file (for messages); `file` the file.
 * Old cases name only `deficit` and `superposition` (defaults: squared, no turbulence, rotor centre).
 */
export function parseWakeModel(v: unknown, field = "model", file?: string): WakeModel {
  if (!isObj(v)) throw new InputError(`must be {"preset": …} or {"deficit": …, "superposition": …}`, { field, file });
  const f = (k: string): string => `${field}.${k}`;
  if (v.preset !== undefined) {
    const preset = oneOf(v.preset, PRESET_NAMES, f("preset"), file);
    const allowed = new Set(["preset", ...PRESET_PARAMS[preset]]);
    for (const key of Object.keys(v)) {
      if (!allowed.has(key)) {
        throw new InputError(`is not a parameter of ${preset} (its parameters: ${PRESET_PARAMS[preset].join(", ") || "none"})`, { field: f(key), file });
      }
    }
    const k = v.k === undefined ? undefined : num(v.k, f("k"), file, (x) => x >= 0, "a number ≥ 0");
    if (preset === "Bastankhah_PorteAgel_2014" && k === undefined) {
      throw new InputError("is required by Bastankhah_PorteAgel_2014 (the wake expansion, e.g. 0.0324555)", { field: f("k"), file });
    }
    const base = presetWakeModel(preset, k);
    return { ...base, deficit: withParams(base.deficit, v, field, file) };
  }
  if (v.deficit === undefined) throw new InputError(`is missing (or give "preset": one of ${PRESET_NAMES.join(", ")})`, { field: f("deficit"), file });
  const name = oneOf(v.deficit, DEFICIT_SPEC_NAMES, f("deficit"), file);
  const superposition = v.superposition === undefined ? "squared" : oneOf(v.superposition, ["squared", "linear"] as const, f("superposition"), file);
  const rotorAverage = v.rotor_average === undefined ? "center" : oneOf(v.rotor_average, ROTOR_AVERAGE_NAMES, f("rotor_average"), file);
  if (rotorAverage === "GaussianOverlap" && (name === "NOJ")) {
    throw new InputError("GaussianOverlap needs a Gaussian deficit (NOJ averages by area overlap)", { field: f("rotor_average"), file });
  }
  const turbName = v.turbulence === undefined ? undefined : oneOf(v.turbulence, TURBULENCE_NAMES, f("turbulence"), file);
  const allowed = new Set(["deficit", "superposition", "rotor_average", "turbulence", ...DEFICIT_PARAMS[name], ...(turbName ? TURBULENCE_PARAMS : [])]);
  for (const key of Object.keys(v)) {
    if (!allowed.has(key)) {
      const params = [...DEFICIT_PARAMS[name], ...(turbName ? TURBULENCE_PARAMS : [])];
      throw new InputError(`is not a parameter of ${name}${turbName ? ` + ${turbName}` : ""} (known: deficit, superposition, turbulence, rotor_average${params.length ? ", " + params.join(", ") : ""})`, { field: f(key), file });
    }
  }
  const deficit = withParams(defaultDeficit(name), v, field, file);
  const turbulence = turbName ? turbulenceWith(turbName, v, field, file) : undefined;
  return { deficit, superposition, rotorAverage, ...(turbulence ? { turbulence } : {}) };
}

/** Site + turbine + the parsed wake model: what the engine runs (`aepGWh`, `simulate`, …). */
export function windFarmModelOf(site: Site, turbine: Turbine, wake: WakeModel): WindFarmModel {
  return {
    site, turbine, deficit: wake.deficit, superposition: { kind: wake.superposition },
    ...(wake.turbulence ? { turbulence: wake.turbulence } : {}),
    ...(wake.rotorAverage !== "center" ? { rotorAverage: wake.rotorAverage } : {}),
  };
}

/**
 * A short name for the `"model"` value as written, e.g. `BastankhahGaussian+squared`,
 * `NiayifarGaussian+squared+STF2017`, `Nygaard_2022`, `Bastankhah_PorteAgel_2014(k=0.04)`:
 * the deficit and superposition names alone for the models wflo had before presets, so stored
 * names do not change.
 */
export function wakeModelLabel(v: Record<string, unknown>): string {
  const skip = new Set(["preset", "deficit", "superposition", "turbulence", "rotor_average"]);
  const params = Object.keys(v).filter((k) => !skip.has(k)).sort().map((k) => `${k}=${JSON.stringify(v[k])}`);
  const tail = params.length ? `(${params.join(",")})` : "";
  if (typeof v.preset === "string") return v.preset + tail;
  const parts = [String(v.deficit), String(v.superposition ?? "squared")];
  if (v.turbulence !== undefined) parts.push(String(v.turbulence));
  if (v.rotor_average !== undefined && v.rotor_average !== "center") parts.push(String(v.rotor_average));
  return parts.join("+") + tail;
}
