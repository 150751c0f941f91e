/**
 * Batches on a Slurm cluster, with Slurm doing the distribution: one job array whose task
 * i runs `wflo run <spec> --out <file> --shard i/N` into the shared parts directory of
 * `<file>`, and one merge job that runs `wflo merge` only after every task succeeded
 * (`afterok`; `--kill-on-invalid-dep=yes` cancels it when a task fails instead of leaving
 * it pending forever). Facts behind each choice: ../shared/slurm-facts.md.
 *
 * This file plans a submission (the scripts and sbatch lines, nothing run); client.ts talks
 * to Slurm (sbatch, scontrol, squeue); submit.ts prepares and submits a plan and records it;
 * the batch's status (../status.ts) reads the store, the locks and, when it can, Slurm.
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
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { partsDir as partsDirOf } from "../../store/index.js";

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

export function shellLine(argv: readonly string[]): string {
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

/**
 * Values that reach a generated script must not carry control characters: a newline in a
 * path would end a comment line or a heredoc early and run the rest as commands. Quoting
 * alone protects arguments, not comments and heredoc bodies, so such values are refused.
 */
function refuseControlChars(req: SlurmSubmitRequest): void {
  const fields: [string, string | undefined][] = [
    ["--out", req.out], ["spec", req.spec], ["working directory", req.cwd], ["--partition", req.partition], ["--time", req.time],
    ...(req.sbatchArgs ?? []).map((a, i): [string, string] => [`--sbatch-arg #${i + 1}`, a]),
    ...(req.wflo ?? []).map((a, i): [string, string] => [`wflo command word ${i + 1}`, a]),
  ];
  for (const [field, v] of fields) {
    if (v !== undefined && /[\x00-\x1f\x7f]/.test(v)) {
      throw new InputError(`${field} contains a control character (${JSON.stringify(v)}): it would reach the generated job scripts; rename it`, { field });
    }
  }
}

/** A comment line that stays one line whatever it quotes. */
function comment(text: string): string {
  return `# ${text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}`;
}

/** A heredoc terminator that no line of `texts` equals, so no content can close it early. */
function heredocTag(texts: readonly string[]): string {
  const lines = new Set(texts.flatMap((t) => t.split(/\r?\n/)));
  let tag = "WFLO_SCRIPT_EOF";
  for (let i = 1; lines.has(tag); i++) tag = `WFLO_SCRIPT_EOF_${i}`;
  return tag;
}

/** Builds the scripts and sbatch command lines of a submission. Pure: writes nothing. */
export function planSubmission(req: SlurmSubmitRequest): SlurmPlan {
  refuseControlChars(req);
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
    comment(what),
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
  const tag = heredocTag([plan.specSnapshot?.text ?? "", plan.arrayScript, plan.mergeScript]);
  const heredoc = (path: string, text: string) => [`cat > ${shellQuote(path)} <<'${tag}'`, text.trimEnd(), tag];
  const what = plan.tasks.length === 0
    ? "no shard is left to run: only the merge job"
    : `${plan.tasks.length} of ${plan.shards} shard task(s) and one merge job`;
  const lines = [
    "#!/bin/bash",
    comment(`wflo submit --dry-run: ${what}.`),
    "# Nothing was written or submitted. This script does what `wflo submit` would do.",
    ...notes.map((n) => comment(n)),
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

/** Where the submissions of `out` are recorded (`<out>.slurm/submissions.json`). */
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
