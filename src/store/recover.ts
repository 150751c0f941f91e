/**
 * recover(inputs, out): every readable result from wflo part files, wflo outputs and the
 * Python tool's worker files (`worker_*.h5`), damaged or not, into one new validated
 * output written by the commit protocol.
 *
 * - Inputs are files or directories (walked recursively: every `*.h5`/`*.hdf5` file and
 *   every file that starts with the HDF5 signature, quarantined evidence included).
 *   Inputs are only ever opened read-only, and only in short-lived workers (sandbox.ts):
 *   h5wasm leaks a descriptor per error and a damaged file must not reach the caller.
 * - Every file is classified: ok, damaged (opened, some groups lost), truncated-salvaged,
 *   truncated (nothing salvaged), not-hdf5, empty, unreadable, with the number of
 *   groups salvaged from it and the number known lost.
 * - A truncated file is salvaged through padded copies (salvage.ts); a file whose group
 *   index is damaged is searched by name for the keys the other inputs span.
 * - A group counts when it reads intact: a wflo group whose checksum verifies, or a
 *   Python-tool group (no checksum) whose layout and aep read. Anything else is lost,
 *   never patched up or guessed.
 * - The same key with identical data (same checksum over layout, aep, per-turbine AEP
 *   and config attributes) in several files is one result. The same key with different
 *   data is a CONFLICT: reported with every variant and its source files, and none of
 *   the variants is written (recover does not pick one silently) — except when `out` is
 *   itself an input: then the output keeps the variant it already held (recover never
 *   removes stored data), and the conflict is still reported.
 * - Every written group carries `recovered_from` (JSON list of the input files that held
 *   it) and a checksum: Python-tool groups get theirs here. `recovered_from` is outside
 *   the checksum, so the same result recovered from other files has the same checksum.
 * - `out` is replaced atomically (temp → close → fsync → verify every group → rename →
 *   fsync dir) under the output's "merge" lock. An existing `out` that is not an input is
 *   refused unless `force`; a replaced `out` that was damaged, or that --force discards,
 *   is first copied to `<out>.parts/quarantine/` (evidence is never destroyed).
 */
