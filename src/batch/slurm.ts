/**
 * Batches on a Slurm cluster, with Slurm doing the distribution: one job array whose task
 * i runs `wflo run <spec> --out <file> --shard i/N` into the shared parts directory of
 * `<file>`, and one merge job that runs `wflo merge` only after every task succeeded
 * (`afterok`; `--kill-on-invalid-dep=yes` cancels it when a task fails instead of leaving
 * it pending forever). Facts behind each choice: ../shared/slurm-facts.md.
 *
 * Files beside the output, never inside the store's parts directory:
 *   <out>.slurm/spec.json             the spec as submitted: the tasks read this snapshot
 *   <out>.slurm/array.sh, merge.sh    the generated batch scripts (absolute paths)
 *   <out>.slurm/logs/                 one log per array task and per merge job
 *   <out>.slurm/submissions.json      every submission: job ids, shards, tasks, time
 *
 * The scripts run the same node and wflo entry that submitted (absolute paths, the same
 * node flags such as `--import tsx`), from the same working directory, so a checkout
 * works without a global install as long as the cluster shares the file system.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { writeFileAtomically } from "../store/commit.js";
import { basename, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { acquireLock, checkLock, partsDir as partsDirOf, storeState, type LockState, type StoreState } from "../store/index.js";
import { expandConfigs, rootAttrs, runLockName, shardConfigs, type Shard } from "./config.js";
import { checkSpecCompatible, parseBatchSpecText, PARTS_SPEC_FILE, readBatchSpec, readPartsSpec, specJson, type BatchSpec } from "./spec.js";

/** What `wflo submit` was asked to do. */
export interface SlurmSubmitRequest {
  /** The batch spec (JSON). Made absolute. */
  spec: string;
  /** The output file. Made absolute; parts go to `<out>.parts/`. */
  out: string;
  /** N: the array has tasks 0..N-1, task i runs shard i/N. */
  shards: number;
  /** The shards to run now (default: all). A resubmission passes only the unfinished ones. */
  tasks?: readonly number[];
  partition?: string;
  /** Slurm time limit per task and for the merge job, e.g. "2:00:00". */
  time?: string;
  /** Extra sbatch options, passed to both jobs after wflo's own (so they can override them). */
  sbatchArgs?: readonly string[];
  /** The argv prefix that runs the wflo CLI (default: the current process's, see `currentWfloCommand`). */
  wflo?: readonly string[];
  /** Working directory of the jobs (default: process.cwd()). */
  cwd?: string;
  /**
   * The spec's text, frozen at submit time as `<out>.slurm/spec.json`; the jobs run that
   * copy, so editing the spec file while tasks wait in the queue changes nothing.
   */
  specText?: string;
}

/** A submission ready to go: the scripts to write and the sbatch command lines. */
export interface SlurmPlan {
  /** The spec the jobs read (the snapshot when there is one). */
  spec: string;
  /** The spec file the user named. */
  specFile: string;
  out: string;
  shards: number;
  tasks: number[];
  partsDir: string;
  slurmDir: string;
  logsDir: string;
  arrayScriptPath: string;
  arrayScript: string;
  mergeScriptPath: string;
  mergeScript: string;
  /** The spec snapshot the jobs read (written at submit), when the request gave its text. */
  specSnapshot?: { path: string; text: string };
  /** Full argv, starting with "sbatch"; empty when no shard is left to run (merge only). */
  arraySbatch: string[];
  /** Full argv of the merge job's sbatch, given the array's job id (null: no array, no dependency). */
  mergeSbatch(arrayJob: number | string | null): string[];
}

export interface SlurmSubmission {
  /** null when every shard was complete and only the merge was submitted. */
  array_job: number | null;
  merge_job: number;
  shards: number;
  /** The array task ids submitted (all shards, or the unfinished ones on a resubmission). */
  tasks: number[];
  /** The spec the jobs read (the snapshot in <out>.slurm/). */
  spec: string;
  /** The spec file named at submit. */
  spec_file: string;
  out: string;
  submitted_utc: string;
  /** The sbatch command lines run (the array's is absent for a merge-only submission). */
  array_sbatch?: string[];
  merge_sbatch: string[];
}

export function slurmDirOf(out: string): string {
  return `${resolve(out)}.slurm`;
}

