/**
 * `runBatch`: runs a batch spec over a pool of worker threads (./pool.ts), resumably.
 *
 * One task per worker is in flight, so the next config is chosen only when a worker is
 * free and a stop takes effect at once. A worker that dies takes only its config with it;
 * the config is retried (`retries`, default 2) and then recorded as failed.
 *
 * Flow: validate the spec (bad input fails before anything starts) → take the lock
 * ("writer", or "shard-i-of-n") → a worker scans what is committed and the stored spec →
 * refuse an incompatible spec → run the missing configs (each worker optimizes and commits
 * its own part file) → merge periodically and at the end (never for a shard).
 */
import { existsSync, rmdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InputError } from "../errors.js";
import { LockError, type LockHandle } from "../store/lock.js";
import { openResultStore } from "../store/resultStore.js";
import { asStorageError, storageErrorCode } from "../util/fs.js";
import { readInputText } from "../util/files.js";
import { partPath } from "../store/parts.js";
import { h5ErrorSummary } from "../store/h5.js";
import { isGoodStatus } from "../store/read.js";
import type { RootAttrs } from "../store/schema.js";
import { expandConfigs, rootAttrs, runLockName, shardConfigs, type BatchConfig, type Shard } from "./config.js";
import { WorkerPool, PoolStartError } from "./pool.js";
import { ProgressTracker, type BatchProgress } from "./progress.js";
import type { ConfigProgress, ConfigReply, ConfigTask, WorkerContext, WorkerTask } from "./protocol.js";
import { checkSpecCompatible, mergeSeeds, parseBatchSpec, readPartsSpec, writePartsSpec, type BatchSpec } from "./spec.js";

/** How long the final merge waits for another process's merge to release the lock (ms). */
const MERGE_LOCK_WAIT_MS = 10 * 60 * 1000;

export interface RunBatchOptions {
  /** Output HDF5 file; parts go to `<out>.parts/`. */
  out: string;
  /** Worker threads (default: os.availableParallelism()). */
  workers?: number;
  /** Stop: no new config starts; in-flight configs finish and are committed. */
  signal?: AbortSignal;
  /** Abandon: in-flight configs are dropped at once (their workers terminated). */
  abandonSignal?: AbortSignal;
  /** After `signal` fires, how long in-flight configs may still run before being abandoned (ms). Default: no limit. */
  graceMs?: number;
  /** Called on every event and at least every `progressIntervalMs` while running. */
  onProgress?: (p: BatchProgress) => void;
  progressIntervalMs?: number;
  /** Run only configs with index ≡ shard.index (mod shard.count); takes a shard lock and never merges. */
  shard?: Shard;
  /** Attempts after the first before a config is recorded as failed (default 2). */
  retries?: number;
  /** Heap limit of each worker (MB, `resourceLimits.maxOldGenerationSizeMb`; default 1024). */
  memoryLimitMb?: number;
  /** Merge when this many new results wait (default 200; grows to a quarter of the output so merging stays linear overall). */
  mergeEvery?: number;
  /** ... or when this many seconds passed since the last merge and something waits (default 120). */
  mergeEverySeconds?: number;
  /** Break an unreadable lock file (a dead holder's lock is broken anyway: see store/lock.ts). */
  breakStaleLock?: boolean;
  /** Break any lock, also one held from another host (the caller vouches that run is gone). */
  forceLock?: boolean;
  /** The spec's file name, for error messages. */
  file?: string;
  /** Test hook: absolute path of a module implementing `BatchWork` in place of ./work.ts. */
  workModule?: string;
}

export interface BatchFailure { key: string; error: string; attempts: number }

export interface BatchSummary {
  out: string;
  shard?: Shard;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  /** Configs neither committed nor failed (the run was stopped). */
  missing: number;
  elapsedS: number;
  /** A stop was requested; the output is resumable. */
  cancelled: boolean;
  /** In-flight configs were abandoned. */
  abandoned: boolean;
  failures: BatchFailure[];
  retries: number;
  bestAepGWh?: number;
  bestKey?: string;
  meanAepGWh?: number;
  /** Results merged by this run; results in the output after the last merge (undefined for a shard). */
  merged: number;
  outputResults?: number;
  /** Sum over configs of the time spent committing / optimizing (s), for the benchmark. */
  commitS: number;
  optimizeS: number;
  workers: number;
  /**
   * Why a merge of this run failed (the last such failure), when one did: the parts are kept
   * and merged by the next run or `wflo merge`. The CLI exits 1 on it.
   */
  mergeError?: string;
  /**
   * The batch stopped because storage failed (a full disk, EIO, a read-only directory): one
   * line naming the file and the errno. Committed results stay; the same call resumes.
   */
  storageError?: string;
  /** Problems that did not stop the batch, for people (a merge that failed, a failure that could not be recorded). */
  warnings: string[];
}

