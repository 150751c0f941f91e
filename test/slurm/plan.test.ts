// The generated job scripts and sbatch command lines, checked by running them with bash
// against stand-ins for wflo and sbatch (the real cluster is in cluster.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  arrayRanges, parseSbatchJobId, parseScontrolJobs, planSubmission, readSubmissions, renderDryRun,
  shellQuote, submitPlan,
} from "../../src/batch/slurm/index.js";
import { fakeSlurm } from "./fake-slurm.js";

function tempDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), "wflo-slurm-plan-"));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A stand-in for the wflo CLI that records its argv and cwd as JSON lines. */
function fakeWflo(dir: string): { cmd: string[]; calls(): { argv: string[]; cwd: string }[] } {
  const log = join(dir, "wflo-calls.jsonl");
  const script = join(dir, "fake-wflo.mjs");
  writeFileSync(script, `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }) + "\\n");\n`);
  return {
    cmd: [process.execPath, script],
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : []),
  };
}

test("the array script runs shard $SLURM_ARRAY_TASK_ID/N with the task's CPUs, from the submit directory", (t) => {
  const dir = tempDir(t);
  const wflo = fakeWflo(dir);
  const plan = planSubmission({ spec: "my spec.json", out: "runs/out.h5", shards: 4, wflo: wflo.cmd, cwd: dir });
  // Paths are absolute, so the job does not depend on where Slurm starts it.
  assert.equal(plan.spec, join(dir, "my spec.json"));
  assert.equal(plan.out, join(dir, "runs/out.h5"));
  assert.equal(plan.partsDir, join(dir, "runs/out.h5.parts"));
  // The task id must reach the script unexpanded: it is only known inside the job.
  assert.match(plan.arrayScript, /--shard "\$\{SLURM_ARRAY_TASK_ID\}\/4"/);
  const script = join(dir, "array.sh");
  writeFileSync(script, plan.arrayScript);

  const elsewhere = tempDir(t);
  for (const [task, cpus] of [["2", undefined], ["3", "3"]] as const) {
    const env: NodeJS.ProcessEnv = { ...process.env, SLURM_ARRAY_TASK_ID: task };
    delete env.SLURM_CPUS_PER_TASK;
    if (cpus) env.SLURM_CPUS_PER_TASK = cpus;
    const r = spawnSync("bash", [script], { cwd: elsewhere, env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  }
  const calls = wflo.calls();
  assert.deepEqual(calls.map((c) => c.argv), [
    ["run", join(dir, "my spec.json"), "--out", join(dir, "runs/out.h5"), "--shard", "2/4", "--workers", "1", "--json"],
    ["run", join(dir, "my spec.json"), "--out", join(dir, "runs/out.h5"), "--shard", "3/4", "--workers", "3", "--json"],
  ]);
  assert.ok(calls.every((c) => c.cwd === dir), "jobs run from the directory wflo submit ran in");
});

test("the array script fails the task when wflo fails (set -e, exec)", (t) => {
  const dir = tempDir(t);
  const plan = planSubmission({ spec: "s.json", out: "o.h5", shards: 2, wflo: ["/bin/sh", "-c", "exit 7", "sh"], cwd: dir });
  writeFileSync(join(dir, "array.sh"), plan.arrayScript);
  const r = spawnSync("bash", [join(dir, "array.sh")], { env: { ...process.env, SLURM_ARRAY_TASK_ID: "1" } });
  assert.equal(r.status, 7);
});

test("the merge script runs wflo merge <parts> --out <file>", (t) => {
  const dir = tempDir(t);
  const wflo = fakeWflo(dir);
  const plan = planSubmission({ spec: "s.json", out: "o.h5", shards: 3, wflo: wflo.cmd, cwd: dir });
  writeFileSync(join(dir, "merge.sh"), plan.mergeScript);
  const r = spawnSync("bash", [join(dir, "merge.sh")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(wflo.calls().map((c) => c.argv), [["merge", join(dir, "o.h5.parts"), "--out", join(dir, "o.h5")]]);
});

test("sbatch lines: one array over the shards; the merge waits for all of it and dies with it", () => {
  const plan = planSubmission({
    spec: "/s.json", out: "/data/o.h5", shards: 4, partition: "long", time: "2:00:00",
    sbatchArgs: ["--account=wind", "--cpus-per-task=2"], wflo: ["/usr/bin/node", "/opt/wflo/bin/wflo.js"], cwd: "/",
  });
  assert.deepEqual(plan.arraySbatch, [
    "sbatch", "--parsable", "--job-name=wflo-o", "--array=0-3",
    "--output=/data/o.h5.slurm/logs/shard-%a.job-%A.out",
    "--partition=long", "--time=2:00:00", "--account=wind", "--cpus-per-task=2",
    "/data/o.h5.slurm/array.sh",
  ]);
  assert.deepEqual(plan.mergeSbatch(42), [
    "sbatch", "--parsable", "--job-name=wflo-o-merge", "--dependency=afterok:42", "--kill-on-invalid-dep=yes",
    "--output=/data/o.h5.slurm/logs/merge.job-%j.out",
    "--partition=long", "--time=2:00:00", "--account=wind", "--cpus-per-task=2",
    "/data/o.h5.slurm/merge.sh",
  ]);
  const again = planSubmission({ spec: "/s.json", out: "/data/o.h5", shards: 8, tasks: [6, 1, 2, 3], wflo: ["/n", "/w"], cwd: "/" });
  assert.ok(again.arraySbatch.includes("--array=1-3,6"));
});

test("bad requests name the option", () => {
  const base = { spec: "/s.json", out: "/o.h5", wflo: ["/n", "/w"], cwd: "/" };
  assert.throws(() => planSubmission({ ...base, shards: 0 }), /--shards: must be an integer ≥ 1/);
  assert.throws(() => planSubmission({ ...base, shards: 2.5 }), /--shards/);
  assert.throws(() => planSubmission({ ...base, shards: 4, tasks: [4] }), /--shards: shard 4 is outside 0..3/);
  assert.throws(() => planSubmission({ ...base, shards: 4, time: "two hours" }), /--time: "two hours" is not a Slurm time/);
  assert.throws(() => planSubmission({ ...base, shards: 4, partition: "a b" }), /--partition/);
});

test("shellQuote survives bash for awkward paths", () => {
  for (const s of ["plain/path.h5", "with space", "it's", "$HOME", "a\"b", "semi;colon", "tab\there", "*"]) {
    const r = spawnSync("bash", ["-c", `printf %s ${shellQuote(s)}`], { encoding: "utf8" });
    assert.equal(r.stdout, s);
  }
});

test("the dry run is a shell script that submits exactly as wflo submit would", (t) => {
  const dir = tempDir(t);
  const wflo = fakeWflo(dir);
  const slurm = fakeSlurm(dir);
  const plan = planSubmission({ spec: "s.json", out: "out dir/o.h5", shards: 3, wflo: wflo.cmd, cwd: dir, sbatchArgs: ["--qos=low"] });
  const text = renderDryRun(plan);
  assert.ok(!existsSync(plan.slurmDir), "a dry run plan writes nothing");
  const script = join(dir, "dry-run.sh");
  writeFileSync(script, text);
  const r = spawnSync("bash", [script], { env: slurm.env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "array job 100, merge job 101");
  assert.equal(readFileSync(plan.arrayScriptPath, "utf8"), plan.arrayScript);
  assert.equal(readFileSync(plan.mergeScriptPath, "utf8"), plan.mergeScript);
  assert.deepEqual(slurm.calls(), [plan.arraySbatch, plan.mergeSbatch(100)]);

  // A stale shard lock that wflo submit would break is removed by the script too.
  mkdirSync(plan.partsDir, { recursive: true });
  writeFileSync(join(plan.partsDir, "shard-1-of-3.lock"), "{}");
  writeFileSync(script, renderDryRun(plan, { staleLocks: ["shard-1-of-3"], notes: ["a note"] }));
  assert.equal(spawnSync("bash", [script], { env: slurm.env }).status, 0);
  assert.ok(!existsSync(join(plan.partsDir, "shard-1-of-3.lock")));
});

test("submitPlan submits the array, then the merge after it, and records both", (t) => {
  const dir = tempDir(t);
  const slurm = fakeSlurm(dir);
  const plan = planSubmission({ spec: "s.json", out: "o.h5", shards: 2, wflo: ["/n", "/w"], cwd: dir });
  const sub = submitPlan(plan, { env: slurm.env });
  assert.equal(sub.array_job, 100);
  assert.equal(sub.merge_job, 101);
  assert.deepEqual(slurm.calls(), [plan.arraySbatch, plan.mergeSbatch(100)]);
  assert.equal((readFileSync(plan.arrayScriptPath).length > 0), true);
  assert.equal(spawnSync("test", ["-x", plan.arrayScriptPath]).status, 0, "scripts are executable");
  const again = submitPlan(plan, { env: slurm.env });
  assert.deepEqual(readSubmissions(plan.out).map((s) => [s.array_job, s.merge_job]), [[100, 101], [102, 103]]);
  assert.deepEqual(readSubmissions(plan.out)[1].merge_sbatch, plan.mergeSbatch(102), "the record says how each job was submitted");
  assert.equal(again.shards, 2);
});

test("when the merge job cannot be submitted, the array is cancelled", (t) => {
  const dir = tempDir(t);
  const slurm = fakeSlurm(dir, { failAt: 2 });
  const plan = planSubmission({ spec: "s.json", out: "o.h5", shards: 2, wflo: ["/n", "/w"], cwd: dir });
  assert.throws(() => submitPlan(plan, { env: slurm.env }), /merge job could not be submitted, so array job 100 was cancelled: .*Invalid partition/);
  assert.deepEqual(slurm.calls().at(-1), ["scancel", "100"]);
  assert.deepEqual(readSubmissions(plan.out), [], "nothing recorded for a submission that did not happen");
});

test("sbatch job ids and scontrol job states parse as Slurm 22.05 prints them", () => {
  assert.equal(parseSbatchJobId("17\n"), 17);
  assert.equal(parseSbatchJobId("17;cluster\n"), 17);
  assert.throws(() => parseSbatchJobId("sbatch: error: x"), /no job id/);
  assert.equal(arrayRanges([0, 1, 2, 3]), "0-3");
  assert.equal(arrayRanges([5, 0, 2, 3]), "0,2-3,5");

  // Captured from a real one-host cluster (test/slurm/harness.ts): a 3-task array whose
  // task 1 exited 1, and the afterok merge job that was cancelled because of it.
  const done = parseScontrolJobs(readFileSync(new URL("./fixtures/scontrol-array-one-task-failed.txt", import.meta.url), "utf8"));
  assert.deepEqual(done.map((j) => [j.jobId, j.arrayJobId, j.arrayTaskId, j.state, j.exitCode, j.reason, j.runTimeS]), [
    [1, 1, 2, "COMPLETED", "0:0", undefined, 0],
    [4, 1, 1, "FAILED", "1:0", "NonZeroExitCode", 0],
    [3, 1, 0, "COMPLETED", "0:0", undefined, 0],
    [2, undefined, undefined, "CANCELLED", "0:0", "DependencyNeverSatisfied", undefined],
  ]);
  assert.equal(parseScontrolJobs("JobId=9 JobName=x JobState=RUNNING Reason=None RunTime=1-02:03:04 BatchHost=ci1")[0].runTimeS, 93784);
  const pending = parseScontrolJobs(readFileSync(new URL("./fixtures/scontrol-array-pending.txt", import.meta.url), "utf8"));
  assert.deepEqual(pending.map((j) => [j.jobId, j.arrayTasks, j.state, j.reason]), [
    [1, "0-2", "PENDING", undefined],
    [2, undefined, "PENDING", "Dependency"],
  ]);
});

test("no value reaches a generated script as a command: newlines refused, comments one line, heredocs closed only by their own tag", (t) => {
  const dir = tempDir(t);
  const wflo = fakeWflo(dir);
  const slurm = fakeSlurm(dir);
  const marker = join(dir, "INJECTED");
  const evil = [`a\ntouch ${marker}\n`, `x\nWFLO_SCRIPT_EOF\ntouch ${marker}\n`, `b\r\ntouch ${marker}`];
  for (const v of evil) {
    for (const field of ["out", "spec", "partition", "time"] as const) {
      const req = { spec: "s.json", out: "o.h5", shards: 2, wflo: wflo.cmd, cwd: dir, [field]: field === "out" ? `${v}.h5` : v };
      assert.throws(() => planSubmission(req), (e: Error) => /contains a control character/.test(e.message), `${field}: ${JSON.stringify(v)}`);
    }
    assert.throws(() => planSubmission({ spec: "s.json", out: "o.h5", shards: 2, wflo: wflo.cmd, cwd: dir, sbatchArgs: [v] }), /--sbatch-arg #1 contains a control character/);
  }
  // What may appear in a path without control characters is quoted, and a spec whose text
  // holds the heredoc tag as a line cannot close the heredoc early.
  for (const name of ["$(touch INJECTED)", "`touch INJECTED`", "it's \"quoted\"", "WFLO_SCRIPT_EOF"]) {
    const plan = planSubmission({
      spec: "s.json", out: join(name, "o.h5"), shards: 2, wflo: wflo.cmd, cwd: dir,
      specText: `{"name": "x"}\nWFLO_SCRIPT_EOF\ntouch ${marker}\n`,
    });
    const script = join(dir, "dry-run.sh");
    writeFileSync(script, renderDryRun(plan, { notes: [`note with\nnewline touch ${marker}`] }));
    const r = spawnSync("bash", [script], { env: slurm.env, encoding: "utf8", cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(plan.specSnapshot!.path, "utf8").trimEnd(), `{"name": "x"}\nWFLO_SCRIPT_EOF\ntouch ${marker}`);
    assert.equal(spawnSync("bash", [plan.arrayScriptPath], { env: { ...slurm.env, SLURM_ARRAY_TASK_ID: "0" }, cwd: dir }).status, 0);
    assert.ok(!existsSync(marker) && !existsSync(join(dir, "INJECTED")), `${name}: a marker file was created`);
  }
});
