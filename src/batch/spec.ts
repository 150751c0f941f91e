/**
 * The batch spec: a JSON file naming farms × turbine types × seeds and the settings shared
 * by every config (site, wake model, smart-start grid, optimizer). README "## Batch"
 * documents it; `parseBatchSpec` validates all of it — including building each site,
 * turbine, wake model and boundary, and checking that each boundary can hold its turbines
 * at the spacing — so a bad spec fails before any work starts, naming the field.
 *
 * The validated spec stays plain JSON (seeds normalised to a list, turbine files read and
 * inlined as definitions): it is what the workers receive and what the output stores in
 * `spec_json`, self-contained — nothing reads the turbine files again, so editing one
 * cannot silently change a batch being resumed (the stored-spec check sees the change).
 */
import { readInputText } from "../util/files.js";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { writeFileAtomically, makeDirs } from "../util/fs.js";
import { parseSite, parseTurbine, parseWakeModel, siteFileToDefinition, turbineToDefinition } from "../physics/index.js";
import { parseFaults } from "./faults.js";
import type { BatchSpec, FarmSpec, Json } from "./specTypes.js";
import { checkFarm, checkModel, checkOptimizer, checkSite, checkTurbine } from "./build.js";
import { BOUNDARY_FILE, readBoundaryFile } from "../layout/case.js";

export type { BatchSpec, BatchSpecInput, FarmSpec, Json } from "./specTypes.js";

/**
 * Sizes a spec may ask for, checked before any work (an unbounded one would end in an
 * out-of-memory crash with no message): far above real sweeps, far below what breaks.
 */
export const SPEC_LIMITS = {
  /** Seeds per farm × turbine type (a count, or a list's length). */
  seeds: 100_000,
  /** farms × turbine types × seeds. */
  configs: 1_000_000,
  farms: 10_000,
  turbineTypes: 1_000,
  turbinesPerFarm: 10_000,
  /** name, description, farm names (characters). */
  textChars: 100_000,
} as const;

const TOP_FIELDS = new Set(["name", "description", "site", "model", "wd", "ws", "turbines", "farms", "seeds", "grid_size", "random_pct", "optimizer", "_fault"]);
const FARM_FIELDS = new Set(["name", "boundary", "n_turbines", "min_spacing_m", "min_spacing_D"]);

export interface BatchSpecOptions {
  /** The spec's file, for error messages. */
  file?: string;
  /** Reads a turbine file the spec names, path as written (readBatchSpec: relative to the spec's directory). */
  readText?: (path: string) => string;
}
type Where = BatchSpecOptions;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function need(cond: boolean, msg: string, field: string, w: Where): asserts cond {
  if (!cond) throw new InputError(msg, { file: w.file, field });
}

function numberList(v: unknown, field: string, w: Where, check: (x: number) => boolean, what: string): number[] {
  need(Array.isArray(v) && v.length > 0, `must be a non-empty list of numbers (${what})`, field, w);
  (v as unknown[]).forEach((x, i) => need(typeof x === "number" && Number.isFinite(x) && check(x), `must be ${what}, got ${JSON.stringify(x)}`, `${field}[${i}]`, w));
  return (v as number[]).slice();
}

/** Reads a file the spec names through `w.readText`; without one, says where files are read. */
function specFileReader(w: Where, what: string): (path: string) => string {
  return (p) => {
    if (!w.readText) throw new Error(`${what} files are read by readBatchSpec(path), or give parseBatchSpec a readText`);
    return w.readText(p);
  };
}

/**
 * A turbine type as the normalised spec keeps it: a built-in name or a definition as is, a
 * file (told apart exactly as case files do: physics' parseTurbine asks for its text), or a
 * definition's curve file, read and replaced by the whole definition. Errors in the file name the spec, `turbines[i]` and the file.
 */
