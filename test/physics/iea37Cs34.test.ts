// IEA 37 case studies 3 and 4: the wind-rose table site (built in, and read as is from the
// case study's YAML and the reference CSV), the 10 MW turbine, the organisers' baselines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  aepGWh, builtinLayout, builtinSite, builtinTurbine, deficitModel, flowCaseProbabilities, InputError,
  parseCase, parseSite, simulate, tableSiteFromCsv, tableSiteFromIea37Yaml, tableSiteToDefinition, windFarmModel,
  type Site,
} from "../../src/internal.js";
import { assertAllClose, assertClose, refPath, reference } from "./helpers.js";

// ../shared/reference/data/iea37_cs34/iea37_cs34_reference.json: baselines recomputed with the
// unmodified cs3-4/iea37-aepcalc.py (total and per direction).
const REF = reference("data/iea37_cs34/iea37_cs34_reference.json");
const text = (p: string) => readFileSync(refPath(`data/iea37_cs34/${p}`), "utf8");

function model(site: Site) {
  return windFarmModel({ site, turbine: builtinTurbine("IEA37_10MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian") });
}
const aepMWh = (site: Site, layout: "iea37-cs3-baseline" | "iea37-cs4-baseline") => {
  const l = builtinLayout(layout);
  return aepGWh(model(site), l.x, l.y) * 1e3;
};

test("case study 3 baseline on the 20 × 20 rose: baseline.cs3.recomputed_aep_MWh to 1e-9", () => {
  assertClose(aepMWh(builtinSite("iea37-cs3"), "iea37-cs3-baseline"), REF.baseline.cs3.recomputed_aep_MWh, 1e-9, "cs3");
  assert.equal(REF.baseline.cs3.recomputed_aep_MWh, 938573.6295);
});

test("case study 4 baseline: 20 directions (baseline.cs4.recomputed_aep_MWh) and 360 (recomputed_aep_MWh_360dir) to 1e-9", () => {
  assertClose(aepMWh(builtinSite("iea37-cs3"), "iea37-cs4-baseline"), REF.baseline.cs4.recomputed_aep_MWh, 1e-9, "cs4 20 dir");
  assertClose(aepMWh(builtinSite("iea37-cs4"), "iea37-cs4-baseline"), REF.baseline.cs4.recomputed_aep_MWh_360dir, 1e-9, "cs4 360 dir");
  assert.equal(REF.baseline.cs4.recomputed_aep_MWh, 2861182.50569);
  assert.equal(REF.baseline.cs4.recomputed_aep_MWh_360dir, 2851096.41252);
});

test("per-direction AEP of both baselines: baseline.cs3/cs4.recomputed_binned_MWh (printed to 5 decimals)", () => {
  for (const [c, layout] of [["cs3", "iea37-cs3-baseline"], ["cs4", "iea37-cs4-baseline"]] as const) {
    const l = builtinLayout(layout);
    const site = builtinSite("iea37-cs3");
    const sim = simulate(model(site), l.x, l.y);
    const perWd = Array.from(sim.aepPerDirection().data, (v) => v * 1e3);
    assert.deepEqual(Array.from(site.defaultWdDeg), REF.baseline[c].binned_direction_deg);
    // 5 printed decimals on values of ~1e4–1e5 MWh: 1e-9 relative is below the last digit.
    assertAllClose(perWd, REF.baseline[c].recomputed_binned_MWh, 1e-9, `${c} per direction`);
  }
});

test("wake-free AEP of one turbine: wake_free_aep_MWh.per_turbine_20dir / _360dir", () => {
  for (const [name, ref] of [["iea37-cs3", REF.wake_free_aep_MWh.per_turbine_20dir], ["iea37-cs4", REF.wake_free_aep_MWh.per_turbine_360dir]] as const) {
    assertClose(aepGWh(model(builtinSite(name)), Float64Array.of(0), Float64Array.of(0)) * 1e3, ref, 1e-9, name);
  }
});

