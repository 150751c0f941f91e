// Recover is about data, not tidiness: worker files of the Python tool whose groups carry
// attributes that disagree with the group name, are missing, extra or differently typed, or
// an `aep` of shape () or (1,), are recovered in full under their group names, with the
// clashing attributes kept as original_<name> and each group reported as "metadata".
// h5py writes them; recover must get back every group h5py reads, with identical data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, python, tempDir } from "./helpers.js";
import { readOutput } from "../batch/helpers.js";

const WRITE = String.raw`
import sys, json, h5py, numpy as np
path = sys.argv[1]
rng = np.random.RandomState(7)
f = h5py.File(path, "w")
f.create_dataset("init", data=np.array([0, 1], dtype="<i8"))
cases = {
  "farm10_t0_s0": lambda g: (g.attrs.__setitem__("farm_idx", np.int64(0)), g.attrs.__setitem__("type_idx", np.int64(0)), g.attrs.__setitem__("ss_seed", np.int64(0))),
  "farm1_t1_s2":  lambda g: None,
  "farm2_t0_s3":  lambda g: (g.attrs.__setitem__("farm_idx", np.float64(2.0)), g.attrs.__setitem__("ss_seed", np.float64(3.0))),
  "farm3_t0_s1":  lambda g: (g.attrs.__setitem__("farm_idx", b"3"), g.attrs.__setitem__("turbine_type", b"iea37_3.35mw"), g.attrs.__setitem__("farm_name", "coastal")),
  "farm4_t1_s4":  lambda g: (g.attrs.__setitem__("n_turbines", np.int64(99)), g.attrs.__setitem__("grid_size", np.float64(18.0)), g.attrs.__setitem__("random_pct", np.int64(30)), g.attrs.__setitem__("extra_note", "hand-edited")),
  "farm5_t0_s5":  lambda g: g.attrs.__setitem__("ss_seed", np.int32(5)),
}
truth = {}
for k, (key, extra) in enumerate(cases.items()):
    n = 4 + k
    layout = (rng.rand(2, n) - 0.5) * 2000.0
    aep = 300.0 + rng.rand() * 100.0
    g = f.create_group(key)
    g.create_dataset("layout", data=layout, dtype="<f8")
    # aep of shape () for most, (1,) for two: the Python tool wrote both over its versions.
    g.create_dataset("aep", data=(np.array([aep]) if k % 3 == 1 else np.float64(aep)), dtype="<f8")
    extra(g)
    truth[key] = {"layout": layout.ravel().tolist(), "aep": aep}
f.close()
h = h5py.File(path, "r")
readable = sorted(k for k in h.keys() if k.startswith("farm") and "layout" in h[k] and "aep" in h[k])
print(json.dumps({"truth": truth, "h5py_reads": readable}))
`;

