/**
 * `wflo submit <spec.json> --out <file.h5> --shards N [--partition P] [--time T]
 *  [--sbatch-arg ARG]... [--dry-run] [--json]`
 *
 * Submits a batch to Slurm: a job array whose task i runs shard i/N, and a merge job that
 * runs when every task succeeded. A resubmission submits only the shards that still miss
 * configs. See README "## Running on a Slurm cluster".
 */
import { flag, numberOption, option, parseArgs } from "../args.js";
import { UsageError } from "../../errors.js";
import { prepareSlurmSubmission, renderDryRun, submitPrepared } from "../../batch/slurm/index.js";

export const summary = "submit a batch to Slurm: one job array of shards, then a merge job";

export const usage = "usage: wflo submit <spec.json> --out <file.h5> --shards N [--partition P] [--time T] [--sbatch-arg ARG]... [--dry-run] [--json]";

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    out: "value", shards: "value", partition: "value", time: "value", "sbatch-arg": "value",
    "dry-run": "flag", json: "flag",
  });
  if (p.positional.length !== 1) throw new UsageError(`expected one batch spec file\n${usage}`);
  const out = option(p, "out");
  if (!out) throw new UsageError(`--out <file.h5> is required\n${usage}`);
  const shards = numberOption(p, "shards", { integer: true, min: 1 });
  if (shards === undefined) throw new UsageError(`--shards N is required\n${usage}`);
  const dryRun = flag(p, "dry-run");
  const json = flag(p, "json");

  const prep = await prepareSlurmSubmission({
    spec: p.positional[0], out, shards,
    partition: option(p, "partition"), time: option(p, "time"),
    sbatchArgs: p.options.get("sbatch-arg") ?? [],
    dryRun,
  });
  for (const w of prep.warnings) console.error(`wflo submit: ${w}`);

  if (!prep.plan) {
    // Every config is committed and merged: nothing to submit.
    if (json) console.log(JSON.stringify({ array_job: null, merge_job: null, shards, note: prep.note }));
    else console.log(prep.note);
    return 0;
  }
  if (dryRun) {
    if (json) {
      console.log(JSON.stringify({
        dry_run: true, shards, tasks: prep.plan.tasks, stale_locks: prep.staleLocks, warnings: prep.warnings,
        array_sbatch: prep.plan.arraySbatch, merge_sbatch: prep.plan.mergeSbatch("<array_job>"),
        array_script: prep.plan.arrayScript, merge_script: prep.plan.mergeScript,
      }));
    } else {
      process.stdout.write(renderDryRun(prep.plan, { notes: prep.warnings, staleLocks: prep.staleLocks }));
    }
    return 0;
  }
  const sub = submitPrepared(prep);
  if (json) {
    console.log(JSON.stringify({ array_job: sub.array_job, merge_job: sub.merge_job, shards: sub.shards }));
  } else {
    const which = sub.tasks.length === sub.shards ? `${sub.shards} shards` : `shards ${sub.tasks.join(",")} of ${sub.shards} (the others are complete)`;
    console.log(`submitted array job ${sub.array_job} (${which}) and merge job ${sub.merge_job} (runs after every task succeeded)`);
    console.log(`progress: wflo status ${prep.plan.out}    logs: ${prep.plan.logsDir}/`);
  }
  return 0;
}
