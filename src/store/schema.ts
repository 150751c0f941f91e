/**
 * The output schema, one place for every dtype (DESIGN.md "Output schema"; compatible
 * with the Python tool's layouts.h5).
 *
 * root attrs   grid_size <q, random_pct <d, total_configs <q, successful_configs <q,
 *              failed_configs <q, wflo_version S, created_utc S, spec_json S
 * /farm{f}_t{t}_s{s}            one result
 *     layout           <d (2, n)   row 0 = x, row 1 = y, m
 *     aep              <d ()       GWh
 *     aep_per_turbine  <d (n,)     GWh
 *     layout_initial   <d (2, n)   optional: the smart start, rows as in layout, m
 *     aep_history      <d (m,)     optional: AEP of optimizer iterates, GWh (all of them in
 *                                  files before v0.2; since, a min-max decimation of them)
 *     aep_history_iter <d (m,)     optional: the iteration number (1-based) of each aep_history
 *                                  value; absent means 1..m (every iterate)
 *     attrs: farm_idx, type_idx, ss_seed, n_turbines, iterations <q; aep_initial,
 *            elapsed_s <d; wake_model, checksum S; any other config key typed by its JS
 *            value (bigint → <q, number → <d, string → S)
 * /_failed/farm{f}_t{t}_s{s}    one failure: attrs error S, attempts <q
 *
 * h5wasm stores "<f8" as float32 and an untyped integral number as int32, so nothing is
 * written without a dtype from the tables below.
 *
 * Reading never throws on a schema violation: every problem is returned naming its field.
 * A group without a checksum (a file written by the Python tool) is valid but flagged
 * "no-checksum"; such groups need only `layout` and `aep`. `layout_initial` and
 * `aep_history` are optional (files written before them, and the Python tool's, lack them).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { NdArray } from "ndarray";
import { InputError } from "../errors.js";
import { isResultKey, KEY_ATTRS, parseKey } from "./key.js";
import {
  H5T_CLASS, attributeNames, h5ErrorSummary, readScalarAttribute, sweepLeakedStreams,
  type H5Group, type H5Dataset, type H5Attribute,
} from "./h5.js";

/** HDF5 dtype codes as h5wasm understands them ("<f8" would silently become float32). */
export const DTYPE = { float64: "<d", int64: "<q", string: "S" } as const;
export type AttrKind = keyof typeof DTYPE;

/** Value of one attribute: bigint/int64, number/float64, string/vlen UTF-8. */
export type AttrValue = number | bigint | string;

/** Attributes of a result group whose dtype is fixed by the schema. */
export const RESULT_ATTRS: Readonly<Record<string, AttrKind>> = {
  farm_idx: "int64",
  type_idx: "int64",
  ss_seed: "int64",
  n_turbines: "int64",
  iterations: "int64",
  aep_initial: "float64",
  elapsed_s: "float64",
  wake_model: "string",
  checksum: "string",
  // The config's settings, written by every batch result (see batch/config.ts resultAttrs).
  grid_size: "int64",
  random_pct: "float64",
  min_spacing_m: "float64",
  farm: "string",
  turbine: "string",
};

/**
 * float64 attributes that other tools store as integers: the Python tool writes random_pct
 * as int64. Read as such they keep their integer dtype (and value), so a recovered or merged
 * group is written back byte for byte and its checksum still verifies.
 */
const INTEGER_TOLERATED: ReadonlySet<string> = new Set(["random_pct"]);

/**
 * Attributes a checksummed (wflo-written) group must carry. Python-tool groups (no
 * checksum) need none: their key names the config. `wake_model`, `aep_initial`,
 * `iterations`, `elapsed_s` and `aep_per_turbine` are written by every batch result but
 * may be missing from a result recovered from a Python worker file, so they are checked
 * for type when present and covered by the checksum (their absence included).
 */
export const REQUIRED_RESULT_ATTRS = ["farm_idx", "type_idx", "ss_seed", "n_turbines", "checksum"] as const;

/**
 * Attributes left out of the checksum: the checksum itself and run metadata that differ
 * between two runs of the same config. Everything else in a group is covered, so a
 * re-run that reproduces a result gives the same checksum (an idempotent commit).
 * `recovered_from` (provenance written by recover) is metadata too: the same result
 * recovered from different files keeps one checksum.
 */
export const CHECKSUM_EXCLUDED_ATTRS: ReadonlySet<string> = new Set(["checksum", "elapsed_s", "committed_utc", "host", "recovered_from"]);

/** Root attributes and their dtypes. */
export const ROOT_ATTRS = {
  grid_size: "int64",
  random_pct: "float64",
  total_configs: "int64",
  successful_configs: "int64",
  failed_configs: "int64",
  wflo_version: "string",
  created_utc: "string",
  spec_json: "string",
} as const satisfies Record<string, AttrKind>;

export interface RootAttrs {
  grid_size?: number;
  random_pct?: number;
  total_configs?: number;
  successful_configs?: number;
  failed_configs?: number;
  wflo_version?: string;
  created_utc?: string;
  spec_json?: string;
}

/** Group holding one subgroup per failed config. */
export const FAILED_GROUP = "_failed";

/**
 * One optimized layout with its AEP: what a batch worker produces and what a group holds.
 * `layout` is x row then y row (length 2n), or an ndarray of shape [2, n].
 */
export interface ResultRecord {
  /** `farm{f}_t{t}_s{s}` */
  key: string;
  layout: Float64Array | NdArray;
  aepGWh: number;
  aepPerTurbineGWh?: Float64Array;
  /** The smart start the optimizer began from: same convention as `layout` (x row then y row, or [2, n]). */
  layoutInitial?: Float64Array | NdArray;
  /** AEP (GWh) of optimizer iterates: all of optimizeLayout's `history`, or a decimation of it. */
  aepHistoryGWh?: Float64Array;
  /** Iteration number (1-based) of each `aepHistoryGWh` value; absent: 1, 2, …, m. */
  aepHistoryIter?: Float64Array;
  /** Config keys and run data. farm_idx/type_idx/ss_seed/n_turbines are filled from key/layout when absent. */
  attrs: Record<string, AttrValue>;
}

