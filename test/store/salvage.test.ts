/**
 * Salvage of truncated HDF5 files: the superblock parser, the padded copies, and the
 * rule that only data independent of the padding is salvaged.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PYTHON, h5pyGroups, makeCorpus, type Corpus } from "../fixtures/python/corpus.js";
import { lookup3, parseSuperblock, probeSuperblock, salvageTruncated } from "../../src/store/index.js";

let work: string;
let corpus: Corpus;

before(() => {
  work = mkdtempSync(join(tmpdir(), "wflo-salvage-test-"));
  corpus = makeCorpus({ seed: 3, dir: join(work, "corpus"), kills: 0 });
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");

test("lookup3 matches Bob Jenkins' published test values", () => {
  // lookup3.c (2006, public domain), driver5(): hashlittle("", 0, 0) = deadbeef,
  // hashlittle("Four score and seven years ago", 30, 0) = 17770551, (…, 1) = cd628161.
  assert.equal(lookup3(new Uint8Array(0)), 0xdeadbeef);
  const s = new TextEncoder().encode("Four score and seven years ago");
  assert.equal(lookup3(s), 0x17770551);
  assert.equal(lookup3(s, 1), 0xcd628161);
});

test("superblock v0, v3 and after a 512-byte user block: the stored EOF is the file size", () => {
  const v0 = probeSuperblock(join(corpus.dir, "worker_0.h5"));
  const v3 = probeSuperblock(join(corpus.dir, "worker_2.h5"));
  const ub = probeSuperblock(join(corpus.dir, "worker_3.h5"));
  assert.equal(v0.kind, "ok");
  assert.equal(v3.kind, "ok");
  assert.equal(ub.kind, "ok");
  if (v0.kind !== "ok" || v3.kind !== "ok" || ub.kind !== "ok") return;
  assert.equal(v0.superblock.version, 0);
  assert.equal(v0.superblock.storedEof, v0.size);
  assert.equal(v3.superblock.version, 3);
  assert.equal(v3.superblock.checksumOk, true);
  assert.equal(v3.superblock.storedEof, v3.size);
  assert.equal(ub.superblock.signatureOffset, 512);
  assert.equal(ub.superblock.baseAddress, 512);
  assert.equal(ub.superblock.storedEof, ub.size, "HDF5 stores the absolute size, user block included");

  // A flipped EOF byte in a v3 superblock breaks its checksum.
  const b = Buffer.from(readFileSync(join(corpus.dir, "worker_2.h5")).subarray(0, 128));
  b[12 + 2 * 8] ^= 0x01;
  const bad = parseSuperblock(b);
  assert.ok(typeof bad !== "string" && bad.checksumOk === false);
  assert.match(String(parseSuperblock(b.subarray(0, 30))), /cut short/);
  assert.equal(probeSuperblock(join(corpus.dir, "worker_notes.h5")).kind, "no-signature");
  assert.equal(probeSuperblock(join(corpus.dir, "worker_empty.h5")).kind, "empty");
});

test("a file cut at 93 % gives back at least what h5py reads from a zero-padded copy, with the same data", async () => {
  const names = ["worker_0_trunc93.h5", "worker_2_trunc93.h5", "worker_3_trunc93.h5"];
  const paths = names.map((n) => join(corpus.dir, n));
  const before = paths.map(sha);
  const tmp = mkdtempSync(join(work, "tmp-"));
  const [results, views] = await Promise.all([salvageTruncated(paths, { tmpDir: tmp }), Promise.all(paths.map((p) => h5pyGroups(p, true)))]);
  assert.deepEqual(paths.map(sha), before, "inputs modified");
  assert.deepEqual(readdirSync(tmp), [], "padded copies removed");
  for (const [i, name] of names.entries()) {
    const r = results[i];
    const h = views[i];
    assert.equal(r.status, "salvaged");
    assert.ok(r.storedEof! > r.sizeBytes);
    assert.ok(Math.abs(r.presentFraction! - 0.93) < 0.01);
    const salvaged = new Map(r.groups.map((g) => [g.key, g.record!]));
    const readable = Object.entries(h.groups).filter(([, g]) => !g.beyond_eof);
    assert.ok(readable.length > 0);
    for (const [key, g] of readable) {
      const rec = salvaged.get(key);
      assert.ok(rec, `${name}: h5py reads ${key}, salvage lost it (${r.lost.find((l) => l.key === key)?.reason})`);
      const n = rec.layout.length / 2;
      assert.deepEqual([Array.from(rec.layout.subarray(0, n)), Array.from(rec.layout.subarray(n))], g.layout);
      assert.equal(rec.aepGWh, g.aep);
      assert.equal(Number(rec.attrs.ss_seed), g.attrs.ss_seed);
      assert.equal(rec.attrs.farm_name, g.attrs.farm_name);
    }
    assert.ok(r.groups.length >= readable.length);
    assert.ok(r.groups.length + r.lost.length <= 30);
  }
});

test("data lying past the cut (zeros in a padded copy) is lost, not salvaged as zeros", async () => {
  // A file whose last bytes are one dataset's raw data: its header survives a cut of
  // 8 bytes, its last value does not. h5py on a zero-padded copy reads 0.0 there.
  const path = join(work, "tail.h5");
  const code = `
import h5py, numpy as np, sys
p = sys.argv[1]
with h5py.File(p, "w") as f:
    f.create_dataset("init", data=np.array([0, 1], dtype="<i8"))
    for s in range(4):
        g = f.create_group(f"farm0_t0_s{s}")
        if s < 3:
            g.create_dataset("layout", data=np.arange(32, dtype="<f8").reshape(2, 16) + s)
        else:
            g.create_dataset("layout", shape=(2, 16), dtype="<f8")  # storage allocated at first write
        g.create_dataset("aep", data=np.float64(400 + s))
        for k, v in (("farm_idx", 0), ("type_idx", 0), ("ss_seed", s)):
            g.attrs[k] = np.int64(v)
with h5py.File(p, "r+") as f:
    f["farm0_t0_s3/layout"][...] = np.arange(32, dtype="<f8").reshape(2, 16) + 100
`;
  const py = spawnSync(PYTHON, ["-c", code, path], { encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  const full = readFileSync(path);
  const cut = join(work, "tail-cut.h5");
  writeFileSync(cut, full.subarray(0, full.length - 8));

  const h = await h5pyGroups(cut, true);
  assert.equal(h.groups.farm0_t0_s3?.beyond_eof, true, "h5py reads the cut group from the padding");
  assert.equal(h.groups.farm0_t0_s3.layout[1][15], 0, "…and gets a zero where 131 was");

  const [r] = await salvageTruncated([cut]);
  assert.deepEqual(r.groups.map((g) => g.key).sort(), ["farm0_t0_s0", "farm0_t0_s1", "farm0_t0_s2"]);
  const lost = r.lost.find((l) => l.key === "farm0_t0_s3");
  assert.ok(lost, "the cut group is reported lost");
  assert.match(lost.reason, /past the end of the file/);
});

test("a file whose group index lies past the cut is searched by name for candidate keys", async () => {
  // Cut at 75 %: a symbol-table leaf of the root group is gone ("bad symbol table node
  // signature"), so neither h5py nor a plain salvage can list any group; looking keys up
  // by name still finds those whose leaf survived.
  const path = join(corpus.dir, "worker_1_trunc75.h5");
  const [h, hFull] = await Promise.all([h5pyGroups(path, true), h5pyGroups(join(corpus.dir, "worker_1.h5"), false)]);
  assert.equal(Object.keys(h.groups).length, 0, "h5py reads nothing");
  const candidates: string[] = [];
  for (let f = 0; f < 3; f++) for (let t = 0; t < 2; t++) for (let s = 0; s < 20; s++) candidates.push(`farm${f}_t${t}_s${s}`);
  const [plain] = await salvageTruncated([path]);
  assert.equal(plain.groups.length, 0);
  const [r] = await salvageTruncated([path], { candidateKeys: candidates });
  assert.equal(r.found, "looked-up");
  assert.ok(r.groups.length >= 10, `found ${r.groups.length} by name: ${r.errors.join("; ")}`);
  for (const g of r.groups) {
    const o = hFull.groups[g.key];
    assert.ok(o, `${g.key} is not in the original`);
    const n = g.record!.layout.length / 2;
    assert.deepEqual([Array.from(g.record!.layout.subarray(0, n)), Array.from(g.record!.layout.subarray(n))], o.layout, g.key);
    assert.equal(g.record!.aepGWh, o.aep);
  }
});
