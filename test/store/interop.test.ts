// Interop with the Python world: h5py (in a subprocess) and h5dump read every kind of file
// wflo writes with the right dtypes, and wflo reads what h5py writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import {
  commitFailure, commitResult, inspectFile, mergeParts, partsDir, validate,
} from "../../src/store/index.js";
import { python, record, tempDir } from "./helpers.js";

// Prints, for every object in a file, its dtype/shape and, for attributes, the numpy type.
const DESCRIBE = `
import h5py, json, sys
out = {}
def visit(name, obj):
    d = {}
    if isinstance(obj, h5py.Dataset):
        d["dtype"] = str(obj.dtype); d["shape"] = list(obj.shape)
    d["attrs"] = {k: type(v).__name__ + ":" + (str(v.dtype) if hasattr(v, "dtype") else "") for k, v in obj.attrs.items()}
    out[name] = d
with h5py.File(sys.argv[1], "r") as f:
    out["/"] = {"attrs": {k: type(v).__name__ + ":" + (str(v.dtype) if hasattr(v, "dtype") else "") for k, v in f.attrs.items()}}
    f.visititems(visit)
    g = [k for k in f.keys() if k.startswith("farm")]
    if g:
        out["_aep"] = float(f[g[0]]["aep"][()])
        out["_layout"] = f[g[0]]["layout"][()].tolist()
print(json.dumps(out))
`;