/** A record as read back from a file: layout is always the flat Float64Array [x..., y...]. */
export interface StoredResult extends ResultRecord {
  layout: Float64Array;
  layoutInitial?: Float64Array;
  /** The checksum stored in the file ("sha256:..."), or undefined for a Python-tool group. */
  checksum?: string;
}

export interface FailureRecord {
  key: string;
  error: string;
  attempts: number;
  attrs?: Record<string, AttrValue>;
}

/** One schema violation, naming the field (`layout`, `attrs.n_turbines`, ...). */
export interface Problem {
  field: string;
  message: string;
}

/**
 * "metadata": a group without a checksum (another tool's) whose `layout` and `aep` read intact
 * but whose attributes are off (disagreeing with the group name, missing, differently typed).
 * Its data is intact, so it counts as good; the attributes that clash with the schema are
 * handed out renamed `original_<name>` (ORIGINAL_ATTR_PREFIX) so nothing is lost.
 */
export type GroupStatus = "ok" | "no-checksum" | "metadata" | "checksum-mismatch" | "schema-error" | "unreadable";

/** Prefix under which a salvaged group keeps an attribute that clashes with the schema. */
export const ORIGINAL_ATTR_PREFIX = "original_";

export interface ReadResult {
  /** ok / no-checksum (valid, Python tool) / checksum-mismatch / schema-error / unreadable */
  status: GroupStatus;
  /** Present whenever layout and aep could be read, even if other fields are wrong. */
  record: StoredResult | null;
  problems: Problem[];
  /** Not damage: e.g. an attribute of a type the schema does not carry (a Python-tool array or bool), left out of the record. */
  notes: Problem[];
}

// ---------------------------------------------------------------------------------------
// keys: one codec for every area (./key.ts)

export { formatKey, isResultKey, parseKey, tryParseKey, type ConfigKey } from "./key.js";

// ---------------------------------------------------------------------------------------
// normalisation

/** The layout as a flat Float64Array [x0..xn-1, y0..yn-1] (copied from an ndarray). */
export function flatLayout(layout: Float64Array | NdArray, field = "layout"): Float64Array {
  if (layout instanceof Float64Array) {
    if (layout.length % 2 !== 0) throw new InputError(`${field} has odd length ${layout.length}; expected 2n values (x row then y row)`, { field });
    return layout;
  }
  const shape = layout?.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || shape[0] !== 2) throw new InputError(`${field} has shape [${shape?.join(", ")}]; expected [2, n]`, { field });
  const n = shape[1];
  const out = new Float64Array(2 * n);
  for (let r = 0; r < 2; r++) for (let j = 0; j < n; j++) out[r * n + j] = Number(layout.get(r, j));
  return out;
}

function kindOf(name: string, v: AttrValue): AttrKind {
  const fixed = RESULT_ATTRS[name];
  if (fixed === "float64" && typeof v === "bigint" && INTEGER_TOLERATED.has(name)) return "int64";
  if (fixed) return fixed;
  return typeof v === "bigint" ? "int64" : typeof v === "number" ? "float64" : "string";
}

