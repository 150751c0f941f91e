/**
 * Wind-rose tables read as they are written: the IEA 37 case-study 3/4 YAML
 * (iea37-windrose-cs3.yaml, iea37-windrose-cs4.yaml) and a CSV with one row per
 * (direction, speed): `direction_deg,direction_frequency,speed_mps,speed_probability_given_direction`.
 * Both become a `table` site (site.ts); nothing is renormalised. `tableSiteToDefinition` gives
 * the case-file object form back, so a batch spec can carry a rose read from a file inline.
 */
import { InputError } from "../errors.js";
import { checkProbabilitySum, tableSite, weibullSite, type TableSite, type WeibullSite } from "./site.js";
import { cellNumber, csvSeparatorHint, findColumn, loadYaml, lookupPath, readCsvTable, type CsvTable } from "./textFormats.js";

const CSV_COLUMNS = ["direction_deg", "direction_frequency", "speed_mps", "speed_probability_given_direction"] as const;

/** Re-raises a table error as one about the file (the field names the file's own key or line). */
function inFile<T>(file: string | undefined, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError && file !== undefined && e.file === undefined) {
      throw new InputError(`${what}: ${e.message}`, { file });
    }
    throw e;
  }
}

const isRose = (keys: readonly string[]) => CSV_COLUMNS.every((c) => keys.includes(c));

/** Weibull sector tables (WAsP-style exports, `../shared/reference/data/hornsrev1_site_weibull.csv`): column keys per quantity. */
const WEIBULL_COLUMNS = {
  freq: ["sector_frequency", "sector_freq", "frequency", "freq"],
  A: ["weibull_a", "a"],
  k: ["weibull_k", "k"],
  center: ["sector_center_deg", "sector_deg", "direction_deg", "wd"],
} as const;
const isWeibull = (keys: readonly string[]) => findColumn(keys, WEIBULL_COLUMNS.A) >= 0 && findColumn(keys, WEIBULL_COLUMNS.k) >= 0;

/**
 * A site CSV, told apart by its columns: a wind-rose table (`tableSiteFromCsv`) or Weibull
 * sectors — `sector_frequency` (as given, not renormalised), `weibull_A` (m/s), `weibull_k`,
 * and optionally `sector_center_deg`, which must be the even spacing from 0° that sectors have
 * in wflo and PyWake (i·360/n). Other columns are ignored (the shared Horns Rev 1 file's
 * `freq_raw_pct`).
 */
export function siteFromCsv(text: string, file?: string): TableSite | WeibullSite {
  const t = readCsvTable(text, file, `${CSV_COLUMNS.join(",")} (or sector_frequency,weibull_A,weibull_k)`, (keys) => isRose(keys) || isWeibull(keys));
  return isWeibull(t.keys) && !isRose(t.keys) ? weibullFromTable(t, file) : roseFromTable(t, file);
}

function weibullFromTable(t: CsvTable, file: string | undefined): WeibullSite {
  const fi = findColumn(t.keys, WEIBULL_COLUMNS.freq);
  if (fi < 0) throw new InputError(`the header ${JSON.stringify(t.headerText)} has Weibull A and k but no sector_frequency column`, { file, field: `line ${t.headerLine}` });
  const ai = findColumn(t.keys, WEIBULL_COLUMNS.A), ki = findColumn(t.keys, WEIBULL_COLUMNS.k), ci = findColumn(t.keys, WEIBULL_COLUMNS.center);
  if (t.rows.length === 0) throw new InputError("has a header but no sectors", { file });
  const n = t.rows.length;
  const freq: number[] = [], A: number[] = [], k: number[] = [];
  t.rows.forEach((r, i) => {
    if (ci >= 0) {
      const c = cellNumber(t, r, ci, file);
      if (Math.abs(c - (i * 360) / n) > 1e-6) {
        throw new InputError(`${t.header[ci]} is ${c}, but sector ${i} of ${n} is centred at ${(i * 360) / n}°: sectors are evenly spaced from 0° in order`, { file, field: `line ${r.line}` });
      }
    }
    const a = cellNumber(t, r, ai, file), kk = cellNumber(t, r, ki, file), f = cellNumber(t, r, fi, file);
    if (!(a > 0) || !(kk > 0) || f < 0) throw new InputError(`needs A > 0, k > 0 and a frequency ≥ 0, got A ${a}, k ${kk}, frequency ${f}`, { file, field: `line ${r.line}` });
    freq.push(f); A.push(a); k.push(kk);
  });
  checkProbabilitySum(freq, t.header[fi], `the ${t.header[fi]} of its ${n} sectors`, file);
  return inFile(file, "Weibull site", () => weibullSite({ sectorFreq: freq, weibullA: A, weibullK: k }));
}

