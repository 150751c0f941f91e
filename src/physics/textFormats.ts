/**
 * What every reader of users' text files shares (wind roses, Weibull sectors, turbines and
 * their curves, layouts, boundaries): a YAML document loaded with a one-line error naming the
 * file, a key path looked up in it, a CSV read into header and rows as spreadsheets, numpy and
 * data sheets write them, and the hint for a CSV whose columns are separated with ';'.
 */
import { load } from "js-yaml";
import { InputError } from "../errors.js";

/** A YAML document; `json`: a repeated key keeps its last value, as PyYAML reads it. */
export function loadYaml(text: string, file: string | undefined, opts: { json?: boolean } = {}): unknown {
  try {
    return opts.json ? load(text, { json: true }) : load(text);
  } catch (e) {
    throw new InputError(`is not valid YAML: ${(e as Error).message.split("\n")[0]}`, { file });
  }
}

/** The value at `keys` under `root` (objects only, no arrays), and whether it is there at all. */
export function lookupPath(root: unknown, keys: readonly string[]): { found: boolean; value?: unknown } {
  let v = root;
  for (const k of keys) {
    if (typeof v !== "object" || v === null || Array.isArray(v) || !(k in v)) return { found: false };
    v = (v as Record<string, unknown>)[k];
  }
  return { found: true, value: v };
}

/**
 * For a CSV header that lacks a column: a spreadsheet saving with a regional list separator
 * writes ';' (or a tab) between columns, and wflo reads commas. "" when the line has neither.
 */
export function csvSeparatorHint(line: string): string {
  const sep = [";", "\t"].find((x) => line.includes(x));
  return sep ? `; its columns are separated by ${sep === ";" ? "';'" : "tabs"}, and wflo reads commas: save it as comma-separated` : "";
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A CSV line's cells: split at commas, or at runs of blanks where the line has no comma (numpy's savetxt default). */
export function csvCells(line: string): string[] {
  const cells = line.includes(",") || line.includes(";") ? line.split(",") : line.split(/\s+/);
  return cells.map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
}

/** A column name as the readers match it: "Wind Speed [m/s]" → "wind_speed_m_s", "x_m" → "x_m". */
export function columnKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** A CSV as the readers see it: the header (raw and as `columnKey`s) and the data rows with their line numbers. */
export interface CsvTable {
  header: string[];
  keys: string[];
  /** The header's own text and line (for messages). */
  headerText: string;
  headerLine: number;
  rows: { cells: string[]; line: number }[];
}

/**
 * Reads a CSV the way users' files come: a byte-order mark dropped, blank and `#` lines
 * skipped, cells split by `csvCells`. The header is the first other line, or, when that line
 * is numbers only, the `#` line above it as numpy's `savetxt(..., header=...)` writes it if
 * `isHeader` accepts its keys; otherwise the file "has no header", and the message names the
 * line to add (`needs`) and how (`howTo`). An empty file is refused the same way.
 */
export function readCsvTable(text: string, file: string | undefined, needs: string, isHeader: (keys: string[]) => boolean, howTo = ""): CsvTable {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let table: CsvTable | undefined;
  let lastComment: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    if (line.startsWith("#")) { lastComment = line.replace(/^#+/, "").trim(); continue; }
    const cells = csvCells(line);
    if (table) { table.rows.push({ cells, line: i + 1 }); continue; }
    const numbersFirst = cells.every((c) => NUMBER.test(c));
    const named = numbersFirst ? (lastComment !== undefined ? csvCells(lastComment) : undefined) : cells;
    if (!named || (numbersFirst && !isHeader(named.map(columnKey)))) {
      throw new InputError(`has no header: its first row is numbers (${JSON.stringify(line)}); add the line ${needs} above the rows${howTo ? ` (${howTo})` : ""}`, { file, field: `line ${i + 1}` });
    }
    table = { header: named, keys: named.map(columnKey), headerText: numbersFirst ? lastComment! : line, headerLine: i + 1, rows: [] };
    if (numbersFirst) table.rows.push({ cells, line: i + 1 });
  }
  if (!table) throw new InputError(`is empty (needs the header ${needs} and its rows)`, { file });
  return table;
}

/** The first of `names` (column keys) in `keys`, or -1. */
export function findColumn(keys: readonly string[], names: readonly string[]): number {
  for (const n of names) { const k = keys.indexOf(n); if (k >= 0) return k; }
  return -1;
}

/** A row's cell as a number; a blank or non-numeric cell is refused naming its column and line. */
export function cellNumber(t: CsvTable, row: { cells: string[]; line: number }, k: number, file: string | undefined): number {
  const s = row.cells[k];
  const v = s === undefined || s === "" ? NaN : Number(s);
  if (!Number.isFinite(v)) throw new InputError(`${t.header[k]} must be a number, got ${JSON.stringify(s ?? "")}`, { file, field: `line ${row.line}` });
  return v;
}
