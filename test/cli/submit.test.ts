// `wflo submit` without a cluster: the dry run, input errors, and a submission against
// stand-ins for sbatch/squeue (test/slurm/fake-slurm.ts). The real cluster run is
// test/slurm/cluster.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fakeSlurm } from "../slurm/fake-slurm.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const tiny = join(repo, "test/slurm/fixtures/tiny-batch.json");

function wflo(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", "submit", ...args], { cwd: repo, env, encoding: "utf8" });
}

function tempDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), "wflo-submit-"));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test("--dry-run prints a runnable script for the same node and wflo entry, and writes nothing", (t) => {
  const dir = tempDir(t);
  const out = join(dir, "o.h5");
  const r = wflo([tiny, "--out", out, "--shards", "4", "--partition", "long", "--time", "1:00:00", "--sbatch-arg", "--account=wind", "--dry-run"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^#!\/bin\/bash\n/);
  // The jobs start the CLI exactly as this process was started: absolute node, node's
  // --import tsx (running from source, no global install), the real path of the entry.
  assert.ok(r.stdout.includes(`exec ${process.execPath} --import tsx ${realpathSync(join(repo, "src/cli/dev.ts"))} run ${out}.slurm/spec.json --out ${out} --shard "\${SLURM_ARRAY_TASK_ID}/4"`), r.stdout);
  assert.ok(r.stdout.includes(`merge ${out}.parts --out ${out}`));
  assert.match(r.stdout, /sbatch --parsable --job-name=wflo-o --array=0-3 .*--partition=long --time=1:00:00 --account=wind /);
  assert.match(r.stdout, /--dependency=afterok:\$\{array_job\} --kill-on-invalid-dep=yes/);
  assert.ok(r.stdout.includes(readFileSync(tiny, "utf8").trim()), "the spec snapshot the jobs read is part of the script");
  assert.equal(spawnSync("bash", ["-n"], { input: r.stdout }).status, 0, "valid bash");
  assert.ok(!existsSync(`${out}.slurm`) && !existsSync(`${out}.parts`), "a dry run writes nothing");

  const j = wflo([tiny, "--out", out, "--shards", "2", "--dry-run", "--json"]);
  assert.equal(j.status, 0, j.stderr);
  const plan = JSON.parse(j.stdout);
  assert.deepEqual(plan.tasks, [0, 1]);
  assert.ok(plan.array_sbatch.includes("--array=0-1"));
  assert.ok(plan.merge_sbatch.includes("--dependency=afterok:<array_job>"));
  assert.match(plan.array_script, /--shard "\$\{SLURM_ARRAY_TASK_ID\}\/2"/);
});

test("bad input is refused before anything is submitted, naming the field", (t) => {
  const dir = tempDir(t);
  const slurm = fakeSlurm(dir);
  const bad = join(dir, "bad.json");
  const spec = JSON.parse(readFileSync(tiny, "utf8"));
  delete spec.grid_size;
  writeFileSync(bad, JSON.stringify(spec));
  const cases: [string[], RegExp][] = [
    [[bad, "--out", join(dir, "o.h5"), "--shards", "2"], /bad\.json: grid_size: is required/],
    [[tiny, "--out", join(dir, "o.h5"), "--shards", "9"], /--shards: 9 shards for the 8 configs .* use at most 8/],
    [[tiny, "--out", join(dir, "o.h5"), "--shards", "0"], /--shards must be ≥ 1/],
    [[tiny, "--out", join(dir, "o.h5")], /--shards N is required/],
    [[tiny, "--shards", "2"], /--out <file.h5> is required/],
    [[tiny, "--out", join(dir, "o.h5"), "--shards", "2", "--time", "soon"], /--time: "soon" is not a Slurm time/],
    [[join(dir, "missing.json"), "--out", join(dir, "o.h5"), "--shards", "2"], /missing\.json: cannot read the batch spec/],
  ];
  for (const [args, msg] of cases) {
    const r = wflo(args, slurm.env);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
  assert.deepEqual(slurm.calls().filter((c) => c[0] === "sbatch"), [], "nothing submitted");
  assert.ok(!existsSync(join(dir, "o.h5.slurm")));
});

test("a submission runs sbatch twice, prints the job ids, and refuses to race a submission still queued", (t) => {
  const dir = tempDir(t);
  const slurm = fakeSlurm(dir);
  const out = join(dir, "o.h5");
  const r = wflo([tiny, "--out", out, "--shards", "4", "--json"], slurm.env);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { array_job: 100, merge_job: 101, shards: 4 });
  const sb = slurm.calls().filter((c) => c[0] === "sbatch");
  assert.equal(sb.length, 2);
  assert.ok(sb[0].includes("--array=0-3") && sb[0].at(-1) === `${out}.slurm/array.sh`);
  assert.ok(sb[1].includes("--dependency=afterok:100") && sb[1].includes("--kill-on-invalid-dep=yes"));
  assert.equal(readFileSync(`${out}.slurm/spec.json`, "utf8"), readFileSync(tiny, "utf8"), "the jobs read a snapshot of the spec");

  slurm.setActive([100]);
  const again = wflo([tiny, "--out", out, "--shards", "4"], slurm.env);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /previous submission \(array job 100, merge job 101\) is still queued or running: .*scancel 100 101/);
  assert.equal(slurm.calls().filter((c) => c[0] === "sbatch").length, 2, "nothing more submitted");

  slurm.setActive([]);
  const human = wflo([tiny, "--out", out, "--shards", "4"], slurm.env);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /submitted array job 102 \(4 shards\) and merge job 103/);
});