function inlineTurbine(t: string | { [k: string]: Json }, i: number, w: Where): string | { [k: string]: Json } {
  // A definition is kept as is, unless it names a curve file ({"diameter_m", …, "curve": "v80.csv"}).
  if (typeof t !== "string" && t.curve === undefined) return t;
  const field = `turbines[${i}]`;
  let read = false;
  const readFile = specFileReader(w, "turbine");
  const readText = (p: string): string => {
    read = true;
    return readFile(p);
  };
  try {
    const turbine = parseTurbine(t, field, { file: w.file, readText });
    return read ? turbineToDefinition(turbine) : t;
  } catch (e) {
    // Errors inside the turbine file name only that file: say which spec entry refers to it.
    if (read && e instanceof InputError && e.file !== w.file) throw new InputError(`in the turbine file: ${e.message}`, { file: w.file, field });
    throw e;
  }
}

/** The site as the normalised spec keeps it: a wind-rose or Weibull file read and replaced by its object. */
function inlineSite(v: string | { [k: string]: Json }, w: Where): string | { [k: string]: Json } {
  if (typeof v !== "string" || !/\.(ya?ml|csv)$/i.test(v)) return v;
  try {
    const site = parseSite(v, "site", w.file, specFileReader(w, "wind-rose"));
    if (site.kind !== "table" && site.kind !== "weibull") throw new InputError("a site file must give a table or Weibull site", { file: w.file, field: "site" });
    return siteFileToDefinition(site);
  } catch (e) {
    if (e instanceof InputError && e.file !== w.file) throw new InputError(`in the wind-rose file: ${e.message}`, { file: w.file, field: "site" });
    throw e;
  }
}

/**
 * Validates a batch spec (the parsed JSON) and returns it normalised. Every problem is an
 * InputError naming the field (`farms[1].n_turbines`, `turbines[0].diameter`, …). Turbine
 * files are read through `w.readText` (readBatchSpec gives one) and inlined.
 */
