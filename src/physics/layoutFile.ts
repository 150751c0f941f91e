/**
 * Layouts read as other tools write them: a CSV with one row per turbine (`x_m,y_m`, or `x,y`;
 * other columns such as a turbine index are ignored, as in PyWake's and the IEA 37 case studies'
 * exports) and the IEA 37 layout YAML (`definitions.position.items`: `xc`/`yc` lists as in
 * iea37-ex16.yaml, or `[x, y]` pairs as in case studies 3 and 4).
 * Both in metres: a CSV whose columns say another unit, or longitude/latitude, is refused with
 * the conversion it needs, since an AEP computed on them would be silently wrong.
 */
import { InputError } from "../errors.js";
import type { Layout } from "./layouts.js";
import { cellNumber, csvSeparatorHint, findColumn, loadYaml, lookupPath, readCsvTable } from "./textFormats.js";

const X_COLUMNS = ["x_m", "x"];
const Y_COLUMNS = ["y_m", "y"];
/** Column names that are coordinates, but not in metres. */
const OTHER_UNITS: [RegExp, string][] = [
  [/^(lon|long|longitude|lng|lat|latitude)$/i, "longitude/latitude in degrees: project them to metres (e.g. UTM) first"],
  [/^[xy]_?(km|kilometres?|kilometers?)$/i, "kilometres: multiply by 1000 and name the columns x_m, y_m"],
  [/^[xy]_?(ft|feet)$/i, "feet: multiply by 0.3048 and name the columns x_m, y_m"],
];

/** Rows of an x/y CSV in metres; `group`: each row's value in the optional `groupColumn` (e.g. a region), `index` in `indexColumn`. */
export interface XyRows { x: number[]; y: number[]; group?: string[]; index?: number[] }

/**
 * A CSV of points in metres: a header naming an x and a y column (x_m,y_m or x,y, any case,
 * any other columns ignored), then one row per point (`readCsvTable`: comments, numpy's
 * savetxt header and blank-separated columns included). `what` names a row in messages
 * ("turbines", "vertices").
 */
export function readXyCsv(text: string, file: string | undefined, what: string, opts: { groupColumn?: string; indexColumn?: string } = {}): XyRows {
  const hasXy = (keys: string[]) => findColumn(keys, X_COLUMNS) >= 0 && findColumn(keys, Y_COLUMNS) >= 0;
  const t = readCsvTable(text, file, "x_m,y_m", hasXy, 'numpy: np.savetxt(path, np.c_[x, y], delimiter=",", header="x_m,y_m", comments="")');
  if (!hasXy(t.keys)) {
    const unit = t.keys.map((c) => OTHER_UNITS.find(([re]) => re.test(c))).find((u) => u !== undefined);
    const hint = unit ? `: its columns are in ${unit[1]}` : csvSeparatorHint(t.headerText);
    throw new InputError(`the header ${JSON.stringify(t.headerText)} lacks an x and a y column in metres (x_m,y_m or x,y)${hint}`, { file, field: `line ${t.headerLine}` });
  }
  const xi = findColumn(t.keys, X_COLUMNS), yi = findColumn(t.keys, Y_COLUMNS);
  const gi = opts.groupColumn ? t.keys.indexOf(opts.groupColumn) : -1;
  const ii = opts.indexColumn ? t.keys.indexOf(opts.indexColumn) : -1;
  const rows: XyRows = { x: [], y: [], ...(gi >= 0 ? { group: [] } : {}), ...(ii >= 0 ? { index: [] } : {}) };
  for (const r of t.rows) {
    rows.x.push(cellNumber(t, r, xi, file));
    rows.y.push(cellNumber(t, r, yi, file));
    if (gi >= 0) rows.group!.push(r.cells[gi] ?? "");
    if (ii >= 0) rows.index!.push(cellNumber(t, r, ii, file));
  }
  if (rows.x.length === 0) throw new InputError(`has a header but no ${what}`, { file });
  return rows;
}

/** A layout CSV: a header naming an x and a y column, then one row per turbine. */
export function layoutFromCsv(text: string, file?: string): Layout {
  const r = readXyCsv(text, file, "turbines");
  return { x: Float64Array.from(r.x), y: Float64Array.from(r.y) };
}

/**
 * A layout as a CSV that `layoutFromCsv` reads back bit for bit (shortest round-trip decimals):
 * `notes` as `#` lines, then `x_m,y_m` and one row per turbine.
 */
export function layoutToCsv(layout: Layout, notes: readonly string[] = []): string {
  const lines = notes.map((n) => `# ${n.replace(/\r?\n/g, " ")}`);
  lines.push("x_m,y_m");
  for (let i = 0; i < layout.x.length; i++) lines.push(`${layout.x[i]},${layout.y[i]}`);
  return lines.join("\n") + "\n";
}

const YAML_POSITION = ["definitions", "position", "items"] as const;

/**
 * The IEA 37 layout YAML, in either of its two shapes: case study 1's
 * `definitions.position.items: {xc: [...], yc: [...]}` (iea37-ex16.yaml) and case studies 3
 * and 4's `definitions.position.items: [[x0, y0], [x1, y1], ...]` (iea37-ex-opt3.yaml, and the
 * participants' submissions). Units `m` when stated; other keys (a stale
 * `annual_energy_production`, the turbine's `$ref`) are ignored.
 */
export function layoutFromIea37Yaml(text: string, file?: string): Layout {
  const doc = loadYaml(text, file, { json: true });
  const node = (keys: readonly string[]): unknown => lookupPath(doc, keys).value;
  const base = YAML_POSITION.join(".");
  const units = node(["definitions", "position", "units"]);
  if (units !== undefined && units !== "m") {
    throw new InputError(`is ${JSON.stringify(units)}; wflo reads positions in metres ("m")`, { file, field: "definitions.position.units" });
  }
  const items = node(YAML_POSITION);
  if (Array.isArray(items)) return pairList(items, file, base);
  const list = (k: "xc" | "yc"): number[] => {
    const v = node([...YAML_POSITION, k]);
    if (v === undefined) {
      throw new InputError("is missing (an IEA 37 layout YAML: items holds xc and yc, as iea37-ex16.yaml, or a list of [x, y] pairs, as iea37-ex-opt3.yaml)", { file, field: `${base}.${k}` });
    }
    if (!Array.isArray(v) || v.length === 0) throw new InputError("must be a non-empty list of numbers", { file, field: `${base}.${k}` });
    v.forEach((e, i) => {
      if (typeof e !== "number" || !Number.isFinite(e)) throw new InputError(`[${i}] must be a number, got ${JSON.stringify(e)}`, { file, field: `${base}.${k}` });
    });
    return v as number[];
  };
  const x = list("xc"), y = list("yc");
  if (x.length !== y.length) throw new InputError(`xc has ${x.length} values but yc has ${y.length}`, { file, field: base });
  return { x: Float64Array.from(x), y: Float64Array.from(y) };
}

/** Case studies 3 and 4's `items`: one `[x, y]` pair per turbine. */
function pairList(items: unknown[], file: string | undefined, base: string): Layout {
  if (items.length === 0) throw new InputError("is an empty list: no turbines", { file, field: base });
  const x = new Float64Array(items.length), y = new Float64Array(items.length);
  items.forEach((e, i) => {
    const ok = Array.isArray(e) && e.length === 2 && e.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!ok) throw new InputError(`must be an [x, y] pair of numbers in metres, got ${JSON.stringify(e)}`, { file, field: `${base}[${i}]` });
    x[i] = (e as number[])[0];
    y[i] = (e as number[])[1];
  });
  return { x, y };
}
