import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { commitResult, inspectFiles, mergeParts, partsDir, validate, type FileStatus } from "../../src/store/index.js";
import { python, record, tempDir } from "./helpers.js";

/** Byte offset of the stored layout (x row then y row, float64 LE) in a file. */
function layoutOffset(bytes: Buffer, layout: Float64Array): number {
  const needle = Buffer.from(layout.buffer, layout.byteOffset, layout.byteLength);
  const at = bytes.indexOf(needle);
  assert.ok(at >= 0, "layout bytes not found in the file");
  return at;
}

test("validate classifies each kind of damage per file and per group, naming the field", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  for (const s of [0, 1, 2]) await commitResult(out, record(s));
  await mergeParts(out);
  const f = (name: string) => join(dir, name);

  // checksum-mismatch: one layout coordinate changed by h5py, everything else intact
  copyFileSync(out, f("edited.h5"));
  const e = python(`import h5py, sys\nwith h5py.File(sys.argv[1], "r+") as f:\n    f["farm0_t0_s1/layout"][0, 2] += 1.0`, [f("edited.h5")]);
  assert.equal(e.status, 0, e.stderr);
  // checksum-mismatch by a bit flip inside the layout bytes (bit rot)
  const bytes = readFileSync(out);
  const at = layoutOffset(bytes, record(2).layout as Float64Array);
  const flipped = Buffer.from(bytes);
  flipped[at + 3] ^= 0x10;
  writeFileSync(f("bitflip.h5"), flipped);
  // schema error: n_turbines rewritten as a float by h5py
  copyFileSync(out, f("schema.h5"));
  const s = python(`import h5py, sys\nwith h5py.File(sys.argv[1], "r+") as f:\n    a = f["farm0_t0_s0"].attrs\n    a["n_turbines"] = 4.0`, [f("schema.h5")]);
  assert.equal(s.status, 0, s.stderr);
  writeFileSync(f("truncated.h5"), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  writeFileSync(f("empty.h5"), "");
  writeFileSync(f("text.h5"), "farm0_t0_s0,1,2,3\n");
  const py = python(`import h5py, numpy as np, sys\nwith h5py.File(sys.argv[1], "w") as f:\n    g = f.create_group("farm0_t0_s9"); g["layout"] = np.zeros((2, 3)); g["aep"] = np.float64(1)`, [f("python.h5")]);
  assert.equal(py.status, 0, py.stderr);

  const v = await validate([out, f("edited.h5"), f("bitflip.h5"), f("schema.h5"), f("truncated.h5"), f("empty.h5"), f("text.h5"), f("python.h5"), f("missing.h5")]);
  const status = Object.fromEntries(v.files.map((r) => [r.path.split("/").pop(), r.status]));
  assert.deepEqual(status, {
    "layouts.h5": "ok", "edited.h5": "checksum-mismatch", "bitflip.h5": "checksum-mismatch", "schema.h5": "schema-error",
    "truncated.h5": "truncated", "empty.h5": "not-hdf5", "text.h5": "not-hdf5", "python.h5": "no-checksum", "missing.h5": "unreadable",
  } satisfies Record<string, FileStatus>);
  assert.equal(v.ok, false);
  const byName = (n: string) => v.files.find((r) => r.path.endsWith(`/${n}`))!;
  assert.deepEqual([byName("edited.h5").groupsOk, byName("edited.h5").groupsBad], [2, 1]);
  assert.match(byName("edited.h5").errors.join("\n"), /farm0_t0_s1: stored sha256:[0-9a-f]+, data hash to sha256:/);
  assert.match(byName("schema.h5").errors.join("\n"), /farm0_t0_s0: attribute n_turbines is float64; expected int64/);
  assert.match(byName("truncated.h5").errors[0], /truncated file: eof = \d+.*stored_eof = \d+/);
  assert.match(byName("empty.h5").errors[0], /file signature not found/);
  assert.match(byName("missing.h5").errors[0], /no such file/);
  assert.doesNotMatch(byName("missing.h5").errors[0], /yet/);
  // An output whose run has not merged yet: unreadable still, and the message names its parts.
  await commitResult(f("unmerged.h5"), record(4));
  const u = await validate([f("unmerged.h5")]);
  assert.equal(u.files[0].status, "unreadable");
  assert.match(u.files[0].errors[0], /unmerged\.h5: no such file yet: its results are still in .*unmerged\.h5\.parts/);
  assert.equal(byName("python.h5").groupsOk, 1);
  // results = distinct valid keys across files
  assert.equal(v.results, 4);
});

