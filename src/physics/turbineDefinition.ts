/**
 * Turbines from data: a JSON definition (what case files and batch specs carry) and the
 * IEA 37 turbine YAML read as it is (PyWake's `read_iea37_windturbine`).
 *
 * JSON definition, one of:
 *   tabular: { "name"?, "diameter_m", "hub_height_m", "ws": [m/s], "power_W": [W], "ct": [-] }
 *   cubic:   { "name"?, "diameter_m", "hub_height_m", "cut_in_ws", "rated_ws", "cut_out_ws",
 *              "rated_power_W", "ct"? (default 8/9) }
 */
import { load } from "js-yaml";
import { InputError } from "../errors.js";
import { cubicTurbine, tabularTurbine, type Turbine } from "./turbine.js";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function numberField(o: Obj, key: string, field: string, file?: string): number {
  const v = o[key];
  if (v === undefined) throw new InputError("is missing", { field: `${field}.${key}`, file });
  if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`must be a number, got ${JSON.stringify(v)}`, { field: `${field}.${key}`, file });
  return v;
}

export function numberArrayField(o: Obj, key: string, field: string, file?: string): number[] {
  const v = o[key];
  if (v === undefined) throw new InputError("is missing", { field: `${field}.${key}`, file });
  if (!Array.isArray(v)) throw new InputError("must be an array of numbers", { field: `${field}.${key}`, file });
  v.forEach((e, i) => {
    if (typeof e !== "number" || !Number.isFinite(e)) throw new InputError(`[${i}] must be a number, got ${JSON.stringify(e)}`, { field: `${field}.${key}`, file });
  });
  return v as number[];
}

function withFile<T>(file: string | undefined, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError && file && !e.file) throw new InputError(e.field ? e.message.slice(e.field.length + 2) : e.message, { file, field: e.field });
    throw e;
  }
}

/** A turbine from its JSON definition (see the header); errors name `field` (and `file`). */
export function turbineFromDefinition(def: unknown, field = "turbine", file?: string): Turbine {
  if (!isObj(def)) throw new InputError("must be a built-in turbine name or an object", { field, file });
  const name = typeof def.name === "string" ? def.name : "custom";
  const diameterM = numberField(def, "diameter_m", field, file);
  const hubHeightM = numberField(def, "hub_height_m", field, file);
  return withFile(file, () => {
    if ("ws" in def || "power_W" in def) {
      return tabularTurbine({
        name, diameterM, hubHeightM,
        ws: numberArrayField(def, "ws", field, file),
        powerW: numberArrayField(def, "power_W", field, file),
        ct: numberArrayField(def, "ct", field, file),
      }, field);
    }
    if ("rated_power_W" in def || "cut_in_ws" in def) {
      return cubicTurbine({
        name, diameterM, hubHeightM,
        cutInWs: numberField(def, "cut_in_ws", field, file),
        ratedWs: numberField(def, "rated_ws", field, file),
        cutOutWs: numberField(def, "cut_out_ws", field, file),
        ratedPowerW: numberField(def, "rated_power_W", field, file),
        ct: def.ct === undefined ? undefined : numberField(def, "ct", field, file),
      }, field);
    }
    throw new InputError("needs either a table (ws, power_W, ct) or a cubic curve (cut_in_ws, rated_ws, cut_out_ws, rated_power_W)", { field });
  });
}

/**
 * The JSON definition of a turbine, the inverse of `turbineFromDefinition` (which reads it
 * back to an equal turbine): how a turbine read from a file is written into a batch spec.
 */
export function turbineToDefinition(t: Turbine): { [k: string]: string | number | number[] } {
  const rotor = { name: t.name, diameter_m: t.diameterM, hub_height_m: t.hubHeightM };
  if (t.kind === "tabular") return { ...rotor, ws: Array.from(t.wsTable), power_W: Array.from(t.powerTableW), ct: Array.from(t.ctTable) };
  return { ...rotor, cut_in_ws: t.cutInWs, rated_ws: t.ratedWs, cut_out_ws: t.cutOutWs, rated_power_W: t.ratedPowerW, ct: t.ct };
}

function path(root: unknown, keys: string[], file?: string): unknown {
  let v = root;
  for (const k of keys) {
    if (!isObj(v) || !(k in v)) throw new InputError("is missing", { field: keys.join("."), file });
    v = v[k];
  }
  return v;
}

function yamlNumber(root: unknown, keys: string[], file?: string): number {
  const v = path(root, keys, file);
  if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`must be a number, got ${JSON.stringify(v)}`, { field: keys.join("."), file });
  return v;
}

/**
 * The IEA 37 turbine YAML (e.g. iea37-335mw.yaml) read as PyWake reads it: hub height, rotor
 * radius, cut-in / rated / cut-out speeds from the `default`s, rated power from
 * `wind_turbine_lookup.power.maximum`; Ct 8/9 (the YAML has none; iea37-aepcalc.py hard-codes it).
 */
export function turbineFromIea37Yaml(text: string, file?: string): Turbine {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    throw new InputError(`is not valid YAML: ${(e as Error).message.split("\n")[0]}`, { file });
  }
  const defs = ["definitions"];
  const op = [...defs, "operating_mode", "properties"];
  const id = path(doc, [...defs, "wind_turbine", "id", "description"], file);
  return cubicTurbine({
    name: typeof id === "string" ? `IEA37_${id}` : "IEA37",
    hubHeightM: yamlNumber(doc, [...defs, "hub", "properties", "height", "default"], file),
    diameterM: 2 * yamlNumber(doc, [...defs, "rotor", "properties", "radius", "default"], file),
    cutInWs: yamlNumber(doc, [...op, "cut_in_wind_speed", "default"], file),
    cutOutWs: yamlNumber(doc, [...op, "cut_out_wind_speed", "default"], file),
    ratedWs: yamlNumber(doc, [...op, "rated_wind_speed", "default"], file),
    ratedPowerW: yamlNumber(doc, [...defs, "wind_turbine_lookup", "properties", "power", "maximum"], file),
    ct: 8 / 9,
  }, file ?? "turbine");
}
