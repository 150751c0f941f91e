/**
 * A power and thrust curve as a CSV, as data sheets and other tools give it: one row per wind
 * speed, the columns named with their units (`ws_m_s,power_W,ct`, as
 * `../shared/reference/data/hornsrev1_V80_power_ct.csv`; power in W, kW or MW). Such a file
 * does not hold the rotor, so a turbine names it beside the file:
 * `{"name": "V80", "diameter_m": 80, "hub_height_m": 70, "curve": "V80_power_ct.csv"}`.
 * A power column that does not say its unit is refused: a kW curve read as W is 1000 times off.
 */
import { InputError } from "../errors.js";
import { cellNumber, csvSeparatorHint, findColumn, readCsvTable } from "./textFormats.js";

const WS_COLUMNS = ["ws_m_s", "ws_mps", "ws", "wind_speed_m_s", "wind_speed_mps", "wind_speed", "u"];
const POWER_COLUMNS: [string, number][] = [["power_w", 1], ["power_kw", 1e3], ["power_mw", 1e6]];
const CT_COLUMNS = ["ct", "c_t", "thrust_coefficient"];

/** The curve as a tabular turbine definition's `ws`, `power_W` and `ct`. */
export function turbineCurveFromCsv(text: string, file?: string): { ws: number[]; power_W: number[]; ct: number[] } {
  const powerOf = (keys: string[]) => POWER_COLUMNS.map(([c, f]) => [keys.indexOf(c), f] as const).find(([k]) => k >= 0);
  // A savetxt header is taken if it names the three (a bare "power" is then refused below, by name).
  const t = readCsvTable(text, file, "ws_m_s,power_W,ct (or power_kW)",
    (keys) => findColumn(keys, WS_COLUMNS) >= 0 && findColumn(keys, CT_COLUMNS) >= 0 && keys.some((k) => k.startsWith("power")));
  const ws = findColumn(t.keys, WS_COLUMNS), ct = findColumn(t.keys, CT_COLUMNS), p = powerOf(t.keys);
  const missing = [ws < 0 ? "a wind speed (ws_m_s)" : "", !p ? "a power column with its unit (power_W, power_kW or power_MW)" : "", ct < 0 ? "a thrust coefficient (ct)" : ""].filter(Boolean);
  if (missing.length) {
    const bare = t.keys.includes("power") ? `; "power" does not say its unit: name it power_W, power_kW or power_MW` : "";
    throw new InputError(`the header ${JSON.stringify(t.headerText)} lacks ${missing.join(", ")}${bare}${csvSeparatorHint(t.headerText)}`, { file, field: `line ${t.headerLine}` });
  }
  const out = { ws: [] as number[], power_W: [] as number[], ct: [] as number[] };
  for (const r of t.rows) {
    out.ws.push(cellNumber(t, r, ws, file));
    out.power_W.push(cellNumber(t, r, p![0], file) * p![1]);
    out.ct.push(cellNumber(t, r, ct, file));
  }
  if (out.ws.length === 0) throw new InputError("has a header but no rows", { file });
  return out;
}
