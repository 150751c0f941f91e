/**
 * Python-tool writers SIGKILLed mid-run (make_worker_corpus.py): kept open (never flushed,
 * or flushed after each group) and closed after each group (killed between groups, inside
 * one, or while HDF5 writes its metadata on close). recover ⊇ every group h5py reads, and
 * every value recover gives is the one the writer wrote under that key (the corpus writer's
 * results are a pure function of seed and key: result_for); a file HDF5 cannot open
 * reports its data as unlabeled blocks, never as 0.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { inspectFiles, recover } from "../../src/store/index.js";
import { h5pyGroupsAll, makeCorpus } from "../fixtures/python/corpus.js";
import { python, repoRoot, tempDir } from "./helpers.js";

test("killed h5py writers (kept open, closed after each group): recover ⊇ h5py, every value the writer's", { timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = tempDir("wflo-deep-killed-"); t.after(cleanup);
  const corpus = makeCorpus({ seed: 5, dir: join(dir, "corpus"), groups: 12, kills: 4, reopenKills: 4 });
  const killed = corpus.files.filter((f) => f.kind === "killed");
  assert.equal(killed.length, 8);
  const paths = killed.map((f) => join(corpus.dir, f.file));
  const out = join(dir, "recovered.h5");
  const [views, rep] = await Promise.all([h5pyGroupsAll(paths, 2), recover(paths, out)]);
  const [got] = rep.recovered > 0 ? await inspectFiles([out], { withRecords: true }) : [{ groups: [] }];
  const keys = got.groups.map((g) => g.key);
  const truth = python(
    `import json, sys; sys.path.insert(0, ${JSON.stringify(join(repoRoot, "test/fixtures/python"))})\n` +
    `from make_worker_corpus import result_for\n` +
    `out = {}\n` +
    `for k in json.loads(sys.argv[1]):\n` +
    `    f, rest = k[4:].split('_t'); tt, s = rest.split('_s')\n` +
    `    layout, aep, _ = result_for(${corpus.seed}, int(f), int(tt), int(s))\n` +
    `    out[k] = {'layout': layout.ravel().tolist(), 'aep': float(aep)}\n` +
    `print(json.dumps(out))`, [JSON.stringify(keys)]);
  assert.equal(truth.status, 0, truth.stderr);
  const want = JSON.parse(truth.stdout) as Record<string, { layout: number[]; aep: number }>;
  for (const g of got.groups) {
    assert.deepEqual(Array.from(g.record!.layout), want[g.key].layout, `${g.key}: layout is not what the writer wrote`);
    assert.equal(g.record!.aepGWh, want[g.key].aep, `${g.key}: aep`);
  }
  assert.equal(rep.conflicts.length, 0);
  const have = new Set(keys);
  let h5pyReads = 0;
  for (const [i, m] of killed.entries()) {
    const v = views.get(paths[i])!;
    const f = rep.files.find((x) => x.path === paths[i])!;
    const readable = Object.entries(v.groups).filter(([, g]) => !g.beyond_eof);
    h5pyReads += readable.length;
    for (const [key] of readable) assert.ok(have.has(key), `${m.file}: h5py reads ${key}, recover lost it`);
    if (!v.opened && f.salvaged === 0) assert.ok(f.unlabeledBlocks > 0, `${m.file}: its data is on disk, yet no unlabeled block counted`);
    t.diagnostic(`${m.file} (${m.detail.close_each ? "closed after each group" : m.detail.flush_each ? "open, flushed" : "open, never flushed"}): writer reported ${m.detail.groups_reported_written} groups; h5py ${readable.length}${v.opened ? "" : " (cannot open)"}; recover ${f.salvaged} (${f.deepSalvaged} deep); unlabeled ${f.unlabeledBlocks} blocks, ${f.unlabeledBytes} bytes`);
  }
  // Writers that closed after each group leave files h5py reads: the check above is not empty.
  assert.ok(h5pyReads > 0, "some killed writer's groups are readable by h5py");
});
