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
