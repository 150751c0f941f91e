/**
 * Key probing: looking result groups up by name in a file whose group index is damaged (its
 * listing fails, the groups themselves may be intact). recover and the padded-copy salvage
 * (salvage.ts) use it; the names tried come from SalvageOptions.candidateKeys or recover's
 * own guess. Runs in short-lived workers: a lookup in damaged metadata can trap WebAssembly.
 */
import { h5, h5ErrorSummary, sweepLeakedStreams, type H5File, type H5Group } from "./h5.js";
import type { FileKind, FileReport, GroupReport } from "./read.js";
import { runInWorker } from "./sandbox.js";
import { readResultGroup } from "./schema.js";

/** True when a file opened but its groups could not be listed: its keys can only be looked up by name. */
export function unlisted(r: FileReport): boolean {
  return r.groups.length === 0 && r.errors.some((e) => e.includes("cannot list groups"));
}

/** Why a file's group index could not be listed (the HDF5 error, or the file's status). */
export function listError(r: FileReport): string {
  const e = r.errors.find((x) => x.includes("cannot list groups")) ?? r.errors[0] ?? r.status;
  return e.replace(/^.*cannot list groups: /, "");
}

export interface ProbeReport {
  path: string;
  opened: boolean;
  error?: string;
  kind: FileKind;
  /** Groups found by name (intact or not: each with its status and problems). */
  groups: GroupReport[];
  /** Keys looked up. */
  tried: number;
  /** Keys skipped because looking them up crashed the reader (WebAssembly trap). */
  crashed?: string[];
  /** What the reader printed to stderr (see FileReport.diagnostics); from a reader shared with other files, prefixed so. */
  diagnostics?: string[];
}

/** What one worker run returns per file: `trappedAt` = index into its keys of a WASM trap; `notReached` = not started. */
interface ProbeRun extends ProbeReport {
  trappedAt?: number;
  notReached?: boolean;
}

/** Restarts allowed per file after WebAssembly traps before the remaining keys are given up. */
const MAX_TRAP_RESTARTS = 8;

/**
 * Looks each of `keys` up by name in each file of `paths`, in short-lived workers.
 * For files whose group index is damaged: see SalvageOptions.candidateKeys. Looking a
 * name up in damaged metadata can trap the WASM instance (measured: "table index is out
 * of bounds" in a 0xFF-padded copy); the worker then stops, reports how far it got, and
 * a fresh worker resumes after the key that trapped.
 */
export async function probeKeys(paths: string[], keys: readonly string[], opts: { timeoutMs?: number } = {}): Promise<ProbeReport[]> {
  const results = new Map<string, ProbeReport>(paths.map((p) => [p, { path: p, opened: false, kind: "unknown" as FileKind, groups: [], tried: 0 }]));
  let pending: { path: string; keys: string[]; restarts: number }[] = paths.map((p) => ({ path: p, keys: [...keys], restarts: 0 }));
  while (pending.length > 0) {
    const batch = pending;
    pending = [];
    let runs: ProbeRun[];
    try {
      // The probe op reports per file only at its end: a batch's stderr goes to each of its files, marked shared.
      const onDiagnostics = (lines: string[]) => {
        for (const b of batch) {
          const shared = batch.length > 1 ? `(reader shared with ${batch.length - 1} other files) ` : "";
          (results.get(b.path)!.diagnostics ??= []).push(...lines.map((l) => shared + l));
        }
      };
      runs = await runInWorker<ProbeRun[]>("salvage-probe", { jobs: batch.map((b) => ({ path: b.path, keys: b.keys })) }, { timeoutMs: opts.timeoutMs ?? 120_000, onDiagnostics });
    } catch (err) {
      // The worker died without reporting (abort(), timeout): one worker per file, or give up on it.
      if (batch.length > 1) {
        for (const b of batch) merge(results.get(b.path)!, (await probeKeys([b.path], b.keys, opts))[0]);
      } else {
        results.get(batch[0].path)!.error = `the reader crashed: ${(err as Error).message}`;
      }
      continue;
    }
    for (const [k, run] of runs.entries()) {
      const b = batch[k];
      if (run.notReached) { pending.push(b); continue; }
      merge(results.get(b.path)!, run);
      if (run.trappedAt === -1) {
        results.get(b.path)!.error = `opening the file crashed the reader: ${run.error ?? "WebAssembly trap"}`;
      } else if (run.trappedAt !== undefined) {
        const r = results.get(b.path)!;
        (r.crashed ??= []).push(b.keys[run.trappedAt]);
        const rest = b.keys.slice(run.trappedAt + 1);
        if (rest.length > 0 && b.restarts < MAX_TRAP_RESTARTS) pending.push({ path: b.path, keys: rest, restarts: b.restarts + 1 });
        else if (rest.length > 0) r.error = `gave up after ${MAX_TRAP_RESTARTS} reader crashes; ${rest.length} keys not looked up`;
      }
    }
  }
  return paths.map((p) => results.get(p)!);
}

