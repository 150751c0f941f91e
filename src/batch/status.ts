/**
 * The status of a batch, sharded or not (`wflo status`): what is committed per shard (output
 * ∪ valid parts), the shard locks, and — when the batch went through Slurm and scontrol is
 * there — Slurm's view of its last submission's jobs.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { checkLock, type LockState, type StoreState } from "../store/index.js";
import { openResultStore } from "../store/resultStore.js";
import { expandConfigs, runLockName, shardConfigs, type Shard } from "./config.js";
import { parseBatchSpecText, PARTS_SPEC_FILE, readBatchSpec, readPartsSpec, type BatchSpec } from "./spec.js";
import { haveCommand, slurmJobs, type RunOptions } from "./slurm/client.js";
import { readSubmissions, shellLine, slurmDirOf } from "./slurm/plan.js";

/** The lock a shard task holds while it runs, and what it says. */
export interface ShardLock {
  name: string;
  /** free, held (live pid on this host), stale (dead pid here), foreign (another host), unreadable */
  state: LockState;
  holder?: string;
  /** The Slurm job that holds it, from the lock file. */
  slurmJobId?: string;
  /**
   * The `wflo run …` command the holder was started with, when it was one (not a notebook's
   * runBatch), and the folder it ran in: after a crash, that same command resumes.
   */
  command?: string;
  cwd?: string;
}

/** The lock of one shard, or of a whole (unsharded) run without `shard`. */
export function shardLock(partsDir: string, shard?: Shard): ShardLock {
  const name = runLockName(shard);
  const l = checkLock(partsDir, name);
  const argv = l.holder?.argv;
  const isCli = argv !== undefined && argv.length > 1 && /wflo/.test(argv[0]) && argv[1] === "run";
  return {
    name, state: l.state,
    holder: l.holder ? `pid ${l.holder.pid} on ${l.holder.host} since ${l.holder.started_utc}` : undefined,
    slurmJobId: l.holder?.slurm_job_id,
    ...(isCli ? { command: `wflo ${shellLine(argv.slice(1))}`, cwd: l.holder?.cwd } : {}),
  };
}

/** Whether a lock says its holder is (as far as can be told) still at work. */
function holderRunning(state: LockState): boolean {
  return state === "held" || state === "foreign";
}

export interface ShardStatus {
  shard: number;
  total: number;
  done: number;
  failed: number;
  missing: number;
  /** done: every config committed; running: its lock is held or Slurm runs it; failed: some config failed; pending: not (all) run yet. */
  state: "done" | "running" | "failed" | "pending";
  lock: ShardLock["state"];
  /** The Slurm task's state, when Slurm still knows it (PENDING, RUNNING, COMPLETED, FAILED, …). */
  slurm?: string;
  failed_keys: string[];
  missing_keys: string[];
}

export interface BatchStatus {
  out: string;
  /** Where the spec came from (the submit snapshot, the parts directory or the output). */
  spec_source: string;
  shards: number;
  total: number;
  /** Committed: in the output or in a valid part. */
  done: number;
  /** Of those, already merged into the output. */
  merged: number;
  failed: number;
  missing: number;
  per_shard: ShardStatus[];
  failed_keys: string[];
  missing_keys: string[];
  /** Part files that do not validate (merge quarantines them). */
  damaged_parts: string[];
  /** The merge lock, when someone holds it (a merge is running or died). */
  merge_lock: LockState;
  /** The lock of a whole (unsharded) `wflo run` or runBatch: held while one writes this output. */
  writer: ShardLock;
  /** The last submission and what Slurm says about it; null when never submitted or Slurm is not reachable. */
  slurm: null | {
    /** The spec file named at the last submit (resubmit with it). */
    spec_file?: string;
    array_job: number | null;
    merge_job: number;
    merge_state?: string;
    merge_reason?: string;
    /** Why Slurm could not be asked, when it could not. */
    note?: string;
  };
}

function parseRanges(text: string): number[] {
  const out: number[] = [];
  for (const part of text.replace(/%\d+$/, "").split(",")) {
    const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part);
    if (!m) continue;
    const a = Number(m[1]), b = m[2] !== undefined ? Number(m[2]) : a, step = m[3] !== undefined ? Number(m[3]) : 1;
    for (let i = a; i <= b; i += step) out.push(i);
  }
  return out;
}

export interface StatusOptions extends RunOptions {
  /** A spec file to use instead of the one recorded by submit/run. */
  spec?: string;
  /** Shard count (default: the last submission's, else 1). */
  shards?: number;
  /** Ask Slurm about the last submission's jobs (default true; skipped when scontrol is absent). */
  querySlurm?: boolean;
}

