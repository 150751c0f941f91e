import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import {
  CommitConflictError, commitFailure, commitResult, committedKeys, computeChecksum, inspectFile, listParts,
  mergeParts, partPath, partsDir, quarantine, replaceAtomically, spawnModuleWorker, storeState, writeFileAtomically,
} from "../../src/store/index.js";
import { record, tempDir } from "./helpers.js";

test("a committed result is one complete part file; committing it again is a no-op", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  const first = await commitResult(out, record(1));
  assert.equal(first.status, "committed");
  assert.equal(first.path, partPath(partsDir(out), "farm0_t0_s1"));
  assert.equal(first.checksum, computeChecksum(record(1)));
  const again = await commitResult(out, { ...record(1), attrs: { ...record(1).attrs, elapsed_s: 7 } });
  assert.equal(again.status, "unchanged");
  assert.deepEqual(readdirSync(partsDir(out)), ["farm0_t0_s1.h5"]); // no temp file left behind
  const rep = await inspectFile(first.path);
  assert.equal(rep.status, "ok");
  assert.deepEqual(rep.groups.map((g) => g.key), ["farm0_t0_s1"]);
});

test("different data under a committed key is a conflict: thrown (or reported) and kept as evidence", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitResult(out, record(1));
  const other = record(1, { aepOffset: 0.5 });
  await assert.rejects(commitResult(out, other), (e: Error) => {
    assert.ok(e instanceof CommitConflictError);
    assert.match(e.message, /farm0_t0_s1: already committed with different data/);
    assert.ok(existsSync((e as CommitConflictError).evidencePath));
    return true;
  });
  const reported = await commitResult(out, other, { onConflict: "report" });
  assert.equal(reported.status, "conflict");
  assert.equal(reported.checksum, computeChecksum(other));
  const q = readdirSync(join(partsDir(out), "quarantine"));
  assert.equal(q.filter((n) => n.endsWith(".h5")).length, 2);
  assert.equal(q.filter((n) => n.endsWith(".reason.txt")).length, 2);
  // The original commit stands.
  const rep = await inspectFile(partPath(partsDir(out), "farm0_t0_s1"));
  assert.equal(rep.groups[0].checksum, computeChecksum(record(1)));
});

test("a damaged part at a key's name is quarantined with its reason, then replaced", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  const p = partPath(partsDir(out), "farm0_t0_s2");
  await commitResult(out, record(1)); // creates the parts directory
  writeFileSync(p, "not hdf5 at all");
  const r = await commitResult(out, record(2));
  assert.equal(r.status, "committed");
  assert.equal((await inspectFile(p)).status, "ok");
  const q = readdirSync(join(partsDir(out), "quarantine"));
  const reason = q.find((n) => n.endsWith(".reason.txt"))!;
  assert.match(readFileSync(join(partsDir(out), "quarantine", reason), "utf8"), /not-hdf5/);
  assert.equal(readFileSync(join(partsDir(out), "quarantine", reason.replace(/\.reason\.txt$/, "")), "utf8"), "not hdf5 at all");
});

test("committedKeys is the union of the output and the valid parts; failures are not committed results", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  for (const s of [1, 2, 3]) await commitResult(out, record(s));
  await mergeParts(out);
  for (const s of [4, 5]) await commitResult(out, record(s));
  await commitFailure(out, "farm0_t0_s6", "did not converge", 3);
  writeFileSync(partPath(partsDir(out), "farm0_t0_s7"), Buffer.alloc(100)); // a damaged part
  assert.deepEqual([...await committedKeys(out)].sort(), ["farm0_t0_s1", "farm0_t0_s2", "farm0_t0_s3", "farm0_t0_s4", "farm0_t0_s5"]);
  const st = await storeState(out);
  assert.deepEqual([...st.failed], ["farm0_t0_s6"]);
  assert.equal(st.damagedParts.length, 1);
  assert.equal(st.damagedParts[0].status, "not-hdf5");
  assert.equal(st.validParts, 3);
  // A later success supersedes the failure.
  await commitResult(out, record(6));
  assert.equal((await storeState(out)).failed.size, 0);
});

test("commitFailure replaces an earlier failure record of the same key", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitFailure(out, "farm0_t0_s1", "first", 1);
  await commitFailure(out, "farm0_t0_s1", "second", 2, { attrs: { worker_exit_code: 137n } });
  const l = listParts(partsDir(out));
  assert.equal(l.failures.length, 1);
  const rep = await inspectFile(l.failures[0].path);
  assert.equal(rep.failures[0].record?.error, "second");
  assert.equal(rep.failures[0].record?.attempts, 2);
  assert.equal(rep.failures[0].record?.attrs?.worker_exit_code, 137n);
});

test("replaceAtomically leaves the old file untouched when writing fails", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const p = join(dir, "f.txt");
  writeFileSync(p, "old");
  await assert.rejects(replaceAtomically(p, (tmp) => { writeFileSync(tmp, "half"); throw new Error("disk full"); }), /disk full/);
  assert.equal(readFileSync(p, "utf8"), "old");
  assert.deepEqual(readdirSync(dir), ["f.txt"]);
  await replaceAtomically(p, (tmp) => writeFileSync(tmp, "new"));
  assert.equal(readFileSync(p, "utf8"), "new");
});

test("writeFileAtomically replaces contents in one step, with the mode on the final name, no temp left", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const p = join(dir, "job.sh");
  writeFileSync(p, "old");
  writeFileAtomically(p, "#!/bin/bash\ntrue\n", { mode: 0o755 });
  assert.equal(readFileSync(p, "utf8"), "#!/bin/bash\ntrue\n");
  assert.equal(statSync(p).mode & 0o777, 0o755);
  assert.deepEqual(readdirSync(dir), ["job.sh"]);
  assert.throws(() => writeFileAtomically(join(dir, "no-such-dir", "x"), "y"), /ENOENT/);
  assert.deepEqual(readdirSync(dir), ["job.sh"]);
});

test("quarantine moves a file (or copies it) with a reason, never deleting it", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const parts = join(dir, "x.h5.parts");
  const a = join(dir, "a.h5");
  writeFileSync(a, "A");
  const moved = quarantine(parts, a, "bad magic");
  assert.ok(!existsSync(a));
  assert.equal(readFileSync(moved, "utf8"), "A");
  assert.match(readFileSync(moved + ".reason.txt", "utf8"), /bad magic/);
  writeFileSync(a, "B");
  const copied = quarantine(parts, a, "suspicious", { copy: true });
  assert.equal(readFileSync(a, "utf8"), "B");
  assert.equal(readFileSync(copied, "utf8"), "B");
  assert.notEqual(copied, moved);
});

test("results commit from inside a worker_thread (batch workers commit their own parts)", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  const w = spawnModuleWorker(new URL("./commit-worker.ts", import.meta.url), { workerData: { out, seeds: [10, 11, 12] }, preload: ["h5wasm/node"] });
  const msg = await new Promise<unknown>((res, rej) => { w.on("message", res); w.on("error", rej); });
  await w.terminate();
  assert.deepEqual(msg, ["committed", "committed", "committed"]);
  assert.deepEqual([...await committedKeys(out)].sort(), ["farm0_t0_s10", "farm0_t0_s11", "farm0_t0_s12"]);
});
