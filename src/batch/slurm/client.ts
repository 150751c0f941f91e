/**
 * The Slurm client: sbatch's job id, scontrol's view of jobs, waiting for jobs to end. Every
 * command runs with a timeout and fails naming the command line (facts: ../shared/slurm-facts.md).
 */
import { spawnSync } from "node:child_process";
import { shellLine } from "./plan.js";

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

/** Runs a Slurm command and returns its stdout; an Error naming the command line otherwise. */
export function runSlurm(argv: readonly string[], opts: RunOptions): string {
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

/** Whether a Slurm client command can be found (e.g. on a login node). */
export function haveCommand(cmd: string): boolean {
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8", timeout: 10_000 });
  return !r.error;
}
