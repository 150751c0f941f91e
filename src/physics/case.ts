/**
 * Case files: a JSON object naming or defining a site, a turbine, a layout and a wake model
 * (README "Case files" gives the schema). `parseCase` is pure — JSON value in, typed model
 * out; files a case refers to (a turbine YAML) are read through the caller's `readText`.
 * Every error is an InputError naming the field (and the file when given).
 */
import { InputError } from "../errors.js";
import { DEFICIT_NAMES, deficitModel, type DeficitName } from "./deficit/index.js";
import { windFarmModel, type WindFarmModel } from "./engine.js";
import { BUILTIN_LAYOUT_NAMES, builtinLayout, type BuiltinLayoutName, type Layout } from "./layouts.js";
import { builtinSite, uniformSite, weibullSite, type Site } from "./site.js";
import { superpositionModel, type SuperpositionName } from "./superposition.js";
import { builtinTurbine, type Turbine } from "./turbine.js";
import { turbineFromDefinition, turbineFromIea37Yaml } from "./turbineDefinition.js";

export interface CaseOptions {
  /** The file the object came from, for error messages. */
  file?: string;
  /** Reads a file a case refers to (e.g. `"turbine": "iea37-335mw.yaml"`), path as written in the case. */
  readText?: (path: string) => string;
  /** Top-level keys other parts of wflo own; accepted and left alone. */
  extraKeys?: readonly string[];
}

/** A case without its layout (what the layout tools need). */
export interface CaseModel {
  readonly model: WindFarmModel;
  /** Flow cases: the case's `wd`/`ws` or else the site's defaults. */
  readonly wdDeg: Float64Array;
  readonly ws: Float64Array;
}

export interface Case extends CaseModel {
  readonly layout: Layout;
}