/**
 * The CSV form. Rows of one direction may come in any order and need not list the same
 * speeds; every row of a direction must repeat its frequency. A header line naming the four
 * columns (in any order) is required; blank lines and lines starting with `#` are skipped.
 */
export function tableSiteFromCsv(text: string, file?: string, ti?: number): TableSite {
  return roseFromTable(readCsvTable(text, file, CSV_COLUMNS.join(","), isRose), file, ti);
}

function roseFromTable(t: CsvTable, file: string | undefined, ti?: number): TableSite {
  const cols: Record<string, number> = {};
  for (const c of CSV_COLUMNS) {
    cols[c] = t.keys.indexOf(c);
    if (cols[c] < 0) {
      throw new InputError(`the header lacks the column "${c}" (needs ${CSV_COLUMNS.join(",")})${csvSeparatorHint(t.headerText)}`, { file, field: `line ${t.headerLine}` });
    }
  }
  const dirs = new Map<number, { freq: number; line: number; ws: number[]; p: number[] }>();
  for (const r of t.rows) {
    const num = (c: (typeof CSV_COLUMNS)[number]): number => cellNumber(t, r, cols[c], file);
    const wd = num("direction_deg"), f = num("direction_frequency"), u = num("speed_mps"), p = num("speed_probability_given_direction");
    let d = dirs.get(wd);
    if (!d) { d = { freq: f, line: r.line, ws: [], p: [] }; dirs.set(wd, d); }
    else if (d.freq !== f) {
      throw new InputError(`direction ${wd}° has frequency ${f} here but ${d.freq} on line ${d.line}`, { file, field: `line ${r.line}` });
    }
    if (d.ws.includes(u)) throw new InputError(`direction ${wd}° lists ${u} m/s twice`, { file, field: `line ${r.line}` });
    d.ws.push(u); d.p.push(p);
  }
  if (dirs.size === 0) throw new InputError("has a header but no rows", { file });
  const wdDeg = [...dirs.keys()];
  const rows = [...dirs.values()];
  // named by the file's own columns and lines (tableSite would name its p_wd, p_ws)
  checkProbabilitySum(rows.map((r) => r.freq), "direction_frequency", `the direction_frequency of its ${rows.length} directions`, file);
  for (const [wd, r] of dirs) checkProbabilitySum(r.p, `line ${r.line}`, `the speed_probability_given_direction of direction ${wd}°`, file);
  return inFile(file, "wind rose", () => tableSite({ wdDeg, freq: rows.map((r) => r.freq), rows, ti }));
}

const YAML_BASE = ["definitions", "wind_inflow", "properties"] as const;

/**
 * The IEA 37 case-study 3/4 wind-rose YAML: `definitions.wind_inflow.properties.direction`
 * `{bins, frequency}` and `…speed` `{bins, frequency}`, the speed frequency one row per
 * direction (a single row is shared by every direction); `turbulence_intensity.default` when
 * present.
 */
