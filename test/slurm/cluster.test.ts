// `wflo submit` on a real one-host Slurm cluster (Debian's slurmctld, slurmd and
// slurm-client, started in a temp dir by ./harness.ts and always torn down).
//
// 1. The README's example batch as a 4-task job array plus the merge job: the merged
//    output holds every config exactly once and validates.
// 2. The same output with one more seed, where one new config fails on purpose
//    (batch's test-only fault injection: the spec's `_fault` acts only in processes whose
//    environment has WFLO_TEST_FAULTS=1, and sbatch hands the submitter's environment to
//    the jobs). The merge job is cancelled by Slurm (afterok + --kill-on-invalid-dep), the
//    output is untouched and valid, `wflo status` names the failed shard and config; a
//    resubmission without the fault runs only that shard and completes the output.
//
// Skipped only outside CI when Slurm is not installed; with CI=true it must run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { missingSlurmBinaries, startCluster, type SlurmCluster } from "./harness.js";
import { waitForJobs, readSubmissions, type SlurmJobInfo } from "../../src/batch/slurm/index.js";
import { expandConfigs, shardConfigs } from "../../src/batch/config.js";
import { readBatchSpec } from "../../src/batch/spec.js";
import { listParts } from "../../src/store/index.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const example = join(repo, "examples", "iea37-quick.json");
const inCI = process.env.CI === "true" || process.env.CI === "1";
const missing = missingSlurmBinaries();
const skip = missing.length > 0 && !inCI
  ? `Slurm is not installed (missing ${missing.join(", ")}): bash scripts/setup-system.sh installs it; CI always runs this test`
  : false;

interface Run { status: number | null; stdout: string; stderr: string }

