import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../errors.js";

/**
 * A case file read as JSON, with a reader for the files it names (turbine YAML/JSON),
 * which resolve relative to the case file rather than the working directory.
 */
export function readCaseJson(path: string): { value: unknown; file: string; readText: (p: string) => string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read the case file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`is not JSON (${(e as Error).message})`, { file: path });
  }
  const base = dirname(resolve(path));
  return { value, file: path, readText: (p) => readFileSync(resolve(base, p), "utf8") };
}
