import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import ndarray from "ndarray";
import {
  computeChecksum, formatKey, h5, parseKey, tryParseKey, readFailureGroup, readResultGroup, readRootAttrs, verifyChecksum,
  withFile, writeFailureGroup, writeResultGroup, writeRootAttrs, type H5Group,
} from "../../src/store/index.js";
import { InputError } from "../../src/errors.js";
import type { ResultRecord } from "../../src/store/index.js";
import { record, tempDir } from "./helpers.js";

test("parseKey reads farm, type and seed and refuses anything else", () => {
  assert.deepEqual(parseKey("farm3_t1_s42"), { farmIdx: 3, typeIdx: 1, seed: 42 });
  assert.throws(() => parseKey("farm3_t1"), InputError);
  assert.throws(() => parseKey("_failed"), /not a result key/);
});

test("the key codec: tryParseKey gives undefined, formatKey inverts parseKey", () => {
  assert.equal(tryParseKey("farm3_t1"), undefined);
  assert.equal(tryParseKey("farm99999999999999999999_t0_s0"), undefined);
  assert.throws(() => parseKey("farm99999999999999999999_t0_s0"), /index too large/);
  assert.equal(formatKey(parseKey("farm3_t1_s42")), "farm3_t1_s42");
});

test("a config's settings keep their schema dtypes whatever JS type they come in", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const path = join(dir, "r.h5");
  // grid_size as a number (the worker once had to write BigInt), random_pct as the Python tool's int64.
  const a = record(1);
  Object.assign(a.attrs, { grid_size: 18, random_pct: 30, farm: "north", turbine: "V80" });
  const b = record(2);
  Object.assign(b.attrs, { grid_size: 18n, random_pct: 30n });
  assert.equal(computeChecksum({ ...a, attrs: { ...a.attrs, grid_size: 18n } }), computeChecksum(a), "grid_size is int64 either way");
  await withFile(path, "w", (f) => { writeResultGroup(f, a); writeResultGroup(f, b); });
  await withFile(path, "r", (f) => {
    const ra = readResultGroup(f.get(a.key) as H5Group);
    assert.equal(ra.status, "ok", JSON.stringify(ra.problems));
    assert.equal(ra.record!.attrs.grid_size, 18);
    assert.equal(ra.record!.attrs.random_pct, 30);
    assert.equal(ra.record!.attrs.farm, "north");
    const rb = readResultGroup(f.get(b.key) as H5Group);
    assert.equal(rb.status, "ok", JSON.stringify(rb.problems));
    // An integer random_pct stays int64, so writing the read record back keeps its checksum.
    assert.equal(rb.record!.attrs.random_pct, 30n);
    assert.equal(computeChecksum(rb.record!), rb.record!.checksum);
  });
});

test("a result round-trips with every field, and its checksum verifies", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const path = join(dir, "r.h5");
  const rec = record(7);
  rec.attrs.big_id = 9007199254740993n; // beyond float64 precision: must stay int64
  const sum = await withFile(path, "w", (f) => writeResultGroup(f, rec));
  assert.match(sum, /^sha256:[0-9a-f]{64}$/);
  assert.equal(sum, computeChecksum(rec));
  await withFile(path, "r", (f) => {
    const r = readResultGroup(f.get(rec.key) as H5Group);
    assert.equal(r.status, "ok", JSON.stringify(r.problems));
    assert.deepEqual(r.problems, []);
    const got = r.record!;
    assert.deepEqual([...got.layout], [...(rec.layout as Float64Array)]);
    assert.equal(got.aepGWh, rec.aepGWh);
    assert.deepEqual([...got.aepPerTurbineGWh!], [...rec.aepPerTurbineGWh!]);
    assert.equal(got.attrs.farm_idx, 0);
    assert.equal(got.attrs.ss_seed, 7);
    assert.equal(got.attrs.n_turbines, 4);
    assert.equal(got.attrs.wake_model, "BastankhahGaussian");
    assert.equal(got.attrs.big_id, 9007199254740993n);
    assert.equal(got.checksum, sum);
    assert.ok(verifyChecksum(got));
  });
});