import { existsSync, lstatSync, readdirSync, realpathSync, rmdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { quarantine } from "./commit.js";
import { verifyOutput } from "./verify.js";
import { asStorageError, fsyncFile, replaceAtomically } from "../util/fs.js";
import { withFile } from "./h5.js";
import { probeSuperblock, type SuperblockProbe } from "./hdf5-superblock.js";
import { acquireLockWaiting } from "./lock.js";
import { partsDir as partsDirOf } from "./parts.js";
import { isGoodStatus, type FileKind, type FileReport, type GroupReport } from "./read.js";
import { finishSalvage, preparePaddedCopies, storedEofFromError, truncation, type SalvagePrep, type SalvageResult } from "./salvage.js";
import { probeKeys, unlisted } from "./probe.js";
import { inspectFiles, runInWorker } from "./sandbox.js";
import { deepSalvage, type KeyAttrEvidence } from "./deepSalvage.js";
import { describeDifference } from "./conflictDiff.js";
import {
  computeChecksum, dataChecksum, formatKey, isResultKey, metadataWarning, parseKey,
  wfloVersion, writeFailureGroup, writeResultGroup, writeRootAttrs,
  type AttrValue, type FailureRecord, type RootAttrs, type StoredResult,
} from "./schema.js";

/** Attribute naming the input files a recovered group came from (JSON array of paths). */
export const RECOVERED_FROM_ATTR = "recovered_from";

export type RecoverFileStatus =
  /** Opened, every group intact. */
  | "ok"
  /** Opened, but some groups (or the group index) could not be read intact. */
  | "damaged"
  /** Shorter than its superblock says; groups salvaged from padded copies. */
  | "truncated-salvaged"
  /** Shorter than its superblock says; nothing could be salvaged. */
  | "truncated"
  /** No HDF5 signature (wrong magic, a text file). */
  | "not-hdf5"
  /** Zero bytes. */
  | "empty"
  /** HDF5, but it does not open (e.g. a writer killed before its first flush). */
  | "unreadable";

export interface RecoverFileReport {
  path: string;
  status: RecoverFileStatus;
  /** Intact result groups read from this file (before de-duplication across files). */
  salvaged: number;
  /** Groups known to be in the file but not readable intact (groups whose names are lost are not counted). */
  lost: number;
  /**
   * The keys of those groups (and of groups deep salvage found but could not take): copies
   * that did not read intact here. One may still be recovered from another file; those no
   * file holds intact are the report's `lostForGood`.
   */
  lostKeys?: string[];
  /** Of the salvaged, groups whose data is intact but attributes off (GroupStatus "metadata"): recovered, warned. */
  metadata: number;
  /** One line per such group: what was off; the clashing attributes are kept as original_<name>. */
  warnings: string[];
  /** Intact failure records (`_failed/<key>`) read from this file. */
  failures: number;
  /**
   * Of the salvaged, groups found by deep salvage: read from the object headers and data
   * that survive, where the group index does not (deepSalvage.ts).
   */
  deepSalvaged: number;
  /** Of those, the keys taken from attributes farm_idx/type_idx/ss_seed: no link naming the group survives. */
  keyFromAttributes: string[];
  /**
   * Groups deep salvage found intact but did not take: no link names them, and their
   * writer's key attributes are not shown to match its group names (deepSalvage.ts): the
   * data is there, its key is not known.
   */
  attributeKeysRefused?: number;
  /**
   * Runs of raw float64 data that no surviving structure names (a writer killed before its
   * metadata reached the disk): the data is there but cannot be attributed, so it is counted,
   * never recovered.
   */
  unlabeledBlocks: number;
  unlabeledBytes: number;
  kind: FileKind;
  sizeBytes: number;
  /** Why the file is not ok, each line naming the file and group. */
  errors: string[];
  /** What the readers printed to stderr while reading this file or its padded copies (see FileReport.diagnostics). */
  diagnostics?: string[];
}

export interface ConflictVariant {
  checksum: string;
  aepGWh: number;
  nTurbines: number;
  /** Input files holding this variant. */
  sources: string[];
  /** How this variant differs from the first one, one phrase per field (empty for the first). */
  differs?: string[];
}

export interface RecoverConflict {
  key: string;
  variants: ConflictVariant[];
  /** Checksum of the variant written: only when `out` was an input and held it; else null. */
  kept: string | null;
}

export interface RecoverReport {
  out: string;
  /** Result groups in the written output. */
  recovered: number;
  /** Failure records in the written output. */
  failuresRecovered: number;
  conflicts: RecoverConflict[];
  files: RecoverFileReport[];
  /** Extra copies of identical results merged into one. */
  duplicates: number;
  /**
   * Configurations some input names (a listed group, a group deep salvage found) of which no
   * input holds an intact copy: neither recovered nor a conflict. Sorted.
   */
  lostForGood?: string[];
  /** Whether `out` was written (false for dryRun). */
  written: boolean;
  /** Where a replaced `out` was kept, when it had to be. */
  previousOutKeptAs?: string;
  elapsedMs: number;
}

export interface RecoverOptions {
  /** Replace an existing `out` that is not among the inputs (its old content is quarantined, not lost). */
  force?: boolean;
  /** Classify and report only; write nothing. */
  dryRun?: boolean;
  /** Break a stale "merge" lock of `out`. */
  breakStale?: boolean;
  /** How long to wait for a merge of `out` under way before giving up (ms, default 60,000). */
  lockWaitMs?: number;
  /** Where salvage makes its padded copies (default os.tmpdir()). */
  tmpDir?: string;
  /** Per-file reader timeout in ms (a hanging file is reported unreadable). */
  timeoutMs?: number;
  /** Largest farm×type×seed grid of candidate names looked up in files with a damaged index. Default 50,000. */
  maxCandidateKeys?: number;
}

/** True when nothing was lost: every file ok and no conflicts (the CLI's exit 0). */
export function fullyRecovered(r: RecoverReport): boolean {
  return r.conflicts.length === 0 && r.files.every((f) => f.status === "ok");
}

// ---------------------------------------------------------------------------------------
// inputs

const H5_NAME = /\.(h5|hdf5|he5)$/i;

/** Files named by `inputs`: files as given, directories walked (sorted, no duplicates). */
export function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    let real: string;
    try { real = realpathSync(p); } catch { real = resolve(p); }
    if (!seen.has(real)) { seen.add(real); out.push(resolve(p)); }
  };
  const dirsSeen = new Set<string>();
  const walk = (dir: string) => {
    const real = realpathSync(dir);
    if (dirsSeen.has(real)) return;
    dirsSeen.add(real);
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      let st;
      try { st = statSync(p); } catch { continue; } // dangling symlink
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && (H5_NAME.test(name) || looksHdf5(p))) add(p);
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = statSync(input);
    } catch {
      throw new InputError(`no such file or directory`, { file: input });
    }
    if (st.isDirectory()) walk(input);
    else if (st.isFile()) add(input);
    else throw new InputError(`not a regular file or directory`, { file: input });
  }
  return out;
}