test("recover ⊇ every group h5py reads from a worker file with messy metadata, identical data, each warned as metadata", { timeout: 120_000 }, (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const src = join(dir, "worker_0.h5");
  const w = python(WRITE, [src]);
  assert.equal(w.status, 0, w.stderr);
  const { truth, h5py_reads } = JSON.parse(w.stdout) as { truth: Record<string, { layout: number[]; aep: number }>; h5py_reads: string[] };
  assert.equal(h5py_reads.length, 6);

  const v = cli(["validate", src, "--json"]);
  const vj = JSON.parse(v.stdout) as { files: { status: string; groups_ok: number; groups_bad: number; groups_metadata: number; warnings: string[] }[] };
  assert.equal(vj.files[0].groups_bad, 0, v.stdout);
  assert.equal(vj.files[0].groups_ok, 6);
  assert.equal(vj.files[0].status, "metadata");
  assert.equal(vj.files[0].groups_metadata, 4, "farm10 (disagreeing), farm2 (float ids), farm3 (bytes id), farm4 (n_turbines 99), farm5 (int32 seed) — farm1 has none and farm5's int32 reads as int64");
  assert.ok(vj.files[0].warnings.some((m) => /farm10_t0_s0: .*farm_idx = 0 disagrees with the group name/.test(m)), vj.files[0].warnings.join("\n"));

  const out = join(dir, "recovered.h5");
  const r = cli(["recover", src, "--out", out, "--json"]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const rj = JSON.parse(r.stdout) as { recovered: number; files: { status: string; salvaged: number; lost: number; metadata: number; warnings: string[] }[] };
  assert.equal(rj.recovered, 6);
  assert.equal(rj.files[0].lost, 0);
  assert.equal(rj.files[0].metadata, vj.files[0].groups_metadata);
  assert.equal(rj.files[0].warnings.length, rj.files[0].metadata);
  return readOutput(out).then((o) => {
    assert.equal(o.status, "ok", o.errors.join("\n"));
    const byKey = new Map(o.groups.map((g) => [g.key, g.record!]));
    assert.deepEqual([...byKey.keys()].sort(), [...h5py_reads].sort(), "recover ⊇ h5py, under the group names");
    for (const [key, want] of Object.entries(truth)) {
      const got = byKey.get(key)!;
      assert.deepEqual([...got.layout], want.layout, `${key}: layout identical`);
      assert.equal(got.aepGWh, want.aep, `${key}: aep identical`);
    }
    // The clashing attributes survive under original_<name>; the ids come from the group name.
    const f10 = byKey.get("farm10_t0_s0")!.attrs;
    assert.equal(Number(f10.farm_idx), 10);
    assert.equal(Number(f10.original_farm_idx), 0);
    const f4 = byKey.get("farm4_t1_s4")!.attrs;
    assert.equal(Number(f4.n_turbines), 8);
    assert.equal(Number(f4.original_n_turbines), 99);
    assert.equal(f4.extra_note, "hand-edited");
    assert.equal(byKey.get("farm3_t0_s1")!.attrs.farm_name, "coastal");
  });
});

test("the same result in a tidy file and in a file with messy metadata is one result, written with the tidy attributes", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const code = String.raw`
import sys, h5py, numpy as np
rng = np.random.RandomState(3)
layout = (rng.rand(2, 5) - 0.5) * 2000.0
aep = 333.25
for path, fid in ((sys.argv[1], 7), (sys.argv[2], 0)):
    f = h5py.File(path, "w")
    g = f.create_group("farm7_t0_s1")
    g.create_dataset("layout", data=layout, dtype="<f8")
    g.create_dataset("aep", data=np.float64(aep), dtype="<f8")
    g.attrs["farm_idx"] = np.int64(fid)
    g.attrs["type_idx"] = np.int64(0)
    g.attrs["ss_seed"] = np.int64(1)
    f.close()
`;
  const tidy = join(dir, "worker_0.h5"), messy = join(dir, "worker_1.h5");
  const w = python(code, [tidy, messy]);
  assert.equal(w.status, 0, w.stderr);
  const out = join(dir, "out.h5");
  const r = cli(["recover", messy, tidy, "--out", out, "--json"]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const rj = JSON.parse(r.stdout) as { recovered: number; conflicts: unknown[]; duplicates: number };
  assert.equal(rj.recovered, 1);
  assert.deepEqual(rj.conflicts, [], "same data is no conflict");
  assert.equal(rj.duplicates, 1);
  const o = await readOutput(out);
  const attrs = o.groups[0].record!.attrs;
  assert.equal(Number(attrs.farm_idx), 7);
  assert.equal(attrs.original_farm_idx, undefined, "the tidy copy's attributes were written");
});

// Other tools write the same numbers in other forms: h5py's float32, metres rounded to int64,
// a layout of one row per turbine (n, 2) as pandas or np.column_stack give it. Each is read
// exactly as wflo's float64 (2, n) and warned; a NaN AEP (an evaluation that crashed, written
// anyway) is no result and is refused by name rather than poisoning every statistic.
test("datasets in another tool's form (float32, int64, (n, 2)) are recovered exactly and warned; a NaN AEP is refused", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const code = String.raw`
import sys, json, h5py, numpy as np
rng = np.random.RandomState(11)
f = h5py.File(sys.argv[1], "w")
truth = {}
def group(key, layout, aep, aep_dtype="<f8"):
    g = f.create_group(key)
    g.create_dataset("layout", data=layout)
    g.create_dataset("aep", data=np.array(aep, dtype=aep_dtype))
    g.attrs["farm_idx"] = np.int64(0); g.attrs["type_idx"] = np.int64(0); g.attrs["ss_seed"] = np.int64(int(key[-1]))
lay = ((rng.rand(2, 6) - 0.5) * 2000.0)
l32 = lay.astype("<f4"); group("farm0_t0_s0", l32, 401.5)
truth["farm0_t0_s0"] = l32.astype("<f8").ravel().tolist()
group("farm0_t0_s1", lay.T.copy(), 402.5)
truth["farm0_t0_s1"] = lay.ravel().tolist()
lint = np.rint(lay).astype("<i8"); group("farm0_t0_s2", lint, np.float32(403.25), "<f4")
truth["farm0_t0_s2"] = lint.astype("<f8").ravel().tolist()
group("farm0_t0_s3", lay, np.nan)
f.close()
print(json.dumps(truth))
`;
  const src = join(dir, "worker_0.h5");
  const w = python(code, [src]);
  assert.equal(w.status, 0, w.stderr);
  const truth = JSON.parse(w.stdout) as Record<string, number[]>;
  const out = join(dir, "recovered.h5");
  const r = cli(["recover", src, "--out", out, "--json"]);
  const rj = JSON.parse(r.stdout) as { recovered: number; files: { lost: number; metadata: number; warnings: string[]; errors: string[] }[] };
  assert.equal(rj.recovered, 3, r.stdout);
  assert.equal(rj.files[0].metadata, 3);
  const warn = rj.files[0].warnings.join("\n");
  assert.match(warn, /farm0_t0_s0: recovered; datasets in another form \(read exactly\): \/layout is float32: read exactly as float64/);
  assert.match(warn, /farm0_t0_s1: .*\/layout has shape \(6, 2\), one row per turbine: read as \(2, 6\)/);
  assert.match(warn, /farm0_t0_s2: .*\/layout is int64.*\/aep is float32/);
  assert.equal(rj.files[0].lost, 1);
  assert.match(rj.files[0].errors.join("\n"), /farm0_t0_s3 lost \(schema-error\): .*aep is NaN: not a result/);
  const o = await readOutput(out);
  assert.equal(o.status, "ok", o.errors.join("\n"));
  const byKey = new Map(o.groups.map((g) => [g.key, g.record!]));
  for (const [key, want] of Object.entries(truth)) assert.deepEqual([...byKey.get(key)!.layout], want, `${key}: layout exact`);
  assert.equal(byKey.get("farm0_t0_s2")!.aepGWh, 403.25);
});