test("an ndarray [2, n] layout stores the same bytes as the flat array", () => {
  const rec = record(3);
  const flat = rec.layout as Float64Array;
  const nd = ndarray(new Float64Array(flat), [2, flat.length / 2]);
  assert.equal(computeChecksum({ ...rec, layout: nd }), computeChecksum(rec));
  // A transposed view must be read through its strides, not its buffer.
  const tr = ndarray(new Float64Array(flat.length), [flat.length / 2, 2]).transpose(1, 0);
  for (let r = 0; r < 2; r++) for (let j = 0; j < flat.length / 2; j++) tr.set(r, j, flat[r * (flat.length / 2) + j]);
  assert.equal(computeChecksum({ ...rec, layout: tr }), computeChecksum(rec));
});

test("the checksum covers layout, aep, per-turbine AEP and config keys, not elapsed time", () => {
  const base = computeChecksum(record(1));
  const moved = record(1); (moved.layout as Float64Array)[2] += 1e-9;
  const aep = record(1); aep.aepGWh += 1e-9;
  const per = record(1); per.aepPerTurbineGWh![0] += 1e-9;
  const cfg = record(1); cfg.attrs.min_spacing_m = 261;
  const noPer = record(1); delete noPer.aepPerTurbineGWh;
  const slower = record(1); slower.attrs.elapsed_s = 99;
  for (const [name, r] of Object.entries({ moved, aep, per, cfg, noPer })) assert.notEqual(computeChecksum(r), base, name);
  assert.equal(computeChecksum(slower), base);
  // The same number given as bigint or number for a schema int64 field hashes the same.
  const asBig = record(1); asBig.attrs.iterations = BigInt(asBig.attrs.iterations as number);
  assert.equal(computeChecksum(asBig), base);
});

test("inconsistent records are refused before anything is written, naming the field", () => {
  assert.throws(() => computeChecksum({ ...record(1), attrs: { ...record(1).attrs, ss_seed: 2 } }), (e: Error) => e instanceof InputError && /ss_seed/.test(e.message));
  assert.throws(() => computeChecksum({ ...record(1), attrs: { ...record(1).attrs, n_turbines: 5 } }), /n_turbines/);
  assert.throws(() => computeChecksum({ ...record(1), aepPerTurbineGWh: new Float64Array(3) }), /aepPerTurbineGWh/);
  assert.throws(() => computeChecksum({ ...record(1), layout: new Float64Array(3) }), /layout/);
  assert.throws(() => computeChecksum({ ...record(1), key: "farm1-t0" }), /not a result key/);
  assert.throws(() => computeChecksum({ ...record(1), attrs: { wake_model: 3 } }), /wake_model/);
  // what the reader refuses as "not a result" is never written
  assert.throws(() => computeChecksum({ ...record(1), aepGWh: NaN }), (e: Error) => e instanceof InputError && /aepGWh is NaN: not a result/.test(e.message));
  const holed = Float64Array.from(record(1).layout as Float64Array);
  holed[3] = Infinity;
  assert.throws(() => computeChecksum({ ...record(1), layout: holed }), /layout holds a non-finite value/);
});

test("a record whose stored checksum no longer matches its data is not re-written", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const rec = record(2);
  const tampered = { ...rec, attrs: { ...rec.attrs, checksum: computeChecksum(record(3)) } };
  await assert.rejects(withFile(join(dir, "x.h5"), "w", (f) => writeResultGroup(f, tampered)), /does not match its data/);
});

