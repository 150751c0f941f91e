/**
 * Turbines from data: a JSON definition (what case files and batch specs carry) and the
 * IEA 37 turbine YAML read as it is (case study 1 as PyWake's `read_iea37_windturbine`, or
 * case studies 3/4).
 *
 * JSON definition, one of:
 *   tabular: { "name"?, "diameter_m", "hub_height_m", "ws": [m/s], "power_W": [W], "ct": [-] }
 *   cubic:   { "name"?, "diameter_m", "hub_height_m", "cut_in_ws", "rated_ws", "cut_out_ws",
 *              "rated_power_W", "ct"? (default 8/9) }
 */
import { loadYaml, lookupPath } from "./textFormats.js";
import { InputError, namingFile } from "../errors.js";
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

/** A turbine from its JSON definition (see the header); errors name `field` (and `file`). */
export function turbineFromDefinition(def: unknown, field = "turbine", file?: string): Turbine {
  if (!isObj(def)) throw new InputError("must be a built-in turbine name or an object", { field, file });
  const name = typeof def.name === "string" ? def.name : "custom";
  const diameterM = numberField(def, "diameter_m", field, file);
  const hubHeightM = numberField(def, "hub_height_m", field, file);
  return namingFile(file, () => {
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

/**
 * The two IEA 37 turbine YAML layouts. Neither file states a Ct or a power-curve form: both
 * case studies' `iea37-aepcalc.py` hard-code the cubic from cut-in to rated and Ct = 8/9
 * (CT = 4a(1 − a), a = 1/3), so both read into the same cubic turbine.
 *  - case study 1, `iea37-335mw.yaml`: ontology v0.1, values under `properties`, rated power
 *    as `wind_turbine_lookup.properties.power.maximum`, rotor radius only;
 *  - case studies 3/4, `iea37-10mw.yaml`: flat, rated power as `wind_turbine.rated_power.maximum`,
 *    rotor diameter (and radius).
 */
const IEA37_LAYOUTS = [
  {
    label: "IEA 37 case-study 1 layout (iea37-335mw.yaml)",
    fields: {
      id: ["definitions", "wind_turbine", "id", "description"],
      hubHeightM: ["definitions", "hub", "properties", "height", "default"],
      radiusM: ["definitions", "rotor", "properties", "radius", "default"],
      cutInWs: ["definitions", "operating_mode", "properties", "cut_in_wind_speed", "default"],
      cutOutWs: ["definitions", "operating_mode", "properties", "cut_out_wind_speed", "default"],
      ratedWs: ["definitions", "operating_mode", "properties", "rated_wind_speed", "default"],
      ratedPowerW: ["definitions", "wind_turbine_lookup", "properties", "power", "maximum"],
    },
  },
  {
    label: "IEA 37 case-study 3/4 layout (iea37-10mw.yaml)",
    fields: {
      id: ["definitions", "wind_turbine", "id"],
      hubHeightM: ["definitions", "hub", "height", "default"],
      diameterM: ["definitions", "rotor", "diameter", "default"],
      cutInWs: ["definitions", "operating_mode", "cut_in_wind_speed", "default"],
      cutOutWs: ["definitions", "operating_mode", "cut_out_wind_speed", "default"],
      ratedWs: ["definitions", "operating_mode", "rated_wind_speed", "default"],
      ratedPowerW: ["definitions", "wind_turbine", "rated_power", "maximum"],
    },
  },
] as const;

/**
 * An IEA 37 turbine YAML read as it is, in either layout above (e.g. iea37-335mw.yaml as
 * PyWake's `read_iea37_windturbine` reads it, or the case-study 3/4 iea37-10mw.yaml): hub
 * height, rotor size, cut-in / rated / cut-out speeds and rated power; the cubic curve and
 * Ct 8/9 that the case studies' scripts hard-code. A file that fits neither layout is refused
 * naming the first missing field of the layout it comes closest to (most fields present).
 */
export function turbineFromIea37Yaml(text: string, file?: string): Turbine {
  const doc = loadYaml(text, file);
  const reads = IEA37_LAYOUTS.map((layout) => {
    const values: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const [name, keys] of Object.entries(layout.fields)) {
      const r = lookupPath(doc, keys);
      if (r.found) values[name] = r.value; else missing.push(keys.join("."));
    }
    return { layout, values, missing };
  });
  // The layout with the fewest missing fields is the one the file was meant to follow; on a tie
  // (e.g. not a turbine file at all) case study 1's comes first, the other is named too.
  const best = reads.reduce((a, b) => (b.missing.length < a.missing.length ? b : a));
  if (best.missing.length > 0) {
    const other = reads.find((r) => r !== best)!;
    const why = other.missing.length === best.missing.length
      ? `the file fits neither IEA 37 turbine layout: as the ${best.layout.label} it lacks this; as the ${other.layout.label} it lacks ${other.missing[0]}`
      : `read as the ${best.layout.label}, the layout it comes closest to`;
    throw new InputError(`is missing (${why})`, { field: best.missing[0], file });
  }
  const fields = best.layout.fields as Record<string, readonly string[]>;
  const num = (name: string): number => {
    const v = best.values[name];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`must be a number, got ${JSON.stringify(v)}`, { field: fields[name].join("."), file });
    return v;
  };
  const id = best.values.id;
  let diameterM: number;
  if ("radiusM" in fields) {
    diameterM = 2 * num("radiusM");
  } else {
    diameterM = num("diameterM");
    // iea37-10mw.yaml states both; a file where they disagree is wrong somewhere.
    const r = lookupPath(doc, ["definitions", "rotor", "radius", "default"]);
    if (r.found && r.value !== diameterM / 2) {
      throw new InputError(`is ${JSON.stringify(r.value)} but definitions.rotor.diameter.default is ${diameterM}`, { field: "definitions.rotor.radius.default", file });
    }
  }
  // The power's `units` beside its `maximum` (both case-study files say W): kW and MW are read as such.
  const powerKey = fields.ratedPowerW;
  const unitsKey = [...powerKey.slice(0, -1), "units"];
  const units = lookupPath(doc, unitsKey);
  const scale = !units.found ? 1 : POWER_UNITS[String(units.value)];
  if (scale === undefined) {
    throw new InputError(`is ${JSON.stringify(units.value)}; known: ${Object.keys(POWER_UNITS).join(", ")}`, { field: unitsKey.join("."), file });
  }
  // cubicTurbine's errors name the JSON definition's field: name the file's own key instead
  const yamlKeys: Record<string, readonly string[] | undefined> = {
    "turbine.rated_power_W": powerKey, "turbine.diameter_m": fields.radiusM ?? fields.diameterM, "turbine.hub_height_m": fields.hubHeightM,
  };
  const hubHeightM = num("hubHeightM"), cutInWs = num("cutInWs"), cutOutWs = num("cutOutWs"), ratedWs = num("ratedWs");
  const ratedPowerW = num("ratedPowerW") * scale;
  return namingFile(file, () => cubicTurbine({
    name: typeof id === "string" || typeof id === "number" ? `IEA37_${id}` : "IEA37",
    hubHeightM, diameterM, cutInWs, cutOutWs, ratedWs, ratedPowerW, ct: 8 / 9,
  }, "turbine"), (field) => yamlKeys[field ?? ""]?.join(".") ?? field);
}

/** Units of an IEA 37 turbine file's power, in watts. */
const POWER_UNITS: Record<string, number> = { W: 1, kW: 1e3, MW: 1e6 };
