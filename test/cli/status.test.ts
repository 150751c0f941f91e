// `wflo status` while shards run by hand (no cluster): done, failed, missing and running
// shards from the parts directory and the shard locks; and what `wflo submit` would
// resubmit. The Slurm-side states are covered by test/slurm/cluster.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expandConfigs, shardConfigs } from "../../src/batch/config.js";
import { readBatchSpec } from "../../src/batch/spec.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const tiny = join(repo, "test/slurm/fixtures/tiny-batch.json");

function wflo(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", ...args], { cwd: repo, env, encoding: "utf8" });
}

test("status names done, failed, missing and running shards; submit resubmits only the unfinished ones", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-status-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "o.h5");

  const none = wflo(["status", out]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /o\.h5: neither the output nor .*o\.h5\.parts exists/);

  // Shard 1 of 4 completes; shard 3 runs with one config failing every attempt.
  const keys = shardConfigs(expandConfigs(readBatchSpec(tiny)), { index: 3, count: 4 }).map((c) => c.key);
  const faulty = keys[0];
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify({ ...JSON.parse(readFileSync(tiny, "utf8")), _fault: { [faulty]: { kind: "throw" } } }));
  const r1 = wflo(["run", spec, "--out", out, "--shard", "1/4", "--workers", "1"]);
  assert.equal(r1.status, 0, r1.stderr);
  const r3 = wflo(["run", spec, "--out", out, "--shard", "3/4", "--workers", "1", "--retries", "0"], { ...process.env, WFLO_TEST_FAULTS: "1" });
  assert.equal(r3.status, 1, r3.stderr);

  // Shard 2 is "running": another process holds its lock.
  const holder = spawn(process.execPath, ["--import", "tsx", "test/slurm/lock-holder.ts", `${out}.parts`, "shard-2-of-4"], { cwd: repo, stdio: ["pipe", "pipe", "inherit"] });
  t.after(() => { holder.stdin!.end(); });
  const line = await new Promise<string>((res) => createInterface({ input: holder.stdout! }).once("line", res));
  assert.equal(JSON.parse(line).ok, true);

  const st = wflo(["status", out, "--shards", "4", "--json"]);
  assert.equal(st.status, 1, "exit 1 while configs are failed or missing");
  const s = JSON.parse(st.stdout);
  assert.equal(s.spec_source, `${out}.parts/spec.json`);
  assert.deepEqual([s.total, s.done, s.merged, s.failed, s.missing], [8, 3, 0, 1, 4]);
  assert.deepEqual(s.per_shard.map((r: { state: string }) => r.state), ["pending", "done", "running", "failed"]);
  assert.deepEqual(s.per_shard.map((r: { lock: string }) => r.lock), ["free", "free", "held", "free"]);
  assert.deepEqual(s.failed_keys, [faulty]);
  assert.deepEqual(s.per_shard[3].failed_keys, [faulty]);
  assert.equal(s.missing_keys.length, 4);
  assert.equal(s.slurm, null, "never submitted");

  const human = wflo(["status", out, "--shards", "4"]);
  assert.match(human.stdout, /3\/8 configs done \(0 merged into the output, 3 in parts\), 1 failed, 4 missing/);
  assert.match(human.stdout, /2\/4\s+2\s+0\s+0\s+2\s+running/);
  assert.match(human.stdout, new RegExp(`failed: ${faulty}`));

  // A submission now would refuse to race the live writer of shard 2 …
  const race = wflo(["submit", tiny, "--out", out, "--shards", "4"]);
  assert.equal(race.status, 2);
  assert.match(race.stderr, /shard 2\/4 is being written by pid \d+/);
  // … and, once it is gone, would submit only the shards that miss configs (1 is complete).
  holder.stdin!.end();
  await new Promise((res) => holder.once("exit", res));
  const dry = wflo(["submit", tiny, "--out", out, "--shards", "4", "--dry-run"]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /--array=0,2-3 /);
  assert.match(dry.stdout, /3 of 4 shard task\(s\)/);
});

