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
import { readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { isResultKey } from "./schema.js";

export const PARTS_SUFFIX = ".parts";
export const QUARANTINE_DIR = "quarantine";
const FAILED_SUFFIX = ".failed.h5";

/** `<out>.parts` (absolute). */
export function partsDir(out: string): string {
  return resolve(out) + PARTS_SUFFIX;
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

const HOST = hostname();
/** The host name as it appears in temp file names (only [A-Za-z0-9_-]). */
export const SAFE_HOST = HOST.replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * A temporary name in the same directory as `finalPath` (so rename is atomic), carrying
 * host and pid so a later run can tell a crashed writer's leftovers from live ones.
 */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${SAFE_HOST}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Host and pid encoded in a temp name by tempPathFor, or undefined for other names. */
export function tempOwner(tempPath: string): { host: string; pid: number } | undefined {
  const m = /\.([A-Za-z0-9_-]+)\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(basename(tempPath));
  return m ? { host: m[1], pid: Number(m[2]) } : undefined;
}

export function thisHost(): string {
  return HOST;
}
