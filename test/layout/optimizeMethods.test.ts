// The optimizer's methods and budgets: wake-expansion continuation ("wec"), the coarse rose
// for many directions, moves between separate regions, progress reports, determinism.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  aepGWh, builtinSite, builtinTurbine, deficitModel, flowCaseProbabilities, speedFreeWakes, windFarmModel,
} from "../../src/physics/index.js";
import { polygon, polygonBoundary, signedDistance } from "../../src/layout/boundary.js";
import { feasibilityCheck } from "../../src/layout/constraints.js";
import { optimize, type OptimizeProgress } from "../../src/layout/optimize.js";
import {
  coarseModel, defaultMaxEvaluations, modelAepGradient, modelValueMap, optimizeLayout, smartStartLayout, widenedDeficit,
} from "../../src/layout/optimizeLayout.js";
import { candidateGrid } from "../../src/layout/grid.js";
import { smartStart } from "../../src/layout/smartStart.js";
import { iea37Model } from "./helpers.js";

const model = iea37Model();
// Two separate 1 km squares with a 500 m gap between them.
const A = polygon([[0, 0], [1000, 0], [1000, 1000], [0, 1000]]);
const B = polygon([[1500, 0], [2500, 0], [2500, 1000], [1500, 1000]]);
const twoRegions = polygonBoundary([A, B]);
const inRegion = (p: typeof A, x: number, y: number) => {
  const o = new Float64Array(1);
  signedDistance(polygonBoundary([p]), Float64Array.of(x), Float64Array.of(y), o);
  return o[0] >= 0;
};

test("a turbine moved between separate regions stays feasible; none ends in the gap", () => {
  // Eight turbines packed into region A, region B empty: the relocation move can only gain by
  // sending weak turbines across the gap, and the local solve must never leave one in it.
  const x0 = Float64Array.of(0, 330, 660, 1000, 0, 330, 660, 1000);
  const y0 = Float64Array.of(0, 0, 0, 0, 1000, 1000, 1000, 1000);
  const r = optimize({
    aep: (x, y) => aepGWh(model, x, y), aepGradient: modelAepGradient(model), valueMap: modelValueMap(model),
    boundary: twoRegions, minSpacingM: 260, x0, y0,
  }, { seed: 3, hops: 12, relocateShare: 1, latticeStarts: 0 }); // the move itself, from the packed start (lattice starts would spread them first)
  const f = feasibilityCheck(twoRegions, r.x, r.y, 260, 0);
  assert.ok(f.feasible, JSON.stringify(f));
  let inB = 0;
  for (let i = 0; i < 8; i++) {
    const a = inRegion(A, r.x[i], r.y[i]), b = inRegion(B, r.x[i], r.y[i]);
    assert.ok(a !== b, `turbine ${i} at (${r.x[i]}, ${r.y[i]}) is in exactly one region`);
    if (b) inB++;
  }
  assert.ok(inB >= 1, "some turbine crossed to region B");
  assert.ok(r.moves.relocate.improved >= 1, JSON.stringify(r.moves));
  assert.ok(r.aepGWh > aepGWh(model, x0, y0));
});

test("repack after a stall: a cluster re-placed by marginal AEP crosses the gap; deterministic, feasible", () => {
  // The same packed start with relocations off: shakes (≤ 130 m) cannot cross the 500 m gap, so
  // only repacks, drawn once a shake has failed, can put turbines into region B.
  const x0 = Float64Array.of(0, 330, 660, 1000, 0, 330, 660, 1000);
  const y0 = Float64Array.of(0, 0, 0, 0, 1000, 1000, 1000, 1000);
  const run = (repackAfter: number) => optimize({
    aep: (x, y) => aepGWh(model, x, y), aepGradient: modelAepGradient(model), valueMap: modelValueMap(model),
    boundary: twoRegions, minSpacingM: 260, x0, y0,
  }, { seed: 4, hops: 16, relocateShare: 0, latticeStarts: 0, repackAfter });
  const r = run(1);
  assert.ok(feasibilityCheck(twoRegions, r.x, r.y, 260, 0).feasible);
  let inB = 0;
  for (let i = 0; i < 8; i++) if (inRegion(B, r.x[i], r.y[i])) inB++;
  assert.ok(inB >= 1 && r.moves.repack.improved >= 1, JSON.stringify(r.moves));
  assert.equal(r.moves.relocate.tried, 0);
  const again = run(1);
  assert.deepEqual(Array.from(again.x), Array.from(r.x));
  const without = run(0);
  assert.equal(without.moves.repack.tried, 0);
  assert.ok(r.aepGWh > without.aepGWh, `${r.aepGWh} > ${without.aepGWh}`);
});