/** The spec that says which configs exist, and how shards split them. */
function statusSpec(out: string, partsDir: string, storedSpecJson: string | undefined, opts: StatusOptions): { spec: BatchSpec; source: string } {
  if (opts.spec) return { spec: readBatchSpec(opts.spec), source: resolve(opts.spec) };
  // The submit snapshot first: shard i of the array is computed on exactly that spec.
  const snapshot = join(slurmDirOf(out), "spec.json");
  if (existsSync(snapshot)) return { spec: readBatchSpec(snapshot), source: snapshot };
  const parts = readPartsSpec(partsDir);
  if (parts !== undefined) return { spec: parseBatchSpecText(parts, { file: join(partsDir, PARTS_SPEC_FILE) }), source: join(partsDir, PARTS_SPEC_FILE) };
  if (storedSpecJson !== undefined) return { spec: parseBatchSpecText(storedSpecJson, { file: `${out} (spec_json)` }), source: `${out} (root attribute spec_json)` };
  throw new InputError(
    `no batch spec found: neither ${snapshot}, ${join(partsDir, PARTS_SPEC_FILE)} nor the output's spec_json exists; pass --spec <spec.json>`,
    { file: out },
  );
}

/**
 * Which shards and configs are done, failed or missing, from the store (output ∪ valid
 * parts, failure records), the shard locks and, when reachable, Slurm. Works while the
 * array runs: it only reads, and opens HDF5 files in a short-lived worker.
 */
export async function batchStatus(outPath: string, opts: StatusOptions = {}): Promise<BatchStatus> {
  const out = resolve(outPath);
  const store = openResultStore(out);
  const partsDir = store.partsDir;
  if (!existsSync(out) && !existsSync(partsDir) && !existsSync(slurmDirOf(out))) {
    throw new InputError(`neither the output nor ${partsDir} exists: nothing was run or submitted for it`, { file: out });
  }
  const state: StoreState = await store.state();
  const { spec, source } = statusSpec(out, partsDir, state.output?.root.spec_json, opts);
  const last = readSubmissions(out).at(-1);
  const n = opts.shards ?? last?.shards ?? 1;

  // Slurm's view of the last submission, best effort: status must work without it.
  let slurm: BatchStatus["slurm"] = null;
  const taskState = new Map<number, string>();
  if (last) {
    slurm = { spec_file: last.spec_file, array_job: last.array_job, merge_job: last.merge_job };
    if (opts.querySlurm !== false && haveCommand("scontrol")) {
      try {
        const ids = [last.array_job, last.merge_job].filter((x): x is number => x !== null);
        for (const j of slurmJobs(ids, opts)) {
          if (j.jobId === last.merge_job && j.arrayJobId === undefined) {
            slurm.merge_state = j.state;
            slurm.merge_reason = j.reason;
          } else if (j.arrayJobId === last.array_job) {
            const tasks = j.arrayTaskId !== undefined ? [j.arrayTaskId] : parseRanges(j.arrayTasks ?? "");
            for (const t of tasks) taskState.set(t, j.state);
          }
        }
        if (slurm.merge_state === undefined) slurm.note = "Slurm no longer knows these jobs (finished before MinJobAge?)";
      } catch (err) {
        slurm.note = (err as Error).message;
      }
    } else if (opts.querySlurm !== false) {
      slurm.note = "scontrol not found: job states unknown";
    }
  }

  const configs = expandConfigs(spec);
  // A whole run (`wflo run` without --shard, a notebook's runBatch) works on every shard's configs.
  const writer = shardLock(partsDir);
  const merged = new Set<string>();
  for (const g of state.output?.groups ?? []) if (g.status === "ok" || g.status === "no-checksum") merged.add(g.key);
  const perShard: ShardStatus[] = [];
  for (let i = 0; i < n; i++) {
    const shard = { index: i, count: n };
    const mine = shardConfigs(configs, shard);
    const failedKeys = mine.filter((c) => state.failed.has(c.key)).map((c) => c.key);
    const missingKeys = mine.filter((c) => !state.results.has(c.key) && !state.failed.has(c.key)).map((c) => c.key);
    const lock = shardLock(partsDir, shard);
    const slurmState = taskState.get(i);
    const done = mine.length - failedKeys.length - missingKeys.length;
    const running = holderRunning(writer.state) || holderRunning(lock.state) || slurmState === "RUNNING" || slurmState === "COMPLETING";
    perShard.push({
      shard: i, total: mine.length, done, failed: failedKeys.length, missing: missingKeys.length,
      state: failedKeys.length + missingKeys.length === 0 ? "done" : running ? "running" : failedKeys.length > 0 ? "failed" : "pending",
      lock: lock.state, slurm: slurmState, failed_keys: failedKeys, missing_keys: missingKeys,
    });
  }
  // Totals over every config the output should hold: this spec's and any stored seeds'.
  const universe = new Set(configs.map((c) => c.key));
  for (const k of state.results) universe.add(k);
  for (const k of state.failed) universe.add(k);
  const keys = [...universe];
  const failedKeys = keys.filter((k) => state.failed.has(k));
  const missingKeys = keys.filter((k) => !state.results.has(k) && !state.failed.has(k));
  return {
    out, spec_source: source, shards: n,
    total: keys.length,
    done: keys.length - failedKeys.length - missingKeys.length,
    merged: keys.filter((k) => merged.has(k)).length,
    failed: failedKeys.length,
    missing: missingKeys.length,
    per_shard: perShard,
    failed_keys: failedKeys.sort(),
    missing_keys: missingKeys.sort(),
    damaged_parts: state.damagedParts.map((r) => r.path),
    merge_lock: checkLock(partsDir, "merge").state,
    writer,
    slurm,
  };
}
