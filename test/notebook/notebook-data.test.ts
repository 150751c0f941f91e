// The small inputs notebooks/ reads from notebooks/data/: the PyWake reference extract that
// 03-wakes verifies wflo against must equal ../shared/reference/pywake_models2.json (so the
// notebook's "≤ 1e-9" is a statement about the project's reference, not about a private copy),
// and the Horns Rev 1 measurement file keeps its source note and its ten rows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../scripts/notebook-env.mjs";
import { prepareWorkdir } from "../../scripts/run-notebooks.mjs";

const dataDir = join(repoRoot, "notebooks", "data");

test("data/pywake_models2_extract.json equals the reference file ../shared/reference/pywake_models2.json, variant by variant", () => {
  const ref = JSON.parse(readFileSync(join(repoRoot, "..", "shared", "reference", "pywake_models2.json"), "utf8"));
  const ex = JSON.parse(readFileSync(join(dataDir, "pywake_models2_extract.json"), "utf8"));
  assert.equal(ex.py_wake_version, ref.meta.py_wake_version);
  assert.deepEqual(Object.keys(ex.models).sort(), Object.keys(ref.models).sort());
  for (const [name, v] of Object.entries(ref.models) as [string, Record<string, unknown> & { wt: { name: string } }][]) {
    const e = ex.models[name];
    assert.equal(e.call, v.call, name);
    assert.equal(e.wt, v.wt.name, name);
    assert.deepEqual(e.layouts, v.layouts, `${name} layouts`);
    assert.deepEqual(e.flow_cases, v.flow_cases, `${name} flow cases`);
    assert.deepEqual(e.aep, v.aep, `${name} AEP`);
  }
});

test("data/hornsrev1_wd270_inner_rows.csv: its source note and ten measured rows", () => {
  const text = readFileSync(join(dataDir, "hornsrev1_wd270_inner_rows.csv"), "utf8");
  assert.match(text, /Hornsrev1_WFdata_wd270_InnerRowMean\.dat/);
  assert.match(text, /1480e56dfee7de647a03224c5f5578c288f89cec/);
  const rows = text.split("\n").filter((l) => l && !l.startsWith("#"));
  assert.equal(rows[0], "row,p_mean_over_p_g2,p_std_over_p_g2,n_samples");
  const data = rows.slice(1).map((l) => l.split(",").map(Number));
  assert.deepEqual(data.map((r) => r[0]), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const r of data) assert.ok(r.length === 4 && r.every(Number.isFinite) && r[3] > 0, `row ${r[0]}`);
});

test("the notebook runner's work folder links notebooks/data beside the notebook copies", (t) => {
  const base: string = prepareWorkdir([]);
  t.after(() => rmSync(base, { recursive: true, force: true }));
  assert.ok(existsSync(join(base, "notebooks", "data", "hornsrev1_wd270_inner_rows.csv")));
});