function wflo(cluster: SlurmCluster, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", ...args], {
    cwd: repo, env: { ...cluster.env, ...env }, encoding: "utf8", timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Group names and root attributes of an output, read by h5py: a reader independent of wflo's. */
function readWithH5py(path: string): { groups: string[]; failed: string[]; attrs: Record<string, unknown> } {
  const py = [
    "import h5py, json, sys",
    "f = h5py.File(sys.argv[1], 'r')",
    "a = {k: (v.decode() if isinstance(v, bytes) else (v.item() if hasattr(v, 'item') else v)) for k, v in f.attrs.items()}",
    "print(json.dumps({'groups': sorted(k for k in f.keys() if k != '_failed'), 'failed': sorted(f['_failed'].keys()) if '_failed' in f else [], 'attrs': a}))",
  ].join("\n");
  const r = spawnSync("/usr/bin/python3", ["-c", py, path], { encoding: "utf8" });
  assert.equal(r.status, 0, `h5py could not read ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function describeJobs(jobs: SlurmJobInfo[]): string {
  return jobs.map((j) => `${j.jobId}${j.arrayTaskId !== undefined ? `[task ${j.arrayTaskId}]` : ""}=${j.state}${j.reason ? `(${j.reason})` : ""} exit ${j.exitCode}${j.runTimeS !== undefined ? ` ran ${j.runTimeS} s` : " never started"}`).join(", ");
}

function logsOf(out: string): string {
  const dir = `${out}.slurm/logs`;
  if (!existsSync(dir)) return "(no job logs)";
  return spawnSync("sh", ["-c", `for f in "${dir}"/*; do echo "--- $f"; tail -n 15 "$f"; done`], { encoding: "utf8" }).stdout;
}

/**
 * Every config of the spec is in `out` exactly once, nothing waits in parts, the root
 * attributes are those of a run on one machine, and wflo validate agrees.
 */
function assertComplete(cluster: SlurmCluster, out: string, keys: string[], spec: { seeds: number[]; grid_size: number; random_pct: number }): void {
  const h5 = readWithH5py(out);
  assert.equal(Number(h5.attrs.grid_size), spec.grid_size);
  assert.equal(Number(h5.attrs.random_pct), spec.random_pct);
  assert.deepEqual(JSON.parse(String(h5.attrs.spec_json)).seeds, spec.seeds, "spec_json describes every result");
  assert.deepEqual(h5.groups, [...keys].sort(), "the output holds exactly the spec's configs");
  assert.deepEqual(h5.failed, [], "no failure records left");
  assert.equal(Number(h5.attrs.total_configs), keys.length);
  assert.equal(Number(h5.attrs.successful_configs), keys.length);
  assert.deepEqual(listParts(`${out}.parts`).results.map((p) => p.key), [], "every part was merged (none left to count twice)");
  const v = wflo(cluster, ["validate", out]);
  assert.equal(v.status, 0, `wflo validate ${out}: ${v.stdout}${v.stderr}`);
}

test("wflo submit runs a batch as a Slurm job array and a dependent merge; a failed shard blocks the merge and a resubmission completes it", { skip, timeout: 170_000 }, async (t) => {
  const t0 = performance.now();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  const work = join(cluster.dir, "work");
  mkdirSync(work);
  const out = join(work, "quick.h5");
  const lap = (what: string) => t.diagnostic(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  lap("cluster up");

  // --- 1. the example batch, 4 shards
  const spec1 = readBatchSpec(example);
  const keys1 = expandConfigs(spec1).map((c) => c.key);
  const sub1 = wflo(cluster, ["submit", example, "--out", out, "--shards", "4", "--json"]);
  assert.equal(sub1.status, 0, sub1.stderr);
  const ids1 = JSON.parse(sub1.stdout.trim().split("\n").pop()!) as { array_job: number; merge_job: number; shards: number };
  assert.equal(ids1.shards, 4);
  assert.ok(Number.isInteger(ids1.array_job) && Number.isInteger(ids1.merge_job), sub1.stdout);
  // While the array runs, status reads Slurm's view: every shard has a task state, the merge waits.
  const st0 = wflo(cluster, ["status", out, "--json"]);
  assert.equal(st0.status, 1, `${st0.stdout}${st0.stderr}`);
  const s0 = JSON.parse(st0.stdout);
  assert.deepEqual([s0.shards, s0.total, s0.slurm.array_job, s0.slurm.merge_job], [4, keys1.length, ids1.array_job, ids1.merge_job]);
  for (const r of s0.per_shard) assert.match(r.slurm ?? "", /^(PENDING|RUNNING|COMPLETING|COMPLETED)$/, st0.stdout);
  assert.match(s0.slurm.merge_state, /^(PENDING|RUNNING|COMPLETED)$/);
  if (s0.slurm.merge_state === "PENDING") assert.equal(s0.slurm.merge_reason, "Dependency");
  const jobs1 = await waitForJobs([ids1.array_job, ids1.merge_job], { env: cluster.env, deadlineMs: 100_000 })
    .catch((err: Error) => { throw new Error(`${err.message}\n${logsOf(out)}\n${cluster.logs()}`); });
  lap("example batch done (4 shards + merge)");
  t.diagnostic(describeJobs(jobs1));
  const tasks1 = jobs1.filter((j) => j.arrayJobId === ids1.array_job);
  assert.deepEqual(tasks1.map((j) => j.arrayTaskId).sort(), [0, 1, 2, 3], describeJobs(jobs1));
  assert.ok(jobs1.every((j) => j.state === "COMPLETED"), `${describeJobs(jobs1)}\n${logsOf(out)}`);
  assertComplete(cluster, out, keys1, spec1);
  const st1 = wflo(cluster, ["status", out, "--json"]);
  assert.equal(st1.status, 0, st1.stderr);
  const s1 = JSON.parse(st1.stdout);
  assert.deepEqual([s1.total, s1.done, s1.merged, s1.failed, s1.missing], [keys1.length, keys1.length, keys1.length, 0, 0]);
  const mtime1 = statSync(out).mtimeMs;
  lap("checked");

  // --- 2. one more seed on the same output; the last new config fails every attempt
  const newSeeds = [1000].filter((s) => !spec1.seeds.includes(s));
  const raw = JSON.parse(readFileSync(example, "utf8"));
  const specPath = join(work, "more-seeds.json");
  const seeds2 = [...spec1.seeds, ...newSeeds];
  const configs2 = expandConfigs({ ...spec1, seeds: seeds2 });
  const keys2 = configs2.map((c) => c.key);
  const newConfigs = configs2.filter((c) => !keys1.includes(c.key));
  const faulty = newConfigs[newConfigs.length - 1];
  const failShard = faulty.index % 4; // shardConfigs takes index mod n
  assert.ok(shardConfigs(configs2, { index: failShard, count: 4 }).some((c) => c.key === faulty.key));
  writeFileSync(specPath, JSON.stringify({ ...raw, seeds: seeds2, _fault: { [faulty.key]: { kind: "throw" } } }, null, 2));
  const shardsWithNew = [...new Set(newConfigs.map((c) => c.index % 4))].sort();

  const sub2 = wflo(cluster, ["submit", specPath, "--out", out, "--shards", "4", "--json"], { WFLO_TEST_FAULTS: "1" });
  assert.equal(sub2.status, 0, sub2.stderr);
  const ids2 = JSON.parse(sub2.stdout.trim().split("\n").pop()!) as { array_job: number; merge_job: number };
  assert.deepEqual(readSubmissions(out).at(-1)!.tasks, shardsWithNew, "only shards with missing configs are submitted");
  const jobs2 = await waitForJobs([ids2.array_job, ids2.merge_job], { env: cluster.env, deadlineMs: 60_000 })
    .catch((err: Error) => { throw new Error(`${err.message}\n${logsOf(out)}\n${cluster.logs()}`); });
  lap("run with a failing shard done");
  t.diagnostic(describeJobs(jobs2));
  const byTask = new Map(jobs2.filter((j) => j.arrayJobId === ids2.array_job).map((j) => [j.arrayTaskId!, j]));
  assert.equal(byTask.get(failShard)?.state, "FAILED", describeJobs(jobs2));
  assert.equal(byTask.get(failShard)?.exitCode, "1:0", "wflo run exits 1 when a config failed");
  for (const i of shardsWithNew.filter((i) => i !== failShard)) assert.equal(byTask.get(i)?.state, "COMPLETED", describeJobs(jobs2));
  const failShardAll = shardConfigs(configs2, { index: failShard, count: 4 });
  const failShardNew = failShardAll.filter((c) => !keys1.includes(c.key));
  const sum2 = runSummary(out, failShard, ids2.array_job);
  assert.deepEqual([sum2.total, sum2.done, sum2.failed, sum2.skipped], [failShardAll.length, failShardNew.length - 1, 1, failShardAll.length - failShardNew.length]);
  const merge2 = jobs2.find((j) => j.jobId === ids2.merge_job)!;
  assert.equal(merge2.state, "CANCELLED", `the merge job must not run: ${describeJobs(jobs2)}`);
  assert.equal(merge2.reason, "DependencyNeverSatisfied");
  assert.ok(!readdirNames(`${out}.slurm/logs`).some((f) => f === `merge.job-${ids2.merge_job}.out`), "the merge job never started");
  // The output is untouched: still exactly the first batch, valid.
  assert.equal(statSync(out).mtimeMs, mtime1);
  assertCompleteOutputOnly(cluster, out, keys1);
  const st2 = wflo(cluster, ["status", out, "--json"]);
  assert.equal(st2.status, 1, "status exits 1 while configs are failed or missing");
  const s2 = JSON.parse(st2.stdout);
  assert.deepEqual(s2.failed_keys, [faulty.key]);
  assert.deepEqual(s2.missing_keys, []);
  assert.equal(s2.per_shard[failShard].state, "failed");
  assert.equal(s2.slurm.merge_state, "CANCELLED");
  assert.ok(s2.per_shard.filter((r: { shard: number }) => r.shard !== failShard).every((r: { state: string }) => r.state === "done"), st2.stdout);

  // --- 3. resubmit without the fault: only the failed shard runs, only its failed config, then the merge
  const sub3 = wflo(cluster, ["submit", specPath, "--out", out, "--shards", "4", "--json"], { WFLO_TEST_FAULTS: "0" });
  assert.equal(sub3.status, 0, sub3.stderr);
  const ids3 = JSON.parse(sub3.stdout.trim().split("\n").pop()!) as { array_job: number; merge_job: number };
  assert.deepEqual(readSubmissions(out).at(-1)!.tasks, [failShard]);
  const jobs3 = await waitForJobs([ids3.array_job, ids3.merge_job], { env: cluster.env, deadlineMs: 60_000 })
    .catch((err: Error) => { throw new Error(`${err.message}\n${logsOf(out)}\n${cluster.logs()}`); });
  lap("resubmission done");
  t.diagnostic(describeJobs(jobs3));
  assert.ok(jobs3.every((j) => j.state === "COMPLETED"), `${describeJobs(jobs3)}\n${logsOf(out)}`);
  // The resubmitted task runs only the config that failed; the rest of its shard is skipped.
  const sum3 = runSummary(out, failShard, ids3.array_job);
  assert.deepEqual([sum3.total, sum3.done, sum3.failed, sum3.skipped], [failShardAll.length, 1, 0, failShardAll.length - 1]);
  assertComplete(cluster, out, keys2, { ...spec1, seeds: seeds2 });
  const st3 = wflo(cluster, ["status", out]);
  assert.equal(st3.status, 0, st3.stdout);
  lap("all checked");
});

/** The summary `wflo run --json` printed as the last JSON line of an array task's log. */
function runSummary(out: string, shard: number, arrayJob: number): { total: number; done: number; failed: number; skipped: number } {
  const log = readFileSync(join(`${out}.slurm/logs`, `shard-${shard}.job-${arrayJob}.out`), "utf8");
  const line = log.split("\n").filter((l) => l.startsWith("{") && l.includes('"total"')).pop();
  assert.ok(line, `no JSON summary in the log of shard ${shard}:\n${log}`);
  return JSON.parse(line);
}

function readdirNames(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** The output (ignoring parts, which the failed run left for the next merge) holds exactly `keys` and validates. */
function assertCompleteOutputOnly(cluster: SlurmCluster, out: string, keys: string[]): void {
  const h5 = readWithH5py(out);
  assert.deepEqual(h5.groups, [...keys].sort());
  const v = wflo(cluster, ["validate", out]);
  assert.equal(v.status, 0, `wflo validate ${out}: ${v.stdout}${v.stderr}`);
}
