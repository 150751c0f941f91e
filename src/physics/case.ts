/**
 * Case files: a JSON object naming or defining a site, a turbine, a layout and a wake model
 * (README "Case files" gives the schema). `parseCase` is pure — JSON value in, typed model
 * out; files a case refers to (a turbine YAML) are read through the caller's `readText`.
 * Every error is an InputError naming the field (and the file when given).
 */
import { InputError, namingFile } from "../errors.js";
import { DEFICIT_NAMES, deficitModel, type DeficitName } from "./deficit/index.js";
import type { WindFarmModel } from "./engine.js";
import { parseWakeModel, windFarmModelOf } from "./modelSpec.js";
import { BUILTIN_LAYOUT_NAMES, builtinLayout, type BuiltinLayoutName, type Layout } from "./layouts.js";
import { layoutFromCsv, layoutFromIea37Yaml } from "./layoutFile.js";
import { BUILTIN_SITE_NAMES, builtinSite, checkProbabilitySum, tableSite, uniformSite, weibullSite, type BuiltinSiteName, type Site } from "./site.js";
import { superpositionModel, type SuperpositionName } from "./superposition.js";
import { BUILTIN_TURBINE_NAMES, builtinTurbine, type BuiltinTurbineName, type Turbine } from "./turbine.js";
import { siteFromCsv, tableSiteFromIea37Yaml } from "./windRose.js";
import { turbineFromDefinition, turbineFromIea37Yaml } from "./turbineDefinition.js";
import { turbineCurveFromCsv } from "./turbineCurveFile.js";

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
/** Keys owned by the layout tools (boundary, turbine count, the optimizer's settings); tolerated. */
export const CASE_LAYOUT_KEYS = ["boundary", "n_turbines", "min_spacing_m", "optimizer"] as const;
const FREE_KEYS = ["name", "description", "comment"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A whole case: model, layout and flow cases. */
export function parseCase(value: unknown, opts: CaseOptions | string = {}): Case {
  const o = typeof opts === "string" ? { file: opts } : opts;
  const cm = parseCaseModel(value, o);
  const obj = value as Obj;
  if (obj.layout === undefined) throw new InputError("is missing", { field: "layout", file: o.file });
  const layout = parseLayout(obj.layout, "layout", o.file, o.readText);
  checkLayoutExtent(layout, cm.model.turbine.diameterM, o.file);
  return { ...cm, layout };
}

/**
 * Two or more turbines all within one rotor diameter are no farm: rotors that overlap. It is
 * what a layout in km or in degrees looks like in metres, and the AEP of it would be
 * printed as if it meant something.
 */
function checkLayoutExtent(layout: Layout, diameterM: number, file?: string): void {
  const n = layout.x.length;
  if (n < 2) return;
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    xmin = Math.min(xmin, layout.x[i]); xmax = Math.max(xmax, layout.x[i]);
    ymin = Math.min(ymin, layout.y[i]); ymax = Math.max(ymax, layout.y[i]);
  }
  const w = xmax - xmin, h = ymax - ymin;
  if (Math.hypot(w, h) >= diameterM) return;
  const fmt = (v: number) => +v.toPrecision(3);
  throw new InputError(
    `all ${n} turbines lie within ${fmt(w)} × ${fmt(h)} m, less than one rotor diameter (${diameterM} m): ` +
    "are x and y in km or in degrees? wflo works in metres (projected, e.g. UTM)",
    { field: "layout", file },
  );
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
  const site = parseSite(value.site, "site", file, o.readText);
  const turbine = parseTurbine(value.turbine, "turbine", o);
  const wake = parseWakeModel(value.model, "model", file);
  if (value.layout !== undefined) parseLayout(value.layout, "layout", file, o.readText);
  const model = windFarmModelOf(site, turbine, wake);
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

/** The text of a file a case refers to (site, turbine, layout, boundary), read through the caller's reader. */
export function readReferenced(path: string, field: string, file: string | undefined, readText?: (path: string) => string): string {
  if (!readText) throw new InputError(`refers to the file "${path}" but no file reader was given`, { field, file });
  try {
    return readText(path);
  } catch (e) {
    throw new InputError(`cannot read "${path}": ${(e as Error).message}`, { field, file });
  }
}

/**
 * A built-in site name (`iea37`, `hornsrev1`, `iea37-cs3`, `iea37-cs4`), a wind-rose file
 * (`.yaml`/`.yml`: the IEA 37 case-study 3/4 YAML; `.csv`: direction_deg, direction_frequency,
 * speed_mps, speed_probability_given_direction) read through `readText`, or a uniform / Weibull /
 * table site object.
 */
export function parseSite(v: unknown, field = "site", file?: string, readText?: (path: string) => string): Site {
  if (typeof v === "string") {
    if (/\.(ya?ml|csv)$/i.test(v)) {
      const text = readReferenced(v, field, file, readText);
      return /\.csv$/i.test(v) ? siteFromCsv(text, v) : tableSiteFromIea37Yaml(text, v);
    }
    if (!(BUILTIN_SITE_NAMES as readonly string[]).includes(v)) {
      throw new InputError(`unknown built-in site "${v}" (known: ${BUILTIN_SITE_NAMES.join(", ")}; or a .yaml/.csv wind rose, or an object)`, { field, file });
    }
    return builtinSite(v as BuiltinSiteName);
  }
  if (!isObj(v)) throw new InputError("must be a built-in site name, a wind-rose file or an object", { field, file });
  const type = v.type ?? ("weibull_A" in v ? "weibull" : "p_ws" in v ? "table" : "uniform");
  const ti = v.ti === undefined ? undefined : numbers(v.ti, `${field}.ti`, file)[0];
  if (ti !== undefined && !(ti >= 0)) throw new InputError("must be ≥ 0", { field: `${field}.ti`, file });
  const wdDeg = v.wd === undefined ? undefined : numbers(v.wd, `${field}.wd`, file);
  const ws = v.ws === undefined ? undefined : numbers(v.ws, `${field}.ws`, file);
  const freqKey = type === "weibull" ? "sector_freq" : "p_wd";
  if (v[freqKey] === undefined) throw new InputError("is missing", { field: `${field}.${freqKey}`, file });
  const freq = numbers(v[freqKey], `${field}.${freqKey}`, file);
  freq.forEach((f, i) => { if (f < 0) throw new InputError(`[${i}] must be ≥ 0`, { field: `${field}.${freqKey}`, file }); });
  if (type === "table") return parseTableSite(v, field, file, ti);
  if (type === "uniform") {
    if (ws === undefined) throw new InputError("is missing (a uniform site needs its wind speeds)", { field: `${field}.ws`, file });
    return namingFile(file, () => uniformSite({ sectorFreq: freq, ti, wdDeg, ws }));
  }
  if (type === "weibull") {
    const A = numbers(v.weibull_A, `${field}.weibull_A`, file);
    const k = numbers(v.weibull_k, `${field}.weibull_k`, file);
    A.forEach((a, i) => { if (!(a > 0)) throw new InputError(`[${i}] must be > 0`, { field: `${field}.weibull_A`, file }); });
    k.forEach((a, i) => { if (!(a > 0)) throw new InputError(`[${i}] must be > 0`, { field: `${field}.weibull_k`, file }); });
    return namingFile(file, () => weibullSite({ sectorFreq: freq, weibullA: A, weibullK: k, ti, wdDeg, ws }));
  }
  throw new InputError(`unknown site type ${JSON.stringify(type)} (known: uniform, weibull, table)`, { field: `${field}.type`, file });
}

/**
 * `{"type": "table", "wd": [...], "p_wd": [...], "ws": [...], "p_ws": [[...], ...]}`: directions,
 * their frequencies (as given), the speeds, and one row of P(ws | wd) per direction (0 where a
 * direction lacks a speed).
 */
function parseTableSite(v: Obj, field: string, file: string | undefined, ti: number | undefined): Site {
  for (const key of Object.keys(v)) {
    if (!["type", "wd", "p_wd", "ws", "p_ws", "ti"].includes(key)) {
      throw new InputError("unknown key (known for a table site: type, wd, p_wd, ws, p_ws, ti)", { field: `${field}.${key}`, file });
    }
  }
  for (const key of ["wd", "p_wd", "ws", "p_ws"]) {
    if (v[key] === undefined) throw new InputError("is missing", { field: `${field}.${key}`, file });
  }
  const wd = numbers(v.wd, `${field}.wd`, file);
  const freq = numbers(v.p_wd, `${field}.p_wd`, file);
  const ws = numbers(v.ws, `${field}.ws`, file);
  if (!Array.isArray(v.p_ws)) throw new InputError("must be a list of rows, one per direction", { field: `${field}.p_ws`, file });
  const rows = v.p_ws.map((r, d) => {
    const p = numbers(r, `${field}.p_ws[${d}]`, file);
    if (p.length !== ws.length) throw new InputError(`has ${p.length} values for ${ws.length} speeds`, { field: `${field}.p_ws[${d}]`, file });
    return { ws, p };
  });
  checkProbabilitySum(freq, `${field}.p_wd`, "the direction frequencies", file);
  rows.forEach((r, d) => checkProbabilitySum(r.p, `${field}.p_ws[${d}]`, `the speed probabilities of direction ${wd[d]}°`, file));
  return namingFile(file, () => tableSite({ wdDeg: wd, freq, rows, ti }, field));
}

/** A built-in turbine name, a JSON definition, or a path to an IEA 37 YAML / JSON definition. */
export function parseTurbine(v: unknown, field = "turbine", opts: CaseOptions = {}): Turbine {
  const file = opts.file;
  if (typeof v === "string") {
    if ((BUILTIN_TURBINE_NAMES as readonly string[]).includes(v)) return builtinTurbine(v as BuiltinTurbineName);
    if (/\.(ya?ml|json)$/i.test(v)) {
      const text = readReferenced(v, field, file, opts.readText);
      if (/\.json$/i.test(v)) {
        let def: unknown;
        try { def = JSON.parse(text); } catch (e) { throw new InputError(`is not JSON: ${(e as Error).message}`, { file: v }); }
        return turbineFromDefinition(def, "turbine", v);
      }
      return turbineFromIea37Yaml(text, v);
    }
    throw new InputError(`unknown built-in turbine "${v}" (known: ${BUILTIN_TURBINE_NAMES.join(", ")}; or an object, or a .yaml/.json file)`, { field, file });
  }
  if (isObj(v) && v.curve !== undefined) {
    // The rotor here, the power and thrust curve in a CSV beside the case.
    if (typeof v.curve !== "string") throw new InputError(`must be the path of a .csv curve (ws_m_s,power_W,ct), got ${JSON.stringify(v.curve)}`, { field: `${field}.curve`, file });
    const both = ["ws", "power_W", "ct"].filter((k) => k in v);
    if (both.length) throw new InputError(`gives both a curve file and ${both.join(", ")}: keep one`, { field, file });
    const curve = turbineCurveFromCsv(readReferenced(v.curve, `${field}.curve`, file, opts.readText), v.curve);
    const { curve: _path, ...rotor } = v;
    return turbineFromDefinition({ ...rotor, ...curve }, field, file);
  }
  return turbineFromDefinition(v, field, file);
}

/** The most turbines a case-file layout may have (pair lists grow as n²: 5,000 turbines ≈ 200 MB a direction). */
export const MAX_LAYOUT_TURBINES = 5_000;

/** A built-in layout name or `{ "x": [...], "y": [...] }` (m). */
export function parseLayout(v: unknown, field = "layout", file?: string, readText?: (path: string) => string): Layout {
  if (typeof v === "string") {
    if (/\.(ya?ml|csv)$/i.test(v)) {
      const text = readReferenced(v, field, file, readText);
      const layout = /\.csv$/i.test(v) ? layoutFromCsv(text, v) : layoutFromIea37Yaml(text, v);
      if (layout.x.length > MAX_LAYOUT_TURBINES) {
        throw new InputError(`has ${layout.x.length} turbines; the limit is ${MAX_LAYOUT_TURBINES} (the engine keeps every turbine pair per direction)`, { file: v });
      }
      return layout;
    }
    if (!(BUILTIN_LAYOUT_NAMES as readonly string[]).includes(v)) {
      throw new InputError(`unknown built-in layout "${v}" (known: ${BUILTIN_LAYOUT_NAMES.join(", ")}; or a .csv (x_m,y_m) or IEA 37 .yaml layout file)`, { field, file });
    }
    return builtinLayout(v as BuiltinLayoutName);
  }
  if (!isObj(v)) throw new InputError('must be a built-in layout name or {"x": [...], "y": [...]}', { field, file });
  if (v.x === undefined) throw new InputError("is missing", { field: `${field}.x`, file });
  if (v.y === undefined) throw new InputError("is missing", { field: `${field}.y`, file });
  for (const k of ["x", "y"] as const) {
    const a = v[k];
    if (Array.isArray(a) && a.length > MAX_LAYOUT_TURBINES) {
      throw new InputError(`has ${a.length} turbines; the limit is ${MAX_LAYOUT_TURBINES} (the engine keeps every turbine pair per direction)`, { field: `${field}.${k}`, file });
    }
  }
  const x = numbers(v.x, `${field}.x`, file);
  const y = numbers(v.y, `${field}.y`, file);
  if (x.length !== y.length) throw new InputError(`x has ${x.length} values but y has ${y.length}`, { field, file });
  return { x: Float64Array.from(x), y: Float64Array.from(y) };
}

/** `{ "deficit": name, "superposition"?: "squared" | "linear" }` (squared by default, as in PyWake). */
export function parseModelNames(v: unknown, field = "model", file?: string): { deficit: DeficitName; superposition: SuperpositionName } {
  // the full contract (presets, turbulence, parameters) is modelSpec.ts's; this keeps the names
  const w = parseWakeModel(v, field, file);
  return { deficit: w.deficit.kind, superposition: w.superposition };
}