/** Node's flags that make no sense in a batch job (debuggers, test runner, watch mode). */
const DROPPED_NODE_FLAG = /^--(inspect|debug|test|watch)/;
/** Those of them that take their value as the next argument when written without "=". */
const DROPPED_WITH_VALUE = /^--(test-reporter|test-reporter-destination|test-name-pattern|test-skip-pattern|test-concurrency|test-shard|test-timeout|watch-path)$/;

/**
 * The argv prefix that starts this very CLI: node's absolute path, node's flags (e.g.
 * `--import tsx` when running from source) and the real path of the entry script (a
 * symlink in node_modules/.bin resolves to bin/wflo.js), so jobs need no global install.
 */
export function currentWfloCommand(): string[] {
  const entry = process.argv[1];
  if (!entry) throw new Error("cannot tell how wflo was started (process.argv[1] is empty)");
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (DROPPED_WITH_VALUE.test(argv[i])) { i++; continue; }
    if (DROPPED_NODE_FLAG.test(argv[i])) continue;
    flags.push(argv[i]);
  }
  return [process.execPath, ...flags, realpathSync(entry)];
}

/** POSIX-shell quoting: plain words stay readable, anything else is single-quoted. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

/** `[0,1,2,5,7,8]` → "0-2,5,7-8", the `--array` syntax. */
export function arrayRanges(tasks: readonly number[]): string {
  const s = [...new Set(tasks)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** A name Slurm shows in squeue: the output's file name, limited to safe characters. */
function jobName(out: string): string {
  const base = basename(out).replace(/\.h5$/, "").replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 40);
  return `wflo-${base || "batch"}`;
}

function checkRequest(r: SlurmSubmitRequest): void {
  if (!Number.isInteger(r.shards) || r.shards < 1) {
    throw new InputError(`must be an integer ≥ 1, got ${r.shards}`, { field: "--shards" });
  }
  for (const t of r.tasks ?? []) {
    if (!Number.isInteger(t) || t < 0 || t >= r.shards) {
      throw new InputError(`shard ${t} is outside 0..${r.shards - 1}`, { field: "--shards" });
    }
  }
  if (r.time !== undefined && !/^[0-9:-]+$|^(UNLIMITED|INFINITE)$/i.test(r.time)) {
    throw new InputError(`"${r.time}" is not a Slurm time (minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]])`, { field: "--time" });
  }
  if (r.partition !== undefined && !/^[A-Za-z0-9_.,-]+$/.test(r.partition)) {
    throw new InputError(`"${r.partition}" is not a partition name`, { field: "--partition" });
  }
}

/** Builds the scripts and sbatch command lines of a submission. Pure: writes nothing. */
export function planSubmission(req: SlurmSubmitRequest): SlurmPlan {
  checkRequest(req);
  const cwd = resolve(req.cwd ?? process.cwd());
  const out = resolve(cwd, req.out);
  const specSnapshot = req.specText !== undefined ? { path: join(slurmDirOf(out), "spec.json"), text: req.specText } : undefined;
  const specFile = resolve(cwd, req.spec);
  const spec = specSnapshot ? specSnapshot.path : specFile;
  const wflo = [...(req.wflo ?? currentWfloCommand())];
  const partsDir = partsDirOf(out);
  const slurmDir = slurmDirOf(out);
  const logsDir = join(slurmDir, "logs");
  const n = req.shards;
  const tasks = [...new Set(req.tasks ?? Array.from({ length: n }, (_, i) => i))].sort((a, b) => a - b);
  const name = jobName(out);

  const header = (what: string) => [
    "#!/bin/bash",
    `# ${what}`,
    "# Generated by `wflo submit`; submitted with the sbatch options in submissions.json.",
    "set -euo pipefail",
    `cd ${shellQuote(cwd)}`,
  ];
  // The task id and CPU count are expanded by the job's shell, not at submit time. A task
  // uses the CPUs Slurm gave it (1 unless --cpus-per-task), not every core of the node.
  // --json: the log's last stdout line is the run's summary {total, done, failed, skipped, …}.
  const arrayScript = [
    ...header(`wflo shard task: array task i runs shard i/${n} of ${spec}`),
    `exec ${shellLine(wflo)} run ${shellQuote(spec)} --out ${shellQuote(out)} --shard "\${SLURM_ARRAY_TASK_ID}/${n}" --workers "\${SLURM_CPUS_PER_TASK:-1}" --json`,
    "",
  ].join("\n");
  const mergeScript = [
    ...header(`wflo merge: joins the parts of all ${n} shards into ${out}`),
    `exec ${shellLine(wflo)} merge ${shellQuote(partsDir)} --out ${shellQuote(out)}`,
    "",
  ].join("\n");

  const common = [
    ...(req.partition ? [`--partition=${req.partition}`] : []),
    ...(req.time ? [`--time=${req.time}`] : []),
  ];
  const arrayScriptPath = join(slurmDir, "array.sh");
  const mergeScriptPath = join(slurmDir, "merge.sh");
  const arraySbatch = tasks.length === 0 ? [] : [
    "sbatch", "--parsable",
    `--job-name=${name}`,
    `--array=${arrayRanges(tasks)}`,
    `--output=${join(logsDir, "shard-%a.job-%A.out")}`,
    ...common,
    ...(req.sbatchArgs ?? []),
    arrayScriptPath,
  ];
  const mergeSbatch = (arrayJob: number | string | null) => [
    "sbatch", "--parsable",
    `--job-name=${name}-merge`,
    ...(arrayJob === null ? [] : [`--dependency=afterok:${arrayJob}`, "--kill-on-invalid-dep=yes"]),
    `--output=${join(logsDir, "merge.job-%j.out")}`,
    ...common,
    ...(req.sbatchArgs ?? []),
    mergeScriptPath,
  ];
  return {
    spec, specFile, out, shards: n, tasks, partsDir, slurmDir, logsDir,
    arrayScriptPath, arrayScript, mergeScriptPath, mergeScript, specSnapshot, arraySbatch, mergeSbatch,
  };
}

/**
 * The dry run, as a shell script that does exactly what `wflo submit` would: write the
 * two job scripts and submit them. Running it by hand is a valid way to submit.
 */
export function renderDryRun(plan: SlurmPlan, extra: { notes?: readonly string[]; staleLocks?: readonly string[] } = {}): string {
  const notes = extra.notes ?? [];
  const tag = "WFLO_SCRIPT_EOF";
  const heredoc = (path: string, text: string) => [`cat > ${shellQuote(path)} <<'${tag}'`, text.trimEnd(), tag];
  const what = plan.tasks.length === 0
    ? "no shard is left to run: only the merge job"
    : `${plan.tasks.length} of ${plan.shards} shard task(s) and one merge job`;
  const lines = [
    "#!/bin/bash",
    `# wflo submit --dry-run: ${what}.`,
    "# Nothing was written or submitted. This script does what `wflo submit` would do.",
    ...notes.map((n) => `# ${n}`),
    "set -euo pipefail",
    `mkdir -p ${shellQuote(plan.logsDir)} ${shellQuote(plan.partsDir)}`,
    ...(extra.staleLocks ?? []).map((name) => `rm -f ${shellQuote(join(plan.partsDir, `${name}.lock`))}   # stale: its holder is gone`),
    ...(plan.specSnapshot ? heredoc(plan.specSnapshot.path, plan.specSnapshot.text) : []),
    ...heredoc(plan.arrayScriptPath, plan.arrayScript),
    ...heredoc(plan.mergeScriptPath, plan.mergeScript),
    `chmod 755 ${shellQuote(plan.arrayScriptPath)} ${shellQuote(plan.mergeScriptPath)}`,
  ];
  if (plan.tasks.length === 0) {
    lines.push(`merge_job=$(${shellLine(plan.mergeSbatch(null))})`, 'echo "merge job ${merge_job%%;*}"', "");
  } else {
    lines.push(
      `array_job=$(${shellLine(plan.arraySbatch)})`,
      "array_job=${array_job%%;*}",
      `merge_job=$(${shellLine(plan.mergeSbatch("ARRAY_JOB")).replace("afterok:ARRAY_JOB", "afterok:${array_job}")})`,
      'echo "array job ${array_job}, merge job ${merge_job%%;*}"',
      "",
    );
  }
  return lines.join("\n");
}

/** `sbatch --parsable` prints "jobid" or "jobid;cluster". */
export function parseSbatchJobId(stdout: string): number {
  const line = stdout.trim().split("\n").pop() ?? "";
  const m = /^(\d+)(;\S+)?$/.exec(line.trim());
  if (!m) throw new Error(`sbatch printed no job id: "${stdout.trim()}"`);
  return Number(m[1]);
}

export interface RunOptions {
  /** Environment of the Slurm commands (and, since sbatch exports it, of the jobs). */
  env?: NodeJS.ProcessEnv;
  /** Timeout of each Slurm command (default 60 s: a busy controller can be slow). */
  timeoutMs?: number;
}

function runSlurm(argv: readonly string[], opts: RunOptions): string {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd, args, { env: opts.env ?? process.env, encoding: "utf8", timeout: opts.timeoutMs ?? 60_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT"
      ? `${cmd} not found on PATH: run wflo submit on a Slurm login node (or use --dry-run)`
      : `${cmd} failed to run: ${r.error.message}`);
  }
  if (r.status !== 0) {
    throw new Error(`${shellLine(argv)} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

export function submissionsPath(out: string): string {
  return join(slurmDirOf(out), "submissions.json");
}

/** Every earlier submission for this output, oldest first ([] when none). */
export function readSubmissions(out: string): SlurmSubmission[] {
  const p = submissionsPath(out);
  if (!existsSync(p)) return [];
  try {
    const v = JSON.parse(readFileSync(p, "utf8")) as unknown;
    return Array.isArray(v) ? (v as SlurmSubmission[]) : [];
  } catch (err) {
    throw new InputError(`unreadable (${(err as Error).message}); move it away to start afresh`, { file: p });
  }
}

/**
 * Writes the scripts and submits: the array first, then the merge job depending on it.
 * If the merge job cannot be submitted the array is cancelled, so no array runs without
 * its merge. Records the submission in `<out>.slurm/submissions.json`.
 */
export function submitPlan(plan: SlurmPlan, opts: RunOptions = {}): SlurmSubmission {
  mkdirSync(plan.logsDir, { recursive: true });
  mkdirSync(plan.partsDir, { recursive: true });
  if (plan.specSnapshot) writeFileAtomically(plan.specSnapshot.path, plan.specSnapshot.text);
  writeFileAtomically(plan.arrayScriptPath, plan.arrayScript, { mode: 0o755 });
  writeFileAtomically(plan.mergeScriptPath, plan.mergeScript, { mode: 0o755 });
  const arrayJob = plan.tasks.length === 0 ? null : parseSbatchJobId(runSlurm(plan.arraySbatch, opts));
  let mergeJob: number;
  try {
    mergeJob = parseSbatchJobId(runSlurm(plan.mergeSbatch(arrayJob), opts));
  } catch (err) {
    if (arrayJob === null) throw err;
    try { runSlurm(["scancel", String(arrayJob)], opts); } catch { /* report the submit error below */ }
    throw new Error(`the merge job could not be submitted, so array job ${arrayJob} was cancelled: ${(err as Error).message}`);
  }
  const sub: SlurmSubmission = {
    array_job: arrayJob, merge_job: mergeJob, shards: plan.shards, tasks: plan.tasks,
    spec: plan.spec, spec_file: plan.specFile, out: plan.out, submitted_utc: new Date().toISOString(),
    ...(arrayJob !== null ? { array_sbatch: plan.arraySbatch } : {}),
    merge_sbatch: plan.mergeSbatch(arrayJob),
  };
  writeFileAtomically(submissionsPath(plan.out), JSON.stringify([...readSubmissions(plan.out), sub], null, 2) + "\n");
  return sub;
}

/** One job, or one task of an array, as `scontrol -o show job` describes it. */
export interface SlurmJobInfo {
  jobId: number;
  /** The array's job id for an array task. */
  arrayJobId?: number;
  arrayTaskId?: number;
  /** The task ids a still-unsplit pending array stands for, e.g. "0-3" or "2,5". */
  arrayTasks?: string;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, … */
  state: string;
  /** Why a pending job waits (e.g. Dependency, DependencyNeverSatisfied). */
  reason?: string;
  /** "exit:signal", e.g. "1:0". */
  exitCode?: string;
  /** Run time so far or in total, in seconds (RunTime=[D-]HH:MM:SS); undefined for a job that never started. */
  runTimeS?: number;
}

function parseRunTime(v: string | undefined): number | undefined {
  const m = v ? /^(?:(\d+)-)?(\d+):(\d+):(\d+)$/.exec(v) : null;
  return m ? Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : undefined;
}

/** Parses the one-line-per-job output of `scontrol -o show job`. */
export function parseScontrolJobs(text: string): SlurmJobInfo[] {
  const jobs: SlurmJobInfo[] = [];
  for (const line of text.split("\n")) {
    if (!line.includes("JobId=")) continue;
    const field = (k: string) => new RegExp(`(?:^|\\s)${k}=(\\S*)`).exec(line)?.[1];
    const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
    const reason = field("Reason");
    const tasks = field("ArrayTaskId");
    jobs.push({
      jobId: Number(field("JobId")),
      arrayJobId: num(field("ArrayJobId")),
      arrayTaskId: num(tasks),
      arrayTasks: tasks !== undefined && num(tasks) === undefined ? tasks : undefined,
      state: field("JobState") ?? "UNKNOWN",
      reason: reason && reason !== "None" ? reason : undefined,
      exitCode: field("ExitCode"),
      // A job that never reached a node (e.g. cancelled for its dependency) has no
      // BatchHost, and Slurm prints a meaningless RunTime for it.
      runTimeS: field("BatchHost") ? parseRunTime(field("RunTime")) : undefined,
    });
  }
  return jobs;
}

/**
 * The jobs (array tasks included) Slurm still knows about. A job the controller has
 * forgotten (older than MinJobAge) is simply absent, not an error.
 */
export function slurmJobs(ids: readonly (number | string)[], opts: RunOptions = {}): SlurmJobInfo[] {
  const out: SlurmJobInfo[] = [];
  for (const id of ids) {
    const r = spawnSync("scontrol", ["-o", "show", "job", String(id)], { env: opts.env ?? process.env, encoding: "utf8", timeout: opts.timeoutMs ?? 60_000 });
    if (r.error) throw new Error(`scontrol failed to run: ${r.error.message}`);
    if (r.status !== 0) {
      if (/Invalid job id/i.test(r.stderr)) continue;
      throw new Error(`scontrol -o show job ${id} failed: ${r.stderr.trim()}`);
    }
    out.push(...parseScontrolJobs(r.stdout));
  }
  return out;
}

/** Job states after which a job will not run again. */
export const FINAL_STATES: ReadonlySet<string> = new Set([
  "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE",
]);

/** Ids (of arrays: of their tasks too) still in squeue: pending, running or completing. */
export function activeJobIds(ids: readonly (number | string)[], opts: RunOptions = {}): number[] {
  if (ids.length === 0) return [];
  const r = spawnSync("squeue", ["-h", "-j", ids.join(","), "-o", "%A"], { env: opts.env ?? process.env, encoding: "utf8", timeout: opts.timeoutMs ?? 60_000 });
  if (r.error) {
    throw new Error((r.error as NodeJS.ErrnoException).code === "ENOENT"
      ? "squeue not found on PATH: run wflo submit on a Slurm login node (or use --dry-run)"
      : `squeue failed to run: ${r.error.message}`);
  }
  // squeue exits 1 for ids the controller has forgotten; that means "not active".
  if (r.status !== 0 && !/Invalid job id/i.test(r.stderr)) throw new Error(`squeue -j ${ids.join(",")} failed: ${r.stderr.trim()}`);
  return r.stdout.split(/\s+/).filter(Boolean).map(Number);
}

/**
 * Waits until none of `ids` is pending or running, polling squeue, then returns their
 * final states from scontrol. Throws when `deadlineMs` passes first.
 */
export async function waitForJobs(
  ids: readonly (number | string)[],
  opts: RunOptions & { deadlineMs: number; pollMs?: number },
): Promise<SlurmJobInfo[]> {
  const end = Date.now() + opts.deadlineMs;
  for (;;) {
    const active = activeJobIds(ids, opts);
    if (active.length === 0) return slurmJobs(ids, opts);
    if (Date.now() > end) {
      const states = slurmJobs(ids, opts).map((j) => `${j.jobId}${j.arrayTaskId !== undefined ? `_${j.arrayTaskId}` : ""}=${j.state}${j.reason ? `(${j.reason})` : ""}`);
      throw new Error(`Slurm jobs ${ids.join(",")} still active after ${opts.deadlineMs} ms: ${states.join(" ")}`);
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

// ---------------------------------------------------------------------------------------
// What is done: the shards' state from the store (output ∪ valid parts), the locks and Slurm

/** Whether a Slurm client command can be found (e.g. on a login node). */
function haveCommand(cmd: string): boolean {
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8", timeout: 10_000 });
  return !r.error;
}

/** The lock a shard task holds while it runs, and what it says. */
export interface ShardLock {
  name: string;
  /** free, held (live pid on this host), stale (dead pid here), foreign (another host), unreadable */
  state: LockState;
  holder?: string;
  /** The Slurm job that holds it, from the lock file. */
  slurmJobId?: string;
}

function shardLock(partsDir: string, shard: Shard): ShardLock {
  const name = runLockName(shard);
  const l = checkLock(partsDir, name);
  return {
    name, state: l.state,
    holder: l.holder ? `pid ${l.holder.pid} on ${l.holder.host} since ${l.holder.started_utc}` : undefined,
    slurmJobId: l.holder?.slurm_job_id,
  };
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
  const partsDir = partsDirOf(out);
  if (!existsSync(out) && !existsSync(partsDir) && !existsSync(slurmDirOf(out))) {
    throw new InputError(`neither the output nor ${partsDir} exists: nothing was run or submitted for it`, { file: out });
  }
  const state: StoreState = await storeState(out);
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
    const running = lock.state === "held" || lock.state === "foreign" || slurmState === "RUNNING" || slurmState === "COMPLETING";
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
    slurm,
  };
}

// ---------------------------------------------------------------------------------------
// Submitting: validate, work out what is left, check locks and earlier submissions

export interface PrepareRequest extends Omit<SlurmSubmitRequest, "tasks" | "specText"> {
  /** Only plan: refuse nothing that needs Slurm (earlier jobs are not checked), change nothing. */
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface PreparedSubmission {
  /** undefined when every config is already merged into the output: nothing to submit. */
  plan?: SlurmPlan;
  /** Why nothing is submitted, when plan is undefined. */
  note?: string;
  /** Shard locks whose holder is verifiably gone (dead pid on this host, or a Slurm job that ended); broken at submit. */
  staleLocks: string[];
  warnings: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Validates the spec (the batch's own validation, before anything is submitted), checks it
 * against the spec the output was made with, and plans only the shards that still miss
 * configs (a resubmission after a failed task runs only what is missing; every task skips
 * committed keys anyway). Refuses while the previous submission's jobs are still queued
 * or running, and when a live process outside Slurm writes one of the shards.
 */
/**
 * The submit snapshot: the spec file's text, or — when it names turbine files, which the
 * snapshot's directory would not resolve and which may change while jobs wait — the same
 * JSON with those turbines inlined as readBatchSpec read them.
 */
function snapshotText(specPath: string, spec: BatchSpec): string {
  const text = readFileSync(specPath, "utf8");
  const raw = JSON.parse(text) as { turbines: unknown[] };
  if (raw.turbines.every((t) => typeof t !== "string" || spec.turbines.includes(t))) return text;
  return JSON.stringify({ ...raw, turbines: spec.turbines }, null, 2) + "\n";
}

export async function prepareSlurmSubmission(req: PrepareRequest): Promise<PreparedSubmission> {
  const cwd = resolve(req.cwd ?? process.cwd());
  const specPath = resolve(cwd, req.spec);
  const spec = readBatchSpec(specPath);
  const specText = snapshotText(specPath, spec);
  const configs = expandConfigs(spec);
  if (!Number.isInteger(req.shards) || req.shards < 1) {
    throw new InputError(`must be an integer ≥ 1, got ${req.shards}`, { field: "--shards" });
  }
  if (req.shards > configs.length) {
    throw new InputError(`${req.shards} shards for the ${configs.length} configs of ${specPath}: use at most ${configs.length}`, { field: "--shards" });
  }
  const out = resolve(cwd, req.out);
  const partsDir = partsDirOf(out);
  const warnings: string[] = [];

  // Refuse a spec the output cannot take (what every task would refuse), before submitting.
  const state = existsSync(out) || existsSync(partsDir) ? await storeState(out) : undefined;
  const storedParts = readPartsSpec(partsDir);
  if (storedParts !== undefined) checkSpecCompatible(storedParts, spec, { where: join(partsDir, PARTS_SPEC_FILE), file: specPath, out });
  const storedOut = state?.output?.root.spec_json;
  if (storedOut !== undefined) checkSpecCompatible(storedOut, spec, { where: `${out} (root attribute spec_json)`, file: specPath, out });
  for (const d of state?.damagedParts ?? []) warnings.push(`damaged part ${d.path} (${d.status}): the merge job will quarantine it and its config runs again`);

  // An earlier submission still in the queue would race this one for the same shards.
  const last = readSubmissions(out).at(-1);
  if (last && !req.dryRun) {
    const ids = [last.array_job, last.merge_job].filter((x): x is number => x !== null);
    const active = activeJobIds(ids, { env: req.env });
    if (active.length > 0) {
      throw new InputError(
        `the previous submission (array job ${last.array_job ?? "-"}, merge job ${last.merge_job}) is still queued or running: ` +
        `wait for it (wflo status ${out}) or cancel it (scancel ${ids.join(" ")}) before submitting again`,
        { file: out },
      );
    }
  }

  const committed = state?.results ?? new Set<string>();
  const n = req.shards;
  const tasks: number[] = [];
  for (let i = 0; i < n; i++) {
    if (shardConfigs(configs, { index: i, count: n }).some((c) => !committed.has(c.key))) tasks.push(i);
  }

  // Shard locks left by runs that are gone; a live holder outside this submission is refused.
  const staleLocks: string[] = [];
  const slurmOk = !req.dryRun && haveCommand("squeue");
  for (const i of tasks) {
    const l = shardLock(partsDir, { index: i, count: n });
    if (l.state === "free") continue;
    if (l.state === "stale" || l.state === "expired") { staleLocks.push(l.name); continue; }
    if (l.state === "foreign" && l.slurmJobId && slurmOk && activeJobIds([l.slurmJobId], { env: req.env }).length === 0) {
      // Held from another node by a Slurm job that Slurm says has ended (killed at its time
      // limit, node lost, …): only Slurm can tell, this host cannot check that pid.
      staleLocks.push(l.name);
      continue;
    }
    if (req.dryRun) { warnings.push(`shard ${i}: lock ${l.name} is ${l.state} (${l.holder ?? "no holder recorded"})`); continue; }
    throw new InputError(
      l.state === "unreadable"
        ? `lock ${join(partsDir, l.name + ".lock")} is unreadable; if no wflo run writes shard ${i}/${n}, delete it and submit again`
        : `shard ${i}/${n} is being written by ${l.holder}${l.slurmJobId ? ` (Slurm job ${l.slurmJobId})` : ""}: ` +
          `let it finish or stop it, then submit again (lock ${join(partsDir, l.name + ".lock")})`,
      { file: out },
    );
  }

  if (tasks.length === 0) {
    const inOutput = new Set((state?.output?.groups ?? []).filter((g) => g.status === "ok" || g.status === "no-checksum").map((g) => g.key));
    if (configs.every((c) => inOutput.has(c.key))) {
      return { note: `nothing to submit: all ${configs.length} configs of ${specPath} are in ${out}`, staleLocks, warnings, env: req.env };
    }
    warnings.push("every config is committed: submitting only the merge job");
  }
  const plan = planSubmission({ ...req, cwd, spec: specPath, out, tasks, specText });
  return { plan, staleLocks, warnings, env: req.env };
}

/** Breaks the verifiably stale shard locks, then writes the scripts and submits. */
export function submitPrepared(prep: PreparedSubmission, opts: RunOptions = {}): SlurmSubmission {
  if (!prep.plan) throw new Error(prep.note ?? "nothing to submit");
  // Before writing anything: without sbatch there is nothing to submit to.
  const probe = spawnSync("sbatch", ["--version"], { env: opts.env ?? prep.env ?? process.env, encoding: "utf8", timeout: 30_000 });
  if (probe.error) throw new Error("sbatch not found on PATH: run wflo submit on a Slurm login node (or use --dry-run to see what it would submit)");
  for (const name of prep.staleLocks) {
    // force: the holder is on another host, where only Slurm could tell us it is gone.
    acquireLock(prep.plan.partsDir, name, { force: true }).release();
  }
  return submitPlan(prep.plan, { env: prep.env, ...opts });
}

/**
 * The root attributes an unsharded `wflo run` gives its output (grid_size, random_pct,
 * total_configs, spec_json), from the spec every `wflo run` — shard or not — keeps in
 * `<parts>/spec.json`. `wflo merge` applies them, so shards merged by a Slurm merge job
 * make the same output as one machine would. undefined when the directory has no spec.
 */
export function rootAttrsOfPartsSpec(partsDir: string): { grid_size: number; random_pct: number; total_configs: number; spec_json: string } | undefined {
  const text = readPartsSpec(partsDir);
  if (text === undefined) return undefined;
  const spec = parseBatchSpecText(text, { file: join(partsDir, PARTS_SPEC_FILE) });
  return rootAttrs(spec);
}