/** Absolute path of a sibling module: `.ts` when running from source (tsx), `.js` from dist/. */
function sibling(name: string): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), name + extname(here));
}

function describeError(err: unknown): string {
  const e = err as { code?: string; message?: string } | undefined;
  // HDF5's errors carry its whole diagnostic stack: its innermost line says it all.
  const msg = /HDF5-DIAG/.test(e?.message ?? "") ? h5ErrorSummary(err) : e?.message ?? String(err);
  return e?.code && !msg.includes(e.code) ? `${e.code}: ${msg}` : msg;
}

function isAbort(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return e?.name === "AbortError" || e?.code === "ABORT_ERR";
}

/**
 * Runs every config of `spec` (or of one shard) not yet committed to `opts.out`.
 * Throws before any config runs: InputError for a bad spec, a spec that does not match
 * the output's, or a damaged output; the store's LockError when another run holds the
 * lock. Resolves with a summary also when stopped; the output stays resumable.
 */
export async function runBatch(specInput: unknown, opts: RunBatchOptions): Promise<BatchSummary> {
  // Files a spec object names (turbine, wind rose, boundary) are read beside its file, or from
  // the working directory when it has none: a notebook's spec literal naming "cs3.csv".
  const base = opts.file !== undefined ? dirname(resolve(opts.file)) : process.cwd();
  const spec: BatchSpec = parseBatchSpec(specInput, { file: opts.file, readText: (p) => readInputText(resolve(base, p), "file named by the spec") });
  const out = resolve(opts.out);
  const store = openResultStore(out);
  const partsDir = store.partsDir;
  const mine = shardConfigs(expandConfigs(spec), opts.shard);
  const nWorkers = opts.workers ?? availableParallelism();
  if (!Number.isInteger(nWorkers) || nWorkers < 1) throw new InputError(`must be an integer ≥ 1, got ${nWorkers}`, { field: "workers" });
  const retries = opts.retries ?? 2;
  const tracker = new ProgressTracker(mine.length);
  const warnings: string[] = [];
  const failures: BatchFailure[] = [];
  let commitS = 0, optimizeS = 0;
  let merged = 0, outputResults: number | undefined;
  let mergeError: string | undefined;
  let storageError: string | undefined;

  // a run refused before any work (a damaged output) leaves no empty parts directory behind
  const partsDirIsNew = !existsSync(partsDir);
  const lock: LockHandle = store.lock(runLockName(opts.shard), { breakStale: opts.breakStaleLock, force: opts.forceLock });
  let pool: WorkerPool | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const abandonCtl = new AbortController();
  let stopping = false, abandoned = false;
  const emit = (): void => {
    if (!opts.onProgress) return;
    try { opts.onProgress(tracker.snapshot()); } catch { /* a display error must not stop the batch */ }
  };
  const onAbandon = (): void => {
    if (abandoned) return;
    abandoned = true;
    stopping = true;
    tracker.p.phase = "stopping";
    abandonCtl.abort();
  };
  const onStop = (): void => {
    if (stopping) return;
    stopping = true;
    tracker.p.phase = "stopping";
    if (opts.graceMs !== undefined && Number.isFinite(opts.graceMs)) {
      graceTimer = setTimeout(onAbandon, Math.max(0, opts.graceMs));
      graceTimer.unref();
    }
    emit();
  };
  opts.signal?.addEventListener("abort", onStop, { once: true });
  opts.abandonSignal?.addEventListener("abort", onAbandon, { once: true });

  try {
    // What is committed already (output ∪ valid parts), read in the store's own worker.
    const state = await store.state();
    if (state.output && !isGoodStatus(state.output.status)) {
      throw new InputError(
        `the output is damaged (${state.output.status}: ${state.output.errors.slice(0, 2).join("; ")}); ` +
        `nothing was run. Salvage it with: wflo recover ${out} --out <new.h5>`, { file: out });
    }
    const storedOut = state.output?.root.spec_json;
    const storedParts = readPartsSpec(partsDir);
    if (storedOut !== undefined) checkSpecCompatible(storedOut, spec, { where: `${out} (root attribute spec_json)`, file: opts.file, out });
    if (storedParts !== undefined) checkSpecCompatible(storedParts, spec, { where: `${partsDir}/spec.json`, file: opts.file, out });
    // Seeds may change between runs: the output then describes the union.
    let effective = spec;
    for (const stored of [storedOut, storedParts]) if (stored !== undefined) effective = mergeSeeds(stored, effective);
    writePartsSpec(partsDir, effective);
    const root: RootAttrs = rootAttrs(effective);

    const todo: BatchConfig[] = mine.filter((c) => !state.results.has(c.key));
    tracker.start(mine.length - todo.length);
    emit();
    if (opts.onProgress && opts.progressIntervalMs !== 0) {
      heartbeat = setInterval(emit, opts.progressIntervalMs ?? 1000);
      heartbeat.unref();
    }
    if (opts.signal?.aborted) onStop();
    if (opts.abandonSignal?.aborted) onAbandon();

    const ctx: WorkerContext = { spec, out, workModule: opts.workModule ? resolve(opts.workModule) : sibling("work") };
    const threads = Math.max(1, Math.min(nWorkers, todo.length));
    if (todo.length > 0 && !stopping) {
      pool = new WorkerPool({
        size: threads,
        moduleUrl: pathToFileURL(sibling("worker")),
        workerData: ctx,
        resourceLimits: { maxOldGenerationSizeMb: opts.memoryLimitMb ?? 1024 },
        preload: ["h5wasm/node"],
      });
    }
    const run = <R>(task: WorkerTask, onProgress?: (v: unknown) => void): Promise<R> => pool!.run<R>(task, abandonCtl.signal, onProgress);

    // Merging (never for a shard): by count, growing with the output so the total cost
    // stays linear, and by time. It runs beside the workers, in the store's own worker.
    const canMerge = !opts.shard;
    let waiting = 0; // results committed as parts since the last merge
    let outputCount = state.results.size;
    let lastMerge = performance.now();
    let merging: Promise<void> | undefined;
    const mergeEvery = opts.mergeEvery ?? 200;
    const mergeEveryMs = (opts.mergeEverySeconds ?? 120) * 1000;
    const doMerge = async (final: boolean): Promise<void> => {
      const before = waiting;
      tracker.p.phase = "merging";
      emit();
      try {
        // A periodic merge is capped so that a batch killed again and again still shrinks a
        // large backlog of parts (each merge completes); the final merge takes everything.
        const mergeOnce = () => store.merge({
          root,
          lock: final ? "acquire" : "skip-if-busy",
          breakStale: opts.breakStaleLock,
          ...(final ? {} : { maxParts: Math.max(mergeEvery, 1000) }),
        });
        // The final merge waits for a live holder of the merge lock (a `wflo merge` run by
        // hand, another run's merge) instead of leaving the parts and exiting 1: a merge holds
        // it for seconds. Abandoning (Ctrl-C twice, SIGTERM) ends the wait.
        let r: Awaited<ReturnType<typeof mergeOnce>>;
        for (const t0 = performance.now(); ;) {
          try { r = await mergeOnce(); break; } catch (err) {
            const busy = err instanceof LockError && (err.state === "held" || err.state === "foreign");
            if (!final || !busy || abandoned || performance.now() - t0 > MERGE_LOCK_WAIT_MS) throw err;
            await new Promise((res) => setTimeout(res, 250));
          }
        }
        if (r.skipped) { warnings.push(`merge skipped: ${r.skipped}`); return; }
        merged += r.merged.length;
        waiting = r.remaining > 0 ? Math.max(waiting, 1) : Math.max(0, waiting - before);
        outputCount = r.results;
        outputResults = r.results;
        tracker.p.merged = merged;
        for (const c of r.conflicts) warnings.push(`merge: ${c.key} in a part differs from the output; the part was kept in ${c.quarantinedAs}`);
        for (const q of r.quarantined) if (!r.conflicts.some((c) => c.part === q.path)) warnings.push(`merge quarantined ${q.path}: ${q.reason.split("\n")[0]}`);
      } catch (err) {
        mergeError = describeError(err);
        if (storageErrorCode(err)) { storageError ??= `merge into ${out}: ${mergeError}`; onStop(); return; }
        warnings.push(`merge into ${out} failed (parts kept; they are merged by the next run or wflo merge): ${mergeError}`);
      } finally {
        lastMerge = performance.now();
        tracker.p.phase = stopping ? "stopping" : "running";
        emit();
      }
    };
    const maybeMerge = (): void => {
      if (!canMerge || merging || waiting === 0) return;
      if (waiting >= Math.max(mergeEvery, Math.floor(outputCount / 4)) || performance.now() - lastMerge >= mergeEveryMs) {
        merging = doMerge(false).finally(() => { merging = undefined; });
      }
    };

    const runOne = async (c: BatchConfig): Promise<void> => {
      let lastError = "";
      for (let attempt = 1; attempt <= retries + 1; attempt++) {
        const task: ConfigTask = { kind: "config", key: c.key, index: c.index, farmIdx: c.farmIdx, typeIdx: c.typeIdx, seed: c.seed, attempt };
        tracker.p.inFlight++;
        try {
          const r = await run<ConfigReply>(task, (v) => tracker.running(v as ConfigProgress));
          tracker.p.inFlight--;
          commitS += r.commitS;
          optimizeS += r.optimizeS;
          if (r.commit === "conflict") warnings.push(`${c.key}: ${r.note ?? "committed before with different data"}`);
          waiting++;
          tracker.succeeded(c.key, r.aepGWh);
          emit();
          maybeMerge();
          return;
        } catch (err) {
          tracker.p.inFlight--;
          tracker.notRunning(c.key);
          if (abandoned || isAbort(err)) return; // dropped: stays missing, runs on resume
          if (err instanceof PoolStartError) { stopping = true; throw err; } // not this config's fault: stop the batch
          if (storageErrorCode(err)) {
            // The disk, not the config: retrying cannot help and nothing more can be stored.
            // Stop; this config stays missing and runs when the same command resumes.
            // Named as the part it was writing when the error does not say (HDF5's own text).
            storageError ??= describeError(asStorageError(err, partPath(partsDir, c.key)));
            onStop();
            return;
          }
          lastError = describeError(err);
          if (attempt <= retries) {
            if (stopping) return; // not retried now: it stays missing and runs on resume
            tracker.p.retries++;
            tracker.p.lastKey = c.key;
            tracker.p.lastError = `attempt ${attempt} failed: ${lastError}`;
            emit();
          }
        }
      }
      const attempts = retries + 1;
      failures.push({ key: c.key, error: lastError, attempts });
      try {
        await run({ kind: "fail", key: c.key, error: lastError, attempts });
      } catch (err) {
        if (!isAbort(err)) warnings.push(`could not record the failure of ${c.key}: ${describeError(err)}`);
      }
      tracker.failedFinally(c.key, lastError);
      emit();
    };

    let next = 0;
    const lane = async (): Promise<void> => {
      while (!stopping && next < todo.length) await runOne(todo[next++]);
    };
    if (pool) await Promise.all(Array.from({ length: threads }, lane));
    // Let a periodic merge that is under way end before the final one.
    while (merging) await merging;
    // The final merge, unless there is nothing to fold in and the root attributes already say the same.
    const rootSame = state.output !== null && (Object.keys(root) as (keyof RootAttrs)[]).every((k) => state.output!.root[k] === root[k]);
    const nothingNew = waiting === 0 && failures.length === 0 && state.validParts === 0 && state.damagedParts.length === 0;
    if (canMerge && !abandoned && storageError === undefined && !(nothingNew && rootSame)) await doMerge(true);
    else if (canMerge && nothingNew && rootSame) outputResults = state.results.size;
  } finally {
    if (heartbeat) clearInterval(heartbeat);
    if (graceTimer) clearTimeout(graceTimer);
    opts.signal?.removeEventListener("abort", onStop);
    opts.abandonSignal?.removeEventListener("abort", onAbandon);
    try { await pool?.destroy(); } finally {
      lock.release();
      if (partsDirIsNew) try { rmdirSync(partsDir); } catch { /* not empty: it holds this run's work */ }
    }
  }

  const s = tracker.snapshot();
  s.phase = stopping ? "cancelled" : "finished";
  s.inFlight = 0;
  if (opts.onProgress) { try { opts.onProgress(s); } catch { /* display only */ } }
  return {
    out, shard: opts.shard, total: s.total, done: s.done, failed: s.failed, skipped: s.skipped,
    missing: s.remaining, elapsedS: s.elapsedS, cancelled: stopping, abandoned, failures, retries: s.retries,
    bestAepGWh: s.bestAepGWh, bestKey: s.bestKey, meanAepGWh: s.meanAepGWh, merged, outputResults,
    commitS, optimizeS, workers: pool ? pool.size : 0, warnings, ...(mergeError !== undefined ? { mergeError } : {}),
    ...(storageError !== undefined ? { storageError } : {}),
  };
}