test("shard locks left by ended runs are broken at resubmission; a lock of a running Slurm job is not", (t) => {
  const dir = tempDir(t);
  const slurm = fakeSlurm(dir);
  const out = join(dir, "o.h5");
  const parts = `${out}.parts`;
  mkdirSync(parts, { recursive: true });
  // Shard 1's task was SIGKILLed on this host (its pid is gone); shard 2's ran on another
  // node as Slurm job 555 (this host cannot check that pid; only Slurm can say it ended).
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
  const lock = (name: string, host: string, pid: number, job?: string) => writeFileSync(join(parts, `${name}.lock`), JSON.stringify({
    name, pid, host, started_utc: "2026-01-01T00:00:00Z", token: "0123456789abcdef", ...(job ? { slurm_job_id: job } : {}),
  }));
  lock("shard-1-of-4", hostname(), dead);
  lock("shard-2-of-4", "node17", 4242, "555");

  slurm.setActive([555]);
  const refused = wflo([tiny, "--out", out, "--shards", "4"], slurm.env);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /shard 2\/4 is being written by pid 4242 on node17 .*\(Slurm job 555\)/);
  assert.ok(existsSync(join(parts, "shard-1-of-4.lock")), "nothing is broken when the submission is refused");

  slurm.setActive([]);
  const ok = wflo([tiny, "--out", out, "--shards", "4", "--json"], slurm.env);
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(!existsSync(join(parts, "shard-1-of-4.lock")) && !existsSync(join(parts, "shard-2-of-4.lock")));

  // A lock from another node with no Slurm job behind it cannot be judged: refused.
  lock("shard-3-of-4", "node18", 4243);
  const manual = wflo([tiny, "--out", join(dir, "o.h5"), "--shards", "4"], slurm.env);
  assert.equal(manual.status, 2);
  assert.match(manual.stderr, /shard 3\/4 is being written by pid 4243 on node18/);
});

