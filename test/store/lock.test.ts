import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { hostname } from "node:os";
import { acquireLock, checkLock, commitResult, LockError, lockPath, mergeParts, partsDir, recover, tryAcquireLock, validate } from "../../src/store/index.js";
import { LEASE_REFRESH_S, leaseTimeoutS } from "../../src/store/lock.js";
import { cli, record, repoRoot, tempDir } from "./helpers.js";

/** Starts a process holding lock `name`; resolves once it holds it. */
async function holder(dir: string, name: string): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/store/lock-child.ts", dir, name], { cwd: repoRoot, stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once("line", res);
    child.once("exit", (c) => rej(new Error(`lock child exited ${c}`)));
  });
  const m = JSON.parse(line) as { ok: boolean; pid: number };
  assert.ok(m.ok, line);
  return { child, pid: m.pid };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((res) => { child.once("exit", () => res()); child.kill("SIGKILL"); });
}

test("a second writer of the same name is refused while the first lives, naming the holder", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "out.h5.parts");
  const { child, pid } = await holder(parts, "writer");
  t.after(() => { child.kill("SIGKILL"); });
  assert.throws(() => acquireLock(parts, "writer"), (e: Error) => {
    assert.ok(e instanceof LockError);
    assert.equal(e.state, "held");
    assert.match(e.message, new RegExp(`held by pid ${pid} on host ${hostname()}`));
    assert.match(e.message, /another wflo run is using this output/);
    return true;
  });
  // breakStale does not break a live lock.
  assert.throws(() => acquireLock(parts, "writer", { breakStale: true }), /held by pid/);
  assert.equal(tryAcquireLock(parts, "writer"), null);
  // Other scopes (Slurm shards, merge) are independent.
  const shard = acquireLock(parts, "shard-1-of-4");
  const merge = acquireLock(parts, "merge");
  assert.throws(() => acquireLock(parts, "shard-1-of-4"), /held by pid/);
  shard.release(); merge.release();
  assert.ok(!existsSync(lockPath(parts, "merge")));
  // A holder that exits cleanly releases its lock.
  child.stdin!.end();
  await new Promise((r) => child.once("exit", r));
  acquireLock(parts, "writer").release();
});

test("a stale lock (dead pid on this host) is broken at once, with one line naming the holder it replaced", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "out.h5.parts");
  const { child, pid } = await holder(parts, "writer");
  await killed(child);
  assert.equal(checkLock(parts, "writer").state, "stale");
  const said: string[] = [];
  const h = acquireLock(parts, "writer", { onBreak: (m) => said.push(m) });
  assert.equal(JSON.parse(readFileSync(h.path, "utf8")).pid, process.pid);
  assert.equal(said.length, 1);
  assert.match(said[0], new RegExp(`broke the lock .*writer\\.lock: pid ${pid} on host ${hostname()} since .* no longer runs; resuming`));
  h.release();
  assert.equal(checkLock(parts, "writer").state, "free");
});

test("a reused pid (alive, but started at another time than the holder recorded) is stale", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  const h = acquireLock(parts, "writer");
  const info = JSON.parse(readFileSync(h.path, "utf8"));
  // Our parent is alive; its start time is not the one recorded: the pid belongs to someone else now.
  writeFileSync(h.path, JSON.stringify({ ...info, pid: process.ppid, pid_start: 12345, token: "old" }));
  assert.equal(checkLock(parts, "writer").state, "stale");
  const said: string[] = [];
  acquireLock(parts, "writer", { onBreak: (m) => said.push(m) }).release();
  assert.match(said[0], new RegExp(`pid ${process.ppid} .* no longer runs`));
  h.release();
});

test("a killed holder not yet reaped (a zombie) is stale: the same command resumes", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  // sh starts a child and execs into a sleep that never waits for it: once the child is
  // killed it stays a zombie, as a killed run does under a container init that never reaps.
  const parent = spawn("sh", ["-c", "sleep 30 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => { parent.kill("SIGKILL"); });
  const pid = Number(await new Promise<string>((res) => createInterface({ input: parent.stdout! }).once("line", res)));
  const h = acquireLock(parts, "writer");
  const info = JSON.parse(readFileSync(h.path, "utf8"));
  const startOf = () => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19]);
  writeFileSync(h.path, JSON.stringify({ ...info, pid, pid_start: startOf(), token: "old" }));
  assert.equal(checkLock(parts, "writer").state, "held");
  process.kill(pid, "SIGKILL");
  const stateOf = () => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1][0];
  for (let i = 0; i < 200 && stateOf() !== "Z"; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(stateOf(), "Z");
  assert.equal(checkLock(parts, "writer").state, "stale");
  const said: string[] = [];
  acquireLock(parts, "writer", { onBreak: (m) => said.push(m) }).release();
  assert.match(said[0], new RegExp(`pid ${pid} .* no longer runs`));
  h.release();
});

test("a live holder on this host is never broken, even stopped and with --break-lock --force", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "out.h5.parts");
  const { child, pid } = await holder(parts, "writer");
  t.after(() => { child.kill("SIGKILL"); });
  process.kill(pid, "SIGSTOP");
  try {
    for (const opts of [{}, { breakStale: true }, { force: true }, { breakStale: true, force: true }]) {
      assert.throws(() => acquireLock(parts, "writer", opts), (e: Error) => e instanceof LockError && e.state === "held" && new RegExp(`pid ${pid}`).test(e.message));
    }
    assert.throws(() => acquireLock(parts, "writer", { force: true }), /never broken, even with --break-lock --force/);
  } finally {
    process.kill(pid, "SIGCONT");
  }
});

