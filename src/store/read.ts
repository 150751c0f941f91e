/**
 * The per-file reader shared by validate, merge, committedKeys and recover: opens one
 * file read-only and classifies the file and every group in it. Never throws.
 *
 * It runs h5wasm in the calling thread; callers that face untrusted or damaged files
 * run it in a short-lived worker through `inspectFiles` (sandbox.ts) instead.
 */
import { statSync } from "node:fs";
import { classifyOpenError, h5, h5ErrorSummary, sweepLeakedStreams, type H5File, type H5Group } from "./h5.js";
import { missingOutputMessage } from "./parts.js";
import {
  FAILED_GROUP, ORIGINAL_ATTR_PREFIX, isResultKey, metadataWarning, readFailureGroup, readResultGroup, readRootAttrs,
  type AttrValue, type FailureRecord, type GroupStatus, type Problem, type RootAttrs, type StoredResult,
} from "./schema.js";

/** Verdict on a whole file. The first three come from groups, the last three from opening it. */
export type FileStatus =
  | "ok" | "no-checksum" | "metadata" | "schema-error" | "checksum-mismatch" | "unreadable" | "truncated" | "not-hdf5";

/** What a readable file looks like: a wflo output/part, the Python tool's layouts.h5 or worker file. */
export type FileKind = "wflo" | "python-layouts" | "python-worker" | "empty" | "unknown";

export interface GroupReport {
  key: string;
  status: GroupStatus;
  problems: Problem[];
  /** Present with `withRecords` whenever layout and aep could be read. */
  record?: StoredResult;
  /** Stored checksum, when there is one (handy for duplicate detection without records). */
  checksum?: string;
}

export interface FailureReport {
  key: string;
  record?: FailureRecord;
  problems: Problem[];
}

export interface FileReport {
  path: string;
  status: FileStatus;
  kind: FileKind;
  sizeBytes: number;
  root: RootAttrs;
  rootExtra: Record<string, AttrValue>;
  groups: GroupReport[];
  failures: FailureReport[];
  groupsOk: number;
  groupsBad: number;
  /** Why the file or a group is not ok, each naming file/group/field. */
  errors: string[];
  /** Things worth knowing that are not damage (e.g. the Python worker's `init` dataset). */
  notes: string[];
  /** Groups whose data is intact but whose attributes are off (status "metadata"), one line each naming group and attribute. */
  warnings: string[];
  /**
   * What the reader printed to stderr while reading this file (h5wasm/HDF5's own
   * diagnostics: HDF5-DIAG stacks, "Invalid UTF-8" warnings, "Aborted(…)"), bounded in
   * size. Present only when it printed something, and only from inspectFiles (sandbox).
   */
  diagnostics?: string[];
}

export interface InspectOptions {
  /** Return each group's record (layout, aep, attrs). Default false: validate needs only verdicts. */
  withRecords?: boolean;
}

/** Worse statuses later: the file's status is the worst of its groups'. */
const FILE_STATUS_RANK: readonly FileStatus[] = [
  "ok", "no-checksum", "metadata", "schema-error", "checksum-mismatch", "unreadable", "truncated", "not-hdf5",
];

export function worseStatus(a: FileStatus, b: FileStatus): FileStatus {
  return FILE_STATUS_RANK.indexOf(a) >= FILE_STATUS_RANK.indexOf(b) ? a : b;
}

/**
 * True for the statuses that count as intact: no-checksum is valid (a Python-tool file), and
 * metadata is intact data with attributes off (reported as a warning, recovered in full).
 */
export function isGoodStatus(s: FileStatus | GroupStatus): boolean {
  return s === "ok" || s === "no-checksum" || s === "metadata";
}

function emptyReport(path: string, status: FileStatus, sizeBytes: number): FileReport {
  return {
    path, status, kind: "unknown", sizeBytes, root: {}, rootExtra: {}, groups: [], failures: [],
    groupsOk: 0, groupsBad: 0, errors: [], notes: [], warnings: [],
  };
}

/** Opens `path` read-only and reports on the file and each group. Never throws. */
export async function inspectFile(path: string, opts: InspectOptions = {}): Promise<FileReport> {
  let size = -1;
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      const r = emptyReport(path, "unreadable", -1);
      r.errors.push(`${path}: not a regular file`);
      return r;
    }
    size = st.size;
  } catch (err) {
    const r = emptyReport(path, "unreadable", -1);
    r.errors.push(`${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? missingOutputMessage(path) : (err as Error).message}`);
    return r;
  }
  let lib;
  try {
    lib = await h5();
  } catch (err) {
    const r = emptyReport(path, "unreadable", size);
    r.errors.push(`${path}: cannot start h5wasm: ${(err as Error).message}`);
    return r;
  }
  let file: H5File;
  try {
    file = new lib.File(path, "r");
  } catch (err) {
    sweepLeakedStreams();
    const r = emptyReport(path, classifyOpenError(err), size);
    r.errors.push(`${path}: ${h5ErrorSummary(err)}`);
    return r;
  }
  try {
    return readOpenFile(file, path, size, opts);
  } catch (err) {
    // readOpenFile guards each object; this is the last line of defence.
    const r = emptyReport(path, "unreadable", size);
    r.errors.push(`${path}: ${h5ErrorSummary(err)}`);
    return r;
  } finally {
    try { file.close(); } catch { /* damaged file: close may fail; the report says why */ }
    sweepLeakedStreams();
  }
}