test("validate never throws on random damage, and a flip in stored numbers is always caught", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  for (const s of [0, 1, 2, 3]) await commitResult(out, record(s));
  await mergeParts(out);
  const bytes = readFileSync(out);
  const paths: string[] = [];
  // Deterministic pseudo-random flips over the whole file: metadata, B-trees, heaps, data.
  let x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  for (let i = 0; i < 24; i++) {
    const b = Buffer.from(bytes);
    for (let k = 0; k < 4; k++) b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
    const p = join(dir, `flip${i}.h5`);
    writeFileSync(p, b);
    paths.push(p);
  }
  const v = await validate(paths);
  assert.equal(v.files.length, 24);
  for (const r of v.files) {
    assert.ok(["ok", "schema-error", "checksum-mismatch", "unreadable", "truncated", "not-hdf5"].includes(r.status), r.status);
    if (r.status !== "ok") assert.ok(r.errors.length > 0, `${r.path}: ${r.status} without a reason`);
  }
  // Flips that land in a layout are caught by the checksum, whichever group.
  const targeted: string[] = [];
  for (const s of [0, 1, 2, 3]) {
    const b = Buffer.from(bytes);
    b[layoutOffset(b, record(s).layout as Float64Array) + 8 * s + 5] ^= 0x01;
    const p = join(dir, `layout-flip${s}.h5`);
    writeFileSync(p, b);
    targeted.push(p);
  }
  const tv = await validate(targeted);
  assert.deepEqual(tv.files.map((r) => r.status), ["checksum-mismatch", "checksum-mismatch", "checksum-mismatch", "checksum-mismatch"]);
  assert.deepEqual(tv.files.map((r) => r.groupsBad), [1, 1, 1, 1]);
});

test("validate(dir) checks every .h5 inside, parts included, quarantine only when asked", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  for (const s of [0, 1]) await commitResult(out, record(s));
  await mergeParts(out);
  await commitResult(out, record(2));
  mkdirSync(join(partsDir(out), "quarantine"), { recursive: true });
  writeFileSync(join(partsDir(out), "quarantine", "old.h5"), "garbage");
  const v = await validate(dir);
  assert.deepEqual(v.files.map((r) => r.path.slice(dir.length + 1)), ["layouts.h5", "layouts.h5.parts/farm0_t0_s2.h5"]);
  assert.equal(v.ok, true);
  assert.equal(v.results, 3);
  const q = await validate(dir, { includeQuarantine: true });
  assert.equal(q.files.length, 3);
  assert.equal(q.ok, false);
});

test("a reader that hangs or dies costs only its file: the next worker goes on", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  await commitResult(out, record(0));
  const p = join(partsDir(out), "farm0_t0_s0.h5");
  // A 1 ms limit: every worker is killed on its first file, and a fresh one takes the next.
  const reports = await inspectFiles([p, p, p], { timeoutMs: 1 });
  assert.deepEqual(reports.map((r) => r.status), ["unreadable", "unreadable", "unreadable"]);
  for (const r of reports) assert.match(r.errors[0], /reader timed out after 1 ms/);
  const ok = await inspectFiles([p, p]);
  assert.deepEqual(ok.map((r) => r.status), ["ok", "ok"]);
});

test("a file that breaks the reader's h5wasm instance (100k empty groups) costs only itself: the files after it read fine", { timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const big = join(dir, "big.h5");
  const made = python(String.raw`
import sys, h5py
f = h5py.File(sys.argv[1], "w")
for i in range(100000): f.create_group("farm%d_t0_s0" % i)
f.close()
`, [big]);
  assert.equal(made.status, 0, made.stderr);
  const good = join(dir, "good.h5");
  await commitResult(good, record(1));
  await mergeParts(good);
  const v = await validate([big, good]);
  assert.notEqual(v.files[0].status, "ok");
  assert.equal(v.files[1].status, "ok", v.files[1].errors.join("\n"));
  assert.equal(v.files[1].groupsOk, 1);
});

test("a dataset stored with a filter this reader lacks is reported by the filter's id and name, not a plugin directory", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const path = join(dir, "blosc.h5");
  // gzip-compressed by h5py, then the pipeline's filter id patched to 32001 (blosc): the
  // bytes of a file written with the blosc plugin, which h5wasm does not have.
  const made = python(String.raw`
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "w"); g = f.create_group("farm0_t0_s0")
g.create_dataset("layout", data=np.arange(32.0).reshape(2, 16), compression="gzip", chunks=(2, 16))
g.create_dataset("aep", data=np.float64(300.0)); f.close()
b = bytearray(open(sys.argv[1], "rb").read()); i = b.find(b"deflate\x00")
assert i > 8 and b[i-8:i-6] == b"\x01\x00"
b[i-8:i-6] = (32001).to_bytes(2, "little"); open(sys.argv[1], "wb").write(b)
`, [path]);
  assert.equal(made.status, 0, made.stderr);
  const v = await validate([path]);
  const msg = v.files[0].errors.join("\n");
  assert.match(msg, /layout: unreadable: stored with filter 32001 \(blosc\), which this reader does not have/);
  assert.doesNotMatch(msg, /plugin\)|can't open directory/);
});
