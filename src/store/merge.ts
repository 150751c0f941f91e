/**
 * Folds part files into the output by atomic replace (DESIGN.md guarantee 3): a NEW file
 * is built from the old output plus the valid parts, closed, fsynced, verified, renamed
 * over the output, and only then are the merged parts deleted. At every instant the
 * output is the old file or the new one; a crash anywhere loses nothing (parts that were
 * already merged are recognised by checksum next time and simply dropped).
 *
 * Cost: h5wasm cannot copy groups (read + rewrite ≈ 2 ms a group), so the usual merge
 * ("append") copies the old output's bytes with copyFile — the old output is immutable
 * and was verified when it was made — and writes only the new groups into the copy. A
 * periodic merge therefore costs a byte copy plus work linear in the new parts. A
 * "rewrite" (every group read, verified and written afresh) happens when a failure must
 * be removed (a key that failed earlier now has a result), or when asked (`rewrite`).
 */
import { copyFileSync, constants as fsConstants, existsSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { asStorageError, fsyncDir, fsyncFile, replaceAtomically } from "../util/fs.js";
import { h5, h5ErrorSummary, sweepLeakedStreams, withFile, type H5Group } from "./h5.js";
import { acquireLock, tryAcquireLock, type LockHandle } from "./lock.js";
import { SAFE_HOST, listParts, partsDir as defaultPartsDir, tempOwner } from "./parts.js";
import { inspectFile, isGoodStatus } from "./read.js";
import { runInWorker } from "./sandbox.js";
import { quarantine } from "./commit.js";
import { verifyOutput } from "./verify.js";
import {
  FAILED_GROUP, isResultKey, readResultGroup, readRootAttrs, wfloVersion,
  writeFailureGroup, writeResultGroup, writeRootAttrs,
  type FailureRecord, type RootAttrs, type StoredResult,
} from "./schema.js";

export interface MergeOptions {
  /** Parts directory; default `<out>.parts`. */
  partsDir?: string;
  /** Root attributes to set (spec_json, grid_size, random_pct, total_configs); others are kept from the old output. */
  root?: RootAttrs;
  /** "new" (default): verify the new groups and the key set; "all": re-verify every group's checksum. */
  verify?: "new" | "all";
  /** Rebuild every group instead of appending to a byte copy (compacts; slower). */
  rewrite?: boolean;
  /** "acquire" (default): take lock "merge" or throw LockError; "skip-if-busy": return skipped; "none": caller holds it. */
  lock?: "acquire" | "skip-if-busy" | "none";
  /** Break a stale "merge" lock. */
  breakStale?: boolean;
  /** Break the "merge" lock whoever holds it (a holder on another host that is known to be gone). */
  forceLock?: boolean;
  /** Run in a short-lived worker (default true; the worker itself merges with false). */
  inWorker?: boolean;
  /**
   * Merge at most this many parts (in key order) and leave the rest for the next merge:
   * bounds the time of one periodic merge, so a merge interrupted again and again (a
   * batch killed repeatedly) still makes progress. Default: all.
   */
  maxParts?: number;
}

export interface MergeConflict {
  key: string;
  part: string;
  outputChecksum?: string;
  partChecksum?: string;
  quarantinedAs: string;
}

export interface MergeReport {
  out: string;
  mode: "append" | "rewrite" | "none";
  /** Set when the merge did not run (e.g. "locked"). */
  skipped?: string;
  /** Keys newly written into the output. */
  merged: string[];
  /** Parts whose identical result was already in the output. */
  unchanged: number;
  failuresMerged: number;
  /** Failure parts dropped because the key now has a result. */
  failuresSuperseded: number;
  conflicts: MergeConflict[];
  quarantined: { path: string; reason: string; to: string }[];
  /** Totals in the new output. */
  results: number;
  failures: number;
  partsRemoved: number;
  /** Parts left for a later merge because of `maxParts`. */
  remaining: number;
  /**
   * Other .h5 files in the parts directory (a Python tool's worker files, a copied output):
   * not parts, so not merged and left as they are; `recover` is what reads them.
   */
  notParts: string[];
  elapsedMs: number;
}

/**
 * Merges the valid parts into `out` (see the file comment). Takes the "merge" lock in
 * the parts directory, runs the HDF5 work in a worker, and returns what happened.
 * Throws (output untouched, parts kept) when the old output is damaged: recover it first.
 */
export async function mergeParts(out: string, opts: MergeOptions = {}): Promise<MergeReport> {
  const absOut = resolve(out);
  const dir = resolve(opts.partsDir ?? defaultPartsDir(absOut));
  let lock: LockHandle | null = null;
  const mode = opts.lock ?? "acquire";
  const lockOpts = { breakStale: opts.breakStale, force: opts.forceLock };
  if (mode === "acquire") lock = acquireLock(dir, "merge", lockOpts);
  else if (mode === "skip-if-busy") {
    lock = tryAcquireLock(dir, "merge", lockOpts);
    if (!lock) return { ...emptyReport(absOut), skipped: "locked" };
  }
  try {
    const inner: MergeOptions = { ...opts, partsDir: dir, lock: "none", inWorker: false };
    if (opts.inWorker === false) return await mergePartsHere(absOut, inner);
    return await runInWorker<MergeReport>("merge", { out: absOut, opts: inner });
  } finally {
    lock?.release();
  }
}

function emptyReport(out: string): MergeReport {
  return {
    out, mode: "none", merged: [], unchanged: 0, failuresMerged: 0, failuresSuperseded: 0, conflicts: [],
    quarantined: [], results: 0, failures: 0, partsRemoved: 0, remaining: 0, notParts: [], elapsedMs: 0,
  };
}

/** Removes temp files left by dead writers of this host (never a live writer's, never another host's). */
function cleanStaleTemps(paths: string[]): void {
  for (const p of paths) {
    const owner = tempOwner(p);
    if (!owner || owner.host !== SAFE_HOST) continue;
    let alive = true;
    try { process.kill(owner.pid, 0); } catch (err) { alive = (err as NodeJS.ErrnoException).code === "EPERM"; }
    if (!alive) { try { unlinkSync(p); } catch { /* raced with another cleaner */ } }
  }
}

/** Temp files of earlier merges into `out` (in the output's directory). */
function outputTemps(out: string): string[] {
  const prefix = `.${basename(out)}.`;
  try {
    return readdirSync(dirname(out)).filter((n) => n.startsWith(prefix) && n.endsWith(".tmp")).map((n) => join(dirname(out), n));
  } catch {
    return [];
  }
}

interface PartIdentity { path: string; ino: number; size: number; mtimeMs: number }

function identity(path: string): PartIdentity | undefined {
  try {
    const st = statSync(path);
    return { path, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** Deletes a merged part only if it is still the very file we read (not a newer commit). */
function removeIfSame(id: PartIdentity): boolean {
  const now = identity(id.path);
  if (!now || now.ino !== id.ino || now.size !== id.size || now.mtimeMs !== id.mtimeMs) return false;
  try { unlinkSync(id.path); return true; } catch { return false; }
}

interface OldOutput {
  exists: boolean;
  root: RootAttrs;
  resultKeys: Set<string>;
  failureKeys: Set<string>;
  /** checksum (or undefined for a Python-tool group) of the keys parts also hold */
  checksums: Map<string, string | undefined>;
  /** All records, only for a rewrite. */
  records?: StoredResult[];
  failures?: FailureRecord[];
}

async function readOldOutput(out: string, overlap: Set<string>, full: boolean): Promise<OldOutput> {
  const old: OldOutput = { exists: false, root: {}, resultKeys: new Set(), failureKeys: new Set(), checksums: new Map() };
  if (!existsSync(out)) return old;
  old.exists = true;
  if (full) {
    const rep = await inspectFile(out, { withRecords: true });
    if (!isGoodStatus(rep.status)) {
      throw new InputError(`the output is damaged (${rep.status}): ${rep.errors.slice(0, 3).join("; ")}; nothing was merged and no part was touched; run wflo recover on it`, { file: out });
    }
    old.root = rep.root;
    old.records = [];
    old.failures = [];
    for (const g of rep.groups) {
      old.resultKeys.add(g.key);
      old.checksums.set(g.key, g.checksum);
      old.records.push(g.record!);
    }
    for (const f of rep.failures) { old.failureKeys.add(f.key); old.failures.push(f.record!); }
    return old;
  }
  try {
    await withFile(out, "r", (f) => {
      const root = readRootAttrs(f);
      if (root.problems.length > 0) throw new Error(root.problems.map((p) => p.message).join("; "));
      old.root = root.attrs;
      for (const k of f.keys()) {
        if (k === FAILED_GROUP) {
          const fg = f.get(FAILED_GROUP) as H5Group;
          for (const fk of fg.keys()) old.failureKeys.add(fk);
        } else if (isResultKey(k)) old.resultKeys.add(k);
      }
      for (const k of overlap) {
        if (!old.resultKeys.has(k)) continue;
        const r = readResultGroup(f.get(k) as H5Group);
        if (!isGoodStatus(r.status)) throw new Error(`/${k}: ${r.status}: ${r.problems.map((p) => p.message).join("; ")}`);
        old.checksums.set(k, r.record?.checksum);
      }
    });
  } catch (err) {
    sweepLeakedStreams();
    throw new InputError(`the output is damaged: ${h5ErrorSummary(err)}; nothing was merged and no part was touched; run wflo recover on it`, { file: out });
  }
  return old;
}

/** The merge itself, in this thread (the worker entry; callers use mergeParts). */
export async function mergePartsHere(out: string, opts: MergeOptions): Promise<MergeReport> {
  const t0 = performance.now();
  const dir = opts.partsDir ?? defaultPartsDir(out);
  const report = emptyReport(out);
  const listing = listParts(dir);
  report.notParts = listing.other.filter((f) => f.endsWith(".h5") && resolve(f) !== resolve(out));
  cleanStaleTemps([...listing.temps, ...outputTemps(out)]);
  const cap = opts.maxParts ?? Infinity;
  if (listing.results.length + listing.failures.length > cap) {
    const total = listing.results.length + listing.failures.length;
    listing.results = listing.results.slice(0, cap);
    listing.failures = listing.failures.slice(0, Math.max(0, cap - listing.results.length));
    report.remaining = total - listing.results.length - listing.failures.length;
  }

  // 1. read the parts; damaged ones go to quarantine
  const results = new Map<string, { rec: StoredResult; id: PartIdentity }>();
  const failures = new Map<string, { rec: FailureRecord; id: PartIdentity }>();
  for (const p of listing.results) {
    const id = identity(p.path);
    if (!id) continue; // merged and removed by someone else meanwhile
    const rep = await inspectFile(p.path, { withRecords: true });
    const g = rep.groups[0];
    const good = rep.status === "ok" && rep.groups.length === 1 && g.key === p.key && g.record !== undefined;
    if (!good) {
      // Say what is wrong: a part can read "ok" and still not be the result its name says.
      const what = rep.status !== "ok" ? `the file is ${rep.status}`
        : rep.groups.length !== 1 ? `it holds ${rep.groups.length} result groups, expected 1 named ${p.key}`
        : g.key !== p.key ? `its name says ${p.key} but it holds ${g.key}`
        : `its group ${g.key} has no readable record`;
      const reason = `part failed validation at merge: ${what}${rep.errors.length ? `\n${rep.errors.join("\n")}` : ""}`;
      report.quarantined.push({ path: p.path, reason, to: quarantine(dir, p.path, reason) });
      continue;
    }
    results.set(p.key, { rec: g.record!, id });
  }
  for (const p of listing.failures) {
    const id = identity(p.path);
    if (!id) continue;
    const rep = await inspectFile(p.path);
    const f = rep.failures[0];
    if (!isGoodStatus(rep.status) || rep.failures.length !== 1 || f.key !== p.key || !f.record) {
      const what = !isGoodStatus(rep.status) ? `the file is ${rep.status}`
        : rep.failures.length !== 1 ? `it holds ${rep.failures.length} failure records, expected 1 named ${p.key}`
        : f.key !== p.key ? `its name says ${p.key} but it holds ${f.key}`
        : `its failure record ${f.key} is unreadable`;
      const reason = `failure part failed validation at merge: ${what}${rep.errors.length ? `\n${rep.errors.join("\n")}` : ""}`;
      report.quarantined.push({ path: p.path, reason, to: quarantine(dir, p.path, reason) });
      continue;
    }
    failures.set(p.key, { rec: f.record, id });
  }

  // 2. the old output: key lists (and full records for a rewrite)
  const old0 = await readOldOutput(out, new Set(results.keys()), !!opts.rewrite || opts.verify === "all");
  const toRemove: PartIdentity[] = [];
  const newResults: StoredResult[] = [];
  for (const [key, { rec, id }] of results) {
    if (!old0.resultKeys.has(key)) { newResults.push(rec); toRemove.push(id); continue; }
    const outSum = old0.checksums.get(key);
    if (outSum !== undefined && outSum === rec.checksum) { report.unchanged++; toRemove.push(id); continue; }
    const reason = `conflict: the output holds ${key} with ${outSum ?? "no checksum"}, this part has ${rec.checksum}; the output's result is kept`;
    const to = quarantine(dir, id.path, reason);
    report.conflicts.push({ key, part: id.path, outputChecksum: outSum, partChecksum: rec.checksum, quarantinedAs: to });
    report.quarantined.push({ path: id.path, reason, to });
  }
  const finalResultKeys = new Set([...old0.resultKeys, ...newResults.map((r) => r.key)]);
  const newFailures: FailureRecord[] = [];
  for (const [key, { rec, id }] of failures) {
    toRemove.push(id);
    if (finalResultKeys.has(key)) { report.failuresSuperseded++; continue; }
    newFailures.push(rec);
  }
  const failuresToDrop = [...old0.failureKeys].filter((k) => finalResultKeys.has(k));
  const rootChanges = opts.root && Object.keys(opts.root).length > 0;
  if (newResults.length === 0 && newFailures.length === 0 && failuresToDrop.length === 0 && !rootChanges && (old0.exists || (results.size === 0 && failures.size === 0))) {
    // Nothing new: only remove parts that are duplicates of the output.
    report.partsRemoved = finishRemoval(dir, toRemove);
    report.results = old0.resultKeys.size;
    report.failures = old0.failureKeys.size;
    report.elapsedMs = performance.now() - t0;
    return report;
  }
  const rewrite = !!opts.rewrite || failuresToDrop.length > 0;
  const old = rewrite && !old0.records ? await readOldOutput(out, new Set(), true) : old0;
  report.mode = rewrite || !old.exists ? "rewrite" : "append";

  // 3. the new file under a temp name
  const finalFailureKeys = new Set([...old.failureKeys].filter((k) => !finalResultKeys.has(k)));
  for (const f of newFailures) finalFailureKeys.add(f.key);
  const root: RootAttrs = {
    ...old.root,
    ...opts.root,
    successful_configs: finalResultKeys.size,
    failed_configs: finalFailureKeys.size,
    wflo_version: wfloVersion(),
    created_utc: old.root.created_utc ?? new Date().toISOString(),
  };
  // Unknown to the store unless the batch says: at least what is stored.
  if (opts.root?.total_configs === undefined) {
    root.total_configs = Math.max(old.root.total_configs ?? 0, finalResultKeys.size + finalFailureKeys.size);
  }

  const lib = await h5();
  await replaceAtomically(out, async (tmp) => {
    if (report.mode === "append") {
      try { copyFileSync(out, tmp, fsConstants.COPYFILE_FICLONE); } catch { copyFileSync(out, tmp); }
    }
    try {
      await withFile(tmp, report.mode === "append" ? "a" : "w", (f) => {
        if (report.mode === "rewrite") {
          for (const r of old.records ?? []) writeResultGroup(f, r);
          for (const fr of old.failures ?? []) if (!finalResultKeys.has(fr.key)) writeFailureGroup(f, fr);
        }
        for (const r of newResults) writeResultGroup(f, r);
        for (const fr of newFailures) writeFailureGroup(f, fr, { replace: true });
        writeRootAttrs(f, root);
      });
      fsyncFile(tmp);
    } catch (err) {
      // A full disk or a failing device: say so in one line naming the output.
      throw asStorageError(err, out);
    }
    // The exact key sets, the root attributes, and every new group's checksum (all of them with verify "all").
    const problem = await verifyOutput(tmp, {
      results: finalResultKeys, failures: finalFailureKeys,
      ...(opts.verify === "all" ? { readFailures: true } : { read: newResults.map((r) => r.key) }),
    });
    if (problem) {
      const kept = quarantine(dir, tmp, `merge produced a file that failed verification; the output was not replaced: ${problem}`);
      throw new Error(`merge into ${out} failed verification (${problem}); output and parts untouched; the bad file is kept in ${kept}`);
    }
  });
  report.merged = newResults.map((r) => r.key);
  report.failuresMerged = newFailures.length;
  report.results = finalResultKeys.size;
  report.failures = finalFailureKeys.size;
  // 4. only now are the merged parts deleted
  report.partsRemoved = finishRemoval(dir, toRemove);
  report.elapsedMs = performance.now() - t0;
  return report;
}

function finishRemoval(dir: string, ids: PartIdentity[]): number {
  let n = 0;
  for (const id of ids) if (removeIfSame(id)) n++;
  if (n > 0) fsyncDir(dir);
  return n;
}

