/**
 * A power and thrust curve as a CSV, as data sheets and other tools give it: one row per wind
 * speed, the columns named with their units (`ws_m_s,power_W,ct`, as
 * `../shared/reference/data/hornsrev1_V80_power_ct.csv`; power in W, kW or MW). Such a file
 * does not hold the rotor, so a turbine names it beside the file:
 * `{"name": "V80", "diameter_m": 80, "hub_height_m": 70, "curve": "V80_power_ct.csv"}`.
 * A power column that does not say its unit is refused: a kW curve read as W is 1000 times off.
 */
import { InputError } from "../errors.js";
import { commentText, csvCells, csvSeparatorHint, isNumberRow } from "./textFormats.js";

const WS_COLUMNS = ["ws_m_s", "ws_mps", "ws", "wind_speed_m_s", "wind_speed_mps", "wind_speed", "u"];
const POWER_COLUMNS: [string, number][] = [["power_w", 1], ["power_kw", 1e3], ["power_mw", 1e6]];
const CT_COLUMNS = ["ct", "c_t", "thrust_coefficient"];

/** The curve as a tabular turbine definition's `ws`, `power_W` and `ct`. */
export function turbineCurveFromCsv(text: string, file?: string): { ws: number[]; power_W: number[]; ct: number[] } {
  const lines = text.split(/\r?\n/);
  type Columns = { ws: number; power: number; factor: number; ct: number };
  let cols: Columns | undefined;
  let names: string[] = [];
  let lastComment: string | undefined;
  const out = { ws: [] as number[], power_W: [] as number[], ct: [] as number[] };
  const columnsOf = (cells: string[], line: number, raw: string): Columns => {
    // Data-sheet headers carry units in brackets: "Wind speed [m/s]", "Power (kW)", "Ct [-]".
    const lower = cells.map((c) => c.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, ""));
    const find = (list: readonly string[]) => list.map((c) => lower.indexOf(c)).find((k) => k >= 0) ?? -1;
    const ws = find(WS_COLUMNS), ct = find(CT_COLUMNS);
    const p = POWER_COLUMNS.map(([c, f]) => [lower.indexOf(c), f]).find(([k]) => k >= 0);
    const missing = [ws < 0 ? "a wind speed (ws_m_s)" : "", !p ? "a power column with its unit (power_W, power_kW or power_MW)" : "", ct < 0 ? "a thrust coefficient (ct)" : ""].filter(Boolean);
    if (missing.length) {
      const bare = lower.includes("power") ? `; "power" does not say its unit: name it power_W, power_kW or power_MW` : "";
      throw new InputError(`the header ${JSON.stringify(raw)} lacks ${missing.join(", ")}${bare}${csvSeparatorHint(raw)}`, { file, field: `line ${line}` });
    }
    names = cells;
    return { ws, power: p![0], factor: p![1], ct };
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    if (line.startsWith("#")) { lastComment = commentText(line); continue; }
    const cells = csvCells(line);
    if (!cols) {
      if (!isNumberRow(cells)) { cols = columnsOf(cells, i + 1, line); continue; }
      // Numbers first: the header is the comment line above them (numpy's savetxt), else missing.
      if (lastComment === undefined) throw new InputError("has no header: its first row is numbers; add the line ws_m_s,power_W,ct (or power_kW) above the rows", { file, field: `line ${i + 1}` });
      cols = columnsOf(csvCells(lastComment), i + 1, lastComment);
    }
    const num = (k: number): number => {
      const v = cells[k] === undefined || cells[k] === "" ? NaN : Number(cells[k]);
      if (!Number.isFinite(v)) throw new InputError(`${names[k]} must be a number, got ${JSON.stringify(cells[k] ?? "")}`, { file, field: `line ${i + 1}` });
      return v;
    };
    out.ws.push(num(cols.ws));
    out.power_W.push(num(cols.power) * cols.factor);
    out.ct.push(num(cols.ct));
  }
  if (!cols) throw new InputError("is empty (needs a header ws_m_s,power_W,ct and one row per wind speed)", { file });
  if (out.ws.length === 0) throw new InputError("has a header but no rows", { file });
  return out;
}