/** Value normalised to its kind: int64 → number when safe (bigint otherwise), float64 → number. */
function normaliseAttr(name: string, v: AttrValue, kind: AttrKind): AttrValue {
  if (kind === "string") {
    if (typeof v !== "string") throw new InputError(`attribute ${name} must be a string, got ${typeof v}`, { field: `attrs.${name}` });
    return v;
  }
  if (kind === "float64") {
    if (typeof v === "string") throw new InputError(`attribute ${name} must be a number, got a string`, { field: `attrs.${name}` });
    return Number(v);
  }
  if (typeof v === "string") throw new InputError(`attribute ${name} must be an integer, got a string`, { field: `attrs.${name}` });
  if (typeof v === "number" && !Number.isSafeInteger(v)) throw new InputError(`attribute ${name} must be an integer, got ${v}`, { field: `attrs.${name}` });
  if (typeof v === "bigint") {
    if (RESULT_ATTRS[name] === "int64" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    return v;
  }
  return v;
}

/**
 * The record as it will be stored: config keys filled in from the key, n_turbines from
 * the layout, every attribute typed. Throws InputError naming the field on inconsistency.
 */
export function normaliseRecord(rec: ResultRecord): StoredResult & { kinds: Record<string, AttrKind> } {
  const cfg = parseKey(rec.key);
  const layout = flatLayout(rec.layout);
  const n = layout.length / 2;
  if (typeof rec.aepGWh !== "number") throw new InputError(`${rec.key}: aepGWh must be a number`, { field: "aepGWh" });
  // what the reader refuses as "not a result" is never written
  if (!Number.isFinite(rec.aepGWh)) throw new InputError(`${rec.key}: aepGWh is ${rec.aepGWh}: not a result`, { field: "aepGWh" });
  if (layout.some((v) => !Number.isFinite(v))) throw new InputError(`${rec.key}: layout holds a non-finite value: not a result`, { field: "layout" });
  if (rec.aepPerTurbineGWh !== undefined) {
    if (!(rec.aepPerTurbineGWh instanceof Float64Array)) throw new InputError(`${rec.key}: aepPerTurbineGWh must be a Float64Array`, { field: "aepPerTurbineGWh" });
    if (rec.aepPerTurbineGWh.length !== n) throw new InputError(`${rec.key}: aepPerTurbineGWh has ${rec.aepPerTurbineGWh.length} values for ${n} turbines`, { field: "aepPerTurbineGWh" });
  }
  let layoutInitial: Float64Array | undefined;
  if (rec.layoutInitial !== undefined) {
    layoutInitial = flatLayout(rec.layoutInitial, "layoutInitial");
    if (layoutInitial.length !== 2 * n) throw new InputError(`${rec.key}: layoutInitial has ${layoutInitial.length / 2} turbines, layout ${n}`, { field: "layoutInitial" });
  }
  if (rec.aepHistoryGWh !== undefined && !(rec.aepHistoryGWh instanceof Float64Array)) {
    throw new InputError(`${rec.key}: aepHistoryGWh must be a Float64Array`, { field: "aepHistoryGWh" });
  }
  if (rec.aepHistoryIter !== undefined) {
    const problem = historyIterProblem(rec.aepHistoryIter, rec.aepHistoryGWh);
    if (problem) throw new InputError(`${rec.key}: aepHistoryIter ${problem}`, { field: "aepHistoryIter" });
  }
  const attrs: Record<string, AttrValue> = {};
  const kinds: Record<string, AttrKind> = {};
  for (const [name, raw] of Object.entries(rec.attrs ?? {})) {
    if (raw === undefined) continue;
    if (name === "checksum") continue; // recomputed below; compared by the caller if it cares
    if (name.includes("/") || name === "") throw new InputError(`${rec.key}: attribute name "${name}" is not allowed`, { field: `attrs.${name}` });
    if (typeof raw !== "number" && typeof raw !== "bigint" && typeof raw !== "string") {
      throw new InputError(`${rec.key}: attribute ${name} has type ${typeof raw}; use a number, bigint or string (JSON-encode structures)`, { field: `attrs.${name}` });
    }
    const kind = kindOf(name, raw);
    attrs[name] = normaliseAttr(name, raw, kind);
    kinds[name] = kind;
  }
  for (const [k, field] of Object.entries(KEY_ATTRS)) {
    if (attrs[k] === undefined) { attrs[k] = cfg[field]; kinds[k] = "int64"; }
    else if (attrs[k] !== cfg[field]) throw new InputError(`${rec.key}: attribute ${k} = ${attrs[k]} disagrees with the key`, { field: `attrs.${k}` });
  }
  if (attrs.n_turbines === undefined) { attrs.n_turbines = n; kinds.n_turbines = "int64"; }
  else if (attrs.n_turbines !== n) throw new InputError(`${rec.key}: n_turbines = ${attrs.n_turbines} but the layout has ${n} turbines`, { field: "attrs.n_turbines" });
  const out: StoredResult & { kinds: Record<string, AttrKind> } = {
    key: rec.key, layout, aepGWh: rec.aepGWh, aepPerTurbineGWh: rec.aepPerTurbineGWh, attrs, kinds,
  };
  if (layoutInitial) out.layoutInitial = layoutInitial;
  if (rec.aepHistoryGWh) out.aepHistoryGWh = rec.aepHistoryGWh;
  if (rec.aepHistoryIter) out.aepHistoryIter = rec.aepHistoryIter;
  out.checksum = checksumOf(out.key, layout, rec.aepGWh, rec.aepPerTurbineGWh, attrs, kinds,
    { layoutInitial, aepHistoryGWh: rec.aepHistoryGWh, aepHistoryIter: rec.aepHistoryIter });
  return out;
}

/** A record as normaliseRecord returns it, with its checksum: what writeResultGroup writes. */
export type NormalisedRecord = StoredResult & { kinds: Record<string, AttrKind>; checksum: string };

/** Records checkedRecord produced: writing one again does not normalise it a second time. */
const checked = new WeakSet<object>();

/**
 * The record normalised (normaliseRecord) and, when it carries a checksum (`attrs.checksum`
 * or a read record's `checksum`), that checksum checked against its data, so corruption is
 * never re-blessed by a write. InputError naming the field otherwise. Done once per write:
 * commitResult checks before touching disk and hands the result to writeResultGroup.
 */
export function checkedRecord(rec: ResultRecord): NormalisedRecord {
  if (checked.has(rec)) return rec as NormalisedRecord;
  const norm = normaliseRecord(rec) as NormalisedRecord;
  const given = rec.attrs?.checksum ?? (rec as StoredResult).checksum;
  if (typeof given === "string" && given !== norm.checksum) {
    throw new InputError(`${rec.key}: the record's checksum ${given} does not match its data (${norm.checksum}); refusing to write corrupted data`, { field: "attrs.checksum" });
  }
  checked.add(norm);
  return norm;
}

/** Why iteration numbers do not fit their history (strictly increasing integers ≥ 1, one per value), or null. */
function historyIterProblem(iter: Float64Array | unknown, history: Float64Array | undefined): string | null {
  if (!(iter instanceof Float64Array)) return "must be a Float64Array";
  if (!history) return "is given without aepHistoryGWh";
  if (iter.length !== history.length) return `has ${iter.length} values for ${history.length} history values`;
  for (let i = 0; i < iter.length; i++) {
    if (!Number.isInteger(iter[i]) || iter[i] < 1 || (i > 0 && iter[i] <= iter[i - 1])) {
      return `[${i}] = ${iter[i]}: iteration numbers must be increasing integers ≥ 1`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// checksum

/**
 * Canonical bytes: "wflo-result-v1", key, n, layout (float64 LE, x row then y row), aep,
 * aep_per_turbine (flagged present/absent), then each covered attribute in sorted name
 * order as name, type tag (i int64, f float64, s string) and value. Independent of the
 * JS representation (bigint vs number) because the tag comes from the stored dtype.
 * Then, ONLY when present, the optional datasets: "\0layout_initial" and its 2n values,
 * "\0aep_history", its length and values, "\0aep_history_iter" and its values. Appending nothing when they are absent keeps
 * the bytes of every record written before they existed (and of the Python tool's
 * groups) unchanged, so their checksums still verify. (The checksum guards against
 * damage, not forgery: the section names only keep the two datasets apart.)
 */
function checksumOf(
  key: string, layout: Float64Array, aepGWh: number, perTurbine: Float64Array | undefined,
  attrs: Record<string, AttrValue>, kinds: Record<string, AttrKind>,
  optional: { layoutInitial?: Float64Array; aepHistoryGWh?: Float64Array; aepHistoryIter?: Float64Array } = {},
): string {
  const h = createHash("sha256");
  const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); h.update(b); };
  const f64 = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); h.update(b); };
  const str = (s: string) => { const b = Buffer.from(s, "utf8"); u32(b.length); h.update(b); };
  const f64arr = (a: Float64Array) => {
    // Float64Array is little-endian on every platform Node runs on (x86, ARM).
    h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  };
  str("wflo-result-v1");
  str(key);
  u32(layout.length / 2);
  f64arr(layout);
  f64(aepGWh);
  if (perTurbine) { h.update("P"); f64arr(perTurbine); } else h.update("-");
  const names = Object.keys(attrs).filter((n) => !CHECKSUM_EXCLUDED_ATTRS.has(n)).sort();
  for (const name of names) {
    str(name);
    const v = attrs[name];
    const kind = kinds[name];
    if (kind === "int64") { h.update("i"); const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); h.update(b); }
    else if (kind === "float64") { h.update("f"); f64(Number(v)); }
    else { h.update("s"); str(String(v)); }
  }
  if (optional.layoutInitial) { h.update("\0layout_initial"); f64arr(optional.layoutInitial); }
  if (optional.aepHistoryGWh) { h.update("\0aep_history"); u32(optional.aepHistoryGWh.length); f64arr(optional.aepHistoryGWh); }
  if (optional.aepHistoryIter) { h.update("\0aep_history_iter"); f64arr(optional.aepHistoryIter); }
  return "sha256:" + h.digest("hex");
}