test("method wec: deterministic for a seed, feasible, reports progress; its stages widen the wake", () => {
  const cfg = {
    model, boundary: twoRegions, nTurbines: 10, minSpacingM: 260, gridSize: 12, randomPct: 30, seed: 5,
    optimizer: { method: "wec" as const, hops: 4 },
  };
  const seen: OptimizeProgress[] = [];
  const a = optimizeLayout({ ...cfg, optimizer: { ...cfg.optimizer, onProgress: (p) => seen.push(p) } });
  const b = optimizeLayout(cfg);
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.deepEqual(Array.from(a.y), Array.from(b.y));
  assert.equal(a.aepGWh, b.aepGWh);
  assert.equal(a.evaluations, b.evaluations);
  assert.ok(a.feasible && feasibilityCheck(twoRegions, a.x, a.y, 260, 0).feasible);
  assert.ok(a.aepGWh >= a.aepInitialGWh);
  // 4 continuation stages, the first local solve, 4 hops and the end.
  assert.equal(seen.filter((p) => p.phase === "continuation").length, 4);
  assert.equal(seen[seen.length - 1].phase, "done");
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i].bestAepGWh >= seen[i - 1].bestAepGWh, "best never drops");
    assert.ok(seen[i].evaluations >= seen[i - 1].evaluations);
  }
  assert.equal(seen[seen.length - 1].bestAepGWh, a.aepGWh);
  // The same seed with the default method takes another path.
  const c = optimizeLayout({ ...cfg, optimizer: { hops: 4 } });
  assert.notDeepEqual(Array.from(c.x), Array.from(a.x));
  const d = widenedDeficit(deficitModel("IEA37SimpleBastankhahGaussian"), 2);
  assert.equal(d.kind === "IEA37SimpleBastankhahGaussian" && d.k, 2 * 0.0324555);
});

test("coarse rose with speeds merged: Horns Rev 1's 360 × 23 flow cases become 72 × 8, probability and mean speed kept", () => {
  const site = builtinSite("hornsrev1");
  const m = windFarmModel({ site, turbine: builtinTurbine("V80"), deficit: deficitModel("BastankhahGaussian") });
  const L = site.defaultWdDeg.length, K = site.defaultWs.length;
  assert.equal(L * K, 360 * 23);
  const c = coarseModel(m, 72, 8)!;
  const cs = c.model.site;
  assert.equal(cs.defaultWdDeg.length, 72);
  assert.equal(cs.defaultWs.length, 8);
  assert.equal(c.ratio, (72 * 8) / (360 * 23));
  const moments = (st: typeof site) => {
    const p = flowCaseProbabilities(st, st.defaultWdDeg, st.defaultWs);
    const k = st.defaultWs.length;
    let total = 0, meanWs = 0;
    const perDir = new Float64Array(st.defaultWdDeg.length);
    p.forEach((q, i) => { total += q; meanWs += q * st.defaultWs[i % k]; perDir[Math.floor(i / k)] += q; });
    return { total, meanWs, perDir };
  };
  const full = moments(site), co = moments(cs);
  assert.ok(Math.abs(co.total - full.total) < 1e-12);
  assert.ok(Math.abs(co.meanWs - full.meanWs) < 1e-9 * full.meanWs, `${co.meanWs} vs ${full.meanWs}`);
  // Coarse direction j (at 5j°) carries the full rose's 5j − 2 … 5j + 2.
  for (const j of [0, 27, 50]) {
    let want = 0;
    for (let q = 5 * j - 2; q <= 5 * j + 2; q++) want += full.perDir[(q + 360) % 360];
    assert.ok(Math.abs(co.perDir[j] - want) < 1e-12, `direction ${j}`);
  }
  // Merged speeds move the AEP by a few percent at most (the power curve is not linear in speed).
  const x = Float64Array.of(0, 560, 1120), y = Float64Array.of(0, 0, 300);
  const a = aepGWh(m, x, y), b = aepGWh(c.model, x, y);
  assert.ok(Math.abs(b - a) < 0.03 * a && b !== a, `${b} vs ${a}`);
  // 36 directions with all speeds: the former default, each speed's share kept too.
  assert.equal(coarseModel(m, 36, 0)!.model.site.defaultWs.length, 23);
});

