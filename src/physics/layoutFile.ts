/**
 * Layouts read as other tools write them: a CSV with one row per turbine (`x_m,y_m`, or `x,y`;
 * other columns such as a turbine index are ignored, as in PyWake's and the IEA 37 case studies'
 * exports) and the IEA 37 layout YAML (`definitions.position.items.xc/yc`, iea37-ex16.yaml).
 * Both in metres: a CSV whose columns say another unit, or longitude/latitude, is refused with
 * the conversion it needs, since an AEP computed on them would be silently wrong.
 */
import { InputError } from "../errors.js";
import type { Layout } from "./layouts.js";
import { commentText, csvCells, csvSeparatorHint, isNumberRow, loadYaml, lookupPath } from "./textFormats.js";

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
 * any other columns ignored), then one row per point; blank lines and `#` lines skipped, a
 * byte-order mark dropped. The header may be the `#` line right before the rows, as numpy's
 * `savetxt(..., header="x,y")` writes it, and cells may be separated by blanks instead of
 * commas (savetxt's default). `what` names a row in messages ("turbines", "vertices").
 */
export function readXyCsv(text: string, file: string | undefined, what: string, opts: { groupColumn?: string; indexColumn?: string } = {}): XyRows {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let xi = -1, yi = -1, gi = -1, ii = -1, header: string[] | undefined;
  const rows: XyRows = { x: [], y: [] };
  let lastComment: string | undefined;
  /** Takes `names` as the header if it names an x and a y column. */
  const useHeader = (names: string[]): boolean => {
    const lower = names.map((c) => c.toLowerCase());
    xi = X_COLUMNS.map((c) => lower.indexOf(c)).find((k) => k >= 0) ?? -1;
    yi = Y_COLUMNS.map((c) => lower.indexOf(c)).find((k) => k >= 0) ?? -1;
    if (xi < 0 || yi < 0) return false;
    header = names;
    if (opts.groupColumn) { gi = lower.indexOf(opts.groupColumn); if (gi >= 0) rows.group = []; }
    if (opts.indexColumn) { ii = lower.indexOf(opts.indexColumn); if (ii >= 0) rows.index = []; }
    return true;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    if (line.startsWith("#")) { lastComment = commentText(line); continue; }
    const cells = csvCells(line);
    if (!header && isNumberRow(cells)) {
      // Numbers first: the header, if any, is the comment line right above them (numpy's "# x,y").
      if (lastComment === undefined || !useHeader(csvCells(lastComment))) {
        throw new InputError(
          `has no header: its first row is numbers (${JSON.stringify(line)}), so nothing says which column is x or that they are metres; ` +
          `add the line x_m,y_m above the rows (numpy: np.savetxt(path, np.c_[x, y], delimiter=",", header="x_m,y_m", comments=""))`,
          { file, field: `line ${i + 1}` });
      }
    } else if (!header) {
      if (!useHeader(cells)) {
        const unit = cells.map((c) => OTHER_UNITS.find(([re]) => re.test(c))).find((u) => u !== undefined);
        const hint = unit ? `: its columns are in ${unit[1]}` : csvSeparatorHint(line);
        throw new InputError(`the header ${JSON.stringify(line)} lacks an x and a y column in metres (x_m,y_m or x,y)${hint}`, { file, field: `line ${i + 1}` });
      }
      continue;
    }
    const num = (k: number): number => {
      const s = cells[k];
      const v = s === undefined || s === "" ? NaN : Number(s);
      if (!Number.isFinite(v)) throw new InputError(`${header![k]} must be a number, got ${JSON.stringify(s ?? "")}`, { file, field: `line ${i + 1}` });
      return v;
    };
    rows.x.push(num(xi));
    rows.y.push(num(yi));
    if (gi >= 0) rows.group!.push(cells[gi] ?? "");
    if (ii >= 0) rows.index!.push(num(ii));
  }
  if (!header) throw new InputError(`is empty (needs a header x_m,y_m and one row per ${what.replace(/s$/, "")})`, { file });
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

/** The IEA 37 layout YAML: `definitions.position.items.xc` and `.yc` (units `m` when stated). */
export function layoutFromIea37Yaml(text: string, file?: string): Layout {
  const doc = loadYaml(text, file, { json: true });
  const node = (keys: readonly string[]): unknown => lookupPath(doc, keys).value;
  const base = YAML_POSITION.join(".");
  const units = node(["definitions", "position", "units"]);
  if (units !== undefined && units !== "m") {
    throw new InputError(`is ${JSON.stringify(units)}; wflo reads positions in metres ("m")`, { file, field: "definitions.position.units" });
  }
  const list = (k: "xc" | "yc"): number[] => {
    const v = node([...YAML_POSITION, k]);
    if (v === undefined) throw new InputError("is missing (an IEA 37 layout YAML, as iea37-ex16.yaml)", { file, field: `${base}.${k}` });
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