export function parseBatchSpec(raw: unknown, w: Where = {}): BatchSpec {
  need(isObject(raw), "a batch spec must be a JSON object", "", w);
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    need(TOP_FIELDS.has(k), `unknown field; expected one of ${[...TOP_FIELDS].filter((f) => f !== "_fault").join(", ")}`, k, w);
  }
  for (const k of ["site", "model", "turbines", "farms", "seeds", "grid_size", "random_pct"]) {
    need(r[k] !== undefined, "is required (see README: Batch spec)", k, w);
  }
  if (r.name !== undefined) need(typeof r.name === "string" && r.name.length <= SPEC_LIMITS.textChars, `must be a string of at most ${SPEC_LIMITS.textChars} characters`, "name", w);
  if (r.description !== undefined) need(typeof r.description === "string" && r.description.length <= SPEC_LIMITS.textChars, `must be a string of at most ${SPEC_LIMITS.textChars} characters`, "description", w);

  // Seeds: a list of distinct non-negative integers, or a count n meaning 0..n-1.
  let seeds: number[];
  if (typeof r.seeds === "number") {
    need(Number.isInteger(r.seeds) && r.seeds >= 1 && r.seeds <= SPEC_LIMITS.seeds, `a seed count must be an integer in [1, ${SPEC_LIMITS.seeds}], got ${r.seeds}`, "seeds", w);
    seeds = Array.from({ length: r.seeds }, (_, i) => i);
  } else {
    need(!Array.isArray(r.seeds) || r.seeds.length <= SPEC_LIMITS.seeds, `lists ${Array.isArray(r.seeds) ? r.seeds.length : 0} seeds; the limit is ${SPEC_LIMITS.seeds}`, "seeds", w);
    seeds = numberList(r.seeds, "seeds", w, (x) => Number.isSafeInteger(x) && x >= 0 && x < 2 ** 32, "an integer seed in [0, 2^32)");
    const seen = new Set<number>();
    seeds.forEach((s, i) => { need(!seen.has(s), `seed ${s} is listed twice`, `seeds[${i}]`, w); seen.add(s); });
  }

  need(typeof r.grid_size === "number" && Number.isInteger(r.grid_size) && r.grid_size >= 2 && r.grid_size <= 2000,
    `must be an integer in [2, 2000], got ${JSON.stringify(r.grid_size)}`, "grid_size", w);
  need(typeof r.random_pct === "number" && r.random_pct >= 0 && r.random_pct <= 100,
    `must be a number in [0, 100] (percent), got ${JSON.stringify(r.random_pct)}`, "random_pct", w);

  const wd = r.wd === undefined ? undefined : numberList(r.wd, "wd", w, () => true, "a direction in degrees");
  const ws = r.ws === undefined ? undefined : numberList(r.ws, "ws", w, (x) => x >= 0, "a wind speed ≥ 0 (m/s)");

  need(isObject(r.model), `must be {"preset": …} or {"deficit": …, "superposition": …}`, "model", w);
  const m = r.model as Record<string, unknown>;
  parseWakeModel(m, "model", w.file); // names and parameters (README "Wake models"); throws naming the field

  need(typeof r.site === "string" || isObject(r.site), "must be a built-in site name or a site definition object", "site", w);
  need(Array.isArray(r.turbines) && r.turbines.length > 0, "must be a non-empty list of turbine types (built-in names, .yaml/.json files or definitions)", "turbines", w);
  (r.turbines as unknown[]).forEach((t, i) => need(typeof t === "string" || isObject(t), "must be a built-in turbine name, a turbine file or a definition object", `turbines[${i}]`, w));
  need(Array.isArray(r.farms) && r.farms.length > 0, "must be a non-empty list of farms", "farms", w);
  need((r.farms as unknown[]).length <= SPEC_LIMITS.farms, `lists ${(r.farms as unknown[]).length} farms; the limit is ${SPEC_LIMITS.farms}`, "farms", w);
  need((r.turbines as unknown[]).length <= SPEC_LIMITS.turbineTypes, `lists ${(r.turbines as unknown[]).length} turbine types; the limit is ${SPEC_LIMITS.turbineTypes}`, "turbines", w);

  const farms: FarmSpec[] = (r.farms as unknown[]).map((f, i) => {
    const at = `farms[${i}]`;
    need(isObject(f), "must be an object {boundary, n_turbines, min_spacing_m or min_spacing_D}", at, w);
    for (const k of Object.keys(f)) need(FARM_FIELDS.has(k), `unknown field; expected one of ${[...FARM_FIELDS].join(", ")}`, `${at}.${k}`, w);
    need(f.boundary !== undefined, "is required", `${at}.boundary`, w);
    // A boundary file is read here and carried inline, as turbine and wind-rose files are.
    const boundary = typeof f.boundary === "string" && BOUNDARY_FILE.test(f.boundary)
      ? readBoundaryFile(f.boundary, `${at}.boundary`, w.file, specFileReader(w, "boundary"))
      : f.boundary;
    need(isObject(boundary), `must be {"circle": …}, {"polygon": …}, {"polygons": …, "exclusions": …}, {"builtin": …} or a boundary file (.csv of x_m,y_m vertices, .geojson, an IEA 37 boundary .yaml)`, `${at}.boundary`, w);
    need(f.n_turbines !== undefined, "is required", `${at}.n_turbines`, w);
    need(typeof f.n_turbines === "number" && Number.isInteger(f.n_turbines) && f.n_turbines >= 1 && f.n_turbines <= SPEC_LIMITS.turbinesPerFarm,
      `must be an integer in [1, ${SPEC_LIMITS.turbinesPerFarm}], got ${JSON.stringify(f.n_turbines)}`, `${at}.n_turbines`, w);
    need(f.min_spacing_m === undefined || f.min_spacing_D === undefined,
      "give min_spacing_m (metres) or min_spacing_D (rotor diameters), not both", `${at}.min_spacing_D`, w);
    need(f.min_spacing_m !== undefined || f.min_spacing_D !== undefined, "is required (m), or min_spacing_D in rotor diameters", `${at}.min_spacing_m`, w);
    if (f.min_spacing_m !== undefined) {
      need(typeof f.min_spacing_m === "number" && Number.isFinite(f.min_spacing_m) && f.min_spacing_m >= 0,
        `must be a number ≥ 0 (m), got ${JSON.stringify(f.min_spacing_m)}`, `${at}.min_spacing_m`, w);
    } else {
      const d = f.min_spacing_D;
      const nTypes = (r.turbines as unknown[]).length;
      const okD = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 100;
      need(okD(d) || (Array.isArray(d) && d.length === nTypes && d.every(okD)),
        `must be a number of rotor diameters in [0, 100], or a list of ${nTypes} such numbers (one per turbine type), got ${JSON.stringify(d)}`, `${at}.min_spacing_D`, w);
    }
    if (f.name !== undefined) need(typeof f.name === "string" && f.name.length <= SPEC_LIMITS.textChars, `must be a string of at most ${SPEC_LIMITS.textChars} characters`, `${at}.name`, w);
    return {
      ...(f.name !== undefined ? { name: f.name as string } : {}), boundary: boundary as FarmSpec["boundary"], n_turbines: f.n_turbines as number,
      ...(f.min_spacing_m !== undefined ? { min_spacing_m: f.min_spacing_m as number } : { min_spacing_D: Array.isArray(f.min_spacing_D) ? [...f.min_spacing_D as number[]] : f.min_spacing_D as number }),
    };
  });

  // Two farms of one name would be told apart only by index in every table and figure.
  const farmNames = new Map<string, number>();
  farms.forEach((f, i) => {
    if (f.name === undefined) return;
    const first = farmNames.get(f.name);
    need(first === undefined, `"${f.name}" is also the name of farms[${first}]; farm names must differ`, `farms[${i}].name`, w);
    farmNames.set(f.name, i);
  });
  const configs = farms.length * (r.turbines as unknown[]).length * seeds.length;
  need(configs <= SPEC_LIMITS.configs, `${farms.length} farms × ${(r.turbines as unknown[]).length} turbine types × ${seeds.length} seeds = ${configs} configurations; the limit is ${SPEC_LIMITS.configs}`, "seeds", w);

  if (r.optimizer !== undefined) need(isObject(r.optimizer), "must be an object of optimizer settings", "optimizer", w);

  const spec: BatchSpec = {
    ...(r.name !== undefined ? { name: r.name as string } : {}),
    ...(r.description !== undefined ? { description: r.description as string } : {}),
    site: inlineSite(r.site as BatchSpec["site"], w),
    model: m as BatchSpec["model"],
    ...(wd ? { wd } : {}),
    ...(ws ? { ws } : {}),
    turbines: (r.turbines as BatchSpec["turbines"]).map((t, i) => inlineTurbine(t, i, w)),
    farms,
    seeds,
    grid_size: r.grid_size as number,
    random_pct: r.random_pct as number,
    ...(r.optimizer !== undefined ? { optimizer: r.optimizer as BatchSpec["optimizer"] } : {}),
  };
  const faults = parseFaults(r._fault, w.file);
  if (faults) spec._fault = faults;

  // Build every piece once now, so the workers cannot meet an input error later.
  checkSite(spec, w);
  checkModel(spec, w);
  spec.turbines.forEach((_, i) => checkTurbine(spec, i, w));
  spec.farms.forEach((_, i) => checkFarm(spec, i, w));
  if (spec.optimizer) checkOptimizer(spec, w);
  return spec;
}

