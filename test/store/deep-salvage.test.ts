/**
 * Deep salvage (src/store/deepSalvage.ts, hdf5-scan.ts): files whose group index is gone.
 *
 * - wflo outputs and part files, written by the commit protocol and merge, cut at every
 *   10 % from 10 % to 90 %: recover gets back ≥ 90 % of the groups whose object header and
 *   datasets lie wholly before the cut (where they lie is read from the intact file), each
 *   with the checksum and data the intact file holds, and nothing else.
 * - The Python tool's worker files (h5py, both formats, with a user block) cut the same
 *   way: recover ⊇ every group h5py reads from a zero-padded copy, with h5py's data, and
 *   every deep-salvaged group equals the intact file's; the counts per level are printed.
 * - A writer killed with the file open: the raw data is counted (unlabeled blocks), not lost
 *   silently and never attributed.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitResult, inspectFiles, mergeParts, partsDir, recover, RECOVERED_FROM_ATTR, type GroupReport } from "../../src/store/index.js";
import { scanHdf5 } from "../../src/store/hdf5-scan.js";
import { probeSuperblock } from "../../src/store/hdf5-superblock.js";
import { deepSalvage } from "../../src/store/deepSalvage.js";
import { h5pyGroupsAll, makeCorpus, type Corpus } from "../fixtures/python/corpus.js";
import { cli, python, record, repoRoot, tempDir } from "./helpers.js";

const CUTS = [10, 20, 30, 40, 50, 60, 70, 80, 90];
let tmp: { dir: string; cleanup: () => void };
let output: string;
let partCopies: string[];

before(async () => {
  tmp = tempDir("wflo-deep-");
  output = join(tmp.dir, "out.h5");
  // 16 results as a batch stores them: one part each (commit protocol), then one merge.
  for (let s = 0; s < 16; s++) {
    const r = record(s, { n: 16, farm: s % 2, type: 0 });
    r.aepHistoryGWh = new Float64Array(40).map((_, i) => r.aepGWh - 40 + i);
    await commitResult(output, r);
  }
  const pd = partsDir(output);
  mkdirSync(join(tmp.dir, "parts-copy"));
  partCopies = readdirSync(pd).filter((f) => f.endsWith(".h5")).sort().slice(0, 3).map((f) => {
    const to = join(tmp.dir, "parts-copy", f);
    copyFileSync(join(pd, f), to);
    return to;
  });
  await mergeParts(output, { root: { spec_json: JSON.stringify({ note: "deep salvage test" }), total_configs: 16 } });
});

after(() => tmp?.cleanup());

function geometryOf(path: string) {
  const p = probeSuperblock(path);
  assert.equal(p.kind, "ok");
  const sb = (p as Extract<typeof p, { kind: "ok" }>).superblock;
  return { baseAddress: sb.baseAddress, sizeOfOffsets: sb.sizeOfOffsets, sizeOfLengths: sb.sizeOfLengths };
}

/** Keys of the result groups whose header and datasets lie wholly before `cut`, read from the intact file. */
function groupsBefore(path: string, cut: number): string[] {
  const scan = scanHdf5(new Uint8Array(readFileSync(path)), geometryOf(path));
  return scan.groups.filter((g) => g.name && /^farm\d+_t\d+_s\d+$/.test(g.name) && g.coreEnd <= cut).map((g) => g.name!).sort();
}

async function intactRecords(path: string): Promise<Map<string, GroupReport>> {
  const [r] = await inspectFiles([path], { withRecords: true });
  return new Map(r.groups.map((g) => [g.key, g]));
}

test("the scan of an intact wflo output finds every group, named, with its data, and no unlabeled data", async () => {
  const intact = await intactRecords(output);
  const scan = scanHdf5(new Uint8Array(readFileSync(output)), geometryOf(output));
  const named = scan.groups.filter((g) => g.name && intact.has(g.name));
  assert.equal(named.length, 16);
  for (const g of named) {
    const rec = intact.get(g.name!)!.record!;
    assert.deepEqual(Array.from(g.datasets.get("layout")!.data), Array.from(rec.layout), `${g.name}: layout`);
    assert.equal(g.datasets.get("aep")!.data[0], rec.aepGWh);
    assert.equal(g.attrs.get("checksum")?.value, rec.checksum);
  }
  assert.equal(scan.unlabeledBlocks, 0, JSON.stringify(scan.unlabeledRuns));
});

