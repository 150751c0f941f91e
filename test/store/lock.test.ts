import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { hostname } from "node:os";
import { acquireLock, checkLock, commitResult, LockError, lockPath, mergeParts, partsDir, tryAcquireLock } from "../../src/store/index.js";
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

test("a stale lock (dead pid on this host) is reported and broken only when asked", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "out.h5.parts");
  const { child, pid } = await holder(parts, "writer");
  await killed(child);
  assert.equal(checkLock(parts, "writer").state, "stale");
  assert.throws(() => acquireLock(parts, "writer"), (e: Error) => {
    assert.ok(e instanceof LockError);
    assert.equal(e.state, "stale");
    assert.match(e.message, new RegExp(`stale lock .*pid ${pid} .* no longer runs.*--break-lock`));
    return true;
  });
  const h = acquireLock(parts, "writer", { breakStale: true });
  assert.equal(JSON.parse(readFileSync(h.path, "utf8")).pid, process.pid);
  h.release();
  assert.equal(checkLock(parts, "writer").state, "free");
});

test("a lock from another host is not broken by breakStale, only by force", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  const h = acquireLock(parts, "shard-2-of-4");
  const info = JSON.parse(readFileSync(h.path, "utf8"));
  writeFileSync(h.path, JSON.stringify({ ...info, host: "node-elsewhere", token: "x" }));
  assert.throws(() => acquireLock(parts, "shard-2-of-4", { breakStale: true }), /node-elsewhere since .*, which cannot be checked/);
  acquireLock(parts, "shard-2-of-4", { force: true }).release();
  h.release(); // not ours any more: must not remove anything
});

test("an unreadable (empty) lock file is reported and breakable", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "p");
  acquireLock(parts, "writer").release();
  writeFileSync(lockPath(parts, "writer"), "");
  assert.throws(() => acquireLock(parts, "writer"), /unreadable/);
  acquireLock(parts, "writer", { breakStale: true }).release();
});

test("merge takes the merge lock: refused while held; `wflo merge --break-lock` breaks a stale one", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitResult(out, record(1));
  const { child } = await holder(partsDir(out), "merge");
  await assert.rejects(mergeParts(out), /held by pid/);
  const skipped = await mergeParts(out, { lock: "skip-if-busy" });
  assert.equal(skipped.skipped, "locked");
  await killed(child);
  const refused = cli(["merge", partsDir(out), "--out", out]);
  assert.equal(refused.status, 2, "a lock in the way exits 2 in every command, as for wflo run");
  assert.match(refused.stderr, /stale lock .*--break-lock/);
  assert.ok(!existsSync(out));
  const ok = cli(["merge", partsDir(out), "--out", out, "--break-lock", "--json"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).results, 1);
});