/**
 * Reads and validates a spec file; a missing file or bad JSON is an InputError naming it.
 * Turbine files the spec names are read relative to the spec's directory and inlined.
 */
export function readBatchSpec(path: string): BatchSpec {
  const text = readInputText(path, "batch spec");
  const dir = dirname(resolve(path));
  return parseBatchSpecText(text, { file: path, readText: (p) => readInputText(resolve(dir, p), "file named by the spec") });
}

/** A spec from its JSON text (a spec file, or the copy kept in a parts directory). */
export function parseBatchSpecText(text: string, opts: BatchSpecOptions & { file: string }): BatchSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not valid JSON: ${(err as Error).message}`, { file: opts.file });
  }
  return parseBatchSpec(raw, opts);
}

// ---------------------------------------------------------------------------------------
// stored spec: canonical JSON, compatibility, seeds

/** JSON with object keys sorted at every level, so equal specs give equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isObject(v)) {
    return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** The `spec_json` stored in outputs: canonical, without the test-only `_fault`. */
export function specJson(spec: BatchSpec): string {
  const { _fault: _ignored, ...rest } = spec;
  return canonicalJson(rest);
}

/** The first path where a and b differ (`farms[0].n_turbines`), or undefined. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return canonicalJson(a) === canonicalJson(b) ? undefined : path || "(whole spec)";
}

function valueAt(v: unknown, path: string): unknown {
  for (const part of path.split(/\.|(?=\[)/)) {
    if (v === undefined || v === null) return undefined;
    const m = /^\[(\d+)\]$/.exec(part);
    v = m ? (v as unknown[])[Number(m[1])] : (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * Refuses to add results of a different batch to an output: the stored spec and this one
 * must agree in everything but the seed list (and the test-only `_fault`).
 * `stored` is the text of a stored spec_json; a text that is not a wflo spec is ignored.
 */
export function checkSpecCompatible(stored: string, spec: BatchSpec, ctx: { where: string; file?: string; out: string }): void {
  let old: unknown;
  try { old = JSON.parse(stored); } catch { return; }
  if (!isObject(old)) return;
  const strip = (s: Record<string, unknown>) => { const { seeds: _s, _fault: _f, ...rest } = s; return JSON.parse(canonicalJson(rest)) as unknown; };
  const d = firstDifference(strip(old), strip(JSON.parse(specJson(spec)) as Record<string, unknown>), "");
  if (d === undefined) return;
  const show = (v: unknown) => { const t = v === undefined ? "(absent)" : JSON.stringify(v); return t.length > 80 ? t.slice(0, 77) + "..." : t; };
  throw new InputError(
    `differs from the spec that ${ctx.out} was made with (${ctx.where}: ${show(valueAt(old, d))}, now ${show(valueAt(JSON.parse(specJson(spec)), d))}). ` +
    "Only the seeds may change between runs on one output; write this batch to a new output (--out other.h5).",
    { file: ctx.file, field: d },
  );
}

/** `spec` with its seeds extended by the stored spec's seeds (stored ones first), so the output describes all of its results. */
export function mergeSeeds(stored: string, spec: BatchSpec): BatchSpec {
  let old: unknown;
  try { old = JSON.parse(stored); } catch { return spec; }
  if (!isObject(old) || !Array.isArray(old.seeds)) return spec;
  const seeds = (old.seeds as unknown[]).filter((s): s is number => typeof s === "number");
  for (const s of spec.seeds) if (!seeds.includes(s)) seeds.push(s);
  return { ...spec, seeds };
}

/** Name of the spec file a batch keeps in its parts directory (shards have no output yet). */
export const PARTS_SPEC_FILE = "spec.json";

/** The spec_json kept in `<parts>/spec.json`, or undefined. */
export function readPartsSpec(partsDir: string): string | undefined {
  try {
    return readFileSync(join(partsDir, PARTS_SPEC_FILE), "utf8");
  } catch {
    return undefined;
  }
}

/** Writes `<parts>/spec.json` atomically (temp, fsync, rename, fsync dir) so a reader sees the old or the new one. */
export function writePartsSpec(partsDir: string, spec: BatchSpec): void {
  makeDirs(partsDir);
  writeFileAtomically(join(partsDir, PARTS_SPEC_FILE), specJson(spec) + "\n");
}