test("when every config is committed only the merge job is submitted; when all is merged, nothing", (t) => {
  const dir = tempDir(t);
  const slurm = fakeSlurm(dir);
  const out = join(dir, "o.h5");
  // One shard covering everything: all 8 configs committed as parts, none merged.
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", "run", tiny, "--out", out, "--shard", "0/1", "--workers", "1"], { cwd: repo, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const dry = wflo([tiny, "--out", out, "--shards", "4", "--dry-run"], slurm.env);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /no shard is left to run: only the merge job/);
  assert.doesNotMatch(dry.stdout, /--array=|--dependency=/);
  const r = wflo([tiny, "--out", out, "--shards", "4", "--json"], slurm.env);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { array_job: null, merge_job: 100, shards: 4 });
  assert.match(r.stderr, /every config is committed: submitting only the merge job/);
  const sb = slurm.calls().filter((c) => c[0] === "sbatch");
  assert.equal(sb.length, 1);
  assert.ok(sb[0].at(-1)!.endsWith("merge.sh") && !sb[0].some((a) => a.startsWith("--dependency")));

  // What the merge job would do; then there is nothing left to submit.
  const merge = spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", "merge", `${out}.parts`, "--out", out], { cwd: repo, encoding: "utf8" });
  assert.equal(merge.status, 0, merge.stderr);
  const none = wflo([tiny, "--out", out, "--shards", "4"], slurm.env);
  assert.equal(none.status, 0, none.stderr);
  assert.match(none.stdout, /nothing to submit: all 8 configs of .*tiny-batch\.json are in .*o\.h5/);
  assert.equal(slurm.calls().filter((c) => c[0] === "sbatch").length, 1);
});

test("without sbatch on PATH the submission fails before writing anything", (t) => {
  const dir = tempDir(t);
  const out = join(dir, "o.h5");
  const r = wflo([tiny, "--out", out, "--shards", "2"], { ...process.env, PATH: "/nonexistent" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /sbatch not found on PATH: run wflo submit on a Slurm login node/);
  assert.ok(!existsSync(`${out}.slurm`));
});

test("a spec that names files (a wind-rose CSV, a boundary CSV, a turbine curve) is frozen with them inlined: the shard task runs from the snapshot's folder", (t) => {
  const dir = tempDir(t);
  const slurm = fakeSlurm(dir);
  const specDir = join(dir, "study");
  mkdirSync(specDir);
  writeFileSync(join(specDir, "rose.csv"), "direction_deg,direction_frequency,speed_mps,speed_probability_given_direction\n0,0.5,9,1\n180,0.5,10,1\n");
  writeFileSync(join(specDir, "square.csv"), "x_m,y_m\n0,0\n1200,0\n1200,1200\n0,1200\n");
  writeFileSync(join(specDir, "curve.csv"), "ws_m_s,power_kW,ct\n3,0,0.8\n12,3350,0.8\n25,3350,0.2\n");
  const spec = join(specDir, "spec.json");
  writeFileSync(spec, JSON.stringify({
    site: "rose.csv", model: { deficit: "BastankhahGaussian" },
    turbines: [{ name: "t", diameter_m: 130, hub_height_m: 110, curve: "curve.csv" }],
    farms: [{ boundary: "square.csv", n_turbines: 4, min_spacing_m: 390 }],
    seeds: 1, grid_size: 8, random_pct: 30, optimizer: { hops: 0, outer_iterations: 2, inner_iterations: 10 },
  }));
  const out = join(dir, "o.h5");
  const r = wflo([spec, "--out", out, "--shards", "1"], slurm.env);
  assert.equal(r.status, 0, r.stderr);
  const snap = JSON.parse(readFileSync(`${out}.slurm/spec.json`, "utf8"));
  assert.equal(snap.site.type, "table");
  assert.equal(typeof snap.farms[0].boundary, "object");
  assert.equal(snap.turbines[0].curve, undefined);
  // What the array task runs (array.sh), from another folder: before, "cannot read rose.csv".
  const task = spawnSync(process.execPath, ["--import", "tsx", join(repo, "src/cli/dev.ts"), "run", `${out}.slurm/spec.json`, "--out", out, "--shard", "0/1", "--json"],
    { cwd: repo, encoding: "utf8" });
  assert.equal(task.status, 0, task.stderr);
  assert.equal(JSON.parse(task.stdout.trim().split("\n").at(-1)!).done, 1);
});
