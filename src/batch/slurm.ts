/**
 * Batches on a Slurm cluster, with Slurm doing the distribution: one job array whose task
 * i runs `wflo run <spec> --out <file> --shard i/N` into the shared parts directory of
 * `<file>`, and one merge job that runs `wflo merge` only after every task succeeded
 * (`afterok`; `--kill-on-invalid-dep=yes` cancels it when a task fails instead of leaving
 * it pending forever). Facts behind each choice: ../shared/slurm-facts.md.
 *
 * Files beside the output, never inside the store's parts directory:
 *   <out>.slurm/array.sh, merge.sh    the generated batch scripts (absolute paths)
 *   <out>.slurm/logs/                 one log per array task and per merge job
 *   <out>.slurm/submissions.json      every submission: job ids, shards, tasks, time
 *
 * The scripts run the same node and wflo entry that submitted (absolute paths, the same
 * node flags such as `--import tsx`), from the same working directory, so a checkout
 * works without a global install as long as the cluster shares the file system.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync, chmodSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../errors.js";

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
}

/** A submission ready to go: the scripts to write and the sbatch command lines. */
export interface SlurmPlan {
  spec: string;
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
  /** Full argv, starting with "sbatch". */
  arraySbatch: string[];
  /** Full argv of the merge job's sbatch, given the array's job id. */
  mergeSbatch(arrayJob: number | string): string[];
}

export interface SlurmSubmission {
  array_job: number;
  merge_job: number;
  shards: number;
  /** The array task ids submitted (all shards, or the unfinished ones on a resubmission). */
  tasks: number[];
  spec: string;
  out: string;
  submitted_utc: string;
}

/** The part of the parts directory's name that `wflo merge` and the store use. */
export function partsDirOf(out: string): string {
  return `${resolve(out)}.parts`;
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
  if (r.tasks && r.tasks.length === 0) throw new InputError("no shard to run", { field: "--shards" });
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
  const spec = resolve(cwd, req.spec);
  const out = resolve(cwd, req.out);
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
  const arrayScript = [
    ...header(`wflo shard task: array task i runs shard i/${n} of ${spec}`),
    `exec ${shellLine(wflo)} run ${shellQuote(spec)} --out ${shellQuote(out)} --shard "\${SLURM_ARRAY_TASK_ID}/${n}" --workers "\${SLURM_CPUS_PER_TASK:-1}"`,
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
  const arraySbatch = [
    "sbatch", "--parsable",
    `--job-name=${name}`,
    `--array=${arrayRanges(tasks)}`,
    `--output=${join(logsDir, "shard-%a.job-%A.out")}`,
    ...common,
    ...(req.sbatchArgs ?? []),
    arrayScriptPath,
  ];
  const mergeSbatch = (arrayJob: number | string) => [
    "sbatch", "--parsable",
    `--job-name=${name}-merge`,
    `--dependency=afterok:${arrayJob}`,
    "--kill-on-invalid-dep=yes",
    `--output=${join(logsDir, "merge.job-%j.out")}`,
    ...common,
    ...(req.sbatchArgs ?? []),
    mergeScriptPath,
  ];
  return {
    spec, out, shards: n, tasks, partsDir, slurmDir, logsDir,
    arrayScriptPath, arrayScript, mergeScriptPath, mergeScript, arraySbatch, mergeSbatch,
  };
}

/**
 * The dry run, as a shell script that does exactly what `wflo submit` would: write the
 * two job scripts and submit them. Running it by hand is a valid way to submit.
 */
export function renderDryRun(plan: SlurmPlan): string {
  const tag = "WFLO_SCRIPT_EOF";
  return [
    "#!/bin/bash",
    `# wflo submit --dry-run: ${plan.tasks.length} of ${plan.shards} shard task(s) and one merge job.`,
    "# Nothing was written or submitted. This script does what `wflo submit` would do.",
    "set -euo pipefail",
    `mkdir -p ${shellQuote(plan.logsDir)} ${shellQuote(plan.partsDir)}`,
    `cat > ${shellQuote(plan.arrayScriptPath)} <<'${tag}'`,
    plan.arrayScript.trimEnd(),
    tag,
    `cat > ${shellQuote(plan.mergeScriptPath)} <<'${tag}'`,
    plan.mergeScript.trimEnd(),
    tag,
    `chmod 755 ${shellQuote(plan.arrayScriptPath)} ${shellQuote(plan.mergeScriptPath)}`,
    `array_job=$(${shellLine(plan.arraySbatch)})`,
    "array_job=${array_job%%;*}",
    `merge_job=$(${shellLine(plan.mergeSbatch("ARRAY_JOB")).replace("afterok:ARRAY_JOB", "afterok:${array_job}")})`,
    'echo "array job ${array_job}, merge job ${merge_job%%;*}"',
    "",
  ].join("\n");
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

function writeFileAtomic(path: string, text: string, mode?: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, path);
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
  writeFileAtomic(plan.arrayScriptPath, plan.arrayScript, 0o755);
  writeFileAtomic(plan.mergeScriptPath, plan.mergeScript, 0o755);
  const arrayJob = parseSbatchJobId(runSlurm(plan.arraySbatch, opts));
  let mergeJob: number;
  try {
    mergeJob = parseSbatchJobId(runSlurm(plan.mergeSbatch(arrayJob), opts));
  } catch (err) {
    try { runSlurm(["scancel", String(arrayJob)], opts); } catch { /* report the submit error below */ }
    throw new Error(`the merge job could not be submitted, so array job ${arrayJob} was cancelled: ${(err as Error).message}`);
  }
  const sub: SlurmSubmission = {
    array_job: arrayJob, merge_job: mergeJob, shards: plan.shards, tasks: plan.tasks,
    spec: plan.spec, out: plan.out, submitted_utc: new Date().toISOString(),
  };
  writeFileAtomic(submissionsPath(plan.out), JSON.stringify([...readSubmissions(plan.out), sub], null, 2) + "\n");
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
  if (r.error) throw new Error(`squeue failed to run: ${r.error.message}`);
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