test("speed-free wakes (IEA 37 case study 4): the coarse rose keeps every speed unless told otherwise; Horns Rev 1 merges to 8", () => {
  const cs4 = windFarmModel({ site: builtinSite("iea37-cs4"), turbine: builtinTurbine("IEA37_10MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian") });
  const hr = windFarmModel({ site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"), deficit: deficitModel("BastankhahGaussian") });
  assert.equal(speedFreeWakes(cs4), true);
  assert.equal(speedFreeWakes(hr), false, "the V80's Ct varies with the speed");
  const c = coarseModel(cs4)!;
  assert.equal(c.model.site.defaultWdDeg.length, 72);
  assert.equal(c.model.site.defaultWs.length, 20);
  assert.equal(c.ratio, 72 / 360);
  assert.equal(coarseModel(cs4, 72, 10)!.model.site.defaultWs.length, 10, "coarse_speeds given: merged as asked");
  assert.equal(coarseModel(hr)!.model.site.defaultWs.length, 8);
});

test("a 360-direction rose: the search runs on a 72-direction coarse rose, the result is judged on the full one", () => {
  const m = windFarmModel({
    site: { ...builtinSite("iea37"), defaultWdDeg: Float64Array.from({ length: 360 }, (_, i) => i) },
    turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian"),
  });
  const coarse = coarseModel(m);
  assert.ok(coarse);
  assert.equal(coarse!.model.site.defaultWdDeg.length, 72);
  assert.equal(coarse!.ratio, 0.2);
  // The coarse rose keeps the total probability: one turbine alone makes the same AEP on both.
  const one = Float64Array.of(0);
  assert.ok(Math.abs(aepGWh(coarse!.model, one, one) - aepGWh(m, one, one)) < 1e-9 * aepGWh(m, one, one));
  assert.equal(coarseModel(model), undefined, "16 directions: no coarse rose");
  // optimizer.coarse_directions: a coarser rose (10° steps), the same total.
  const c36 = coarseModel(m, 36)!;
  assert.equal(c36.model.site.defaultWdDeg.length, 36);
  assert.equal(c36.ratio, 0.1);
  assert.ok(Math.abs(aepGWh(c36.model, one, one) - aepGWh(m, one, one)) < 1e-9 * aepGWh(m, one, one));
  // One speed: nothing to merge, whatever coarse_speeds asks.
  assert.equal(coarseModel(m, 72, 8)!.ratio, 0.2);
  const phases: string[] = [];
  const r = optimizeLayout({
    model: m, boundary: twoRegions, nTurbines: 8, minSpacingM: 260, gridSize: 10, randomPct: 0, seed: 1,
    optimizer: { hops: 3, onProgress: (p) => phases.push(p.phase) },
  });
  assert.ok(phases.includes("coarse") && phases.includes("full"), phases.join(","));
  assert.ok(r.feasible);
  assert.ok(Math.abs(r.aepGWh - aepGWh(m, r.x, r.y)) < 1e-12 * r.aepGWh, "AEP on the full rose");
  assert.ok(r.aepGWh >= r.aepInitialGWh);
  // The smart start ranks its candidates on the coarse rose; coarseSmartStart: false (or coarse: false) gives TopFarm's, on the full rose.
  const cfg = { model: m, boundary: twoRegions, nTurbines: 8, minSpacingM: 260, gridSize: 10, randomPct: 30, seed: 2 };
  const grid = candidateGrid(twoRegions, 10);
  const onCoarse = smartStart({ candX: grid.x, candY: grid.y, nTurbines: 8, valueMap: modelValueMap(coarse!.model), randomPct: 30, seed: 2, minSpacingM: 260 });
  const a = optimizeLayout({ ...cfg, optimizer: { hops: 0 } });
  assert.deepEqual(Array.from(a.smartStart.x), Array.from(onCoarse.x));
  const full = smartStartLayout(cfg);
  const b = optimizeLayout({ ...cfg, optimizer: { hops: 0, coarseSmartStart: false } });
  assert.deepEqual(Array.from(b.smartStart.x), Array.from(full.x));
  assert.deepEqual(Array.from(b.smartStart.y), Array.from(full.y));
});

test("the coarse search's best is polished on a 120-direction middle rose before the full one; none where it would not be finer", () => {
  const rose = (n: number) => windFarmModel({
    site: { ...builtinSite("iea37"), defaultWdDeg: Float64Array.from({ length: n }, (_, i) => (i * 360) / n) },
    turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian"),
  });
  const m = rose(360);
  const mid = coarseModel(m, 120)!;
  assert.equal(mid.model.site.defaultWdDeg.length, 120);
  const one = Float64Array.of(0);
  assert.ok(Math.abs(aepGWh(mid.model, one, one) - aepGWh(m, one, one)) < 1e-9 * aepGWh(m, one, one));
  const run = (model: typeof m, polishDirections?: number) => {
    const phases: string[] = [];
    const r = optimizeLayout({
      model, boundary: twoRegions, nTurbines: 8, minSpacingM: 260, gridSize: 10, randomPct: 30, seed: 1,
      optimizer: { hops: 3, latticeStarts: 0, maxEvaluations: 2000, polishDirections, onProgress: (p) => phases.push(p.phase) },
    });
    assert.ok(r.feasible);
    assert.ok(Math.abs(r.aepGWh - aepGWh(model, r.x, r.y)) < 1e-12 * r.aepGWh, "AEP on the full rose");
    return { phases: [...new Set(phases)], r };
  };
  const a = run(m);
  assert.deepEqual(a.phases, ["coarse", "middle", "full", "done"]);
  assert.deepEqual(Array.from(run(m).r.x), Array.from(a.r.x), "deterministic for a seed");
  assert.deepEqual(run(m, 0).phases, ["coarse", "full", "done"], "polishDirections 0: no middle rose");
  // 72 directions: the coarse rose takes every 2nd; a middle one of ~120 would be the same.
  assert.deepEqual(run(rose(72)).phases, ["coarse", "full", "done"]);
});

test("the default budget follows the problem's size: 60,000 for small farms, ~2,800 for Horns Rev 1's 80 × 8,280 flow cases", () => {
  assert.equal(defaultMaxEvaluations(64, 16), 60000);
  assert.equal(defaultMaxEvaluations(25, 400), 60000);
  assert.equal(defaultMaxEvaluations(80, 360 * 23), 2830);
  assert.equal(defaultMaxEvaluations(81, 360 * 20), 3175);
  // An explicit budget wins over the default.
  const r = optimizeLayout({ model, boundary: twoRegions, nTurbines: 6, minSpacingM: 260, gridSize: 10, randomPct: 0, seed: 0, optimizer: { maxEvaluations: 40 } });
  assert.ok(r.evaluations < 40 + 200 && r.feasible, `${r.evaluations}`);
});

test("method multistart: deterministic for a seed; several smart starts share the budget, which is spent", () => {
  const cfg = {
    model, boundary: twoRegions, nTurbines: 8, minSpacingM: 260, gridSize: 12, randomPct: 30, seed: 2,
    optimizer: { method: "multistart" as const, starts: 3, maxEvaluations: 3000 },
  };
  let solves = 0;
  const a = optimizeLayout({ ...cfg, optimizer: { ...cfg.optimizer, onProgress: () => { solves++; } } });
  const b = optimizeLayout(cfg);
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.deepEqual(Array.from(a.y), Array.from(b.y));
  assert.equal(a.aepGWh, b.aepGWh);
  assert.ok(a.feasible && feasibilityCheck(twoRegions, a.x, a.y, 260, 0).feasible);
  assert.ok(a.evaluations >= 3000 && a.evaluations < 3000 + 500, `${a.evaluations}`);
  assert.ok(solves >= 4, "three starts' first solves and more");
  assert.ok(a.aepGWh >= a.aepInitialGWh);
});