test("schema violations are reported per field, never thrown", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const path = join(dir, "bad.h5");
  const lib = await h5();
  const f = new lib.File(path, "w");
  try {
    writeResultGroup(f, record(1));
    // float32 layout (what "<f8" silently gives in h5wasm) with a checksum: schema error on layout
    const g = f.create_group("farm0_t0_s2");
    g.create_dataset({ name: "layout", data: new Float32Array(8), shape: [2, 4], dtype: "<f" });
    g.create_dataset({ name: "aep", data: new Float64Array([1]), shape: [], dtype: "<d" });
    g.create_attribute("checksum", "sha256:" + "0".repeat(64), [], "S");
    g.create_attribute("farm_idx", 0n as unknown as number, [], "<q");
    g.create_attribute("type_idx", 0n as unknown as number, [], "<q");
    g.create_attribute("ss_seed", 2n as unknown as number, [], "<q");
    g.create_attribute("n_turbines", 4n as unknown as number, [], "<q");
    // n_turbines stored as float and layout of the wrong shape
    const h = f.create_group("farm0_t0_s3");
    h.create_dataset({ name: "layout", data: new Float64Array(6), shape: [3, 2], dtype: "<d" });
    h.create_dataset({ name: "aep", data: new Float64Array([1]), shape: [], dtype: "<d" });
    h.create_attribute("n_turbines", 2.0, [], "<d");
    // no aep at all
    const k = f.create_group("farm0_t0_s4");
    k.create_dataset({ name: "layout", data: new Float64Array(4), shape: [2, 2], dtype: "<d" });
    writeFailureGroup(f, { key: "farm0_t0_s9", error: "optimizer diverged", attempts: 3 });
  } finally {
    f.close();
  }
  await withFile(path, "r", (file) => {
    assert.equal(readResultGroup(file.get("farm0_t0_s1") as H5Group).status, "ok");
    const a = readResultGroup(file.get("farm0_t0_s2") as H5Group);
    assert.equal(a.status, "schema-error");
    assert.ok(a.problems.some((p) => p.field === "layout" && /float32; expected float64/.test(p.message)), JSON.stringify(a.problems));
    const b = readResultGroup(file.get("farm0_t0_s3") as H5Group);
    assert.equal(b.status, "schema-error");
    assert.ok(b.problems.some((p) => p.field === "layout" && /\(3, 2\); expected \(2, n\)/.test(p.message)));
    assert.ok(b.problems.some((p) => p.field === "attrs.n_turbines" && /float64; expected int64/.test(p.message)));
    const c = readResultGroup(file.get("farm0_t0_s4") as H5Group);
    assert.equal(c.status, "schema-error");
    assert.equal(c.record, null);
    assert.ok(c.problems.some((p) => p.field === "aep" && /missing/.test(p.message)));
    const fail = readFailureGroup(file.get("_failed/farm0_t0_s9") as H5Group);
    assert.deepEqual(fail.problems, []);
    assert.equal(fail.record?.error, "optimizer diverged");
    assert.equal(fail.record?.attempts, 3);
  });
});

test("root attributes keep their schema dtypes", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const path = join(dir, "root.h5");
  await withFile(path, "w", (f) => writeRootAttrs(f, { grid_size: 18, random_pct: 30, total_configs: 10, successful_configs: 9, spec_json: "{\"a\":1}", wflo_version: "0.1.0", created_utc: "2026-01-01T00:00:00Z" }));
  await withFile(path, "r", (f) => {
    assert.equal(f.attrs.grid_size.dtype, "<q");
    assert.equal(f.attrs.random_pct.dtype, "<d"); // 30 is integral: untyped it would become int32
    assert.equal(f.attrs.total_configs.dtype, "<q");
    const r = readRootAttrs(f);
    assert.deepEqual(r.problems, []);
    assert.equal(r.attrs.random_pct, 30);
    assert.equal(r.attrs.spec_json, "{\"a\":1}");
  });
  await assert.rejects(withFile(join(dir, "bad-root.h5"), "w", (f) => writeRootAttrs(f, { grid_size: 1.5 })), /grid_size must be an integer/);
});

/** record(s) with the optional smart start (the layout shifted) and an AEP history. */
function withOptional(s: number): ResultRecord {
  const rec = record(s);
  rec.layoutInitial = (rec.layout as Float64Array).map((v, i) => v - 3 - i);
  rec.aepHistoryGWh = Float64Array.from([40.5, 41.25, 41.75, rec.aepGWh]);
  return rec;
}

