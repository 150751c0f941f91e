import { test } from "node:test";
import assert from "node:assert/strict";
import {
  builtinSite, degrees360, flowCaseProbabilities, sectorIndex, uniformSite, wdBinWidthDeg, wsBinEdges,
} from "../../src/physics/index.js";
import { assertAllClose, assertClose, reference } from "./helpers.js";

// Hornsrev1Site() probabilities from PyWake: pywake_hornsrev1_iea37.json hornsrev1.*
const hr = reference("pywake_hornsrev1_iea37.json").hornsrev1;
const site = builtinSite("hornsrev1");
const P = flowCaseProbabilities(site, site.defaultWdDeg, site.defaultWs);
const K = 23;

test("Horns Rev 1 site: P(wd, ws) rows, per-direction sums and the total (not renormalized)", () => {
  const row = (l: number) => P.subarray(l * K, l * K + K);
  assertAllClose(row(0), hr.P_ilk_wd0_ws3to25, 1e-9, "P_ilk_wd0_ws3to25");
  assertAllClose(row(15), hr.P_ilk_wd15_ws3to25, 1e-9, "P_ilk_wd15_ws3to25 (tie goes to 0°)");
  assertAllClose(row(16), hr.P_ilk_wd16_ws3to25, 1e-9, "P_ilk_wd16_ws3to25");
  const perWd = Array.from({ length: 360 }, (_, l) => row(l).reduce((a, b) => a + b, 0));
  assertAllClose(perWd, hr.P_sum_over_ws_per_wd, 1e-9, "P_sum_over_ws_per_wd");
  assertClose(perWd.reduce((a, b) => a + b, 0), hr.P_wd_ws_total, 1e-9, "P_wd_ws_total");
  const { lower, upper } = wsBinEdges(site.defaultWs);
  assertAllClose(lower, hr.ws_lower, 1e-12, "ws_lower");
  assertAllClose(upper, hr.ws_upper, 1e-12, "ws_upper");
});

test("sector assignment: nearest centre, ties to the smaller centre angle, wrapping at 360°", () => {
  assert.deepEqual([0, 14, 15, 16, 44, 45, 46, 344, 345, 346, 359, 360, -1].map((w) => sectorIndex(w, 12)),
    [0, 0, 0, 1, 1, 1, 2, 11, 11, 0, 0, 0, 0]);
  assert.equal(sectorIndex(11.25, 16), 0);
  assert.equal(sectorIndex(11.26, 16), 1);
  assert.equal(sectorIndex(349, 16), 0);
});

test("uniform site: a direction bin carries its sector's frequency scaled by bin width / sector width", () => {
  const rose = builtinSite("iea37");
  const p16 = flowCaseProbabilities(rose, rose.defaultWdDeg, rose.defaultWs);
  assertAllClose(p16, rose.sectorFreq, 1e-15, "16 directions: P = freq");
  const p360 = flowCaseProbabilities(rose, degrees360(), [9.8]);
  assert.equal(p360[0], rose.sectorFreq[0] / 22.5);
  assert.equal(p360[12], rose.sectorFreq[1] / 22.5); // 12° is nearer 22.5° than 0°
  // sectors hold 22 or 23 whole degrees, so the 360 bins sum to Σ f_s·count_s/22.5, not exactly 1
  const counts = new Array(16).fill(0);
  for (let w = 0; w < 360; w++) counts[Math.round(w / 22.5) % 16]++;
  const expected = counts.reduce((a, c, s) => a + (rose.sectorFreq[s] * c) / 22.5, 0);
  assertClose(p360.reduce((a, b) => a + b, 0), expected, 1e-12, "sum over 360 bins");
  const two = uniformSite({ sectorFreq: [0.25, 0.75], ws: [8, 10], wdDeg: [0, 180] });
  assert.deepEqual(Array.from(flowCaseProbabilities(two, two.defaultWdDeg, two.defaultWs)), [0.25, 0.25, 0.75, 0.75]);
  assert.equal(wdBinWidthDeg([0, 90, 180, 270]), 90);
  assert.equal(wdBinWidthDeg([0, 10, 30]), 120);
  assert.equal(wdBinWidthDeg([270]), 360);
});

