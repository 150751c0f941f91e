// Plain data from physics for the figures: a site's wind rose and a farm's flow map.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  builtinSite, deficitModel, flowMapOf, iea37Turbine, windFarmModel, windRoseOf,
} from "../../src/internal.js";

test("wind rose of the IEA 37 site: its 16 sector frequencies", () => {
  const site = builtinSite("iea37");
  const rose = windRoseOf(site);
  assert.equal(rose.directionsDeg.length, 16);
  assert.equal(rose.directionsDeg[4], 90);
  assert.deepEqual(rose.frequency, Array.from(site.sectorFreq));
  assert.equal(rose.speedBins, undefined);
});

test("wind rose of Horns Rev 1: speed bins that add up to each sector's Weibull mass below 30 m/s", () => {
  const site = builtinSite("hornsrev1");
  if (site.kind !== "weibull") throw new Error("Horns Rev 1 is a Weibull site");
  const rose = windRoseOf(site, { speedEdgesMs: [0, 8, 16] });
  assert.deepEqual(rose.speedBins!.map((b) => b.label), ["0–8 m/s", "8–16 m/s", "≥ 16 m/s"]);
  for (let s = 0; s < 12; s++) {
    const sum = rose.speedBins!.reduce((a, b) => a + b.frequency[s], 0);
    const expected = site.sectorFreq[s] * (1 - Math.exp(-Math.pow(30 / site.weibullA[s], site.weibullK[s])));
    assert.ok(Math.abs(sum - expected) < 1e-12, `sector ${s}: ${sum} vs ${expected}`);
    // The first bin is the Weibull mass below 8 m/s.
    const below8 = site.sectorFreq[s] * (1 - Math.exp(-Math.pow(8 / site.weibullA[s], site.weibullK[s])));
    assert.ok(Math.abs(rose.speedBins![0].frequency[s] - below8) < 1e-12);
  }
});

test("flow map of one turbine: free stream upstream, the IEA 37 Gaussian deficit downstream", () => {
  const turbine = iea37Turbine();
  const D = turbine.diameterM;
  const model = windFarmModel({ site: builtinSite("iea37"), turbine, deficit: deficitModel("IEA37SimpleBastankhahGaussian") });
  const ws = 9;
  // Grid step D along x (-2D..8D), y at -D and +D; wind from the west blows towards +x.
  const map = flowMapOf(model, { x: [0], y: [0] }, { wdDeg: 270, ws, xRange: [-2 * D, 8 * D], yRange: [-D, D], nx: 11 });
  assert.equal(map.x.length, 11);
  assert.equal(map.y.length, 2);
  const nx = 11;
  const at = (i: number, j: number) => map.wsEffMs[j * nx + i];
  assert.equal(at(0, 0), ws, "2 D upstream: free stream");
  assert.equal(at(1, 1), ws, "1 D upstream: free stream");
  // physics.md, IEA37 simple Bastankhah Gaussian: σ = k*·dw + D/√8,
  // d = WS·(1 − √(1 − Ct/(8σ²/D²)))·exp(−½(cw/σ)²), k* = 0.0324555, Ct = 8/9.
  const ct = 8 / 9;
  for (const i of [4, 7, 10]) {
    const dw = map.x[i];
    const cw = D;
    const sigma = 0.0324555 * dw + D / Math.sqrt(8);
    const d = ws * (1 - Math.sqrt(1 - ct / ((8 * sigma * sigma) / (D * D)))) * Math.exp(-0.5 * (cw / sigma) ** 2);
    assert.ok(Math.abs(at(i, 0) - (ws - d)) < 1e-12, `${dw / D} D downstream: ${at(i, 0)} vs ${ws - d}`);
    assert.ok(Math.abs(at(i, 0) - at(i, 1)) < 1e-12, "symmetric about the wake axis");
  }
  assert.deepEqual(map.turbines, { x: [0], y: [0] });
  assert.equal(map.name, "IEA37SimpleBastankhahGaussian");
});

test("flow map: the probe does not disturb what it measures", () => {
  // Two turbines in a row: at the second turbine's position the map equals that turbine's
  // own effective speed in the two-turbine farm (its wake reaches neither upstream point).
  const turbine = iea37Turbine();
  const D = turbine.diameterM;
  const model = windFarmModel({ site: builtinSite("iea37"), turbine, deficit: deficitModel("BastankhahGaussian") });
  const map = flowMapOf(model, { x: [0, 6 * D], y: [0, 0] }, { wdDeg: 270, ws: 8, xRange: [0, 12 * D], yRange: [-D, D], nx: 13 });
  const one = flowMapOf(model, { x: [0], y: [0] }, { wdDeg: 270, ws: 8, xRange: [0, 12 * D], yRange: [-D, D], nx: 13 });
  // (At x = 6 D the grid point sits on the second turbine: it shows that turbine's own WS_eff.)
  for (let i = 1; i <= 5; i++) assert.equal(map.wsEffMs[i], one.wsEffMs[i], `x = ${i} D: the second turbine is downstream`);
  assert.ok(map.wsEffMs[9] < one.wsEffMs[9], "behind the second turbine the wakes add up");
  assert.throws(() => flowMapOf(model, { x: [0], y: [0] }, { wdDeg: 270, ws: 8, xRange: [5, 5] }), /max > min/);
});
