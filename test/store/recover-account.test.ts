// What the recovery account stands on (issue 13, 02-recovery's wording): recover names the
// keys of the copies it could not read (`lostKeys`), the configurations no file holds
// intact (`lostForGood`), and for each conflict what differs between its variants.
// On the Python-tool corpus (make_worker_corpus.py, as in 02-recovery) and on records.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeCorpus } from "../fixtures/python/corpus.js";
import { recover } from "../../src/store/index.js";
import { describeDifference } from "../../src/store/conflictDiff.js";
import { readOutput } from "../batch/helpers.js";
import type { StoredResult } from "../../src/store/schema.js";

test("recover on a crashed run: every damaged copy's key is recovered, held back or lost for good; conflicts say what differs", { timeout: 120_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), "wflo-recover-account-"));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const corpus = makeCorpus({ seed: 1, dir: join(work, "run"), groups: 12, kills: 4 });
  const out = join(work, "recovered.h5");
  const r = await recover([corpus.dir], out);
  const written = new Set((await readOutput(out)).groups.map((g) => g.key));
  assert.equal(written.size, r.recovered);
  const held = new Set(r.conflicts.map((c) => c.key));
  const lostForGood = new Set(r.lostForGood);
  let copies = 0;
  for (const f of r.files) {
    if (f.lost > 0) assert.ok((f.lostKeys ?? []).length > 0, `${f.path}: ${f.lost} damaged copies but no keys`);
    for (const k of f.lostKeys ?? []) {
      copies++;
      const places = [written.has(k), held.has(k), lostForGood.has(k)].filter(Boolean).length;
      assert.equal(places, 1, `${k} (a damaged copy in ${f.path}) is in exactly one of recovered / held back / lost for good`);
    }
  }
  assert.ok(copies >= 5, `the corpus damages copies (${copies} found)`);
  for (const k of lostForGood) assert.ok(!written.has(k) && !held.has(k));
  // The re-run's conflicting results differ in layout and AEP, and the report says so.
  const rerun = corpus.files.find((m) => m.kind === "rerun")!;
  for (const key of rerun.detail.conflicting as string[]) {
    const c = r.conflicts.find((x) => x.key === key)!;
    assert.deepEqual(c.variants[0].differs, []);
    const d = c.variants[1].differs!.join("; ");
    assert.match(d, /layout: \d+ of \d+ turbines elsewhere \(by up to [\d.]+ m\)/, key);
    assert.match(d, /AEP: [\d.]+ against [\d.]+ GWh/, key);
  }
  for (const c of r.conflicts) for (const v of c.variants.slice(1)) assert.ok(v.differs!.length > 0, `${c.key}: a conflict always differs somewhere`);
});

const rec = (over: Partial<StoredResult> = {}): StoredResult => ({
  key: "farm0_t0_s1", layout: new Float64Array([0, 100, 200, 0, 0, 0]), aepGWh: 12.5,
  aepPerTurbineGWh: new Float64Array([4, 4, 4.5]), attrs: { farm_idx: 0, type_idx: 0, ss_seed: 1, farm_name: "a", recovered_from: "[\"x\"]" }, ...over,
});

test("describeDifference: each field that differs, with both values; provenance ignored", () => {
  assert.deepEqual(describeDifference(rec(), rec(), ["recovered_from"]), []);
  assert.deepEqual(describeDifference(rec(), rec({ attrs: { ...rec().attrs, recovered_from: "[\"y\"]" } }), ["recovered_from"]), []);
  assert.deepEqual(describeDifference(rec(), rec({ layout: new Float64Array([0, 100, 230, 0, 0, 40]), aepGWh: 12.25 })), [
    "layout: 1 of 3 turbines elsewhere (by up to 50 m)", "AEP: 12.5000 against 12.2500 GWh",
  ]);
  assert.deepEqual(describeDifference(rec(), rec({ aepPerTurbineGWh: new Float64Array([4, 4, 4.25]) })), ["AEP per turbine: 1 of 3 values differ (by up to 0.250000 GWh)"]);
  assert.deepEqual(describeDifference(rec(), rec({ aepPerTurbineGWh: undefined })), ["AEP per turbine: only in the first variant"]);
  assert.deepEqual(describeDifference(rec(), rec({ attrs: { farm_idx: 0, type_idx: 0, ss_seed: 1, farm_name: "b" } }), ["recovered_from"]), ['attribute farm_name: "a" against "b"']);
  const bare = describeDifference(rec(), rec({ attrs: {} }), ["recovered_from"]);
  assert.deepEqual(bare, ['attribute farm_idx: 0 against absent', 'attribute farm_name: "a" against absent', "attribute ss_seed: 1 against absent", "1 more attributes differ (type_idx)"]);
});