test("another host's lock: a live lease is refused (force breaks it), a silent one expires and is broken", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  const h = acquireLock(parts, "shard-2-of-4");
  const info = JSON.parse(readFileSync(h.path, "utf8"));
  writeFileSync(h.path, JSON.stringify({ ...info, host: "node-elsewhere", token: "x" }));
  assert.equal(checkLock(parts, "shard-2-of-4").state, "foreign");
  assert.throws(() => acquireLock(parts, "shard-2-of-4", { breakStale: true }), /node-elsewhere since .*, whose lease is alive .*--break-lock --force/);
  acquireLock(parts, "shard-2-of-4", { force: true, onBreak: () => {} }).release();
  h.release(); // not ours any more: must not remove anything

  // The same lock, its mtime older than the lease timeout: expired, broken without a flag.
  const g = acquireLock(parts, "shard-2-of-4");
  writeFileSync(g.path, JSON.stringify({ ...info, host: "node-elsewhere", token: "y" }));
  const old = new Date(Date.now() - (leaseTimeoutS() + 5) * 1000);
  utimesSync(g.path, old, old);
  assert.equal(checkLock(parts, "shard-2-of-4").state, "expired");
  const said: string[] = [];
  acquireLock(parts, "shard-2-of-4", { onBreak: (m) => said.push(m) }).release();
  assert.match(said[0], /node-elsewhere .* has not renewed its lease for more than \d+ s; resuming/);
  g.release();
});

test("a holder renews its lease: the lock file's mtime is touched every few seconds", { timeout: 30_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  const { child } = await holder(parts, "shard-1-of-2");
  t.after(() => { child.kill("SIGKILL"); });
  const path = lockPath(parts, "shard-1-of-2");
  const old = new Date(Date.now() - 3600_000);
  utimesSync(path, old, old);
  await new Promise((r) => setTimeout(r, (LEASE_REFRESH_S + 1.5) * 1000));
  assert.ok(Date.now() - statSync(path).mtimeMs < (LEASE_REFRESH_S + 1) * 1000, "the lease was not renewed");
});

test("an unreadable (empty) lock file is reported and breakable", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  acquireLock(parts, "writer").release();
  writeFileSync(lockPath(parts, "writer"), "");
  assert.throws(() => acquireLock(parts, "writer"), /unreadable/);
  acquireLock(parts, "writer", { breakStale: true }).release();
});

test("a lock is never seen half-written, so a holder killed while taking it leaves nothing a person must clear", { timeout: 60_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  acquireLock(parts, "merge").release();
  // A churning holder (take, release, as a batch does its merge lock after each commit) watched
  // by a tight reader: an empty lock file (created, not yet written) would read "unreadable".
  const child = spawn(process.execPath, ["--import", "tsx", "test/store/lock-child.ts", parts, "merge", "churn", "4000"], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((res) => lines.once("line", () => res()));
  const seen: Record<string, number> = {};
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    const s = checkLock(parts, "merge").state;
    seen[s] = (seen[s] ?? 0) + 1;
  }
  await killed(child);
  assert.ok((seen.held ?? 0) > 0 && (seen.free ?? 0) > 0, JSON.stringify(seen));
  assert.equal(seen.unreadable ?? 0, 0, `a reader saw a half-written lock: ${JSON.stringify(seen)}`);
  // Killed at a random instant of the churn: the next acquire needs no flag, and a temp file
  // the kill left is a dead writer's, removed by the next merge.
  acquireLock(parts, "merge").release();
  await mergeParts(join(dir, "out.h5"), { partsDir: parts });
  assert.deepEqual(readdirSync(parts).filter((f) => f.endsWith(".tmp")), []);
});

test("merge takes the merge lock: refused while held; after its holder dies `wflo merge` breaks it with no flag", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitResult(out, record(1));
  const { child } = await holder(partsDir(out), "merge");
  await assert.rejects(mergeParts(out), /held by pid/);
  const skipped = await mergeParts(out, { lock: "skip-if-busy" });
  assert.equal(skipped.skipped, "locked");
  await killed(child);
  // The holder is dead: the same command, no flag, breaks its lock and merges.
  const ok = cli(["merge", partsDir(out), "--out", out, "--json"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /broke the lock .*merge\.lock: pid \d+ .* no longer runs; resuming/);
  assert.equal(JSON.parse(ok.stdout).results, 1);
});

test("recover takes the merge lock before it reads: a merge under way is waited for and its results are kept", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  for (const s of [1, 2]) await commitResult(out, record(s));
  await mergeParts(out);
  // A merge is under way: another process holds the merge lock of `out`.
  const { child } = await holder(partsDir(out), "merge");
  t.after(() => { child.kill("SIGKILL"); });
  const pending = recover([out], out, { lockWaitMs: 60_000 });
  await new Promise((r) => setTimeout(r, 1500));
  // That merge folds in a third result (and would delete its part) before it lets go.
  await commitResult(out, record(3));
  await mergeParts(out, { lock: "none" });
  child.stdin!.end();
  const r = await pending;
  assert.equal(r.written, true);
  assert.equal(r.recovered, 3, "the result merged while recover waited is in its output");
  assert.ok((await validate(out)).ok);
});
