// `wflo status` while shards run by hand (no cluster): done, failed, missing and running
// shards from the parts directory and the shard locks; and what `wflo submit` would
// resubmit. The Slurm-side states are covered by test/slurm/cluster.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
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