test("a record without smart start and AEP history keeps the checksum it had before they existed", () => {
  // Regression pins: computed by the code before layout_initial / aep_history were added
  // (commit 030c64f) for these exact records; existing files and the Python tool's must
  // keep verifying, so the canonical bytes of such a record must not change.
  const a = record(3);
  a.attrs.big_id = 9007199254740993n;
  assert.equal(computeChecksum(a), "sha256:5aa2f55ddbe71fa3eca5e2426f3e94d4ee4b53a5b50e89f9c43d925969d9fc3e");
  const b = record(5, { n: 2 });
  delete b.aepPerTurbineGWh;
  assert.equal(computeChecksum(b), "sha256:55a7b880f225f4d1f4492e3396d56bbe6e1f2a526e428ee84c703a3baab33f0a");
});

test("the checksum covers the smart start and the AEP history when present", () => {
  const base = computeChecksum(withOptional(1));
  assert.notEqual(base, computeChecksum(record(1)));
  const moved = withOptional(1); (moved.layoutInitial as Float64Array)[5] += 1e-9;
  const hist = withOptional(1); hist.aepHistoryGWh![1] += 1e-9;
  const shorter = withOptional(1); shorter.aepHistoryGWh = shorter.aepHistoryGWh!.subarray(0, 3);
  const noInitial = withOptional(1); delete noInitial.layoutInitial;
  const noHistory = withOptional(1); delete noHistory.aepHistoryGWh;
  const sums = [base, ...[moved, hist, shorter, noInitial, noHistory].map(computeChecksum)];
  assert.equal(new Set(sums).size, sums.length, "every variant hashes differently");
  // An ndarray [2, n] smart start hashes as the flat one.
  const flat = withOptional(1).layoutInitial as Float64Array;
  assert.equal(computeChecksum({ ...withOptional(1), layoutInitial: ndarray(new Float64Array(flat), [2, flat.length / 2]) }), base);
  assert.throws(() => computeChecksum({ ...withOptional(1), layoutInitial: new Float64Array(6) }), (e: Error) => e instanceof InputError && /layoutInitial/.test(e.message));
  assert.throws(() => computeChecksum({ ...withOptional(1), aepHistoryGWh: [1, 2] as unknown as Float64Array }), /aepHistoryGWh/);
});

test("layout_initial and aep_history round-trip as float64 datasets and verify", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const path = join(dir, "r.h5");
  const rec = withOptional(4);
  const sum = await withFile(path, "w", (f) => writeResultGroup(f, rec));
  assert.equal(sum, computeChecksum(rec));
  await withFile(path, "r", (f) => {
    const g = f.get(rec.key) as H5Group;
    const init = g.get("layout_initial") as unknown as { shape: number[]; metadata: { size: number } };
    assert.deepEqual(init.shape, [2, 4]);
    assert.equal(init.metadata.size, 8);
    assert.deepEqual((g.get("aep_history") as unknown as { shape: number[] }).shape, [4]);
    const r = readResultGroup(g);
    assert.equal(r.status, "ok", JSON.stringify(r.problems));
    assert.deepEqual([...r.record!.layoutInitial!], [...(rec.layoutInitial as Float64Array)]);
    assert.deepEqual([...r.record!.aepHistoryGWh!], [...rec.aepHistoryGWh!]);
    assert.ok(verifyChecksum(r.record!));
  });
  // A group without them reads with neither.
  const old = join(dir, "old.h5");
  await withFile(old, "w", (f) => writeResultGroup(f, record(4)));
  await withFile(old, "r", (f) => {
    const r = readResultGroup(f.get("farm0_t0_s4") as H5Group);
    assert.equal(r.status, "ok");
    assert.equal(r.record!.layoutInitial, undefined);
    assert.equal(r.record!.aepHistoryGWh, undefined);
  });
});

