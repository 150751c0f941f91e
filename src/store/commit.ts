/**
 * The commit protocol (DESIGN.md, "the guarantees"):
 *  1. a file at its final name is complete: written under a temp name in the same
 *     directory, closed, fsynced, renamed (or linked) into place, directory fsynced;
 *  2. one result, one part file `<out>.parts/<key>.h5`, committed without clobbering:
 *     committing a key twice yields one result, and different data for the same key is a
 *     conflict, reported and kept as evidence, never silently resolved;
 *  5. evidence is never destroyed: a damaged file is moved to quarantine with a reason.
 *
 * HDF5 flush() is not a commit (3 % of SIGKILLs destroyed a flushed file), so every part
 * is a whole, closed file. Works in any thread: batch workers commit their own parts.
 * Atomic file writes are ../util/fs.ts; what is committed (the state a run resumes from) is ./state.ts.
 */
import { copyFileSync, existsSync, linkSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { WfloError } from "../errors.js";
import { asStorageError, ensureDir, fsyncDir, fsyncFile, replaceAtomically, tempPathFor } from "../util/fs.js";
import { withFile } from "./h5.js";
import { failurePartPath, partPath, partsDir, quarantineDir } from "./parts.js";
import { inspectFile, isGoodStatus } from "./read.js";
import {
  checkedRecord, wfloVersion, writeFailureGroup, writeResultGroup, writeRootAttrs,
  type AttrValue, type ResultRecord,
} from "./schema.js";

/**
 * Publishes a complete temp file at `finalPath` only if nothing is there (link(2) is
 * atomic and fails with EEXIST), so two commits of one key cannot overwrite each other.
 * Returns false when `finalPath` already exists (the temp file is then left to the caller).
 */
function publishNoClobber(tmp: string, finalPath: string): boolean {
  try {
    linkSync(tmp, finalPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EXDEV" || code === "ENOSYS") {
      // Filesystems without hard links: rename after an existence check (the lock keeps one writer per key).
      if (existsSync(finalPath)) return false;
      renameSync(tmp, finalPath);
      fsyncDir(dirname(finalPath));
      return true;
    }
    throw err;
  }
  try { unlinkSync(tmp); } catch { /* the result is published; a leftover temp link is harmless */ }
  fsyncDir(dirname(finalPath));
  return true;
}

/**
 * Moves `file` into `<partsDir>/quarantine/` with `<name>.reason.txt` beside it, never
 * deleting it. With `copy`, the original is left in place (recover must not touch inputs).
 * Returns the quarantined path.
 */
export function quarantine(partsDirPath: string, file: string, reason: string, opts: { copy?: boolean } = {}): string {
  const qdir = quarantineDir(partsDirPath);
  ensureDir(qdir);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  let dest = join(qdir, `${basename(file)}.${stamp}`);
  for (let i = 1; existsSync(dest); i++) dest = join(qdir, `${basename(file)}.${stamp}.${i}`);
  const note = `${new Date().toISOString()} ${file}\n${reason}\n`;
  writeFileSync(`${dest}.reason.txt`, note);
  fsyncFile(`${dest}.reason.txt`);
  if (opts.copy) {
    copyFileSync(file, dest);
    fsyncFile(dest);
  } else {
    try {
      renameSync(file, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      copyFileSync(file, dest);
      fsyncFile(dest);
      unlinkSync(file);
    }
  }
  fsyncDir(qdir);
  if (!opts.copy) fsyncDir(dirname(file));
  return dest;
}

/** Thrown by commitResult when a key is committed again with different data. */
export class CommitConflictError extends WfloError {
  readonly key: string;
  readonly existingPath: string;
  readonly existingChecksum?: string;
  readonly checksum: string;
  readonly evidencePath: string;
  constructor(key: string, existingPath: string, existingChecksum: string | undefined, checksum: string, evidencePath: string) {
    super(`${key}: already committed with different data (${existingPath}: ${existingChecksum ?? "no checksum"}, new: ${checksum}); the new result is kept in ${evidencePath}`, "commit-conflict", 1);
    this.name = "CommitConflictError";
    this.key = key;
    this.existingPath = existingPath;
    this.existingChecksum = existingChecksum;
    this.checksum = checksum;
    this.evidencePath = evidencePath;
  }
}

export interface CommitOutcome {
  key: string;
  /** committed: new part; unchanged: the same data was already committed; conflict: different data (onConflict "report"). */
  status: "committed" | "unchanged" | "conflict";
  path: string;
  checksum: string;
  existingChecksum?: string;
  /** Where the conflicting new result was kept. */
  evidencePath?: string;
}

export interface CommitOptions {
  /** "throw" (default): CommitConflictError; "report": return status "conflict". Both keep the evidence. */
  onConflict?: "throw" | "report";
  /** Parts directory; default `<out>.parts`. */
  partsDir?: string;
}

/** Writes a part to `tmp`; a storage failure comes out as a StorageError naming `shownAs`. */
async function writePartFile(tmp: string, write: (f: Parameters<typeof writeRootAttrs>[0]) => void, shownAs = tmp): Promise<void> {
  try {
    await withFile(tmp, "w", (f) => {
      writeRootAttrs(f, { wflo_version: wfloVersion(), created_utc: new Date().toISOString() });
      write(f);
    });
  } catch (err) {
    throw asStorageError(err, shownAs);
  }
}

/**
 * Commits one result as `<out>.parts/<key>.h5`. When it returns, the result survives a
 * crash. Idempotent: the same data again is a no-op ("unchanged"); different data is a
 * conflict. A damaged part already at the name is quarantined and replaced.
 * Does not look into the merged output: merge reconciles part and output (same checksum
 * → one result; different → conflict, part quarantined).
 */
export async function commitResult(out: string, rec: ResultRecord, opts: CommitOptions = {}): Promise<CommitOutcome> {
  const norm = checkedRecord(rec); // InputError on a bad record, before touching disk
  const checksum = norm.checksum;
  const dir = opts.partsDir ?? partsDir(out);
  ensureDir(dir);
  const final = partPath(dir, rec.key);

  const existing = await compareExisting(final, checksum, dir);
  if (existing) return finishExisting(existing, rec.key, final, checksum, dir, norm, opts);

  const tmp = tempPathFor(final);
  try {
    await writePartFile(tmp, (f) => { writeResultGroup(f, norm); }, final);
    try { fsyncFile(tmp); } catch (err) { throw asStorageError(err, final); }
    if (publishNoClobber(tmp, final)) return { key: rec.key, status: "committed", path: final, checksum };
    // Lost a race with another commit of the same key: compare with the winner.
    const again = await compareExisting(final, checksum, dir);
    if (!again) {
      if (publishNoClobber(tmp, final)) return { key: rec.key, status: "committed", path: final, checksum };
      throw new Error(`${final}: could not publish the part (it keeps appearing and vanishing)`);
    }
    return finishExisting(again, rec.key, final, checksum, dir, norm, opts);
  } finally {
    try { unlinkSync(tmp); } catch { /* already linked and removed */ }
  }
}

type Existing = { same: true; existingChecksum: string } | { same: false; existingChecksum?: string };

/** Compares the part at `final` with `checksum`; undefined when there is none (a damaged one is quarantined). */
async function compareExisting(final: string, checksum: string, dir: string): Promise<Existing | undefined> {
  if (!existsSync(final)) return undefined;
  // Our own part at its final name: trusted enough to read in this thread (errors are caught).
  const report = await inspectFile(final);
  const g = report.groups.length === 1 ? report.groups[0] : undefined;
  if (!isGoodStatus(report.status) || !g || !isGoodStatus(g.status)) {
    quarantine(dir, final, `damaged part found when committing again: ${report.status}\n${report.errors.join("\n")}`);
    return undefined;
  }
  if (g.checksum === checksum) return { same: true, existingChecksum: checksum };
  return { same: false, existingChecksum: g.checksum };
}

async function finishExisting(
  existing: Existing, key: string, final: string, checksum: string, dir: string,
  norm: ResultRecord, opts: CommitOptions,
): Promise<CommitOutcome> {
  if (existing.same) return { key, status: "unchanged", path: final, checksum, existingChecksum: existing.existingChecksum };
  // Keep the new, conflicting result as evidence beside the parts.
  const qdir = quarantineDir(dir);
  ensureDir(qdir);
  const evidence = join(qdir, `${key}.conflict.${Date.now()}.${process.pid}.h5`);
  await replaceAtomically(evidence, (tmp) => writePartFile(tmp, (f) => { writeResultGroup(f, norm); }));
  writeFileSync(`${evidence}.reason.txt`, `${new Date().toISOString()} conflict: ${final} holds ${existing.existingChecksum ?? "no checksum"}, a new commit of ${key} gave ${checksum}\n`);
  if ((opts.onConflict ?? "throw") === "throw") throw new CommitConflictError(key, final, existing.existingChecksum, checksum, evidence);
  return { key, status: "conflict", path: final, checksum, existingChecksum: existing.existingChecksum, evidencePath: evidence };
}

/**
 * Records that `key` failed after `attempts` tries with `error`, as
 * `<out>.parts/<key>.failed.h5` (replacing an earlier failure record of the same key).
 * A later successful result for the key takes precedence at merge.
 */
export async function commitFailure(
  out: string, key: string, error: string, attempts: number,
  opts: { partsDir?: string; attrs?: Record<string, AttrValue> } = {},
): Promise<string> {
  const dir = opts.partsDir ?? partsDir(out);
  ensureDir(dir);
  const final = failurePartPath(dir, key);
  await replaceAtomically(final, (tmp) => writePartFile(tmp, (f) => writeFailureGroup(f, { key, error, attempts, attrs: opts.attrs }), final));
  return final;
}