/** Keys parseCase reads. */
export const CASE_KEYS = ["site", "turbine", "layout", "model", "wd", "ws"] as const;
/** Keys owned by the layout tools (boundary and turbine count for smart start); tolerated. */
export const CASE_LAYOUT_KEYS = ["boundary", "n_turbines", "min_spacing_m"] as const;
const FREE_KEYS = ["name", "description", "comment"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A whole case: model, layout and flow cases. */
export function parseCase(value: unknown, opts: CaseOptions | string = {}): Case {
  const o = typeof opts === "string" ? { file: opts } : opts;
  const cm = parseCaseModel(value, o);
  const obj = value as Obj;
  if (obj.layout === undefined) throw new InputError("is missing", { field: "layout", file: o.file });
  return { ...cm, layout: parseLayout(obj.layout, "layout", o.file) };
}

/** The case's model and flow cases; `layout` is validated only if present. */
export function parseCaseModel(value: unknown, opts: CaseOptions | string = {}): CaseModel {
  const o = typeof opts === "string" ? { file: opts } : opts;
  const file = o.file;
  if (!isObj(value)) throw new InputError("a case must be a JSON object", { file });
  const allowed = new Set<string>([...CASE_KEYS, ...CASE_LAYOUT_KEYS, ...FREE_KEYS, ...(o.extraKeys ?? [])]);
  for (const key of Object.keys(value)) {
    if (!allowed.has(key) && !key.startsWith("_")) {
      throw new InputError(`unknown key (known: ${[...CASE_KEYS, ...CASE_LAYOUT_KEYS].join(", ")})`, { field: key, file });
    }
  }
  for (const key of ["site", "turbine", "model"] as const) {
    if (value[key] === undefined) throw new InputError("is missing", { field: key, file });
  }
  const site = parseSite(value.site, "site", file);
  const turbine = parseTurbine(value.turbine, "turbine", o);
  const { deficit, superposition } = parseModelNames(value.model, "model", file);
  if (value.layout !== undefined) parseLayout(value.layout, "layout", file);
  const model = windFarmModel({ site, turbine, deficit: deficitModel(deficit), superposition: superpositionModel(superposition) });
  const wdDeg = value.wd === undefined ? site.defaultWdDeg : Float64Array.from(numbers(value.wd, "wd", file));
  const ws = value.ws === undefined ? site.defaultWs : Float64Array.from(numbers(value.ws, "ws", file));
  for (let k = 0; k < ws.length; k++) {
    if (ws[k] < 0) throw new InputError(`[${k}] must be ≥ 0 m/s, got ${ws[k]}`, { field: "ws", file });
  }
  return { model, wdDeg, ws };
}

function numbers(v: unknown, field: string, file?: string, minLength = 1): number[] {
  if (typeof v === "number") v = [v];
  if (!Array.isArray(v)) throw new InputError("must be an array of numbers", { field, file });
  v.forEach((e, i) => {
    if (typeof e !== "number" || !Number.isFinite(e)) throw new InputError(`[${i}] must be a number, got ${JSON.stringify(e)}`, { field, file });
  });
  const arr = v as number[];
  if (arr.length < minLength) throw new InputError(`needs at least ${minLength} value${minLength > 1 ? "s" : ""}`, { field, file });
  return arr;
}

/** `"iea37" | "hornsrev1"` or a uniform / Weibull site object. */
export function parseSite(v: unknown, field = "site", file?: string): Site {
  if (typeof v === "string") {
    if (v !== "iea37" && v !== "hornsrev1") throw new InputError(`unknown built-in site "${v}" (known: iea37, hornsrev1)`, { field, file });
    return builtinSite(v);
  }
  if (!isObj(v)) throw new InputError("must be a built-in site name or an object", { field, file });
  const type = v.type ?? ("weibull_A" in v ? "weibull" : "uniform");
  const ti = v.ti === undefined ? undefined : numbers(v.ti, `${field}.ti`, file)[0];
  if (ti !== undefined && !(ti >= 0)) throw new InputError("must be ≥ 0", { field: `${field}.ti`, file });
  const wdDeg = v.wd === undefined ? undefined : numbers(v.wd, `${field}.wd`, file);
  const ws = v.ws === undefined ? undefined : numbers(v.ws, `${field}.ws`, file);
  const freqKey = type === "weibull" ? "sector_freq" : "p_wd";
  if (v[freqKey] === undefined) throw new InputError("is missing", { field: `${field}.${freqKey}`, file });
  const freq = numbers(v[freqKey], `${field}.${freqKey}`, file);
  freq.forEach((f, i) => { if (f < 0) throw new InputError(`[${i}] must be ≥ 0`, { field: `${field}.${freqKey}`, file }); });
  if (type === "uniform") {
    if (ws === undefined) throw new InputError("is missing (a uniform site needs its wind speeds)", { field: `${field}.ws`, file });
    return uniformSite({ sectorFreq: freq, ti, wdDeg, ws });
  }
  if (type === "weibull") {
    const A = numbers(v.weibull_A, `${field}.weibull_A`, file);
    const k = numbers(v.weibull_k, `${field}.weibull_k`, file);
    A.forEach((a, i) => { if (!(a > 0)) throw new InputError(`[${i}] must be > 0`, { field: `${field}.weibull_A`, file }); });
    k.forEach((a, i) => { if (!(a > 0)) throw new InputError(`[${i}] must be > 0`, { field: `${field}.weibull_k`, file }); });
    try {
      return weibullSite({ sectorFreq: freq, weibullA: A, weibullK: k, ti, wdDeg, ws });
    } catch (e) {
      if (e instanceof InputError && e.field) throw new InputError(e.message.slice(e.field.length + 2), { field: e.field, file });
      throw e;
    }
  }
  throw new InputError(`unknown site type ${JSON.stringify(type)} (known: uniform, weibull)`, { field: `${field}.type`, file });
}

/** `"V80" | "IEA37_3.35MW"`, a JSON definition, or a path to an IEA 37 YAML / JSON definition. */
export function parseTurbine(v: unknown, field = "turbine", opts: CaseOptions = {}): Turbine {
  const file = opts.file;
  if (typeof v === "string") {
    if (v === "V80" || v === "IEA37_3.35MW") return builtinTurbine(v);
    if (/\.(ya?ml|json)$/i.test(v)) {
      if (!opts.readText) throw new InputError(`refers to the file "${v}" but no file reader was given`, { field, file });
      let text: string;
      try {
        text = opts.readText(v);
      } catch (e) {
        throw new InputError(`cannot read "${v}": ${(e as Error).message}`, { field, file });
      }
      if (/\.json$/i.test(v)) {
        let def: unknown;
        try { def = JSON.parse(text); } catch (e) { throw new InputError(`is not JSON: ${(e as Error).message}`, { file: v }); }
        return turbineFromDefinition(def, "turbine", v);
      }
      return turbineFromIea37Yaml(text, v);
    }
    throw new InputError(`unknown built-in turbine "${v}" (known: V80, IEA37_3.35MW; or an object, or a .yaml/.json file)`, { field, file });
  }
  return turbineFromDefinition(v, field, file);
}

/** A built-in layout name or `{ "x": [...], "y": [...] }` (m). */
export function parseLayout(v: unknown, field = "layout", file?: string): Layout {
  if (typeof v === "string") {
    if (!(BUILTIN_LAYOUT_NAMES as readonly string[]).includes(v)) {
      throw new InputError(`unknown built-in layout "${v}" (known: ${BUILTIN_LAYOUT_NAMES.join(", ")})`, { field, file });
    }
    return builtinLayout(v as BuiltinLayoutName);
  }
  if (!isObj(v)) throw new InputError('must be a built-in layout name or {"x": [...], "y": [...]}', { field, file });
  if (v.x === undefined) throw new InputError("is missing", { field: `${field}.x`, file });
  if (v.y === undefined) throw new InputError("is missing", { field: `${field}.y`, file });
  const x = numbers(v.x, `${field}.x`, file);
  const y = numbers(v.y, `${field}.y`, file);
  if (x.length !== y.length) throw new InputError(`x has ${x.length} values but y has ${y.length}`, { field, file });
  return { x: Float64Array.from(x), y: Float64Array.from(y) };
}

/** `{ "deficit": name, "superposition"?: "squared" | "linear" }` (squared by default, as in PyWake). */
export function parseModelNames(v: unknown, field = "model", file?: string): { deficit: DeficitName; superposition: SuperpositionName } {
  if (!isObj(v)) throw new InputError('must be an object {"deficit": ..., "superposition": ...}', { field, file });
  for (const key of Object.keys(v)) {
    if (key !== "deficit" && key !== "superposition") throw new InputError("unknown key (known: deficit, superposition)", { field: `${field}.${key}`, file });
  }
  const d = v.deficit;
  if (d === undefined) throw new InputError("is missing", { field: `${field}.deficit`, file });
  if (typeof d !== "string" || !(DEFICIT_NAMES as readonly string[]).includes(d)) {
    throw new InputError(`unknown model ${JSON.stringify(d)} (known: ${DEFICIT_NAMES.join(", ")})`, { field: `${field}.deficit`, file });
  }
  const s = v.superposition ?? "squared";
  if (s !== "squared" && s !== "linear") {
    throw new InputError(`unknown superposition ${JSON.stringify(s)} (known: squared, linear)`, { field: `${field}.superposition`, file });
  }
  return { deficit: d as DeficitName, superposition: s };
}
