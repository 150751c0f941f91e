/**
 * What every reader of users' text files shares (wind roses, turbines, layouts): a YAML
 * document loaded with a one-line error naming the file, a key path looked up in it, and the
 * hint for a CSV whose columns a spreadsheet separated with ';' or tabs.
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

/**
 * Whether a CSV row is numbers only: a data row where a header was expected. numpy's
 * `savetxt(..., header=...)` writes its header as a `#` comment line, which the readers then
 * take as the header (`commentText` of the last comment before the rows).
 */
export function isNumberRow(cells: readonly string[]): boolean {
  return cells.length > 0 && cells.every((c) => NUMBER.test(c));
}

/** A `#` line's text without its marks ("# x,y" → "x,y"). */
export function commentText(line: string): string {
  return line.replace(/^#+/, "").trim();
}

/** A CSV line's cells: split at commas, or at runs of blanks where the line has no comma (numpy's savetxt default). */
export function csvCells(line: string): string[] {
  const cells = line.includes(",") || line.includes(";") ? line.split(",") : line.split(/\s+/);
  return cells.map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
}