function readOpenFile(file: H5File, path: string, size: number, opts: InspectOptions): FileReport {
  const report = emptyReport(path, "ok", size);
  const root = readRootAttrs(file);
  report.root = root.attrs;
  report.rootExtra = root.extra;
  for (const p of root.problems) {
    report.errors.push(`${path}: ${p.message}`);
    report.status = worseStatus(report.status, "schema-error");
  }
  let names: string[] = [];
  try {
    names = file.keys();
  } catch (err) {
    report.errors.push(`${path}: cannot list groups: ${h5ErrorSummary(err)}`);
    report.status = "unreadable";
    sweepLeakedStreams();
    return report;
  }
  let sawInit = false;
  let anyChecksum = false;
  for (const name of names) {
    if (name === FAILED_GROUP) {
      readFailures(file, path, report);
      continue;
    }
    let obj: unknown;
    try {
      obj = file.get(name);
    } catch (err) {
      sweepLeakedStreams();
      if (isResultKey(name)) {
        report.groups.push({ key: name, status: "unreadable", problems: [{ field: name, message: `${path}: /${name}: ${h5ErrorSummary(err)}` }] });
      } else {
        report.errors.push(`${path}: /${name}: ${h5ErrorSummary(err)}`);
        report.status = worseStatus(report.status, "unreadable");
      }
      continue;
    }
    if (name === "init" && obj !== null && typeof (obj as { shape?: unknown }).shape !== "undefined") {
      sawInit = true;
      report.notes.push(`${path}: root dataset "init" (a Python tool worker file)`);
      continue;
    }
    if (!isResultKey(name)) {
      report.notes.push(`${path}: /${name} is not a result group; ignored`);
      continue;
    }
    if (obj === null || typeof (obj as H5Group).keys !== "function") {
      report.groups.push({ key: name, status: "schema-error", problems: [{ field: name, message: `${path}: /${name} is not a group` }] });
      continue;
    }
    const r = readResultGroup(obj as H5Group);
    if (r.status === "unreadable" || r.problems.some((p) => /unreadable/.test(p.message))) sweepLeakedStreams();
    const g: GroupReport = { key: name, status: r.status, problems: r.problems.map((p) => ({ field: p.field, message: `${path}: ${p.message}` })) };
    for (const n of r.notes) report.notes.push(`${path}: ${n.message}`);
    if (r.record?.checksum) { g.checksum = r.record.checksum; anyChecksum = true; }
    if (opts.withRecords && r.record) g.record = r.record;
    report.groups.push(g);
  }
  for (const g of report.groups) {
    if (g.status === "metadata") {
      report.status = worseStatus(report.status, "metadata");
      report.warnings.push(`${path}: /${g.key}: data intact, ${metadataWarning(g.problems, path, g.key)}`);
    }
    if (isGoodStatus(g.status)) report.groupsOk++;
    else {
      report.groupsBad++;
      report.status = worseStatus(report.status, g.status === "unreadable" ? "unreadable" : g.status);
      for (const p of g.problems) report.errors.push(p.message);
    }
  }
  const failuresBad = report.failures.filter((f) => f.problems.length > 0);
  for (const f of failuresBad) {
    for (const p of f.problems) report.errors.push(`${path}: ${p.message}`);
    report.status = worseStatus(report.status, "schema-error");
  }
  if (report.status === "ok" && report.groups.length > 0 && report.groups.every((g) => g.status === "no-checksum")) {
    report.status = "no-checksum";
  } else if (report.status === "ok" && report.groups.some((g) => g.status === "no-checksum")) {
    report.notes.push(`${path}: ${report.groups.filter((g) => g.status === "no-checksum").length} groups carry no checksum`);
  }
  report.kind = sawInit ? "python-worker"
    : anyChecksum || report.root.wflo_version !== undefined ? "wflo"
    : report.groups.length > 0 ? "python-layouts"
    : names.length === 0 ? "empty" : "unknown";
  return report;
}

function readFailures(file: H5File, path: string, report: FileReport): void {
  let parent: H5Group | null;
  let keys: string[];
  try {
    parent = file.get(FAILED_GROUP) as H5Group | null;
    keys = parent && typeof parent.keys === "function" ? parent.keys() : [];
  } catch (err) {
    sweepLeakedStreams();
    report.errors.push(`${path}: /${FAILED_GROUP}: ${h5ErrorSummary(err)}`);
    report.status = worseStatus(report.status, "unreadable");
    return;
  }
  for (const k of keys) {
    try {
      const g = parent!.get(k) as H5Group | null;
      if (!g || typeof g.keys !== "function") {
        report.failures.push({ key: k, problems: [{ field: `${FAILED_GROUP}/${k}`, message: `/${FAILED_GROUP}/${k} is not a group` }] });
        continue;
      }
      const r = readFailureGroup(g);
      report.failures.push({ key: k, record: r.record ?? undefined, problems: r.problems });
    } catch (err) {
      sweepLeakedStreams();
      report.failures.push({ key: k, problems: [{ field: `${FAILED_GROUP}/${k}`, message: `/${FAILED_GROUP}/${k}: ${h5ErrorSummary(err)}` }] });
    }
  }
}