export function tableSiteFromIea37Yaml(text: string, file?: string, ti?: number): TableSite {
  // ti: overrides the file's turbulence_intensity (default 0.1 when neither states one).
  // json: iea37-windrose-cs3.yaml states speed.units twice; PyYAML keeps the last.
  const doc = loadYaml(text, file, { json: true });
  const get = (...keys: string[]): unknown => {
    const path = [...YAML_BASE, ...keys];
    const r = lookupPath(doc, path);
    if (!r.found) throw new InputError("is missing (an IEA 37 case-study 3/4 wind-rose YAML)", { file, field: path.join(".") });
    return r.value;
  };
  const numList = (v: unknown, field: string): number[] => {
    if (!Array.isArray(v) || v.length === 0) throw new InputError("must be a non-empty list of numbers", { file, field });
    v.forEach((x, i) => {
      if (typeof x !== "number" || !Number.isFinite(x)) throw new InputError(`[${i}] must be a number, got ${JSON.stringify(x)}`, { file, field });
    });
    return v as number[];
  };
  const F = YAML_BASE.join(".");
  const wd = numList(get("direction", "bins"), `${F}.direction.bins`);
  const freq = numList(get("direction", "frequency"), `${F}.direction.frequency`);
  const ws = numList(get("speed", "bins"), `${F}.speed.bins`);
  const pv = get("speed", "frequency");
  if (!Array.isArray(pv) || pv.length === 0) throw new InputError("must be a list of rows, one per direction", { file, field: `${F}.speed.frequency` });
  const shared = !Array.isArray(pv[0]);
  const pRows = shared ? [numList(pv, `${F}.speed.frequency`)] : pv.map((r, i) => numList(r, `${F}.speed.frequency[${i}]`));
  if (!shared && pRows.length !== wd.length) {
    throw new InputError(`has ${pRows.length} rows for ${wd.length} directions`, { file, field: `${F}.speed.frequency` });
  }
  pRows.forEach((r, i) => {
    if (r.length !== ws.length) throw new InputError(`has ${r.length} values for ${ws.length} speeds`, { file, field: `${F}.speed.frequency${shared ? "" : `[${i}]`}` });
  });
  const rows = wd.map((_, d) => ({ ws, p: pRows[shared ? 0 : d] }));
  checkProbabilitySum(freq, `${F}.direction.frequency`, "the direction frequencies", file);
  pRows.forEach((r, i) => checkProbabilitySum(r, `${F}.speed.frequency${shared ? "" : `[${i}]`}`, "the speed probabilities", file));
  // The case studies' files spell it turbulence_intenstiy; either spelling is read.
  let fileTi: number | undefined;
  for (const key of ["turbulence_intensity", "turbulence_intenstiy"]) {
    const r = lookupPath(doc, [...YAML_BASE, key, "default"]);
    if (r.found) {
      if (typeof r.value !== "number" || !(r.value >= 0)) throw new InputError(`must be a number ≥ 0, got ${JSON.stringify(r.value)}`, { file, field: `${F}.${key}.default` });
      fileTi = r.value;
    }
  }
  return inFile(file, "wind rose", () => tableSite({ wdDeg: wd, freq, rows, ti: ti ?? fileTi }));
}

/** The case-file object of a site read from a file (a table or Weibull sectors), so a batch spec carries it inline. */
export function siteFileToDefinition(site: TableSite | WeibullSite): { [k: string]: string | number | number[] | number[][] } {
  if (site.kind === "table") return tableSiteToDefinition(site);
  return { type: "weibull", sector_freq: Array.from(site.sectorFreq), weibull_A: Array.from(site.weibullA), weibull_k: Array.from(site.weibullK), ti: site.ti };
}

/** The case-file object of a table site: `{type: "table", wd, p_wd, ws, p_ws, ti}` (p_ws one row per direction). */
export function tableSiteToDefinition(site: TableSite): { type: "table"; wd: number[]; p_wd: number[]; ws: number[]; p_ws: number[][]; ti: number } {
  const M = site.wsTable.length;
  return {
    type: "table",
    wd: Array.from(site.wdDeg),
    p_wd: Array.from(site.sectorFreq),
    ws: Array.from(site.wsTable),
    p_ws: Array.from(site.wdDeg, (_, d) => Array.from(site.pWsGivenWd.subarray(d * M, (d + 1) * M))),
    ti: site.ti,
  };
}