test("a wflo output cut at every 10 %: recover gets back ≥ 90 % of the groups wholly before the cut, each identical", async (t) => {
  const intact = await intactRecords(output);
  const bytes = readFileSync(output);
  // One recover over the nine cuts (same data, so no conflict): each output group's
  // recovered_from names the cuts that gave it, which gives each cut's keys.
  const cutFiles = CUTS.map((pct) => {
    const cutFile = join(tmp.dir, `out-cut${pct}.h5`);
    writeFileSync(cutFile, bytes.subarray(0, Math.floor((bytes.length * pct) / 100)));
    return cutFile;
  });
  const out = join(tmp.dir, "rec-cuts.h5");
  const rep = await recover(cutFiles, out);
  assert.equal(rep.conflicts.length, 0);
  const [got] = await inspectFiles([out], { withRecords: true });
  const keysOf = new Map<string, Set<string>>(cutFiles.map((f) => [f, new Set()]));
  for (const g of got.groups) {
    const want = intact.get(g.key);
    assert.ok(want, `${g.key} recovered but not in the intact file`);
    assert.equal(g.record!.checksum, want.record!.checksum, `${g.key} differs from the intact file`);
    assert.deepEqual(Array.from(g.record!.layout), Array.from(want.record!.layout));
    for (const src of JSON.parse(g.record!.attrs[RECOVERED_FROM_ATTR] as string) as string[]) keysOf.get(src)?.add(g.key);
  }
  const rows: string[] = [];
  for (const [i, pct] of CUTS.entries()) {
    const cut = Math.floor((bytes.length * pct) / 100);
    const expected = groupsBefore(output, cut);
    const keys = keysOf.get(cutFiles[i])!;
    const f = rep.files.find((x) => x.path === cutFiles[i])!;
    assert.equal(f.salvaged, keys.size, `cut ${pct} %: the report's count is the output's`);
    const back = expected.filter((k) => keys.has(k)).length;
    assert.ok(back >= Math.ceil(0.9 * expected.length), `cut ${pct} %: ${back} of the ${expected.length} groups before the cut recovered`);
    rows.push(`${pct} %: ${expected.length} groups wholly before the cut, ${keys.size} recovered (${f.deepSalvaged} by deep salvage, ${f.keyFromAttributes.length} named by attributes)`);
  }
  assert.ok(rows.length === 9 && keysOf.get(cutFiles[8])!.size >= 10, "the 90 % cut gives back most of the 16 results");
  for (const r of rows) t.diagnostic(r);
});

test("a wflo part file cut at every 10 %: its result comes back whenever its header and data lie before the cut", async () => {
  for (const part of partCopies) {
    const intact = await intactRecords(part);
    const bytes = readFileSync(part);
    const results = await deepSalvage(CUTS.map((pct) => {
      const p = `${part}.cut${pct}`;
      writeFileSync(p, bytes.subarray(0, Math.floor((bytes.length * pct) / 100)));
      return p;
    }));
    for (const [i, pct] of CUTS.entries()) {
      const expected = groupsBefore(part, Math.floor((bytes.length * pct) / 100));
      const got = results[i].groups;
      for (const g of got) assert.equal(g.record!.checksum, intact.get(g.key)?.record?.checksum, `${part} cut at ${pct} %: ${g.key}`);
      assert.ok(got.length >= expected.length, `${part} cut at ${pct} %: ${got.length} of ${expected.length}`);
    }
  }
});