/**
 * A hash of a record's data alone (key, layout, AEPs, optional datasets; no attributes):
 * recover tells "the same result with messier attributes" from "different data" by it.
 */
export function dataChecksum(rec: StoredResult): string {
  return checksumOf(rec.key, rec.layout, rec.aepGWh, rec.aepPerTurbineGWh, {}, {}, rec);
}

/** The checksum a record gets when written ("sha256:<64 hex>"). */
export function computeChecksum(rec: ResultRecord): string {
  return normaliseRecord(rec).checksum!;
}

/** True when the record's stored checksum matches its data. A record without one is not verified (false). */
export function verifyChecksum(rec: StoredResult): boolean {
  if (!rec.checksum) return false;
  try {
    return computeChecksum(rec) === rec.checksum;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// writing

let versionCache: string | undefined;
/** wflo's package version (src/store and dist/store are both two levels below package.json). */
export function wfloVersion(): string {
  if (versionCache) return versionCache;
  try {
    versionCache = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    versionCache = "unknown";
  }
  return versionCache;
}

/** `fresh`: the object was just created, so there is nothing to replace (listing attributes costs an HDF5 call each time). */
export function writeAttr(target: H5Group | H5Dataset, name: string, value: AttrValue, kind: AttrKind, fresh = false): void {
  if (!fresh && Object.prototype.hasOwnProperty.call(target.attrs, name)) target.delete_attribute(name);
  if (kind === "string") target.create_attribute(name, String(value), [], DTYPE.string);
  // h5wasm accepts a bigint for "<q" although its typings only list number.
  else if (kind === "int64") target.create_attribute(name, BigInt(value) as unknown as number, [], DTYPE.int64);
  else target.create_attribute(name, Number(value), [], DTYPE.float64);
}

/**
 * Writes `rec` as group `rec.key` under `parent` (a File or Group) and returns the
 * checksum written. Throws InputError when the record is inconsistent, or when it
 * carries a checksum that its data no longer match (so corruption is never re-blessed).
 */
export function writeResultGroup(parent: H5Group, rec: ResultRecord): string {
  const norm = checkedRecord(rec);
  if (parent.get(norm.key) !== null) throw new InputError(`${norm.key} already exists in ${parent.path}`, { field: norm.key });
  const n = norm.layout.length / 2;
  const g = parent.create_group(norm.key);
  g.create_dataset({ name: "layout", data: norm.layout, shape: [2, n], dtype: DTYPE.float64 });
  g.create_dataset({ name: "aep", data: new Float64Array([norm.aepGWh]), shape: [], dtype: DTYPE.float64 });
  if (norm.aepPerTurbineGWh) g.create_dataset({ name: "aep_per_turbine", data: norm.aepPerTurbineGWh, shape: [n], dtype: DTYPE.float64 });
  if (norm.layoutInitial) g.create_dataset({ name: "layout_initial", data: norm.layoutInitial, shape: [2, n], dtype: DTYPE.float64 });
  if (norm.aepHistoryGWh) g.create_dataset({ name: "aep_history", data: norm.aepHistoryGWh, shape: [norm.aepHistoryGWh.length], dtype: DTYPE.float64 });
  if (norm.aepHistoryIter) g.create_dataset({ name: "aep_history_iter", data: norm.aepHistoryIter, shape: [norm.aepHistoryIter.length], dtype: DTYPE.float64 });
  for (const name of Object.keys(norm.attrs).sort()) writeAttr(g, name, norm.attrs[name], norm.kinds[name], true);
  writeAttr(g, "checksum", norm.checksum!, "string", true);
  return norm.checksum!;
}

/**
 * Writes `_failed/<key>` (creating `_failed` if needed) with attrs error and attempts.
 * With `replace`, an existing failure group of that key gets the new attributes.
 */
export function writeFailureGroup(file: H5Group, rec: FailureRecord, opts: { replace?: boolean } = {}): void {
  parseKey(rec.key);
  if (!Number.isSafeInteger(rec.attempts) || rec.attempts < 0) throw new InputError(`${rec.key}: attempts must be a non-negative integer`, { field: "attempts" });
  const parent = (file.get(FAILED_GROUP) as H5Group | null) ?? file.create_group(FAILED_GROUP);
  let g = parent.get(rec.key) as H5Group | null;
  if (g !== null && !opts.replace) throw new InputError(`${FAILED_GROUP}/${rec.key} already exists`, { field: rec.key });
  if (g !== null) for (const name of Object.keys(g.attrs)) g.delete_attribute(name);
  else g = parent.create_group(rec.key);
  writeAttr(g, "error", String(rec.error), "string", true);
  writeAttr(g, "attempts", rec.attempts, "int64", true);
  for (const [name, v] of Object.entries(rec.attrs ?? {})) {
    if (name === "error" || name === "attempts" || v === undefined) continue;
    writeAttr(g, name, v, kindOf(name, v), true);
  }
}

/** Writes the root attributes given (others untouched), each with its schema dtype. */
export function writeRootAttrs(file: H5Group, attrs: RootAttrs): void {
  for (const [name, kind] of Object.entries(ROOT_ATTRS)) {
    const v = attrs[name as keyof RootAttrs];
    if (v === undefined) continue;
    writeAttr(file, name, normaliseAttrForRoot(name, v, kind), kind);
  }
  // The checksum covers every schema root attribute the file holds now (an appending merge
  // writes only some of them), so it is computed from what reads back.
  const now = readRootAttrs(file, { verify: false });
  writeAttr(file, ROOT_CHECKSUM_ATTR, rootChecksumOf(now.attrs), "string");
}

/** Root attribute holding the checksum of the other root attributes (files since v0.2). */
export const ROOT_CHECKSUM_ATTR = "root_checksum";

/**
 * Canonical bytes of the root attributes: "wflo-root-v1", then each schema root attribute
 * present, in name order, as name, type tag and value (as in a result's checksum). Guards
 * `spec_json` above all: a resume trusts it to say what the batch is.
 */
export function rootChecksumOf(attrs: RootAttrs): string {
  const h = createHash("sha256");
  const str = (s: string) => { const b = Buffer.from(s, "utf8"); const n = Buffer.alloc(4); n.writeUInt32LE(b.length); h.update(n); h.update(b); };
  str("wflo-root-v1");
  for (const name of Object.keys(ROOT_ATTRS).sort()) {
    const v = (attrs as Record<string, AttrValue | undefined>)[name];
    if (v === undefined) continue;
    str(name);
    const kind = (ROOT_ATTRS as Record<string, AttrKind>)[name];
    if (kind === "int64") { h.update("i"); const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); h.update(b); }
    else if (kind === "float64") { h.update("f"); const b = Buffer.alloc(8); b.writeDoubleLE(Number(v)); h.update(b); }
    else { h.update("s"); str(String(v)); }
  }
  return "sha256:" + h.digest("hex");
}

function normaliseAttrForRoot(name: string, v: AttrValue, kind: AttrKind): AttrValue {
  if (kind === "int64" && (typeof v !== "number" || !Number.isSafeInteger(v)) && typeof v !== "bigint") {
    throw new InputError(`root attribute ${name} must be an integer, got ${String(v)}`, { field: name });
  }
  if (kind === "float64" && typeof v !== "number") throw new InputError(`root attribute ${name} must be a number`, { field: name });
  if (kind === "string" && typeof v !== "string") throw new InputError(`root attribute ${name} must be a string`, { field: name });
  return v;
}

// ---------------------------------------------------------------------------------------
// reading

interface AttrRead { value: AttrValue | null; kind: AttrKind | "other"; problem?: string }

/** One attribute's value with the kind its HDF5 type really is. Never throws. */
function readAttr(a: H5Attribute): AttrRead {
  try {
    const md = a.metadata;
    if (md.shape && md.shape.length > 0 && !(md.shape.length === 1 && md.shape[0] === 1)) {
      return { value: null, kind: "other", problem: `is an array of shape [${md.shape.join(", ")}], expected a scalar` };
    }
    let v = a.value as unknown;
    if (Array.isArray(v) || ArrayBuffer.isView(v)) v = (v as ArrayLike<unknown>)[0];
    if (md.type === H5T_CLASS.INTEGER) {
      const big = typeof v === "bigint" ? v : BigInt(v as number);
      return { value: big, kind: "int64" };
    }
    if (md.type === H5T_CLASS.FLOAT) return { value: Number(v), kind: "float64" };
    if (md.type === H5T_CLASS.STRING) return { value: String(v), kind: "string" };
    return { value: null, kind: "other", problem: `has an unsupported HDF5 type (class ${md.type})` };
  } catch (err) {
    return { value: null, kind: "other", problem: `unreadable: ${h5ErrorSummary(err)}` };
  }
}

/**
 * Every attribute of `obj` with its value and true kind, by the fast scalar path where it
 * applies and h5wasm's Attribute otherwise. Never throws: failures become problems.
 */
function readAllAttrs(obj: H5Group, problems: Problem[], where: string): [string, AttrRead][] {
  let names: string[] | undefined;
  try {
    names = attributeNames(obj.file_id, obj.path);
    if (!names) return Object.entries(obj.attrs).map(([n, a]) => [n, readAttr(a)]);
  } catch (err) {
    sweepLeakedStreams();
    problems.push({ field: "attrs", message: `${where}: attributes unreadable: ${h5ErrorSummary(err)}` });
    return [];
  }
  const out: [string, AttrRead][] = [];
  for (const name of names) {
    try {
      const fast = readScalarAttribute(obj.file_id, obj.path, name);
      if (fast) { out.push([name, { value: fast.value, kind: fast.kind }]); continue; }
      const a = obj.attrs[name];
      out.push([name, a ? readAttr(a) : { value: null, kind: "other", problem: "is listed but cannot be opened" }]);
    } catch (err) {
      sweepLeakedStreams();
      out.push([name, { value: null, kind: "other", problem: `unreadable: ${h5ErrorSummary(err)}` }]);
    }
  }
  return out;
}

/** Registered HDF5 filter ids (The HDF Group's list) by name, for messages. */
const FILTER_NAMES: Record<number, string> = {
  1: "deflate/gzip", 2: "shuffle", 3: "fletcher32", 4: "szip", 5: "nbit", 6: "scaleoffset", 307: "bzip2", 32000: "lzf",
  32001: "blosc", 32004: "lz4", 32008: "bitshuffle", 32013: "zfp", 32015: "zstd", 32017: "sz", 32026: "blosc2",
};

/**
 * "stored with filter 32001 (blosc), which this reader does not have", when that is why a
 * read failed: HDF5 itself only says it cannot open its plugin directory.
 */
function missingFilterNote(d: H5Dataset): string | undefined {
  try {
    const filters = (d as unknown as { filters?: { id: number; name?: string }[] }).filters ?? [];
    const known = new Set([1, 2, 3, 5, 6, 32000]); // built into h5wasm's HDF5 (lzf measured readable)
    const missing = filters.filter((f) => !known.has(f.id));
    if (missing.length === 0) return undefined;
    return `stored with filter ${missing.map((f) => `${f.id} (${FILTER_NAMES[f.id] ?? (f.name || "unregistered")})`).join(", ")}, ` +
      `which this reader does not have; h5py with that filter's plugin can read it`;
  } catch {
    return undefined;
  }
}

/**
 * `foreign`: the group is another tool's (no checksum), so a narrower float or an integer type
 * (h5py's float32, rounded metres as int64) is read exactly as float64 and noted under
 * `data.<name>`, a metadata-class problem: the value is the tool's own, only its form differs.
 * A wflo group never has these forms, so there they are schema errors.
 */
function readFloatDataset(g: H5Group, name: string, problems: Problem[], where: string, foreign = false): { data: Float64Array; shape: number[] } | null {
  let ds: unknown;
  try {
    ds = g.get(name);
  } catch (err) {
    problems.push({ field: name, message: `${where}/${name}: unreadable: ${h5ErrorSummary(err)}` });
    return null;
  }
  if (ds === null || ds === undefined) return null;
  const d = ds as H5Dataset;
  if (typeof (d as { slice?: unknown }).slice !== "function" || !("shape" in d)) {
    problems.push({ field: name, message: `${where}/${name} is not a dataset` });
    return null;
  }
  try {
    const md = d.metadata;
    const integer = md.type === H5T_CLASS.INTEGER;
    if (md.type !== H5T_CLASS.FLOAT && !(foreign && integer)) {
      problems.push({ field: name, message: `${where}/${name} has HDF5 type class ${md.type}; expected float64` });
      return null;
    }
    const v = d.value;
    const shape = d.shape ?? [];
    const values = typeof v === "number" || typeof v === "bigint" ? [v] : (v as ArrayLike<number | bigint>);
    const data = values instanceof Float64Array ? values : Float64Array.from(Array.from(values, Number));
    const form = integer ? `int${md.size * 8}` : `float${md.size * 8}`;
    if (integer && data.some((x) => !(Math.abs(x) <= Number.MAX_SAFE_INTEGER))) {
      problems.push({ field: name, message: `${where}/${name} is ${form} with values beyond 2^53; expected float64` });
      return null;
    }
    if (integer || md.size !== 8) {
      problems.push(foreign
        ? { field: `data.${name}`, message: `${where}/${name} is ${form}: read exactly as float64` }
        : { field: name, message: `${where}/${name} is ${form}; expected float64` });
    }
    return { data, shape };
  } catch (err) {
    problems.push({ field: name, message: `${where}/${name}: unreadable: ${missingFilterNote(d) ?? h5ErrorSummary(err)}` });
    return null;
  }
}

/**
 * h5wasm lists attributes without reporting errors: when a group's dense attribute
 * storage (fractal heap, name index) is damaged, `attrs` is silently empty or short,
 * and a wflo group would pass for a checksum-less Python one. Looking up the schema's
 * attribute names that were NOT listed tells the cases apart: an absent name gives
 * "name not defined", a damaged storage gives an HDF5 error (measured on a truncated
 * v3 file: listing [] while farm_idx failed with "incorrect metadata checksum").
 * Returns the error, or undefined when nothing is hidden.
 */
function unlistedAttributeProblem(group: H5Group, listed: ReadonlySet<string>): string | undefined {
  // Probing every schema name would cost an HDF5 error (and a leaked temp-file descriptor,
  // swept below) per absent name in every Python-tool group; the name index is shared, so
  // the checksum (what tells a wflo group) and farm_idx (measured) are enough to see damage.
  for (const name of ["checksum", "farm_idx"]) {
    if (listed.has(name)) continue;
    try {
      group.get_attribute(name, false);
      return `attribute ${name} exists but is not listed`;
    } catch (err) {
      sweepLeakedStreams();
      const msg = h5ErrorSummary(err);
      if (!/name not defined|doesn't exist|does not exist|not found/i.test(msg)) return `attribute ${name}: ${msg}`;
    }
  }
  return undefined;
}

/**
 * Reads one result group. Never throws on schema or read errors: each problem names
 * its field. `status` is the group's verdict; `record` is returned whenever layout and
 * aep could be read (so recover can salvage what is there).
 */
export function readResultGroup(group: H5Group): ReadResult {
  const problems: Problem[] = [];
  const notes: Problem[] = [];
  let key = "";
  try {
    key = group.path.split("/").filter(Boolean).pop() ?? "";
  } catch { /* path is a plain property; nothing to catch in practice */ }
  const where = group.path;
  if (!isResultKey(key)) problems.push({ field: "key", message: `${where}: group name is not farm{f}_t{t}_s{s}` });

  // attributes
  const attrs: Record<string, AttrValue> = {};
  const kinds: Record<string, AttrKind> = {};
  const listed = readAllAttrs(group, problems, where);
  const hidden = unlistedAttributeProblem(group, new Set(listed.map(([n]) => n)));
  if (hidden) problems.push({ field: "attrs", message: `${where}: attributes unreadable: ${hidden}` });
  for (const [name, r] of listed) {
    const want = RESULT_ATTRS[name];
    if (r.kind === "other" || r.value === null) {
      const unreadable = !r.problem || r.problem.startsWith("unreadable");
      // An attribute outside the schema with a type it does not carry is not damage.
      (want || unreadable ? problems : notes).push({ field: `attrs.${name}`, message: `${where}: attribute ${name} ${r.problem ?? "is unreadable"}${want || unreadable ? "" : "; not carried over"}` });
      continue;
    }
    if (want && want !== r.kind && !(want === "float64" && r.kind === "int64" && INTEGER_TOLERATED.has(name))) {
      problems.push({ field: `attrs.${name}`, message: `${where}: attribute ${name} is ${r.kind}; expected ${want}` });
    }
    let v: AttrValue = r.value;
    // Known integer keys are small: hand them out as numbers, as the writer accepts them.
    if (r.kind === "int64" && want === "int64" && typeof v === "bigint" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) v = Number(v);
    attrs[name] = v;
    kinds[name] = r.kind;
  }
  const checksum = typeof attrs.checksum === "string" ? attrs.checksum : undefined;
  if (attrs.checksum !== undefined && checksum === undefined) problems.push({ field: "attrs.checksum", message: `${where}: checksum is not a string` });
  if (checksum !== undefined && !/^sha256:[0-9a-f]{64}$/.test(checksum)) problems.push({ field: "attrs.checksum", message: `${where}: checksum "${checksum}" is not sha256:<64 hex digits>` });
  const wflo = attrs.checksum !== undefined;

  if (wflo) {
    for (const req of REQUIRED_RESULT_ATTRS) {
      if (attrs[req] === undefined && !problems.some((p) => p.field === `attrs.${req}`)) {
        problems.push({ field: `attrs.${req}`, message: `${where}: attribute ${req} is missing` });
      }
    }
  }
  if (isResultKey(key)) {
    const cfg = parseKey(key);
    for (const [k, field] of Object.entries(KEY_ATTRS)) {
      if (attrs[k] !== undefined && kinds[k] === "int64" && Number(attrs[k]) !== cfg[field]) {
        problems.push({ field: `attrs.${k}`, message: `${where}: attribute ${k} = ${attrs[k]} disagrees with the group name` });
      }
    }
  }

  // datasets
  const foreign = !wflo && isResultKey(key);
  const layout = readFloatDataset(group, "layout", problems, where, foreign);
  const aep = readFloatDataset(group, "aep", problems, where, foreign);
  const per = readFloatDataset(group, "aep_per_turbine", problems, where, foreign);
  const initial = readFloatDataset(group, "layout_initial", problems, where, foreign);
  const history = readFloatDataset(group, "aep_history", problems, where);
  const historyIter = readFloatDataset(group, "aep_history_iter", problems, where);
  let n = -1;
  if (foreign) {
    // Another tool's (n, 2): one row per turbine (pandas, np.column_stack). Unambiguous unless
    // n = 2, and taken only where the group's own n_turbines (if any) agrees.
    for (const [name, ds] of [["layout", layout], ["layout_initial", initial]] as const) {
      if (!ds || ds.shape.length !== 2 || ds.shape[1] !== 2 || ds.shape[0] === 2) continue;
      const m = ds.shape[0];
      if (attrs.n_turbines !== undefined && Number(attrs.n_turbines) !== m) continue;
      const t = new Float64Array(2 * m);
      for (let i = 0; i < m; i++) { t[i] = ds.data[2 * i]; t[m + i] = ds.data[2 * i + 1]; }
      ds.data = t;
      ds.shape = [2, m];
      problems.push({ field: `data.${name}`, message: `${where}/${name} has shape (${m}, 2), one row per turbine: read as (2, ${m})` });
    }
  }
  if (!layout) {
    if (!problems.some((p) => p.field === "layout")) problems.push({ field: "layout", message: `${where}/layout is missing` });
  } else if (layout.shape.length !== 2 || layout.shape[0] !== 2) {
    problems.push({ field: "layout", message: `${where}/layout has shape (${layout.shape.join(", ")}); expected (2, n)` });
  } else {
    n = layout.shape[1];
  }
  if (!aep) {
    if (!problems.some((p) => p.field === "aep")) problems.push({ field: "aep", message: `${where}/aep is missing` });
  } else if (aep.data.length !== 1 || aep.shape.length > 1 || (aep.shape.length === 1 && aep.shape[0] !== 1)) {
    problems.push({ field: "aep", message: `${where}/aep has shape (${aep.shape.join(", ")}); expected a scalar` });
  } else if (!Number.isFinite(aep.data[0])) {
    // a NaN AEP (a crashed evaluation written anyway) is no result, and would poison every statistic
    problems.push({ field: "aep", message: `${where}/aep is ${aep.data[0]}: not a result` });
  }
  if (layout && layout.data.some((v) => !Number.isFinite(v))) {
    problems.push({ field: "layout", message: `${where}/layout holds a non-finite value: not a result` });
  }
  if (per && n >= 0 && (per.shape.length !== 1 || per.shape[0] !== n)) {
    problems.push({ field: "aep_per_turbine", message: `${where}/aep_per_turbine has shape (${per.shape.join(", ")}); expected (${n},)` });
  }
  if (initial && n >= 0 && (initial.shape.length !== 2 || initial.shape[0] !== 2 || initial.shape[1] !== n)) {
    problems.push({ field: "layout_initial", message: `${where}/layout_initial has shape (${initial.shape.join(", ")}); expected (2, ${n})` });
  }
  if (history && history.shape.length !== 1) {
    problems.push({ field: "aep_history", message: `${where}/aep_history has shape (${history.shape.join(", ")}); expected (m,)` });
  }
  if (historyIter) {
    const problem = historyIter.shape.length !== 1 ? `has shape (${historyIter.shape.join(", ")}); expected (m,)`
      : historyIterProblem(historyIter.data, history?.data);
    if (problem) problems.push({ field: "aep_history_iter", message: `${where}/aep_history_iter ${problem.replace("without aepHistoryGWh", "without aep_history")}` });
  }
  if (n >= 0 && attrs.n_turbines !== undefined && Number(attrs.n_turbines) !== n) {
    problems.push({ field: "attrs.n_turbines", message: `${where}: n_turbines = ${attrs.n_turbines} but layout has ${n} turbines` });
  }

  let record: StoredResult | null = null;
  if (layout && aep && n >= 0 && aep.data.length === 1) {
    const recAttrs = { ...attrs };
    delete recAttrs.checksum;
    record = {
      key, layout: layout.data, aepGWh: aep.data[0],
      aepPerTurbineGWh: per && per.data.length === n ? per.data : undefined,
      attrs: recAttrs, checksum,
    };
    if (initial && initial.shape.length === 2 && initial.shape[0] === 2 && initial.shape[1] === n) record.layoutInitial = initial.data;
    if (history && history.shape.length === 1) record.aepHistoryGWh = history.data;
    if (historyIter && record.aepHistoryGWh && !historyIterProblem(historyIter.data, record.aepHistoryGWh)) record.aepHistoryIter = historyIter.data;
  }

  let status: GroupStatus;
  if (!record) status = problems.some((p) => /unreadable/.test(p.message)) ? "unreadable" : "schema-error";
  else if (!wflo && isResultKey(key) && problems.length > 0 && problems.every(isMetadataProblem)) {
    // Data intact, attributes off or datasets in another form (read exactly): keep the data
    // under the group name, the clashing attributes under original_<name>; farm_idx/type_idx/
    // ss_seed/n_turbines then come from the group name and the layout when written back.
    status = "metadata";
    for (const p of problems) {
      const name = p.field.startsWith("attrs.") ? p.field.slice(6) : "";
      if (!name || !(name in record.attrs)) continue;
      const v = record.attrs[name];
      delete record.attrs[name];
      let renamed = ORIGINAL_ATTR_PREFIX + name;
      while (renamed in record.attrs) renamed = ORIGINAL_ATTR_PREFIX + renamed;
      record.attrs[renamed] = v;
    }
  }
  else if (problems.length > 0) status = "schema-error";
  else if (!wflo) status = "no-checksum";
  else {
    let actual: string | undefined;
    try {
      actual = checksumOf(key, record.layout, record.aepGWh, record.aepPerTurbineGWh, withoutChecksum(attrs), kinds, record);
    } catch (err) {
      problems.push({ field: "attrs", message: `${where}: cannot recompute checksum: ${(err as Error).message}` });
    }
    if (actual === undefined) status = "schema-error";
    else if (actual !== checksum) {
      status = "checksum-mismatch";
      problems.push({ field: "checksum", message: `${where}: stored ${checksum}, data hash to ${actual}` });
    } else status = "ok";
  }
  return { status, record, problems, notes };
}

/**
 * A problem with a readable attribute's value or type (disagreeing with the group name,
 * int for float, n_turbines off): metadata, not damage. Unreadable attributes and anything
 * about a checksum are not: they are what damage looks like, and a group that may have
 * carried a checksum cannot be judged intact without it.
 */
function isMetadataProblem(p: Problem): boolean {
  if (p.field.startsWith("data.")) return true; // a foreign group's dataset read exactly in wflo's form
  return p.field.startsWith("attrs.") && p.field !== "attrs.checksum" && !/unreadable/.test(p.message);
}

/**
 * The warning of a "metadata" group: what was off (attributes, kept as original_<name>; datasets
 * in another form, read exactly) and each problem, without the file and group prefixes.
 */
export function metadataWarning(problems: readonly Problem[], path: string, key: string): string {
  const kinds = [];
  if (problems.some((p) => p.field.startsWith("attrs."))) kinds.push(`attributes off (kept as ${ORIGINAL_ATTR_PREFIX}<name>)`);
  if (problems.some((p) => p.field.startsWith("data."))) kinds.push("datasets in another form (read exactly)");
  const what = problems.map((p) => p.message.replace(`${path}: `, "").replace(new RegExp(`^/${key}:?\\s*`), "")).join("; ");
  return `${kinds.join(", ")}: ${what}`;
}

function withoutChecksum(attrs: Record<string, AttrValue>): Record<string, AttrValue> {
  const out = { ...attrs };
  delete out.checksum;
  return out;
}

/** Reads `_failed/<key>`. Never throws; problems name the field. */
export function readFailureGroup(group: H5Group): { record: FailureRecord | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const key = group.path.split("/").filter(Boolean).pop() ?? "";
  const where = group.path;
  if (!isResultKey(key)) problems.push({ field: "key", message: `${where}: group name is not farm{f}_t{t}_s{s}` });
  let attrObjs: Record<string, H5Attribute> = {};
  try { attrObjs = group.attrs; } catch (err) {
    problems.push({ field: "attrs", message: `${where}: attributes unreadable: ${h5ErrorSummary(err)}` });
    return { record: null, problems };
  }
  const attrs: Record<string, AttrValue> = {};
  for (const [name, a] of Object.entries(attrObjs)) {
    const r = readAttr(a);
    if (r.value === null) { problems.push({ field: `attrs.${name}`, message: `${where}: attribute ${name} ${r.problem}` }); continue; }
    attrs[name] = r.value;
  }
  const error = attrs.error;
  const attempts = attrs.attempts;
  if (typeof error !== "string") problems.push({ field: "attrs.error", message: `${where}: attribute error ${error === undefined ? "is missing" : "is not a string"}` });
  if (typeof attempts !== "bigint") problems.push({ field: "attrs.attempts", message: `${where}: attribute attempts ${attempts === undefined ? "is missing" : "is not an integer"}` });
  delete attrs.error; delete attrs.attempts;
  const record = typeof error === "string" ? { key, error, attempts: typeof attempts === "bigint" ? Number(attempts) : 0, attrs } : null;
  return { record, problems };
}

/** Root attributes with their problems (wrong dtype names the attribute). */
export function readRootAttrs(file: H5Group, opts: { verify?: boolean } = {}): { attrs: RootAttrs; extra: Record<string, AttrValue>; problems: Problem[] } {
  const problems: Problem[] = [];
  const attrs: Record<string, AttrValue> = {};
  const extra: Record<string, AttrValue> = {};
  let attrObjs: Record<string, H5Attribute> = {};
  try { attrObjs = file.attrs; } catch (err) {
    problems.push({ field: "attrs", message: `root attributes unreadable: ${h5ErrorSummary(err)}` });
  }
  for (const [name, a] of Object.entries(attrObjs)) {
    const r = readAttr(a);
    if (r.value === null) { problems.push({ field: name, message: `root attribute ${name} ${r.problem}` }); continue; }
    const want = (ROOT_ATTRS as Record<string, AttrKind>)[name];
    if (!want) { extra[name] = r.value; continue; }
    // The Python tool may have stored random_pct as an integer: accept any number for float64.
    const okKind = want === r.kind || (want === "float64" && r.kind === "int64");
    if (!okKind) { problems.push({ field: name, message: `root attribute ${name} is ${r.kind}; expected ${want}` }); continue; }
    attrs[name] = want === "string" ? r.value : Number(r.value);
  }
  const stored = extra[ROOT_CHECKSUM_ATTR];
  if (stored !== undefined) {
    delete extra[ROOT_CHECKSUM_ATTR];
    if (opts.verify !== false && problems.length === 0 && stored !== rootChecksumOf(attrs as RootAttrs)) {
      problems.push({
        field: ROOT_CHECKSUM_ATTR,
        message: `root attributes do not match their checksum (${Object.keys(attrs).sort().join(", ")}): edited or damaged since written; ` +
          `a resume cannot trust the stored spec_json`,
      });
    }
  }
  return { attrs: attrs as RootAttrs, extra, problems };
}
