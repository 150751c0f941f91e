/**
 * Wind-rose tables read as they are written: the IEA 37 case-study 3/4 YAML
 * (iea37-windrose-cs3.yaml, iea37-windrose-cs4.yaml) and a CSV with one row per
 * (direction, speed): `direction_deg,direction_frequency,speed_mps,speed_probability_given_direction`.
 * Both become a `table` site (site.ts); nothing is renormalised. `tableSiteToDefinition` gives
 * the case-file object form back, so a batch spec can carry a rose read from a file inline.
 */
import { InputError } from "../errors.js";
import { checkProbabilitySum, tableSite, type TableSite } from "./site.js";
import { commentText, csvSeparatorHint, isNumberRow, loadYaml, lookupPath } from "./textFormats.js";

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

/**
 * The CSV form. Rows of one direction may come in any order and need not list the same
 * speeds; every row of a direction must repeat its frequency. A header line naming the four
 * columns (in any order) is required; blank lines and lines starting with `#` are skipped.
 */
export function tableSiteFromCsv(text: string, file?: string, ti?: number): TableSite {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  const cols: Record<string, number> = {};
  const dirs = new Map<number, { freq: number; line: number; ws: number[]; p: number[] }>();
  let lastComment: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    if (line.startsWith("#")) { lastComment = commentText(line); continue; }
    const cells = line.split(",").map((c) => c.trim());
    // Numbers first: the header is the comment line above them (numpy's savetxt), else missing.
    const numbersFirst = !header && isNumberRow(cells);
    const fromComment = numbersFirst && lastComment !== undefined ? lastComment.split(",").map((c) => c.trim()) : undefined;
    if (numbersFirst && !(fromComment && CSV_COLUMNS.every((c) => fromComment.includes(c)))) {
      throw new InputError(`has no header: its first row is numbers; add the line ${CSV_COLUMNS.join(",")} above the rows`, { file, field: `line ${i + 1}` });
    }
    if (!header) {
      header = fromComment ?? cells;
      for (const c of CSV_COLUMNS) {
        const at = header.indexOf(c);
        if (at < 0) {
          throw new InputError(`the header lacks the column "${c}" (needs ${CSV_COLUMNS.join(",")})${csvSeparatorHint(line)}`, { file, field: `line ${i + 1}` });
        }
        cols[c] = at;
      }
      if (!numbersFirst) continue;
    }
    const num = (c: (typeof CSV_COLUMNS)[number]): number => {
      const s = cells[cols[c]];
      const v = s === undefined || s === "" ? NaN : Number(s);
      if (!Number.isFinite(v)) throw new InputError(`${c} must be a number, got ${JSON.stringify(s ?? "")}`, { file, field: `line ${i + 1}` });
      return v;
    };
    const wd = num("direction_deg"), f = num("direction_frequency"), u = num("speed_mps"), p = num("speed_probability_given_direction");
    let d = dirs.get(wd);
    if (!d) { d = { freq: f, line: i + 1, ws: [], p: [] }; dirs.set(wd, d); }
    else if (d.freq !== f) {
      throw new InputError(`direction ${wd}° has frequency ${f} here but ${d.freq} on line ${d.line}`, { file, field: `line ${i + 1}` });
    }
    if (d.ws.includes(u)) throw new InputError(`direction ${wd}° lists ${u} m/s twice`, { file, field: `line ${i + 1}` });
    d.ws.push(u); d.p.push(p);
  }
  if (!header) throw new InputError(`is empty (needs the header ${CSV_COLUMNS.join(",")} and one row per direction and speed)`, { file });
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