function looksHdf5(p: string): boolean {
  try {
    return probeSuperblock(p).kind !== "no-signature" && lstatSync(p).size > 0;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// recover

interface Source {
  file: RecoverFileReport;
  groups: GroupReport[];
  failures: FailureRecord[];
  root: RootAttrs;
}

export async function recover(inputs: string[], out: string, opts: RecoverOptions = {}): Promise<RecoverReport> {
  const t0 = performance.now();
  if (inputs.length === 0) throw new InputError("no input files or directories given");
  const outAbs = resolve(out);
  const paths = expandInputs(inputs);
  // A wrong directory must not end in an empty output and "0 recovered", exit 0.
  if (paths.length === 0) {
    throw new InputError(`no HDF5 files in ${inputs.join(", ")} (*.h5, *.hdf5, or any file with the HDF5 signature): nothing to recover, nothing written`);
  }
  let outReal: string | undefined;
  if (existsSync(outAbs)) {
    if (!statSync(outAbs).isFile()) throw new InputError("exists and is not a regular file", { file: out });
    outReal = realpathSync(outAbs);
  }
  const outIsInput = outReal !== undefined && paths.some((p) => safeRealpath(p) === outReal);
  if (outReal !== undefined && !outIsInput && !opts.force && !opts.dryRun) {
    throw new InputError("already exists; give it as an input too to fold its results in, or --force to replace it (its old content is kept in quarantine)", { file: out });
  }

  // The merge lock is taken BEFORE the inputs are read: a run or a merge that writes `out`
  // meanwhile would otherwise fold in parts (and delete them) that this recover's snapshot,
  // written afterwards, no longer holds. A merge under way is waited for.
  const dir = partsDirOf(outAbs);
  const dirExisted = existsSync(dir);
  const lock = opts.dryRun ? undefined : await acquireLockWaiting(dir, "merge", { breakStale: opts.breakStale, waitMs: opts.lockWaitMs });
  try {
    const sources = await readAll(paths, opts);
    const report = assemble(sources, outIsInput ? outReal! : undefined);
    report.result.out = outAbs;
    if (!opts.dryRun) {
      const outSource = outIsInput ? sources.find((s) => safeRealpath(s.file.path) === outReal) : undefined;
      const keepOld = outReal === undefined ? undefined
        : !outIsInput ? `replaced by wflo recover --force; the previous content was not an input`
        : outSource && outSource.file.status !== "ok" ? `replaced by wflo recover: the previous output was ${outSource.file.status}\n${outSource.file.errors.join("\n")}`
        : undefined;
      const res = await runInWorker<{ keptAs?: string }>("recover-write", {
        plan: { out: outAbs, partsDir: dir, results: report.plan.results, failures: report.plan.failures, root: report.plan.root, keepOld } satisfies WritePlan,
      });
      report.result.written = true;
      if (res.keptAs) report.result.previousOutKeptAs = res.keptAs;
    }
    report.result.elapsedMs = performance.now() - t0;
    return report.result;
  } finally {
    lock?.release();
    if (lock && !dirExisted) { try { rmdirSync(dir); } catch { /* not empty (quarantine): keep it */ } }
  }
}

function safeRealpath(p: string): string {
  try { return realpathSync(p); } catch { return resolve(p); }
}

/**
 * Reads every input in short-lived workers, in as few worker starts as possible: one
 * inspect pass over the intact-looking files and the padded copies of the truncated
 * ones together, then one look-up pass over every file whose group index is unreadable.
 */
async function readAll(paths: string[], opts: RecoverOptions): Promise<Source[]> {
  const sources: Source[] = paths.map((path) => ({
    file: { path, status: "unreadable", salvaged: 0, lost: 0, metadata: 0, warnings: [], failures: 0,
      deepSalvaged: 0, keyFromAttributes: [], attributeKeysRefused: 0, unlabeledBlocks: 0, unlabeledBytes: 0, kind: "unknown", sizeBytes: -1, errors: [] },
    groups: [], failures: [], root: {},
  }));
  const toInspect: number[] = [];
  const toSalvage: number[] = [];
  for (const [i, s] of sources.entries()) {
    let probe: SuperblockProbe;
    try {
      probe = probeSuperblock(s.file.path);
    } catch (err) {
      s.file.errors.push(`${s.file.path}: cannot read: ${(err as Error).message}`);
      continue;
    }
    s.file.sizeBytes = probe.size;
    if (probe.kind === "empty") { s.file.status = "empty"; s.file.errors.push(`${s.file.path}: empty file (0 bytes)`); continue; }
    if (probe.kind === "no-signature") { s.file.status = "not-hdf5"; s.file.errors.push(`${s.file.path}: not an HDF5 file (no HDF5 signature)`); continue; }
    if (probe.kind === "bad-superblock") {
      s.file.status = /cut short/.test(probe.reason) ? "truncated" : "unreadable";
      s.file.errors.push(`${s.file.path}: ${probe.reason}${s.file.status === "truncated" ? ": the file ends inside its superblock; nothing can be salvaged" : ""}`);
      continue;
    }
    if (truncation(probe).truncated) toSalvage.push(i); else toInspect.push(i);
  }

  let prep = preparePaddedCopies(toSalvage.map((i) => sources[i].file.path), { tmpDir: opts.tmpDir });
  const preps: { prep: SalvagePrep; idx: number[] }[] = [{ prep, idx: toSalvage }];
  try {
    const copies = prep.jobs.flatMap((j) => [j.zeros, j.ones]);
    const reports = await inspectFiles([...toInspect.map((i) => sources[i].file.path), ...copies], { withRecords: true, timeoutMs: opts.timeoutMs });
    const copyReports = new Map(copies.map((c, k) => [c, reports[toInspect.length + k]]));
    const unlistedIdx: number[] = [];
    const lateTruncated: number[] = [];
    const eofHints = new Map<string, number>();
    for (const [k, i] of toInspect.entries()) {
      const s = sources[i];
      const r = reports[k];
      if (r.status === "truncated") {
        // HDF5 sees a truncation the superblock probe did not: salvage with its number.
        const hint = storedEofFromError(r.errors.join("\n"));
        if (hint !== undefined) eofHints.set(s.file.path, hint);
        lateTruncated.push(i);
        continue;
      }
      fromReport(s, r);
      if (unlisted(r)) unlistedIdx.push(i);
    }
    if (lateTruncated.length > 0) {
      const late = preparePaddedCopies(lateTruncated.map((i) => sources[i].file.path), { tmpDir: opts.tmpDir, storedEofHint: eofHints });
      preps.push({ prep: late, idx: lateTruncated });
      const lateCopies = late.jobs.flatMap((j) => [j.zeros, j.ones]);
      const lateReports = await inspectFiles(lateCopies, { withRecords: true, timeoutMs: opts.timeoutMs });
      lateCopies.forEach((c, k) => copyReports.set(c, lateReports[k]));
    }

    // Names to look up where an index is unreadable: what the readable files hold.
    const salvageJobs = preps.flatMap((p) => p.prep.jobs);
    const candidates = candidateKeys(sources, copyReports, opts.maxCandidateKeys ?? 50_000);
    const lookups: string[] = [];
    if (candidates.length > 0) {
      for (const i of unlistedIdx) lookups.push(sources[i].file.path);
      for (const j of salvageJobs) if (unlisted(copyReports.get(j.zeros)!)) lookups.push(j.zeros, j.ones);
    }
    const probes = lookups.length > 0 ? await probeKeys(lookups, candidates, { timeoutMs: opts.timeoutMs }) : [];
    const probeOf = new Map(probes.map((p) => [p.path, p]));

    for (const { prep: pr, idx } of preps) {
      const jobOf = new Map(pr.jobs.map((j) => [j.result.path, j]));
      for (const [k, i] of idx.entries()) {
        const j = jobOf.get(sources[i].file.path);
        if (j) {
          const pz = probeOf.get(j.zeros);
          const po = probeOf.get(j.ones);
          for (const d of [copyReports.get(j.zeros)?.diagnostics, copyReports.get(j.ones)?.diagnostics, pz?.diagnostics, po?.diagnostics]) addDiagnostics(sources[i], d);
          finishSalvage(j, copyReports.get(j.zeros)!, copyReports.get(j.ones)!, pz && po ? { zeros: pz, ones: po, candidates: candidates.length } : undefined);
        }
        const r = pr.results[k];
        if (r.status === "not-truncated") r.errors.push(`${r.path}: HDF5 reports the file truncated, but it stores no usable end-of-file address`);
        fromSalvage(sources[i], r);
      }
    }
    for (const i of unlistedIdx) {
      const s = sources[i];
      const p = probeOf.get(s.file.path);
      addDiagnostics(s, p?.diagnostics);
      if (!p?.opened) continue;
      s.file.errors.push(`${s.file.path}: looked up ${candidates.length} candidate keys by name: ${p.groups.filter((g) => isGoodStatus(g.status)).length} found intact`);
      for (const g of p.groups) addGroup(s, g);
      if (p.kind !== "unknown") s.file.kind = p.kind;
    }
  } finally {
    for (const p of preps) p.prep.dispose();
  }
  await deepen(sources, opts);
  for (const s of sources) {
    if (s.file.status === "damaged" && s.file.salvaged === 0 && s.file.lost === 0 && s.groups.length === 0 && s.failures.length === 0 && unlistedOnly(s)) {
      s.file.status = "unreadable";
    }
  }
  return sources;
}

/**
 * Deep salvage of every file HDF5 could not read whole: groups found only from surviving
 * structures join those read before (a key already read from this file keeps that copy).
 */
async function deepen(sources: Source[], opts: RecoverOptions): Promise<void> {
  const todo = sources.filter((s) => s.file.status === "damaged" || s.file.status === "truncated" || s.file.status === "truncated-salvaged" || s.file.status === "unreadable");
  if (todo.length === 0) return;
  const results = await deepSalvage(todo.map((s) => s.file.path), { tmpDir: opts.tmpDir, timeoutMs: opts.timeoutMs, keyAttrEvidence: keyAttrEvidenceOf(sources) });
  for (const [k, s] of todo.entries()) {
    const r = results[k];
    s.file.errors.push(...r.errors);
    if (!r.scanned) continue;
    s.file.unlabeledBlocks = r.unlabeledBlocks;
    s.file.unlabeledBytes = r.unlabeledBytes;
    s.file.attributeKeysRefused = r.untrustedKeys;
    const have = new Set(s.groups.map((g) => g.key));
    const viaAttrs = new Set(r.keyFromAttributes);
    let added = 0;
    for (const g of r.groups) {
      if (have.has(g.key)) continue;
      have.add(g.key);
      addGroup(s, g);
      added++;
      if (viaAttrs.has(g.key)) s.file.keyFromAttributes.push(g.key);
    }
    s.file.deepSalvaged = added;
    const lostNew = r.lost.filter((l) => !have.has(l.key));
    if (lostNew.length > 0) (s.file.lostKeys ??= []).push(...lostNew.map((l) => l.key).filter((k) => !s.file.lostKeys?.includes(k)));
    if (added > 0 || lostNew.length > 0 || r.unnamed > 0 || r.untrustedKeys > 0 || r.unlabeledBlocks > 0) {
      const parts = [`${added} more groups read from the object headers and data that survive (${r.headers} headers found)`];
      if (s.file.keyFromAttributes.length > 0) parts.push(`${s.file.keyFromAttributes.length} of them named by their attributes farm_idx/type_idx/ss_seed (key from attributes: no link to them survives)`);
      if (r.untrustedKeys > 0) parts.push(`${r.untrustedKeys} groups with data whose only name would be their attributes, not taken: this writer's key attributes are not shown to match its group names`);
      if (r.unnamed > 0) parts.push(`${r.unnamed} groups with data but neither a name nor key attributes left (not recovered)`);
      if (r.unlabeledBlocks > 0) parts.push(`${r.unlabeledBlocks} blocks of unlabeled float64 data (${r.unlabeledBytes} bytes) whose metadata is lost (past a cut, or never written by a killed writer): present, but nothing says which result they belong to`);
      s.file.errors.push(`${s.file.path}: deep salvage: ${parts.join("; ")}`);
      for (const l of lostNew.slice(0, 20)) s.file.errors.push(`${s.file.path}: /${l.key}: deep salvage could not take it: ${l.reason}`);
      if (lostNew.length > 20) s.file.errors.push(`${s.file.path}: … ${lostNew.length - 20} more groups deep salvage could not take`);
    }
    if (added > 0) {
      if (s.file.status === "truncated") s.file.status = "truncated-salvaged";
      else if (s.file.status === "unreadable") s.file.status = "damaged";
    }
  }
}

/**
 * Whether the groups read by name (without a checksum: the Python tool's) carry
 * farm_idx/type_idx/ss_seed equal to their names: deep salvage names a group by its
 * attributes only when they do and none disagrees (deepSalvage.ts, choose()). wflo groups
 * are left out: they always agree, and say nothing about another writer's habits.
 */
function keyAttrEvidenceOf(sources: Source[]): (path: string) => KeyAttrEvidence {
  // Per directory: a run's workers write side by side, and a file from elsewhere (another
  // tool version) says nothing about them.
  const byDir = new Map<string, KeyAttrEvidence>();
  for (const s of sources) {
    const dir = dirname(resolve(s.file.path));
    let e = byDir.get(dir);
    if (!e) byDir.set(dir, (e = { agree: 0, disagree: 0 }));
    for (const g of s.groups) {
      if (!g.record || g.record.checksum !== undefined) continue;
      const bad = g.problems.some((p) => /^attrs\.(farm_idx|type_idx|ss_seed)$/.test(p.field));
      const has = ["farm_idx", "type_idx", "ss_seed"].every((n) => g.record!.attrs[n] !== undefined);
      if (bad) e.disagree++;
      else if (has) e.agree++;
    }
  }
  return (path) => byDir.get(dirname(resolve(path))) ?? { agree: 0, disagree: 0 };
}

function unlistedOnly(s: Source): boolean {
  return s.file.errors.some((e) => e.includes("cannot list groups"));
}

function addGroup(s: Source, g: GroupReport): void {
  if (isGoodStatus(g.status) && g.record) {
    s.groups.push(g);
    s.file.salvaged++;
    if (g.status === "metadata") {
      s.file.metadata++;
      s.file.warnings.push(`${s.file.path}: /${g.key}: recovered; ${metadataWarning(g.problems, s.file.path, g.key)}`);
    }
  } else {
    s.file.lost++;
    (s.file.lostKeys ??= []).push(g.key);
    // The first problem says why; the rest usually repeat it for the other datasets.
    const first = g.problems[0]?.message ?? g.status;
    const more = g.problems.length > 1 ? ` (+${g.problems.length - 1} more problems)` : "";
    const msg = first.startsWith(s.file.path) ? first.slice(s.file.path.length).replace(/^:\s*/, "") : first;
    s.file.errors.push(`${s.file.path}: /${g.key} lost (${g.status}): ${msg.replace(new RegExp(`^/${g.key}:\\s*`), "")}${more}`);
  }
}

function addDiagnostics(s: Source, lines: string[] | undefined): void {
  if (lines && lines.length > 0) (s.file.diagnostics ??= []).push(...lines);
}

function fromReport(s: Source, r: FileReport): void {
  addDiagnostics(s, r.diagnostics);
  s.file.kind = r.kind;
  if (r.sizeBytes >= 0) s.file.sizeBytes = r.sizeBytes;
  s.root = r.root;
  if (r.status === "not-hdf5") {
    s.file.status = "not-hdf5";
    s.file.errors.push(...r.errors);
    return;
  }
  const opened = !(r.groups.length === 0 && r.failures.length === 0 && r.errors.length > 0 && !unlisted(r) && r.status === "unreadable" && r.kind === "unknown" && Object.keys(r.root).length === 0);
  if (!opened) {
    s.file.status = "unreadable";
    s.file.errors.push(...r.errors);
    return;
  }
  for (const g of r.groups) addGroup(s, g);
  for (const f of r.failures) {
    if (f.record && f.problems.length === 0) { s.failures.push(f.record); s.file.failures++; }
    else s.file.errors.push(...f.problems.map((p) => `${s.file.path}: ${p.message}`));
  }
  // File-level errors other than the groups' own (already listed by addGroup).
  const groupMsgs = new Set(r.groups.flatMap((g) => g.problems.map((p) => p.message)));
  for (const e of r.errors) if (!groupMsgs.has(e) && !s.file.errors.includes(e)) s.file.errors.push(e);
  s.file.status = isGoodStatus(r.status) && s.file.lost === 0 ? "ok" : "damaged";
}

function fromSalvage(s: Source, r: SalvageResult): void {
  if (r.sizeBytes >= 0) s.file.sizeBytes = r.sizeBytes;
  s.file.kind = r.kind;
  s.root = r.root;
  s.file.errors.push(...r.errors);
  for (const g of r.groups) { s.groups.push(g); s.file.salvaged++; }
  for (const f of r.failures) if (f.record) { s.failures.push(f.record); s.file.failures++; }
  s.file.lost += r.lost.length;
  if (r.lost.length > 0) (s.file.lostKeys ??= []).push(...r.lost.map((l) => l.key));
  s.file.status = s.file.salvaged > 0 || s.file.failures > 0 ? "truncated-salvaged" : "truncated";
}

/**
 * Names worth looking up in a file whose group index is damaged: every key seen in any
 * input, plus the farm×type×seed grid they span (from 0 to one farm, one type and 10 %
 * (at least 10) seeds beyond the largest seen; when no key is seen at all, 10 farms ×
 * 5 types × 100 seeds), unless that grid exceeds `max`.
 */
function candidateKeys(sources: Source[], copyReports: Map<string, FileReport>, max: number): string[] {
  const keys = new Set<string>();
  for (const s of sources) {
    for (const g of s.groups) keys.add(g.key);
    for (const f of s.failures) keys.add(f.key);
  }
  for (const r of copyReports.values()) for (const g of r.groups) if (isResultKey(g.key)) keys.add(g.key);
  let maxF = keys.size === 0 ? 9 : 0, maxT = keys.size === 0 ? 4 : 0, maxS = keys.size === 0 ? 99 : 0;
  for (const k of keys) {
    const c = parseKey(k);
    maxF = Math.max(maxF, c.farmIdx); maxT = Math.max(maxT, c.typeIdx); maxS = Math.max(maxS, c.seed);
  }
  if (keys.size > 0) {
    // A little beyond what was seen: the damaged file may hold the last farm, type or seeds.
    maxF += 1; maxT += 1; maxS += Math.max(10, Math.ceil(0.1 * maxS));
  }
  if ((maxF + 1) * (maxT + 1) * (maxS + 1) <= max) {
    for (let f = 0; f <= maxF; f++) for (let t = 0; t <= maxT; t++) for (let s = 0; s <= maxS; s++) keys.add(formatKey({ farmIdx: f, typeIdx: t, seed: s }));
  }
  return [...keys].sort();
}

// ---------------------------------------------------------------------------------------
// assembling the output

interface PlannedResult {
  record: StoredResult;
  checksum: string;
}

interface WritePlan {
  out: string;
  partsDir: string;
  results: PlannedResult[];
  failures: FailureRecord[];
  root: RootAttrs;
  /** Copy the existing `out` to quarantine with this reason before replacing it. */
  keepOld?: string;
}

interface Variant {
  checksum: string; record: StoredResult; sources: string[]; provenance: Set<string>;
  /** Hash of the data alone, and whether every copy so far had its attributes off (status "metadata"). */
  data: string; metadataOnly: boolean;
}

function assemble(sources: Source[], outReal: string | undefined): { result: RecoverReport; plan: Omit<WritePlan, "out" | "partsDir" | "keepOld"> } {
  const byKey = new Map<string, Variant[]>();
  let duplicates = 0;
  // A key deep salvage took from a group's attributes is weaker than a name read from a
  // link: where the same key is read by name with other data, the attribute-named copy is
  // a result whose attributes lied, not a conflict that would hold the named one back.
  const viaAttrs = (s: Source, key: string) => s.file.keyFromAttributes.includes(key);
  const namedData = new Map<string, Set<string>>();
  for (const s of sources) {
    for (const g of s.groups) {
      if (viaAttrs(s, g.key)) continue;
      let set = namedData.get(g.key);
      if (!set) namedData.set(g.key, (set = new Set()));
      set.add(dataChecksum(g.record!));
    }
  }
  for (const s of sources) {
    s.groups = s.groups.filter((g) => {
      if (!viaAttrs(s, g.key) || !namedData.has(g.key) || namedData.get(g.key)!.has(dataChecksum(g.record!))) return true;
      s.file.salvaged--;
      s.file.deepSalvaged--;
      s.file.lost++;
      if (g.status === "metadata") s.file.metadata--;
      if (s.file.salvaged === 0 && s.file.status === "truncated-salvaged") s.file.status = "truncated";
      s.file.keyFromAttributes = s.file.keyFromAttributes.filter((k) => k !== g.key);
      s.file.errors.push(`${s.file.path}: deep salvage: a group named ${g.key} by its attributes holds other data than the group of that name read elsewhere: its attributes are not its key; not taken`);
      return false;
    });
  }
  for (const s of sources) {
    for (const g of s.groups) {
      const rec = g.record!;
      let checksum: string;
      try {
        checksum = computeChecksum(rec);
      } catch (err) {
        // readResultGroup accepted it but the writer would not: lost, with the reason.
        s.file.salvaged--;
        s.file.lost++;
        (s.file.lostKeys ??= []).push(g.key);
        s.file.errors.push(`${s.file.path}: /${g.key}: cannot be written back: ${(err as Error).message}`);
        if (s.file.status === "ok") s.file.status = "damaged";
        continue;
      }
      const list = byKey.get(g.key) ?? [];
      byKey.set(g.key, list);
      const prior = rec.attrs[RECOVERED_FROM_ATTR];
      // A copy whose attributes are off is the same result as one with the same data: one
      // variant, written with the tidy copy's attributes when there is one.
      const data = dataChecksum(rec);
      const isMeta = g.status === "metadata";
      let v = list.find((x) => x.checksum === checksum || (x.data === data && (isMeta || x.metadataOnly)));
      if (v) {
        duplicates++;
        if (v.metadataOnly && !isMeta) { v.record = rec; v.checksum = checksum; v.metadataOnly = false; }
      } else { v = { checksum, record: rec, sources: [], provenance: new Set(), data, metadataOnly: isMeta }; list.push(v); }
      v.sources.push(s.file.path);
      v.provenance.add(s.file.path);
      if (typeof prior === "string") for (const p of parseProvenance(prior)) v.provenance.add(p);
    }
  }
  const conflicts: RecoverConflict[] = [];
  const results: PlannedResult[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const variants = byKey.get(key)!;
    let chosen: Variant | undefined;
    if (variants.length === 1) chosen = variants[0];
    else {
      const held = outReal === undefined ? undefined : variants.find((v) => v.sources.some((p) => safeRealpath(p) === outReal));
      conflicts.push({
        key,
        kept: held ? held.checksum : null,
        variants: variants.map((v, i) => ({
          checksum: v.checksum, aepGWh: v.record.aepGWh, nTurbines: v.record.layout.length / 2, sources: v.sources,
          differs: i === 0 ? [] : describeDifference(variants[0].record, v.record, [RECOVERED_FROM_ATTR]),
        })),
      });
      chosen = held;
    }
    if (!chosen) continue;
    const attrs: Record<string, AttrValue> = { ...chosen.record.attrs, [RECOVERED_FROM_ATTR]: JSON.stringify([...chosen.provenance].sort()) };
    results.push({ record: { ...chosen.record, attrs, checksum: undefined }, checksum: chosen.checksum });
  }
  const conflicted = new Set(conflicts.map((c) => c.key));
  const resultKeys = new Set(results.map((r) => r.record.key));
  // Failures only for keys without a result; of several records the one with most attempts.
  const failures = new Map<string, FailureRecord>();
  for (const s of sources) {
    for (const f of s.failures) {
      if (resultKeys.has(f.key) || conflicted.has(f.key)) continue;
      const prev = failures.get(f.key);
      if (!prev || f.attempts > prev.attempts) failures.set(f.key, f);
    }
  }
  const root = agreedRoot(sources);
  root.successful_configs = results.length;
  root.failed_configs = failures.size;
  root.total_configs = Math.max(root.total_configs ?? 0, results.length + failures.size);
  root.wflo_version = wfloVersion();
  root.created_utc = new Date().toISOString();
  // Named somewhere, intact nowhere: no variant of the key was read from any file.
  const lostForGood = [...new Set(sources.flatMap((s) => s.file.lostKeys ?? []))].filter((k) => !byKey.has(k)).sort();
  const result: RecoverReport = {
    out: "", recovered: results.length, failuresRecovered: failures.size, conflicts,
    files: sources.map((s) => s.file), duplicates, lostForGood, written: false, elapsedMs: 0,
  };
  return { result, plan: { results, failures: [...failures.values()].sort((a, b) => (a.key < b.key ? -1 : 1)), root } };
}

function parseProvenance(v: string): string[] {
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) ? a.filter((x): x is string => typeof x === "string") : [v];
  } catch {
    return [v];
  }
}