// A rose in percent (Excel, or a site report's table) sums to 100. Nothing is renormalised
// (IEA 37 case studies 3/4 sum to 0.9999 and are used as given), so it would give an AEP 100
// times too large without a word; it is refused naming the file and field, before any work.
test("frequencies or speed probabilities summing to more than 1 (percent) are refused, naming file and field", async () => {
  const { parseCase, tableSiteFromCsv, tableSiteFromIea37Yaml, tableSite, weibullSite, InputError } = await import("../../src/internal.js");
  const refuses = (f: () => unknown, file: string | undefined, field: string, what: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof InputError && e.file === file && e.field === field && what.test(e.message) && /divide them by 100/.test(e.message));
  const base = { turbine: "IEA37_3.35MW", layout: "iea37-16", model: { preset: "IEA37CaseStudy1" } };
  const caseOf = (site: unknown) => () => parseCase({ ...base, site }, { file: "c.json" });
  refuses(caseOf({ type: "uniform", p_wd: [25, 25, 25, 25], ws: [9.8] }), "c.json", "site.p_wd", /sector frequencies sum to 100,/);
  refuses(caseOf({ type: "weibull", sector_freq: [50, 50], weibull_A: [9, 9], weibull_k: [2, 2] }), "c.json", "site.sector_freq", /sum to 100,/);
  refuses(caseOf({ type: "table", wd: [0, 180], p_wd: [50, 50], ws: [8], p_ws: [[1], [1]] }), "c.json", "site.p_wd", /direction frequencies/);
  refuses(caseOf({ type: "table", wd: [0, 180], p_wd: [0.5, 0.5], ws: [8, 10], p_ws: [[0.5, 0.5], [50, 50]] }), "c.json", "site.p_ws[1]", /direction 180°/);
  const head = "direction_deg,direction_frequency,speed_mps,speed_probability_given_direction\n";
  refuses(() => tableSiteFromCsv(`${head}0,50,8,1\n180,50,8,1\n`, "r.csv"), "r.csv", "direction_frequency", /sum to 100,/);
  refuses(() => tableSiteFromCsv(`${head}0,0.5,8,1\n180,0.5,8,60\n180,0.5,9,40\n`, "r.csv"), "r.csv", "line 3", /direction 180°/);
  const yaml = (f: string, p: string) => `definitions:\n  wind_inflow:\n    properties:\n      direction: {bins: [0, 180], frequency: ${f}}\n      speed: {bins: [8, 10], frequency: ${p}}\n`;
  refuses(() => tableSiteFromIea37Yaml(yaml("[50, 50]", "[[0.5, 0.5], [0.5, 0.5]]"), "r.yaml"), "r.yaml", "definitions.wind_inflow.properties.direction.frequency", /sum to 100,/);
  refuses(() => tableSiteFromIea37Yaml(yaml("[0.5, 0.5]", "[50, 50]"), "r.yaml"), "r.yaml", "definitions.wind_inflow.properties.speed.frequency", /sum to 100,/);
  // What rounding leaves is used as given: 0.9999 (the case studies), 1.006 (12 sectors to 3 decimals).
  assert.equal(weibullSite({ sectorFreq: [0.503, 0.503], weibullA: [9, 9], weibullK: [2, 2] }).sectorFreq[0], 0.503);
  assert.equal(tableSite({ wdDeg: [0, 180], freq: [0.49995, 0.49995], rows: [{ ws: [8], p: [1] }, { ws: [8], p: [1.004] }] }).sectorFreq[1], 0.49995);
  assert.ok(builtinSite("iea37-cs4"), "the built-in roses pass");
  // IEA 37's 16 sectors exported on 72 directions (PyWake's rule: bin width / sector width) sum
  // to 1.014, and pass as a table
  const iea = builtinSite("iea37");
  const wd = Float64Array.from({ length: 72 }, (_, i) => i * 5);
  const pWd = flowCaseProbabilities(iea, wd, [9.8]);
  const sum = pWd.reduce((a, b) => a + b, 0);
  assert.ok(sum > 1.014, `the exported rose sums to ${sum}`);
  assert.ok(parseCase({ ...base, site: { type: "table", wd: Array.from(wd), p_wd: Array.from(pWd), ws: [9.8], p_ws: Array.from(wd, () => [1]) } }, { file: "c.json" }));
});

test("a wind-rose CSV saved by numpy's savetxt (its header as a '# …' line) reads as with a plain header; numbers with no header are refused", async () => {
  const { tableSiteFromCsv, InputError } = await import("../../src/internal.js");
  const cols = "direction_deg,direction_frequency,speed_mps,speed_probability_given_direction";
  const rows = "0,0.5,8,0.25\n0,0.5,10,0.75\n180,0.5,9,1\n";
  const plain = tableSiteFromCsv(`${cols}\n${rows}`, "r.csv");
  const numpy = tableSiteFromCsv(`# ${cols}\n${rows}`, "r.csv");
  assert.deepEqual(numpy, plain);
  for (const text of [rows, `# exported by a tool\n${rows}`]) {
    assert.throws(() => tableSiteFromCsv(text, "r.csv"),
      (e: unknown) => e instanceof InputError && e.file === "r.csv" && /has no header: its first row is numbers .*; add the line direction_deg,/.test(e.message));
  }
});

test("a Weibull sector CSV as a case's site (data/hornsrev1_site_weibull.csv) is the built-in Horns Rev 1 site: the same AEP; sector centres must be evenly spaced", async () => {
  const { parseCase, siteFromCsv, InputError, aepGWh } = await import("../../src/internal.js");
  const { readFileSync } = await import("node:fs");
  const { refPath } = await import("./helpers.js");
  const csv = readFileSync(refPath("data/hornsrev1_site_weibull.csv"), "utf8");
  const base = { turbine: "V80", layout: "hornsrev1", model: { deficit: "BastankhahGaussian" } };
  const fromFile = parseCase({ ...base, site: "hr.csv" }, { file: "c.json", readText: () => csv });
  const builtin = parseCase({ ...base, site: "hornsrev1" }, { file: "c.json" });
  assert.equal(fromFile.model.site.kind, "weibull");
  assert.equal(aepGWh(fromFile.model, fromFile.layout.x, fromFile.layout.y), aepGWh(builtin.model, builtin.layout.x, builtin.layout.y));
  // Sectors out of order (or not centred at i·360/n) are refused: the file's row order is the sector.
  const rows = csv.trim().split("\n");
  const swapped = [rows[0], rows[2], rows[1], ...rows.slice(3)].join("\n");
  assert.throws(() => siteFromCsv(swapped, "hr.csv"), (e: unknown) => e instanceof InputError && /line 2: sector_center_deg is 30, but sector 0 of 12 is centred at 0°/.test(e.message));
  assert.throws(() => siteFromCsv("sector_center_deg,Weibull_A,Weibull_k\n0,9,2\n", "w.csv"), /has Weibull A and k but no sector_frequency column/);
});
