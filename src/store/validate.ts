/**
 * validate(path | dir | paths): a verdict per file and per group, every checksum
 * recomputed. Files are opened only in short-lived workers, so a damaged file can
 * neither throw here nor crash the caller (a notebook kernel, the CLI).
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { QUARANTINE_DIR } from "./parts.js";
import { isGoodStatus, type FileReport } from "./read.js";
import { inspectFiles } from "./sandbox.js";

export interface ValidateOptions {
  /** Also look into quarantine directories when given a directory (default false: known damage). */
  includeQuarantine?: boolean;
  /** Called as each file's verdict arrives. */
  onFile?: (report: FileReport, index: number, total: number) => void;
  /** Per-file time limit in the reader worker (default 120 s). */
  timeoutMs?: number;
}

export interface ValidateReport {
  /** True when every file and group is ok or no-checksum. */
  ok: boolean;
  files: FileReport[];
  /** Distinct result keys that validated (ok or no-checksum) across all files. */
  results: number;
  groupsOk: number;
  groupsBad: number;
  /** Files per status. */
  byStatus: Record<string, number>;
}

/** HDF5 files under `dir` (recursively), skipping temp files and, unless asked, quarantine. */
export function h5FilesIn(dir: string, includeQuarantine = false): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) {
        if (name === QUARANTINE_DIR && !includeQuarantine) continue;
        walk(p);
      } else if (/\.(h5|hdf5|he5)$/i.test(name) || (includeQuarantine && d.endsWith(QUARANTINE_DIR) && !name.endsWith(".reason.txt"))) {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** Expands directories to the HDF5 files in them; a missing path stays (reported unreadable). */
export function expandPaths(paths: string[], includeQuarantine = false): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try { isDir = statSync(p).isDirectory(); } catch { /* reported by the reader */ }
    if (isDir) out.push(...h5FilesIn(p, includeQuarantine));
    else out.push(resolve(p));
  }
  return out;
}

/** Validates files and directories. Never throws for a damaged or missing file. */
export async function validate(paths: string | string[], opts: ValidateOptions = {}): Promise<ValidateReport> {
  const files = expandPaths(Array.isArray(paths) ? paths : [paths], opts.includeQuarantine);
  const reports = await inspectFiles(files, {
    timeoutMs: opts.timeoutMs,
    onFile: opts.onFile ? (r, i) => opts.onFile!(r, i, files.length) : undefined,
  });
  const keys = new Set<string>();
  const byStatus: Record<string, number> = {};
  let groupsOk = 0;
  let groupsBad = 0;
  for (const r of reports) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    groupsOk += r.groupsOk;
    groupsBad += r.groupsBad;
    for (const g of r.groups) if (isGoodStatus(g.status)) keys.add(g.key);
  }
  return {
    ok: reports.every((r) => isGoodStatus(r.status)),
    files: reports, results: keys.size, groupsOk, groupsBad, byStatus,
  };
}