/** Root attributes every input that has them agrees on (spec_json, grid_size, random_pct, total_configs). */
function agreedRoot(sources: Source[]): RootAttrs {
  const out: RootAttrs = {};
  for (const name of ["spec_json", "grid_size", "random_pct", "total_configs"] as const) {
    const values = new Set<string>();
    let value: string | number | undefined;
    for (const s of sources) {
      const v = s.root[name];
      if (v === undefined) continue;
      values.add(String(v));
      value = v;
    }
    if (values.size === 1) (out as Record<string, unknown>)[name] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// writing (in a worker)

/**
 * Writes the planned output atomically and verifies it before the rename: every group
 * reads back intact with the checksum planned, the failure set and root attributes are
 * exact. The worker op "recover-write"; callers use recover().
 */
export async function writeRecoveredHere(plan: WritePlan): Promise<{ keptAs?: string }> {
  let keptAs: string | undefined;
  if (plan.keepOld && existsSync(plan.out)) keptAs = quarantine(plan.partsDir, plan.out, plan.keepOld, { copy: true });
  await replaceAtomically(plan.out, async (tmp) => {
    try {
      await withFile(tmp, "w", (f) => {
        for (const r of plan.results) {
          const written = writeResultGroup(f, r.record);
          if (written !== r.checksum) throw new Error(`/${r.record.key}: checksum written ${written}, planned ${r.checksum}`);
        }
        for (const fr of plan.failures) writeFailureGroup(f, fr);
        writeRootAttrs(f, plan.root);
      });
      fsyncFile(tmp);
    } catch (err) {
      // a full disk or a failing device: one line naming the output, not HDF5's error stack (as merge)
      throw asStorageError(err, plan.out);
    }
    // Every group read back with the checksum planned for it; every failure read back.
    const problem = await verifyOutput(tmp, {
      results: new Set(plan.results.map((r) => r.record.key)), failures: new Set(plan.failures.map((f) => f.key)),
      checksums: new Map(plan.results.map((r) => [r.record.key, r.checksum])), readFailures: true,
    });
    if (problem) throw new Error(`the recovered file failed verification (${problem}); ${plan.out} was not replaced`);
  });
  return { keptAs };
}

