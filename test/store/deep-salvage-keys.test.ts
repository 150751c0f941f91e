/**
 * Deep salvage names a group by its attributes only when that cannot give a wrong key.
 *
 * The Python tool wrote its config dict's values as attributes, which need not match the
 * group name (issue 10: farm_idx = 0 in group farm10_t0_s0). In an h5py file cut short the
 * root's name heap (at the file's end) is gone, so attributes are the only name left. Such a
 * group is taken only when groups read by name, in the file or among recover's other inputs,
 * show that this writer's farm_idx/type_idx/ss_seed match its names and none disagrees.
 * The writer's values are known (printed by the writer), so every salvaged value is checked
 * against what was written, and every key against the one it was written under.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspectFiles, recover, type GroupReport } from "../../src/store/index.js";
import { deepSalvage } from "../../src/store/deepSalvage.js";
import { scanHdf5 } from "../../src/store/hdf5-scan.js";
import { python, tempDir } from "./helpers.js";

// 24 groups of 16 turbines in h5py's default format; with `messy`, every other group's
// farm_idx is the config dict's (farm 0..2) while its name says farm 10..12.
const WRITE = String.raw`
import sys, json, h5py, numpy as np
path, messy = sys.argv[1], sys.argv[2] == "messy"
rng = np.random.RandomState(11)
f = h5py.File(path, "w")
f.create_dataset("init", data=np.array([0, 1], dtype="<i8"))
truth = {}
for i in range(24):
    fi, t, s = 10 + i % 3, i % 2, i
    key = f"farm{fi}_t{t}_s{s}"
    layout = (rng.rand(2, 16) - 0.5) * 2000.0
    aep = 300.0 + rng.rand() * 100.0
    g = f.create_group(key)
    g.create_dataset("layout", data=layout, dtype="<f8")
    g.create_dataset("aep", data=np.float64(aep), dtype="<f8")
    g.attrs["farm_idx"] = np.int64(fi - 10 if messy and i % 2 == 0 else fi)
    g.attrs["type_idx"] = np.int64(t)
    g.attrs["ss_seed"] = np.int64(s)
    g.attrs["farm_name"] = "coastal"
    truth[key] = {"layout": layout.ravel().tolist(), "aep": aep}
f.close()
print(json.dumps(truth))
`;

type Truth = Record<string, { layout: number[]; aep: number }>;
const CUTS = [10, 20, 30, 40, 50, 60, 70, 80, 90];
let tmp: { dir: string; cleanup: () => void };
const files: Record<"messy" | "tidy", { path: string; truth: Truth; cuts: string[] }> = {} as never;

before(() => {
  tmp = tempDir("wflo-deep-keys-");
  for (const kind of ["messy", "tidy"] as const) {
    // Each writer's files in a directory of their own, as a run's workers leave them.
    mkdirSync(join(tmp.dir, kind));
    const path = join(tmp.dir, kind, `worker_${kind}.h5`);
    const w = python(WRITE, [path, kind]);
    assert.equal(w.status, 0, w.stderr);
    const bytes = readFileSync(path);
    const cuts = CUTS.map((pct) => {
      const p = join(tmp.dir, kind, `worker_${kind}.cut${pct}.h5`);
      writeFileSync(p, bytes.subarray(0, Math.floor((bytes.length * pct) / 100)));
      return p;
    });
    files[kind] = { path, truth: JSON.parse(w.stdout) as Truth, cuts };
  }
});

after(() => tmp?.cleanup());

function assertWritten(groups: GroupReport[], truth: Truth, where: string): void {
  for (const g of groups) {
    const want = truth[g.key];
    assert.ok(want, `${where}: ${g.key} recovered, but no group of that name was written`);
    assert.deepEqual(Array.from(g.record!.layout), want.layout, `${where}: ${g.key}: layout is not what was written under that name`);
    assert.equal(g.record!.aepGWh, want.aep, `${where}: ${g.key}: aep`);
  }
}

test("a cut file whose attributes disagree with its names: no group under its attribute key, every taken group as written", async () => {
  const { truth, cuts } = files.messy;
  const results = await deepSalvage(cuts);
  let refused = 0;
  for (const [i, r] of results.entries()) {
    assertWritten(r.groups, truth, cuts[i]);
    assert.equal(r.keyFromAttributes.length, 0, `${cuts[i]}: named by untrusted attributes: ${r.keyFromAttributes.join(", ")}`);
    refused += r.untrustedKeys;
  }
  // Below 88 % the name heap is gone: the groups are there, reported, not taken.
  assert.ok(refused > 0, "groups with data but no trustworthy name are reported");
  assert.ok(results[8].groups.length > 0, "at 90 % the names survive and the groups come back under them");
});

test("recover over the messy cuts, and a tidy writer's file from another directory: messy groups never take a key from their attributes", async () => {
  // The messy cut at 90 % shows disagreement, which vetoes attribute keys in its directory;
  // the tidy file agrees with its names, but speaks only for its own directory.
  const out = join(tmp.dir, "rec-messy.h5");
  const rep = await recover([...files.messy.cuts, files.tidy.path], out);
  const [got] = rep.recovered > 0 ? await inspectFiles([out], { withRecords: true }) : [{ groups: [] as GroupReport[] }];
  assertWritten(got.groups, { ...files.messy.truth, ...files.tidy.truth }, out);
  assert.equal(rep.files.reduce((a, f) => a + f.keyFromAttributes.length, 0), 0);
  assert.ok(rep.files.some((f) => f.errors.some((e) => /not taken: this writer's key attributes are not shown to match/.test(e))), "the refusal is reported");
  assert.ok(rep.files.some((f) => (f.attributeKeysRefused ?? 0) > 0), "and counted (attribute_keys_refused in --json)");
});

test("a tidy writer's cuts beside a file read by name: groups come back under their attribute keys, as written, ≥ 90 % of those before the cut", async () => {
  const { path, truth, cuts } = files.tidy;
  const alone = await deepSalvage([cuts[4]]);
  assert.equal(alone[0].groups.length, 0, "alone, a cut file shows nothing about its writer's attributes: nothing named by them");
  assert.ok(alone[0].untrustedKeys > 0);

  const out = join(tmp.dir, "rec-tidy.h5");
  const rep = await recover([...cuts.slice(0, 8), path], out);
  const [got] = await inspectFiles([out], { withRecords: true });
  assertWritten(got.groups, truth, out);
  assert.equal(rep.conflicts.length, 0);
  const bytes = new Uint8Array(readFileSync(path));
  const scan = scanHdf5(bytes, { baseAddress: 0, sizeOfOffsets: 8, sizeOfLengths: 8 });
  for (const [i, pct] of CUTS.slice(0, 8).entries()) {
    const cut = Math.floor((bytes.length * pct) / 100);
    const before = scan.groups.filter((g) => g.name && truth[g.name] && g.coreEnd <= cut).length;
    const f = rep.files.find((x) => x.path === cuts[i])!;
    assert.ok(f.deepSalvaged >= Math.ceil(0.9 * before), `cut ${pct} %: ${f.deepSalvaged} of the ${before} groups before the cut`);
    assert.equal(f.keyFromAttributes.length, f.deepSalvaged, `cut ${pct} %: named by attributes, the name heap being past the cut`);
  }
});
