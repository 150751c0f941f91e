/**
 * recover() over wflo's own files: part files, a recorded failure, and quarantined
 * evidence whose data no longer match their checksum (lost, never re-blessed).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitFailure, commitResult, inspectFiles, partsDir, recover, fullyRecovered, RECOVERED_FROM_ATTR } from "../../src/store/index.js";
import { record, tempDir } from "./helpers.js";

test("parts, a failure and a corrupted quarantined copy: intact results keep their checksums, the corrupted copy is lost", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "run.h5");
  const sums = new Map<string, string>();
  for (const s of [0, 1, 2]) {
    const c = await commitResult(out, record(s));
    sums.set(c.key, c.checksum);
  }
  await commitFailure(out, "farm0_t0_s3", "optimizer diverged", 3);
  await commitFailure(out, "farm0_t0_s1", "an earlier attempt failed", 1); // superseded by the result

  // A copy of a part with one layout value changed, as quarantine would hold it.
  const parts = partsDir(out);
  const q = join(parts, "quarantine");
  mkdirSync(q, { recursive: true });
  const part = readFileSync(join(parts, "farm0_t0_s1.h5"));
  const x0 = Buffer.alloc(8);
  x0.writeDoubleLE((record(1).layout as Float64Array)[1]);
  const at = part.indexOf(x0);
  assert.ok(at > 0, "layout bytes found in the part");
  const bad = Buffer.from(part);
  bad[at + 7] ^= 0x40;
  const evidence = join(q, "farm0_t0_s1.h5.2026-01-01T00-00-00-000Z");
  writeFileSync(evidence, bad);
  copyFileSync(evidence, join(dir, "before.bin"));

  const rec = join(dir, "recovered.h5");
  const r = await recover([parts], rec);
  const byName = new Map(r.files.map((f) => [f.path, f]));
  assert.equal(byName.get(join(parts, "farm0_t0_s0.h5"))?.status, "ok");
  const ev = byName.get(evidence);
  assert.ok(ev, "quarantined evidence is read (its name does not end in .h5, its bytes are HDF5)");
  assert.equal(ev.status, "damaged");
  assert.equal(ev.salvaged, 0);
  assert.equal(ev.lost, 1);
  assert.match(ev.errors.join("\n"), /farm0_t0_s1 lost \(checksum-mismatch\)/);
  assert.equal(r.recovered, 3);
  assert.equal(r.failuresRecovered, 1, "only the failure without a result");
  assert.equal(r.conflicts.length, 0, "a corrupted copy is lost, not a conflict");
  assert.equal(fullyRecovered(r), false);
  assert.deepEqual(readFileSync(evidence), readFileSync(join(dir, "before.bin")));

  const [v] = await inspectFiles([rec], { withRecords: true });
  assert.equal(v.status, "ok", v.errors.join("; "));
  for (const g of v.groups) {
    assert.equal(g.checksum, sums.get(g.key), `${g.key}: recover keeps the original checksum`);
    assert.deepEqual(JSON.parse(String(g.record!.attrs[RECOVERED_FROM_ATTR])), [join(parts, `${g.key}.h5`)]);
  }
  assert.deepEqual(v.failures.map((f) => [f.key, f.record?.error, f.record?.attempts]), [["farm0_t0_s3", "optimizer diverged", 3]]);
  assert.equal(v.root.successful_configs, 3);
  assert.equal(v.root.failed_configs, 1);
});

test("recovering a recovered output with its sources again changes nothing and conflicts with nothing", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "run.h5");
  for (const s of [0, 1]) await commitResult(out, record(s));
  const a = join(dir, "a.h5");
  const r1 = await recover([partsDir(out)], a);
  assert.ok(fullyRecovered(r1));
  const r2 = await recover([a, partsDir(out)], a);
  assert.ok(fullyRecovered(r2));
  assert.equal(r2.recovered, 2);
  assert.equal(r2.duplicates, 2);
  const [v] = await inspectFiles([a], { withRecords: true });
  for (const g of v.groups) {
    const src = JSON.parse(String(g.record!.attrs[RECOVERED_FROM_ATTR])) as string[];
    assert.deepEqual(src.sort(), [a, join(partsDir(out), `${g.key}.h5`)].sort(), "provenance accumulates");
  }
});
