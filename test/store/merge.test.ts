import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import {
  commitFailure, commitResult, computeChecksum, inspectFile, listParts, mergeParts, partPath, partsDir, validate,
} from "../../src/store/index.js";
import { record, tempDir } from "./helpers.js";

async function commitSeeds(out: string, seeds: number[]): Promise<void> {
  for (const s of seeds) await commitResult(out, record(s));
}

test("merge folds parts into a new output, updates root attributes, then removes the parts", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitSeeds(out, [0, 1, 2]);
  await commitFailure(out, "farm1_t0_s0", "boundary too small", 3);
  const m1 = await mergeParts(out, { root: { grid_size: 18, random_pct: 30, total_configs: 8, spec_json: "{\"seeds\":8}" } });
  assert.equal(m1.mode, "rewrite"); // no old output: a fresh file
  assert.deepEqual(m1.merged, ["farm0_t0_s0", "farm0_t0_s1", "farm0_t0_s2"]);
  assert.equal(m1.failuresMerged, 1);
  assert.equal(m1.partsRemoved, 4);
  assert.deepEqual(listParts(partsDir(out)).results, []);

  await commitSeeds(out, [3, 4]);
  const m2 = await mergeParts(out);
  assert.equal(m2.mode, "append");
  assert.deepEqual(m2.merged, ["farm0_t0_s3", "farm0_t0_s4"]);
  const rep = await inspectFile(out, { withRecords: true });
  assert.equal(rep.status, "ok");
  assert.deepEqual(rep.groups.map((g) => g.key), ["farm0_t0_s0", "farm0_t0_s1", "farm0_t0_s2", "farm0_t0_s3", "farm0_t0_s4"]);
  for (const g of rep.groups) assert.equal(g.checksum, computeChecksum(record(g.record!.attrs.ss_seed as number)));
  // Root attributes: counts recomputed, the batch's values kept from the first merge.
  assert.equal(rep.root.successful_configs, 5);
  assert.equal(rep.root.failed_configs, 1);
  assert.equal(rep.root.total_configs, 8);
  assert.equal(rep.root.grid_size, 18);
  assert.equal(rep.root.spec_json, "{\"seeds\":8}");
  assert.deepEqual(rep.failures.map((f) => [f.key, f.record?.error]), [["farm1_t0_s0", "boundary too small"]]);
});

test("a crash after the rename but before the parts were removed costs nothing: the re-merge drops duplicates", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitSeeds(out, [0, 1]);
  const keep = mkdtempSync(join(dir, "keep-"));
  for (const n of readdirSync(partsDir(out))) copyFileSync(join(partsDir(out), n), join(keep, n));
  await mergeParts(out);
  const before = statSync(out).mtimeMs;
  for (const n of readdirSync(keep)) copyFileSync(join(keep, n), join(partsDir(out), n)); // the parts "survived"
  const m = await mergeParts(out);
  assert.equal(m.mode, "none");
  assert.equal(m.unchanged, 2);
  assert.equal(m.partsRemoved, 2);
  assert.equal(statSync(out).mtimeMs, before); // nothing new: the output is not rewritten
  assert.equal((await inspectFile(out)).groups.length, 2);
});

test("damaged parts are quarantined with a reason; conflicting parts too, the output's result wins", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitSeeds(out, [0, 1]);
  await mergeParts(out);
  await commitResult(out, record(1, { aepOffset: 2 })); // same key, other data
  await commitResult(out, record(2));
  const p3 = partPath(partsDir(out), "farm0_t0_s3");
  await commitResult(out, record(3));
  const bytes = readFileSync(p3);
  writeFileSync(p3, bytes.subarray(0, bytes.length >> 1)); // truncated part
  const m = await mergeParts(out);
  assert.deepEqual(m.merged, ["farm0_t0_s2"]);
  assert.equal(m.conflicts.length, 1);
  assert.equal(m.conflicts[0].key, "farm0_t0_s1");
  assert.equal(m.conflicts[0].outputChecksum, computeChecksum(record(1)));
  assert.equal(m.quarantined.length, 2);
  const q = join(partsDir(out), "quarantine");
  const reasons = readdirSync(q).filter((n) => n.endsWith(".reason.txt")).map((n) => readFileSync(join(q, n), "utf8")).join("\n");
  assert.match(reasons, /truncated/);
  assert.match(reasons, /conflict: the output holds farm0_t0_s1/);
  const rep = await inspectFile(out);
  assert.equal(rep.groups.find((g) => g.key === "farm0_t0_s1")!.checksum, computeChecksum(record(1)));
  assert.deepEqual(readdirSync(partsDir(out)).filter((n) => n.endsWith(".h5")), []);
});

