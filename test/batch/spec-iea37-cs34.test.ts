// IEA 37 case studies 3/4 in batch specs: built-in site, turbine and boundary names; a wind-rose
// file read relative to the spec and inlined as a table, so workers never read it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../src/errors.js";
import { buildBoundary, buildModel, parseBatchSpec, readBatchSpec } from "../../src/batch/index.js";
import { aepGWh, builtinLayout } from "../../src/physics/index.js";
import { reference, refPath } from "../physics/helpers.js";

// ../shared/reference/data/iea37_cs34/iea37_cs34_reference.json baseline.cs3.recomputed_aep_MWh
const CS3_MWH = reference("data/iea37_cs34/iea37_cs34_reference.json").baseline.cs3.recomputed_aep_MWh;

const spec = (site: unknown) => ({
  site, model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_10MW"],
  farms: [{ name: "cs4", boundary: { builtin: "iea37-cs4" }, n_turbines: 81, min_spacing_m: 396 }],
  seeds: 1, grid_size: 18, random_pct: 30,
});

test("batch spec: built-in iea37-cs3 site, IEA37_10MW, {builtin: iea37-cs4} boundary", () => {
  const s = parseBatchSpec(spec("iea37-cs3"));
  const m = buildModel(s, 0);
  const l = builtinLayout("iea37-cs3-baseline");
  assert.ok(Math.abs(aepGWh(m, l.x, l.y) * 1e3 - CS3_MWH) / CS3_MWH < 1e-9);
  const b = buildBoundary(s, 0);
  assert.equal(b.kind === "polygons" && b.polygons.length, 5);
});

test("batch spec: a wind-rose CSV next to the spec is inlined as a table; a bad one names the spec and site", () => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-spec-rose-"));
  try {
    copyFileSync(refPath("data/iea37_cs34/windrose_20dir.csv"), join(dir, "rose.csv"));
    writeFileSync(join(dir, "spec.json"), JSON.stringify(spec("rose.csv")));
    const s = readBatchSpec(join(dir, "spec.json"));
    assert.equal(typeof s.site, "object");
    assert.equal((s.site as { type: string }).type, "table");
    const l = builtinLayout("iea37-cs3-baseline");
    assert.ok(Math.abs(aepGWh(buildModel(s, 0), l.x, l.y) * 1e3 - CS3_MWH) / CS3_MWH < 1e-9);
    // The inlined spec parses again without any file (what a worker or a resume sees).
    const again = parseBatchSpec(JSON.parse(JSON.stringify(s)));
    assert.deepEqual(again.site, s.site);
    writeFileSync(join(dir, "bad.csv"), readFileSync(join(dir, "rose.csv"), "utf8").replace("0.0,0.0312,1.98", "0.0,0.0313,1.98"));
    writeFileSync(join(dir, "spec2.json"), JSON.stringify(spec("bad.csv")));
    assert.throws(() => readBatchSpec(join(dir, "spec2.json")),
      (e: unknown) => e instanceof InputError && e.field === "site" && /spec2\.json/.test(e.message) && /bad\.csv: line 3/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("examples/iea37-cs3.json and iea37-cs4.json: valid specs, 5 seeds each, the case studies' farms", () => {
  for (const [file, n, regions, site] of [["examples/iea37-cs3.json", 25, 1, "iea37-cs3"], ["examples/iea37-cs4.json", 81, 5, "iea37-cs4"]] as const) {
    const s = readBatchSpec(file);
    assert.equal(s.site, site);
    assert.deepEqual(s.seeds, [0, 1, 2, 3, 4]);
    assert.equal(s.farms[0].n_turbines, n);
    assert.equal(s.farms[0].min_spacing_m, 396);
    const b = buildBoundary(s, 0);
    assert.equal(b.kind === "polygons" && b.polygons.length, regions);
  }
});

test("case study 4: the batch spec and the case file carry the same optimizer section (wflo run and wflo optimize agree)", () => {
  const spec = JSON.parse(readFileSync("examples/iea37-cs4.json", "utf8")) as { optimizer?: unknown };
  const kase = JSON.parse(readFileSync("examples/cases/iea37-cs4.json", "utf8")) as { optimizer?: unknown };
  assert.ok(spec.optimizer !== undefined);
  assert.deepEqual(spec.optimizer, kase.optimizer);
});
