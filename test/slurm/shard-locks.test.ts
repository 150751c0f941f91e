// Shard tasks of one job array share one parts directory. The store's single-writer lock
// is scoped by name: shards must not refuse each other, while two writers of the same
// shard, or two merges, must still be refused. Each holder is its own process, as the
// tasks of a Slurm array are.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { runLockName } from "../../src/batch/config.js";

interface Holder { proc: ChildProcess; reply: { ok: boolean; state?: string; message?: string } }

async function hold(partsDir: string, name: string): Promise<Holder> {
  const proc = spawn(process.execPath, ["--import", "tsx", "test/slurm/lock-holder.ts", partsDir, name], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once("line", (l) => { rl.close(); resolve(l); });
    proc.once("exit", (code) => reject(new Error(`lock holder exited (${code}) before replying`)));
  });
  return { proc, reply: JSON.parse(line) };
}

async function release(h: Holder): Promise<void> {
  if (h.proc.exitCode !== null) return;
  const exited = new Promise((r) => h.proc.once("exit", r));
  h.proc.stdin!.end();
  await exited;
}

test("shards of one array share the parts directory; a second writer of a shard or a second merge is refused", async (t) => {
  const partsDir = join(mkdtempSync(join(tmpdir(), "wflo-shard-locks-")), "out.h5.parts");
  const holders: Holder[] = [];
  t.after(async () => {
    for (const h of holders) await release(h);
    rmSync(join(partsDir, ".."), { recursive: true, force: true });
  });
  const n = 4;
  // The names the batch takes for `wflo run --shard i/n` (src/batch/configs.ts).
  const names = Array.from({ length: n }, (_, i) => runLockName({ index: i, count: n }));
  assert.deepEqual(names, ["shard-0-of-4", "shard-1-of-4", "shard-2-of-4", "shard-3-of-4"]);

  // All four shard tasks hold their locks at the same time.
  for (const name of names) {
    const h = await hold(partsDir, name);
    holders.push(h);
    assert.equal(h.reply.ok, true, `${name}: ${h.reply.message}`);
  }
  // A second writer of shard 2 (e.g. the same task started twice) is refused, naming the holder.
  const dup = await hold(partsDir, names[2]);
  holders.push(dup);
  assert.equal(dup.reply.ok, false);
  assert.equal(dup.reply.state, "held");
  assert.match(dup.reply.message!, /shard-2-of-4\.lock is held by pid \d+/);

  // One merge may run beside the shards' locks; a second merge is refused.
  const merge = await hold(partsDir, "merge");
  holders.push(merge);
  assert.equal(merge.reply.ok, true, merge.reply.message);
  const merge2 = await hold(partsDir, "merge");
  holders.push(merge2);
  assert.equal(merge2.reply.ok, false);
  assert.match(merge2.reply.message!, /merge\.lock is held by pid \d+/);

  // Once shard 2's task is gone, the shard can be run again (a resubmitted task).
  await release(holders[2]);
  const again = await hold(partsDir, names[2]);
  holders.push(again);
  assert.equal(again.reply.ok, true, again.reply.message);
});

test("through the CLI: wflo run --shard i/n runs beside other shards' writers, and is refused beside its own; wflo merge beside a merge", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-shard-locks-cli-"));
  const out = join(dir, "o.h5");
  const partsDir = `${out}.parts`;
  const holders: Holder[] = [];
  t.after(async () => {
    for (const h of holders) await release(h);
    rmSync(dir, { recursive: true, force: true });
  });
  const tiny = "test/slurm/fixtures/tiny-batch.json";
  const wflo = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", ...args], { encoding: "utf8" });

  // Shards 0, 1 and 3 are being written (by other tasks of the array) and a merge runs.
  for (const name of ["shard-0-of-4", "shard-1-of-4", "shard-3-of-4", "merge"]) {
    const h = await hold(partsDir, name);
    holders.push(h);
    assert.equal(h.reply.ok, true, h.reply.message);
  }
  const mine = wflo(["run", tiny, "--out", out, "--shard", "2/4", "--workers", "1", "--json"]);
  assert.equal(mine.status, 0, `shard 2 must run beside the other shards: ${mine.stderr}`);
  assert.equal(JSON.parse(mine.stdout.trim().split("\n").pop()!).done, 2);

  const twin = await hold(partsDir, "shard-2-of-4");
  holders.push(twin);
  const second = wflo(["run", tiny, "--out", out, "--shard", "2/4", "--workers", "1"]);
  assert.equal(second.status, 2, "a second writer of shard 2 is bad input: exit 2");
  assert.match(second.stderr, /shard-2-of-4\.lock is held by pid \d+/);

  const merge = wflo(["merge", partsDir, "--out", out]);
  assert.notEqual(merge.status, 0);
  assert.match(merge.stderr, /merge\.lock is held by pid \d+/);
});