test("the rose's frequencies are used as given: the 20-direction rose sums to 0.9999, not renormalised", () => {
  const s = builtinSite("iea37-cs3");
  const p = flowCaseProbabilities(s, s.defaultWdDeg, s.defaultWs);
  const sum = p.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 0.9999) < 1e-9, `Σ P = ${sum}`);
});

test("iea37-windrose-cs3.yaml / -cs4.yaml read as they are give the built-in sites exactly; so do the CSVs", () => {
  const y3 = tableSiteFromIea37Yaml(text("originals/iea37-windrose-cs3.yaml"), "iea37-windrose-cs3.yaml");
  const y4 = tableSiteFromIea37Yaml(text("originals/iea37-windrose-cs4.yaml"), "iea37-windrose-cs4.yaml");
  const c3 = tableSiteFromCsv(text("windrose_20dir.csv"), "windrose_20dir.csv");
  const c4 = tableSiteFromCsv(text("windrose_360dir.csv"), "windrose_360dir.csv");
  for (const [name, a, b] of [["cs3 yaml", y3, builtinSite("iea37-cs3")], ["cs4 yaml", y4, builtinSite("iea37-cs4")], ["cs3 csv", c3, y3], ["cs4 csv", c4, y4]] as const) {
    assert.equal(a.kind, "table", name);
    assert.equal(b.kind, "table", name);
    if (a.kind !== "table" || b.kind !== "table") continue;
    assert.deepEqual(a.wdDeg, b.wdDeg, `${name} wd`);
    assert.deepEqual(a.sectorFreq, b.sectorFreq, `${name} freq`);
    assert.deepEqual(a.wsTable, b.wsTable, `${name} ws`);
    assert.deepEqual(a.pWsGivenWd, b.pWsGivenWd, `${name} p`);
  }
  assert.equal(y4.wdDeg.length, 360);
});

test("a CSV rose whose speeds differ per direction: zeros where a direction lacks a speed, AEP = Σ f·P·power by hand", () => {
  const csv = [
    "direction_deg,direction_frequency,speed_mps,speed_probability_given_direction",
    "270,0.6,8,0.5", "270,0.6,12,0.5",
    "0,0.4,6,0.25", "0,0.4,9,0.75",
  ].join("\n");
  const s = tableSiteFromCsv(csv, "r.csv");
  assert.deepEqual(Array.from(s.wdDeg), [0, 270]);
  assert.deepEqual(Array.from(s.wsTable), [6, 8, 9, 12]);
  assert.deepEqual(Array.from(s.pWsGivenWd), [0.25, 0, 0.75, 0, 0, 0.5, 0, 0.5]);
  // One turbine: no wakes, AEP = 8760 h · Σ_d f_d Σ_u P(u|d) P(u).
  const t = builtinTurbine("IEA37_10MW");
  const pw = (u: number) => (u < 4 ? 0 : u >= 11 ? 10e6 : 10e6 * ((u - 4) / 7) ** 3);
  const byHand = 8760 * (0.6 * (0.5 * pw(8) + 0.5 * pw(12)) + 0.4 * (0.25 * pw(6) + 0.75 * pw(9))) * 1e-9;
  const m = windFarmModel({ site: s, turbine: t, deficit: deficitModel("IEA37SimpleBastankhahGaussian") });
  assertClose(aepGWh(m, Float64Array.of(0), Float64Array.of(0)), byHand, 1e-14, "one turbine");
  // Two turbines in a row along x: the westerly (270°) wake reaches the eastern one only.
  const two = aepGWh(m, Float64Array.of(0, 1000), Float64Array.of(0, 0));
  assert.ok(two < 2 * byHand && two > 1.5 * byHand, `two turbines: ${two}`);
  // The object form round-trips through a case file.
  const def = tableSiteToDefinition(s);
  const back = parseSite(def, "site", "c.json");
  assert.deepEqual(back, s);
});

