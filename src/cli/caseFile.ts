import { dirname, resolve } from "node:path";
import { InputError } from "../errors.js";
import { readInputText } from "../util/files.js";

/**
 * A case file read as JSON, with a reader for the files it names (turbine YAML/JSON),
 * which resolve relative to the case file rather than the working directory.
 */
export function readCaseJson(path: string): { value: unknown; file: string; readText: (p: string) => string } {
  const text = readInputText(path, "case file");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`is not JSON (${(e as Error).message})`, { file: path });
  }
  const base = dirname(resolve(path));
  return { value, file: path, readText: (p) => readInputText(resolve(base, p), "file named by the case") };
}