test("a whole wflo run: status and inspect say it is running, and after it died give its own command, which resumes it", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-status-run-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "o.h5");
  writeFileSync(join(dir, "spec.json"), readFileSync(tiny, "utf8"));
  // Two configs committed as parts, as a first run leaves them before its first merge.
  const r = wflo(["run", join(dir, "spec.json"), "--out", out, "--shard", "1/4", "--workers", "1"]);
  assert.equal(r.status, 0, r.stderr);

  // Running: a live holder of the whole run's lock ("writer").
  const holder = spawn(process.execPath, ["--import", "tsx", "test/slurm/lock-holder.ts", `${out}.parts`, "writer"], { cwd: repo, stdio: ["pipe", "pipe", "inherit"] });
  t.after(() => { holder.stdin!.end(); });
  const line = await new Promise<string>((res) => createInterface({ input: holder.stdout! }).once("line", res));
  assert.equal(JSON.parse(line).ok, true);
  const running = JSON.parse(wflo(["status", out, "--json"]).stdout);
  assert.deepEqual(running.per_shard.map((s: { state: string }) => s.state), ["running"], "not 'pending': a run is at it");
  assert.equal(running.writer.state, "held");
  const human = wflo(["status", out]).stdout;
  assert.match(human, /writing: a run \(pid \d+ on /);
  assert.doesNotMatch(human, /wflo submit/, "never submitted: no Slurm advice");
  const insp = wflo(["inspect", out]);
  assert.equal(insp.status, 1);
  assert.match(insp.stdout, /o\.h5: not written yet \(a run is writing its parts\)/);
  assert.match(insp.stdout, /pending\s+2 results and 0 failures .*: a run merges them as it goes .*writer: pid \d+/);
  assert.doesNotMatch(insp.stdout, /error: .*no such file/);
  holder.stdin!.end();
  await new Promise((res) => holder.once("exit", res));

  // Died: the lock a killed notebook kernel's runBatch leaves (no wflo command to give back) …
  const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
  writeFileSync(join(`${out}.parts`, "writer.lock"), JSON.stringify({
    name: "writer", pid: dead, host: hostname(), started_utc: "2026-12-05T00:00:00.000Z", token: "0123456789abcdee",
    argv: ["/usr/local/lib/node_modules/tslab/bin/tslab", "kernel", "--config-path", "/tmp/kernel-1.json"], cwd: dir,
  }));
  assert.match(wflo(["status", out]).stdout, /the run that wrote it stopped \(pid \d+ .*notebook's runBatch: run that cell again\), or: wflo run <spec\.json> --out /);
  // … and the one a SIGKILLed `wflo run`, started in `dir`, leaves behind (its pid is gone).
  writeFileSync(join(`${out}.parts`, "writer.lock"), JSON.stringify({
    name: "writer", pid: dead, host: hostname(), started_utc: "2026-12-05T00:00:00.000Z", token: "0123456789abcdef",
    argv: [join(repo, "bin/wflo.js"), "run", "spec.json", "--out", "o.h5", "--workers", "1"], cwd: dir,
  }));
  const died = wflo(["status", out]);
  assert.equal(died.status, 1);
  assert.match(died.stdout, /0\/1\s+8\s+2\s+0\s+6\s+pending/);
  assert.match(died.stdout, /the run that wrote it stopped \(pid \d+ .*\); the same command resumes it \(skips the 2 done/);
  assert.ok(died.stdout.includes(`cd ${dir} && wflo run spec.json --out o.h5 --workers 1`), died.stdout);
  assert.match(wflo(["inspect", out]).stdout, /o\.h5: not written yet \(only parts, not merged\)\n[^]*the same wflo run command resumes and merges them, or wflo merge /);
  const report = wflo(["report", out, "--out", join(dir, "r.html")]);
  assert.equal(report.status, 2);
  assert.match(report.stderr, /no such file yet: its results are still in .*o\.h5\.parts/);
  // validate says the same of the output, and stays unreadable (exit 1): the parts are not the file.
  const val = wflo(["validate", out]);
  assert.equal(val.status, 1);
  assert.match(val.stdout, /unreadable .*o\.h5 [^]*no such file yet: its results are still in .*o\.h5\.parts [^]*the same wflo run command, or wflo merge /);

  // That command, as given, finishes the batch.
  const again = spawnSync(process.execPath, ["--import", pathToFileURL(join(repo, "node_modules/tsx/dist/loader.mjs")).href, join(repo, "src/cli/dev.ts"), "run", "spec.json", "--out", "o.h5", "--workers", "1"], { cwd: dir, encoding: "utf8" });
  assert.equal(again.status, 0, again.stderr);
  const done = wflo(["status", out, "--json"]);
  assert.equal(done.status, 0);
  assert.deepEqual([JSON.parse(done.stdout).done, JSON.parse(done.stdout).merged], [8, 8]);
});
