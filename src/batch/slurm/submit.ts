/**
 * Submitting a batch to Slurm: validate the spec, work out which shards are left, check locks
 * and earlier submissions (prepareSlurmSubmission), then submit the plan and record it in
 * `<out>.slurm/submissions.json` (submitPrepared, submitPlan).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { writeFileAtomically, makeDirs } from "../../util/fs.js";
import { readInputText } from "../../util/files.js";
import { openResultStore } from "../../store/resultStore.js";
import { expandConfigs, shardConfigs } from "../config.js";
import { checkSpecCompatible, parseBatchSpecText, PARTS_SPEC_FILE, readPartsSpec, type BatchSpec } from "../spec.js";
import { shardLock } from "../status.js";
import { activeJobIds, haveCommand, parseSbatchJobId, runSlurm, type RunOptions } from "./client.js";
import { planSubmission, readSubmissions, submissionsPath, type SlurmPlan, type SlurmSubmission, type SlurmSubmitRequest } from "./plan.js";

/**
 * Writes the scripts and submits: the array first, then the merge job depending on it.
 * If the merge job cannot be submitted the array is cancelled, so no array runs without
 * its merge. Records the submission in `<out>.slurm/submissions.json`.
 */
export function submitPlan(plan: SlurmPlan, opts: RunOptions = {}): SlurmSubmission {
  makeDirs(plan.logsDir);
  makeDirs(plan.partsDir);
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
 * The submit snapshot: the spec file's text, or — when it names any file (a turbine, its
 * curve, a wind rose or Weibull table, a boundary), which the snapshot's directory would not
 * resolve and which may change while jobs wait — the spec as readBatchSpec read it, with
 * every such file inlined. Before, only turbine files were, and a site or boundary file made
 * every shard task fail on a file it could not find.
 */
function readSpecForSnapshot(specPath: string): { spec: BatchSpec; text: string } {
  const text = readInputText(specPath, "batch spec");
  const dir = dirname(specPath);
  let namesFiles = false;
  const spec = parseBatchSpecText(text, {
    file: specPath,
    readText: (p) => { namesFiles = true; return readInputText(resolve(dir, p), "file named by the spec"); },
  });
  return { spec, text: namesFiles ? JSON.stringify(spec, null, 2) + "\n" : text };
}

export async function prepareSlurmSubmission(req: PrepareRequest): Promise<PreparedSubmission> {
  const cwd = resolve(req.cwd ?? process.cwd());
  const specPath = resolve(cwd, req.spec);
  const { spec, text: specText } = readSpecForSnapshot(specPath);
  const configs = expandConfigs(spec);
  if (!Number.isInteger(req.shards) || req.shards < 1) {
    throw new InputError(`must be an integer ≥ 1, got ${req.shards}`, { field: "--shards" });
  }
  if (req.shards > configs.length) {
    throw new InputError(`${req.shards} shards for the ${configs.length} configs of ${specPath}: use at most ${configs.length}`, { field: "--shards" });
  }
  const out = resolve(cwd, req.out);
  const store = openResultStore(out);
  const partsDir = store.partsDir;
  const warnings: string[] = [];

  // Refuse a spec the output cannot take (what every task would refuse), before submitting.
  const state = existsSync(out) || existsSync(partsDir) ? await store.state() : undefined;
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
    openResultStore(prep.plan.out).lock(name, { force: true }).release();
  }
  return submitPlan(prep.plan, { env: prep.env, ...opts });
}