test("a result for a key that failed earlier replaces the failure (rewrite); a failure never hides a result", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitSeeds(out, [0]);
  await commitFailure(out, "farm0_t0_s1", "killed", 3);
  await mergeParts(out);
  await commitResult(out, record(1));
  const m = await mergeParts(out);
  assert.equal(m.mode, "rewrite");
  assert.equal(m.results, 2);
  assert.equal(m.failures, 0);
  await commitFailure(out, "farm0_t0_s0", "late failure of a done key", 1);
  const m2 = await mergeParts(out);
  assert.equal(m2.failuresSuperseded, 1);
  const rep = await inspectFile(out);
  assert.deepEqual(rep.failures, []);
  assert.equal(rep.root.successful_configs, 2);
  assert.equal(rep.root.failed_configs, 0);
});

test("a damaged output is never overwritten: merge refuses and leaves output and parts alone", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitSeeds(out, [0]);
  await mergeParts(out);
  writeFileSync(out, readFileSync(out).subarray(0, 800));
  const damaged = readFileSync(out);
  await commitSeeds(out, [1]);
  await assert.rejects(mergeParts(out), /output is damaged.*recover/);
  assert.deepEqual(readFileSync(out), damaged);
  assert.ok(existsSync(partPath(partsDir(out), "farm0_t0_s1")));
});

test("verify 'all' and rewrite produce an output that validates group by group", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitSeeds(out, [0, 1, 2]);
  await mergeParts(out);
  await commitSeeds(out, [3]);
  const m = await mergeParts(out, { verify: "all", rewrite: true, root: { total_configs: 4 } });
  assert.equal(m.mode, "rewrite");
  const v = await validate(out);
  assert.equal(v.ok, true);
  assert.equal(v.results, 4);
  assert.equal(v.files[0].root.total_configs, 4);
  // Nothing is left in the output's directory but the output and its parts directory.
  assert.deepEqual(readdirSync(dir).sort(), ["layouts.h5", "layouts.h5.parts"]);
});

test("maxParts merges a bounded slice in key order and leaves the rest for the next merge", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitSeeds(out, [1, 2, 3, 4, 5]);
  const m1 = await mergeParts(out, { maxParts: 2 });
  assert.deepEqual(m1.merged, ["farm0_t0_s1", "farm0_t0_s2"]);
  assert.equal(m1.remaining, 3);
  const m2 = await mergeParts(out, { maxParts: 10 });
  assert.equal(m2.merged.length, 3);
  assert.equal(m2.remaining, 0);
  assert.equal(m2.results, 5);
});

test("a part whose file name and content disagree is quarantined saying so, not 'validation: ok'", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  const c = await commitResult(out, record(1));
  // A part renamed by hand (or by a buggy tool): farm0_t0_s2.h5 holding farm0_t0_s1.
  copyFileSync(c.path, join(partsDir(out), "farm0_t0_s2.h5"));
  const m = await mergeParts(out);
  const q = m.quarantined.find((x) => x.path.endsWith("farm0_t0_s2.h5"));
  assert.ok(q, JSON.stringify(m.quarantined));
  assert.match(q.reason, /^part failed validation at merge: its name says farm0_t0_s2 but it holds farm0_t0_s1/);
  assert.doesNotMatch(q.reason, /: ok\b/);
});