test("a malformed layout_initial or aep_history is a schema error naming the field", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const path = join(dir, "bad.h5");
  const lib = await h5();
  const f = new lib.File(path, "w");
  try {
    // Each group is a valid result plus one malformed optional dataset.
    const bad: [number, string, (g: H5Group) => void][] = [
      [1, "layout_initial", (g) => g.create_dataset({ name: "layout_initial", data: new Float64Array(10), shape: [2, 5], dtype: "<d" })],
      [2, "layout_initial", (g) => g.create_dataset({ name: "layout_initial", data: new Float32Array(8), shape: [2, 4], dtype: "<f" })],
      [3, "aep_history", (g) => g.create_dataset({ name: "aep_history", data: new Float64Array(6), shape: [2, 3], dtype: "<d" })],
      [4, "aep_history", (g) => g.create_dataset({ name: "aep_history", data: new BigInt64Array(3) as unknown as Float64Array, shape: [3], dtype: "<q" })],
    ];
    for (const [s, , make] of bad) {
      writeResultGroup(f, record(s));
      make(f.get(`farm0_t0_s${s}`) as H5Group);
    }
  } finally {
    f.close();
  }
  await withFile(path, "r", (file) => {
    const expect: Record<number, [string, RegExp]> = {
      1: ["layout_initial", /\(2, 5\); expected \(2, 4\)/],
      2: ["layout_initial", /float32; expected float64/],
      3: ["aep_history", /\(2, 3\); expected \(m,\)/],
      4: ["aep_history", /expected float64/],
    };
    for (const [s, [field, msg]] of Object.entries(expect)) {
      const r = readResultGroup(file.get(`farm0_t0_s${s}`) as H5Group);
      assert.equal(r.status, "schema-error", `s${s}`);
      assert.ok(r.problems.some((p) => p.field === field && msg.test(p.message)), `s${s}: ${JSON.stringify(r.problems)}`);
      assert.ok(r.record, "layout and aep are still salvageable");
    }
  });
});

test("aep_history_iter round-trips with a decimated history, is covered by the checksum, and bad numbering is refused or flagged", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const rec = withOptional(6);
  rec.aepHistoryIter = Float64Array.from([1, 7, 20, 31]);
  const base = computeChecksum(rec);
  assert.notEqual(base, computeChecksum(withOptional(6)), "the numbering is part of the checksum");
  const renumbered = { ...rec, aepHistoryIter: Float64Array.from([1, 7, 21, 31]) };
  assert.notEqual(base, computeChecksum(renumbered));
  for (const [iter, msg] of [
    [Float64Array.from([1, 7, 20]), /3 values for 4/],
    [Float64Array.from([1, 7, 7, 9]), /increasing integers/],
    [Float64Array.from([0, 7, 8, 9]), /increasing integers/],
    [Float64Array.from([1, 2.5, 8, 9]), /increasing integers/],
  ] as const) {
    assert.throws(() => computeChecksum({ ...rec, aepHistoryIter: iter }), (e: Error) => e instanceof InputError && msg.test(e.message) && /aepHistoryIter/.test(e.message));
  }
  assert.throws(() => computeChecksum({ ...record(6), aepHistoryIter: Float64Array.from([1]) }), /without aepHistoryGWh/);

  const path = join(dir, "iter.h5");
  await withFile(path, "w", (f) => writeResultGroup(f, rec));
  await withFile(path, "r", (f) => {
    const r = readResultGroup(f.get(rec.key) as H5Group);
    assert.equal(r.status, "ok", JSON.stringify(r.problems));
    assert.deepEqual([...r.record!.aepHistoryIter!], [1, 7, 20, 31]);
    assert.ok(verifyChecksum(r.record!));
  });
  // Written by hand with numbering that does not fit its history: flagged, data kept.
  const badPath = join(dir, "bad-iter.h5");
  const lib = await h5();
  const f = new lib.File(badPath, "w");
  try {
    writeResultGroup(f, withOptional(7));
    (f.get("farm0_t0_s7") as H5Group).create_dataset({ name: "aep_history_iter", data: Float64Array.from([1, 3, 2, 4]), shape: [4], dtype: "<d" });
  } finally {
    f.close();
  }
  await withFile(badPath, "r", (file) => {
    const r = readResultGroup(file.get("farm0_t0_s7") as H5Group);
    assert.equal(r.status, "schema-error");
    assert.ok(r.problems.some((p) => p.field === "aep_history_iter" && /increasing integers/.test(p.message)), JSON.stringify(r.problems));
    assert.ok(r.record, "layout and aep are still salvageable");
  });
});
