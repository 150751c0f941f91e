/**
 * Where things live on disk, next to an output `<out>`:
 *
 *   <out>                          the merged output (replaced, never edited)
 *   <out>.parts/<key>.h5           one committed result, until merged
 *   <out>.parts/<key>.failed.h5    one recorded failure, until merged
 *   <out>.parts/<name>.lock        lock files (writer, shard-i-of-n, merge)
 *   <out>.parts/quarantine/        files that failed validation, each with <file>.reason.txt
 *   .<file>.<host>.<pid>.<rand>.tmp  a file being written (never at a final name)
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { isResultKey } from "./schema.js";

// Temp names carry host and pid (../util/fs.ts); the store lists and cleans them up by them.
export { SAFE_HOST, tempPathFor, tempOwner, thisHost } from "../util/fs.js";

export const PARTS_SUFFIX = ".parts";
export const QUARANTINE_DIR = "quarantine";
const FAILED_SUFFIX = ".failed.h5";

/** `<out>.parts` (absolute). */
export function partsDir(out: string): string {
  return resolve(out) + PARTS_SUFFIX;
}

/**
 * What to say of an output `out` that does not exist. A first run keeps its results in
 * `<out>.parts` until its first merge, and a run killed before it leaves them there: nothing is
 * lost, and the message says how to get the file.
 */
export function missingOutputMessage(out: string): string {
  const parts = partsDir(out);
  return existsSync(parts)
    ? `no such file yet: its results are still in ${parts} (a run merges them as it goes and at its end; ` +
      `after a crash the same wflo run command, or wflo merge ${out}.parts --out ${out})`
    : "no such file";
}

/** The output a parts directory belongs to (`x.h5.parts` → `x.h5`), or undefined. */
export function outputOfPartsDir(dir: string): string | undefined {
  const abs = resolve(dir);
  return abs.endsWith(PARTS_SUFFIX) ? abs.slice(0, -PARTS_SUFFIX.length) : undefined;
}

export function partPath(dir: string, key: string): string {
  return join(dir, `${key}.h5`);
}

export function failurePartPath(dir: string, key: string): string {
  return join(dir, `${key}${FAILED_SUFFIX}`);
}

export function quarantineDir(dir: string): string {
  return join(dir, QUARANTINE_DIR);
}

export interface PartEntry {
  key: string;
  path: string;
}

export interface PartsListing {
  results: PartEntry[];
  failures: PartEntry[];
  /** Temporary files (in-flight or left by a crash). */
  temps: string[];
  /** Anything else except lock files and the quarantine directory. */
  other: string[];
}

/** The parts directory's content by kind; empty when it does not exist. Sorted by key. */
export function listParts(dir: string): PartsListing {
  const out: PartsListing = { results: [], failures: [], temps: [], other: [] };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return out;
    throw err;
  }
  for (const name of names.sort()) {
    const p = join(dir, name);
    if (name.endsWith(".tmp")) out.temps.push(p);
    else if (name.endsWith(FAILED_SUFFIX) && isResultKey(name.slice(0, -FAILED_SUFFIX.length))) {
      out.failures.push({ key: name.slice(0, -FAILED_SUFFIX.length), path: p });
    } else if (name.endsWith(".h5") && isResultKey(name.slice(0, -3))) out.results.push({ key: name.slice(0, -3), path: p });
    else if (name === QUARANTINE_DIR || name.endsWith(".lock")) continue;
    else out.other.push(p);
  }
  return out;
}