function merge(into: ProbeReport, run: ProbeReport): void {
  into.opened ||= run.opened;
  if (run.error && !into.opened) into.error = run.error;
  if (into.kind === "unknown") into.kind = run.kind;
  into.groups.push(...run.groups);
  into.tried += run.tried;
  if (run.crashed) (into.crashed ??= []).push(...run.crashed);
  if (run.diagnostics) (into.diagnostics ??= []).push(...run.diagnostics);
}

function isTrap(err: unknown): boolean {
  // WebAssembly.RuntimeError ("table index is out of bounds", "memory access out of bounds", "unreachable").
  return err instanceof Error && err.name === "RuntimeError";
}

/**
 * probeKeys in this thread: the worker op. Never throws for a damaged file. After a
 * WebAssembly trap the instance is not trusted again: the trapping file reports
 * `trappedAt`, the files after it `notReached`.
 */
export async function probeKeysHere(jobs: { path: string; keys: readonly string[] }[]): Promise<ProbeRun[]> {
  const lib = await h5();
  const out: ProbeRun[] = [];
  let poisoned = false;
  for (const { path, keys } of jobs) {
    const rep: ProbeRun = { path, opened: false, kind: "unknown", groups: [], tried: 0 };
    out.push(rep);
    if (poisoned) { rep.notReached = true; continue; }
    let f: H5File;
    try {
      f = new lib.File(path, "r");
    } catch (err) {
      if (isTrap(err)) { poisoned = true; rep.trappedAt = -1; rep.error = String(err); continue; }
      sweepLeakedStreams();
      rep.error = h5ErrorSummary(err);
      continue;
    }
    rep.opened = true;
    try {
      try {
        const init = f.get("init");
        if (init !== null && typeof (init as { shape?: unknown }).shape !== "undefined") rep.kind = "python-worker";
      } catch (err) {
        if (isTrap(err)) throw err;
        sweepLeakedStreams();
      }
      for (const [i, key] of keys.entries()) {
        try {
          rep.tried++;
          const g = f.get(key);
          if (g === null || typeof (g as H5Group).keys !== "function") continue;
          const r = readResultGroup(g as H5Group);
          if (r.status === "unreadable" || r.problems.length > 0) sweepLeakedStreams();
          const gr: GroupReport = { key, status: r.status, problems: r.problems.map((p) => ({ field: p.field, message: `${path}: ${p.message}` })) };
          if (r.record) { gr.record = r.record; if (r.record.checksum) gr.checksum = r.record.checksum; }
          if (rep.kind === "unknown" && r.record?.checksum) rep.kind = "wflo";
          rep.groups.push(gr);
        } catch (err) {
          if (isTrap(err)) { poisoned = true; rep.trappedAt = i; break; }
          sweepLeakedStreams(); // not findable: its leaf or its header is damaged
        }
      }
      if (rep.kind === "unknown" && rep.groups.length > 0) rep.kind = "python-layouts";
    } catch (err) {
      if (isTrap(err)) { poisoned = true; rep.trappedAt ??= -1; } else rep.error = h5ErrorSummary(err);
    } finally {
      if (!poisoned) {
        try { f.close(); } catch { /* damaged file */ }
        sweepLeakedStreams();
      }
    }
  }
  return out;
}