test("wflo recover --json reports deep salvage per file (deep_salvaged, key_from_attributes, unlabeled_blocks)", () => {
  const bytes = readFileSync(output);
  const cutFile = join(tmp.dir, "cli-cut60.h5");
  writeFileSync(cutFile, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const r = cli(["recover", cutFile, "--out", join(tmp.dir, "cli-rec.h5"), "--json"]);
  assert.equal(r.status, 1, r.stderr); // something was lost: the end of the file
  const j = JSON.parse(r.stdout) as { recovered: number; files: { status: string; deep_salvaged: number; key_from_attributes: string[]; unlabeled_blocks: number; attribute_keys_refused: number }[] };
  assert.equal(j.files[0].status, "truncated-salvaged");
  assert.ok(j.files[0].deep_salvaged > 0 && j.files[0].deep_salvaged <= j.recovered);
  assert.ok(Array.isArray(j.files[0].key_from_attributes));
  assert.equal(typeof j.files[0].unlabeled_blocks, "number");
  assert.equal(j.files[0].attribute_keys_refused, 0, "a wflo group's checksum vouches for its key attributes");
});

let corpus: Corpus;

test("Python worker files cut at every 10 %: recover ⊇ what h5py reads, deep-salvaged groups equal the intact file's", async (t) => {
  corpus = makeCorpus({ seed: 7, dir: join(tmp.dir, "corpus"), groups: 20, kills: 4 });
  const good = corpus.files.filter((f) => f.kind === "good").map((f) => join(corpus.dir, f.file));
  assert.ok(good.length >= 3, "earliest, latest and user-block variants");
  const cuts: { src: string; pct: number; path: string }[] = [];
  for (const src of good) {
    const bytes = readFileSync(src);
    for (const pct of CUTS) {
      const path = join(tmp.dir, `${src.split("/").pop()}.cut${pct}.h5`);
      writeFileSync(path, bytes.subarray(0, Math.floor((bytes.length * pct) / 100)));
      cuts.push({ src, pct, path });
    }
  }
  const intactViews = await h5pyGroupsAll(good, 2);
  const views = await h5pyGroupsAll(cuts.map((c) => c.path), 2);
  const rep = await recover(cuts.map((c) => c.path), join(tmp.dir, "py-rec.h5"));
  const [outRep] = await inspectFiles([join(tmp.dir, "py-rec.h5")], { withRecords: true });
  const outByKey = new Map(outRep.groups.map((g) => [g.key, g]));
  const perLevel = new Map<number, { h5py: number; recover: number; deep: number }>();
  for (const c of cuts) {
    const f = rep.files.find((x) => x.path === c.path)!;
    const h = views.get(c.path)!;
    const intact = intactViews.get(c.src)!;
    const row = perLevel.get(c.pct) ?? { h5py: 0, recover: 0, deep: 0 };
    row.recover += f.salvaged;
    row.deep += f.deepSalvaged;
    for (const [key, g] of Object.entries(h.groups)) {
      if (g.beyond_eof) continue;
      row.h5py++;
      assert.ok(outByKey.has(key), `${c.path}: h5py reads ${key}, recover lost it`);
    }
    perLevel.set(c.pct, row);
    assert.ok(f.salvaged >= Object.values(h.groups).filter((g) => !g.beyond_eof).length, `${c.path}: recover ${f.salvaged} < h5py`);
    // The groups of the same seed are identical in every cut of one source (no conflicts).
    for (const key of Object.keys(intact.groups)) {
      const o = outByKey.get(key);
      if (!o) continue;
      assert.deepEqual(Array.from(o.record!.layout), intact.groups[key].layout.flat(), `${key}: layout differs from the intact file`);
      assert.equal(o.record!.aepGWh, intact.groups[key].aep, `${key}: aep`);
    }
  }
  assert.equal(rep.conflicts.length, 0, `conflicts: ${rep.conflicts.map((c) => c.key).join(", ")}`);
  t.diagnostic("cut   h5py(padded)  recover  of which deep salvage   (4 files per level: two earliest-format, one latest-format, one with a user block)");
  for (const [pct, r] of perLevel) t.diagnostic(`${String(pct).padStart(2)} %  ${String(r.h5py).padStart(12)}  ${String(r.recover).padStart(7)}  ${String(r.deep).padStart(8)}`);
  const total = [...perLevel.values()].reduce((a, r) => ({ h5py: a.h5py + r.h5py, recover: a.recover + r.recover, deep: a.deep + r.deep }), { h5py: 0, recover: 0, deep: 0 });
  assert.ok(total.deep > 0, "deep salvage adds groups h5py cannot read");
  assert.ok(total.recover > total.h5py, `recover ${total.recover} vs h5py ${total.h5py}`);
});

test("a writer killed with its file open: the data on disk is counted as unlabeled blocks, never attributed", async () => {
  const killed = corpus.files.filter((f) => f.kind === "killed").map((f) => join(corpus.dir, f.file));
  const views = await h5pyGroupsAll(killed, 2);
  const results = await deepSalvage(killed);
  // Whatever deep salvage names must be what the writer wrote: the corpus writer's results
  // are a pure function of (seed, key), computed here by its own code.
  const keys = [...new Set(results.flatMap((r) => r.groups.map((g) => g.key)))];
  const truth = python(
    `import json, sys; sys.path.insert(0, ${JSON.stringify(join(repoRoot, "test/fixtures/python"))})\n` +
    `from make_worker_corpus import result_for\n` +
    `out = {}\n` +
    `for k in ${JSON.stringify(keys)}:\n` +
    `    f, t, s = [int(x[1:]) if x[0] in 'ts' else int(x[4:]) for x in k.split('_')]\n` +
    `    layout, aep, _ = result_for(${corpus.seed}, f, t, s)\n` +
    `    out[k] = {'layout': layout.ravel().tolist(), 'aep': float(aep)}\n` +
    `print(json.dumps(out))`);
  assert.equal(truth.status, 0, truth.stderr);
  const want = JSON.parse(truth.stdout) as Record<string, { layout: number[]; aep: number }>;
  let withData = 0;
  let named = 0;
  for (const [i, r] of results.entries()) {
    const h = views.get(killed[i])!;
    for (const g of r.groups) {
      assert.deepEqual(Array.from(g.record!.layout), want[g.key].layout, `${killed[i]}: ${g.key}: layout is not what the writer wrote`);
      assert.equal(g.record!.aepGWh, want[g.key].aep, `${killed[i]}: ${g.key}: aep`);
      named++;
    }
    if (r.groups.length === 0 && !h.opened) {
      assert.ok(r.unlabeledBlocks > 0, `${killed[i]}: a killed writer's data is on disk, yet no unlabeled block counted`);
      withData++;
    }
  }
  assert.ok(withData >= 1, "the corpus holds a killed writer whose file HDF5 cannot open");
  assert.ok(named + withData > 0);
});
