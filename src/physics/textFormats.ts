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