test("case files: built-in names, a rose file through readText, the table object; errors name the file and field", () => {
  const base = { turbine: "IEA37_10MW", layout: "iea37-cs3-baseline", model: { deficit: "IEA37SimpleBastankhahGaussian" } };
  const c = parseCase({ ...base, site: "iea37-cs3" }, "c.json");
  assertClose(aepGWh(c.model, c.layout.x, c.layout.y) * 1e3, REF.baseline.cs3.recomputed_aep_MWh, 1e-9, "built-in");
  const readText = (p: string) => text(p);
  for (const file of ["windrose_20dir.csv", "originals/iea37-windrose-cs3.yaml"]) {
    const f = parseCase({ ...base, site: file }, { file: "c.json", readText });
    assertClose(aepGWh(f.model, f.layout.x, f.layout.y) * 1e3, REF.baseline.cs3.recomputed_aep_MWh, 1e-9, file);
  }
  assert.throws(() => parseSite("nowhere.csv", "site", "c.json", () => { throw new Error("ENOENT"); }),
    (e: unknown) => e instanceof InputError && e.file === "c.json" && /cannot read "nowhere.csv"/.test(e.message));
  assert.throws(() => tableSiteFromCsv("direction_deg,direction_frequency,speed_mps\n0,1,5", "r.csv"),
    (e: unknown) => e instanceof InputError && e.file === "r.csv" && /speed_probability_given_direction/.test(e.message));
  assert.throws(() => tableSiteFromCsv("direction_deg,direction_frequency,speed_mps,speed_probability_given_direction\n0,0.5,5,1\n0,0.4,6,1", "r.csv"),
    (e: unknown) => e instanceof InputError && e.field === "line 3" && /frequency 0.4 here but 0.5 on line 2/.test(e.message));
  assert.throws(() => tableSiteFromCsv("direction_deg,direction_frequency,speed_mps,speed_probability_given_direction\n0,0.5,x,1", "r.csv"),
    (e: unknown) => e instanceof InputError && e.field === "line 2" && /speed_mps must be a number/.test(e.message));
  assert.throws(() => tableSiteFromIea37Yaml("definitions: {}", "w.yaml"),
    (e: unknown) => e instanceof InputError && e.file === "w.yaml" && e.field === "definitions.wind_inflow.properties.direction.bins");
  assert.throws(() => parseSite({ type: "table", wd: [0, 90], p_wd: [0.5, 0.5], ws: [5, 6], p_ws: [[1, 0]] }, "site", "c.json"),
    (e: unknown) => e instanceof InputError && e.file === "c.json" && /1 rows for 2 directions/.test(e.message));
  assert.throws(() => parseSite({ type: "table", wd: [0, 360], p_wd: [0.5, 0.5], ws: [5], p_ws: [[1], [1]] }, "site", "c.json"),
    /lists direction 0° twice/);
});

test("a table site on other flow cases: nearest direction scaled by bin width, speeds summed into their bins", () => {
  const s = builtinSite("iea37-cs3");
  if (s.kind !== "table") throw new Error("table");
  // 360 directions over a 20-direction rose: each 1° case carries 1/18 of its nearest direction.
  const wd = Array.from({ length: 360 }, (_, i) => i);
  const p = flowCaseProbabilities(s, wd, s.defaultWs);
  const sum = p.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 0.9999) < 1e-9, `Σ P = ${sum}`);
  assertClose(p[9 * 20 + 3], (s.sectorFreq[0] / 18) * s.pWsGivenWd[3], 1e-15, "9° → 0° (tie to the smaller)");
  assertClose(p[10 * 20 + 3], (s.sectorFreq[1] / 18) * s.pWsGivenWd[20 + 3], 1e-15, "10° → 18°");
  // Unit speed bins: every table speed lands in exactly one bin.
  const unit = Array.from({ length: 30 }, (_, k) => k + 0.5);
  const q = flowCaseProbabilities(s, s.defaultWdDeg, unit);
  assert.ok(Math.abs(q.reduce((a, b) => a + b, 0) - 0.9999) < 1e-9);
});