function describe(path: string): Record<string, { dtype?: string; shape?: number[]; attrs: Record<string, string> }> & { _aep?: number; _layout?: number[][] } {
  const r = python(DESCRIBE, [path]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function assertResultDtypes(d: ReturnType<typeof describe>, key: string, n: number): void {
  assert.equal(d[`${key}/layout`].dtype, "float64");
  assert.deepEqual(d[`${key}/layout`].shape, [2, n]);
  assert.equal(d[`${key}/aep`].dtype, "float64");
  assert.deepEqual(d[`${key}/aep`].shape, []);
  assert.equal(d[`${key}/aep_per_turbine`].dtype, "float64");
  assert.deepEqual(d[`${key}/aep_per_turbine`].shape, [n]);
  const a = d[key].attrs;
  for (const k of ["farm_idx", "type_idx", "ss_seed", "n_turbines", "iterations"]) assert.equal(a[k], "int64:int64", k);
  for (const k of ["aep_initial", "elapsed_s", "min_spacing_m"]) assert.equal(a[k], "float64:float64", k);
  for (const k of ["wake_model", "checksum", "turbine"]) assert.equal(a[k], "str:", k);
}

test("h5py and h5dump read part files, failure parts and merged outputs with the right dtypes", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  const rec = record(5);
  await commitResult(out, rec);
  await commitFailure(out, "farm1_t0_s0", "worker ran out of memory", 3);
  const parts = partsDir(out);

  const part = describe(join(parts, "farm0_t0_s5.h5"));
  assertResultDtypes(part, "farm0_t0_s5", 4);
  assert.equal(part._aep, rec.aepGWh);
  const n = 4;
  const flat = rec.layout as Float64Array;
  assert.deepEqual(part._layout, [[...flat.subarray(0, n)], [...flat.subarray(n)]]);
  const fail = describe(join(parts, "farm1_t0_s0.failed.h5"));
  assert.equal(fail["_failed/farm1_t0_s0"].attrs.error, "str:");
  assert.equal(fail["_failed/farm1_t0_s0"].attrs.attempts, "int64:int64");

  await mergeParts(out, { root: { grid_size: 18, random_pct: 30, total_configs: 2, spec_json: "{}" } });
  const merged = describe(out);
  assertResultDtypes(merged, "farm0_t0_s5", 4);
  const root = merged["/"].attrs;
  for (const k of ["grid_size", "total_configs", "successful_configs", "failed_configs"]) assert.equal(root[k], "int64:int64", k);
  assert.equal(root.random_pct, "float64:float64");
  for (const k of ["wflo_version", "created_utc", "spec_json"]) assert.equal(root[k], "str:", k);

  // A rewrite (forced) is another writer path: check it too.
  await commitResult(out, record(6));
  await mergeParts(out, { rewrite: true });
  assertResultDtypes(describe(out), "farm0_t0_s6", 4);

  const dump = spawnSync("h5dump", ["-H", out], { encoding: "utf8" });
  assert.equal(dump.status, 0, dump.stderr);
  assert.match(dump.stdout, /DATASET "layout" \{\s*DATATYPE\s+H5T_IEEE_F64LE\s*DATASPACE\s+SIMPLE \{ \( 2, 4 \) \/ \( 2, 4 \) \}/);
  assert.match(dump.stdout, /DATASET "aep" \{\s*DATATYPE\s+H5T_IEEE_F64LE\s*DATASPACE\s+SCALAR/);
  assert.match(dump.stdout, /ATTRIBUTE "ss_seed" \{\s*DATATYPE\s+H5T_STD_I64LE/);
  assert.match(dump.stdout, /ATTRIBUTE "checksum" \{\s*DATATYPE\s+H5T_STRING \{[^}]*CSET H5T_CSET_UTF8/);
  assert.doesNotMatch(dump.stdout, /H5T_IEEE_F32LE|H5T_STD_I32LE/);
  const values = spawnSync("h5dump", ["-d", "/farm0_t0_s5/aep", out], { encoding: "utf8" });
  assert.match(values.stdout, new RegExp(`\\(0\\): ${rec.aepGWh}`));
});

test("wflo reads files written by h5py: the Python tool's layouts.h5 and worker files", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const layouts = join(dir, "layouts.h5");
  const worker = join(dir, "worker_0.h5");
  const r = python(`
import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["grid_size"] = 18; f.attrs["random_pct"] = 30; f.attrs["total_configs"] = 3; f.attrs["successful_configs"] = 2
    for s in (0, 1):
        g = f.create_group(f"farm0_t1_s{s}")
        g.create_dataset("layout", data=np.array([[0.0, 300.0, 600.0], [0.0, 10.0 * s, 20.0]]))
        g.create_dataset("aep", data=np.float64(101.5 + s))
        g.create_dataset("aep_per_turbine", data=np.array([33.0, 34.0, 34.5 + s]))
        g.attrs["farm_idx"] = 0; g.attrs["type_idx"] = 1; g.attrs["ss_seed"] = s; g.attrs["n_turbines"] = 3
        g.attrs["wake_model"] = "BastankhahGaussian"; g.attrs["aep_initial"] = 99.0; g.attrs["boundary"] = np.zeros((4, 2)); g.attrs["converged"] = True
with h5py.File(sys.argv[2], "w") as f:
    f.create_dataset("init", data=np.zeros(1))
    g = f.create_group("farm2_t0_s7")
    g.create_dataset("layout", data=np.ones((2, 5)))
    g.create_dataset("aep", data=np.float64(55.0))
    g.attrs["farm_idx"] = 2; g.attrs["type_idx"] = 0; g.attrs["ss_seed"] = 7
`, [layouts, worker]);
  assert.equal(r.status, 0, r.stderr);

  const rep = await inspectFile(layouts, { withRecords: true });
  assert.equal(rep.status, "no-checksum");
  assert.equal(rep.kind, "python-layouts");
  assert.equal(rep.root.grid_size, 18);
  assert.equal(rep.root.random_pct, 30); // int64 in the file, read as the schema's number
  assert.deepEqual(rep.groups.map((g) => [g.key, g.status]), [["farm0_t1_s0", "no-checksum"], ["farm0_t1_s1", "no-checksum"]]);
  const g1 = rep.groups[1].record!;
  assert.deepEqual([...g1.layout], [0, 300, 600, 0, 10, 20]);
  assert.equal(g1.aepGWh, 102.5);
  assert.equal(g1.attrs.n_turbines, 3);
  assert.equal(g1.attrs.wake_model, "BastankhahGaussian");
  assert.ok(rep.notes.some((n) => /attribute boundary .*not carried over/.test(n)), rep.notes.join("\n"));

  const w = await inspectFile(worker, { withRecords: true });
  assert.equal(w.kind, "python-worker");
  assert.equal(w.status, "no-checksum");
  assert.equal(w.groups[0].record!.aepGWh, 55);

  const v = await validate(dir);
  assert.equal(v.ok, true);
  assert.equal(v.results, 3);

  // A Python output can be the base of a wflo merge: new results are appended, old ones kept.
  await commitResult(layouts, record(2, { type: 1 }));
  const m = await mergeParts(layouts);
  assert.equal(m.mode, "append");
  assert.equal(m.results, 3);
  const after = await inspectFile(layouts);
  assert.deepEqual(after.groups.map((g) => g.status), ["no-checksum", "no-checksum", "ok"]);
  assert.deepEqual(readdirSync(partsDir(layouts)), []);
});

test("h5py reads layout_initial (2, n) and aep_history (m,) as float64 with wflo's values, in parts and merged outputs", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  const rec = record(8);
  const n = 4;
  rec.layoutInitial = (rec.layout as Float64Array).map((v, i) => v + 7.5 - i);
  rec.aepHistoryGWh = Float64Array.from([38.125, 39.5, 40.0625, 40.25, 40.3125]);
  await commitResult(out, rec);
  const check = (d: ReturnType<typeof describe>) => {
    assertResultDtypes(d, "farm0_t0_s8", n);
    assert.equal(d["farm0_t0_s8/layout_initial"].dtype, "float64");
    assert.deepEqual(d["farm0_t0_s8/layout_initial"].shape, [2, n]);
    assert.equal(d["farm0_t0_s8/aep_history"].dtype, "float64");
    assert.deepEqual(d["farm0_t0_s8/aep_history"].shape, [5]);
  };
  check(describe(join(partsDir(out), "farm0_t0_s8.h5")));
  // merge copies the records into a new file: they must come through it.
  await mergeParts(out, { root: { grid_size: 18, random_pct: 30, total_configs: 1, spec_json: "{}" } });
  check(describe(out));
  const r = python(`
import h5py, json, sys
with h5py.File(sys.argv[1], "r") as f:
    g = f["farm0_t0_s8"]
    print(json.dumps({"initial": g["layout_initial"][()].tolist(), "history": g["aep_history"][()].tolist()}))
`, [out]);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { initial: number[][]; history: number[] };
  const init = rec.layoutInitial as Float64Array;
  assert.deepEqual(got.initial, [[...init.subarray(0, n)], [...init.subarray(n)]]);
  assert.deepEqual(got.history, [...rec.aepHistoryGWh]);
});
