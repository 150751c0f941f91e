// The teaching figures of notebooks/03-wakes and 04-case-studies: their data (turbine curves,
// single-wake profiles, near-wake length) against closed forms, and the builders' structure
// (masked near wake, error bars, reference lines, two panels), each also drawn by the static SVG.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bastankhahUndefinedBelowD, caseStudyFigure, maskNearWake, nearWakeLengthD, powerDensityFigure, rowPowerFigure,
  turbineCurvesFigure, turbineCurvesOf, wakeCentrelineFigure, wakeCrossFigure, wakeProfilesOf, withBoundaryRegions,
} from "../../src/figures/wakeTeaching.js";
import { figureSvg } from "../../src/figures/svg.js";
import { layoutFigure } from "../../src/figures/layout.js";
import { builtinSite, builtinTurbine, deficitModel, iea37Turbine, uniformSite, windFarmModel } from "../../src/physics/index.js";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("near-wake length: Bastankhah & Porté-Agel (2016) eq. 7.3, shorter in more turbulent and lightly loaded wakes", () => {
  // Ct = 8/9: √(1 − Ct) = 1/3, so x0/D = (4/3) / (√2·(2.32·0.075 + 0.154·2/3)).
  close(nearWakeLengthD(8 / 9, 0.075), (4 / 3) / (Math.SQRT2 * (2.32 * 0.075 + (0.154 * 2) / 3)), 1e-14, "x0/D");
  assert.ok(nearWakeLengthD(8 / 9, 0.15) < nearWakeLengthD(8 / 9, 0.075));
  assert.ok(nearWakeLengthD(0.4, 0.075) > nearWakeLengthD(0.8, 0.075), "a lighter load: the core persists longer");
  assert.throws(() => nearWakeLengthD(1.2, 0.1), /Ct must be in \[0, 1\)/);
  assert.throws(() => nearWakeLengthD(0.8, 0), /turbulence intensity/);
});

test("Bastankhah's 2014 closed form is imaginary up to (√(Ct/8) − ε)/k rotor diameters", () => {
  // Ct 8/9 < ctlim: β = ½(1 + 1/3)/(1/3) = 2, ε = 0.2·√2.
  close(bastankhahUndefinedBelowD(8 / 9), (1 / 3 - 0.2 * Math.SQRT2) / 0.0324555, 1e-14, "x/D");
  assert.equal(bastankhahUndefinedBelowD(0.3), 0, "a light load: real everywhere");
});

test("turbine curves: the IEA 37 3.35 MW cubic curve and constant Ct; the V80 table at its rows", () => {
  const c = turbineCurvesOf(iea37Turbine(), [3, 4, 6.9, 9.8, 20, 26]);
  const cubic = 3350 * Math.pow((6.9 - 4) / (9.8 - 4), 3);
  assert.deepEqual(c.powerKW.map((v) => Math.round(v * 1e6) / 1e6), [0, 0, Math.round(cubic * 1e6) / 1e6, 3350, 3350, 0]);
  assert.ok(c.ct.every((v) => Math.abs(v - 8 / 9) < 1e-15));
  const v80 = builtinTurbine("V80");
  if (v80.kind !== "tabular") throw new Error("V80 is tabular");
  const t = turbineCurvesOf(v80, v80.wsTable);
  assert.deepEqual(t.ct, Array.from(v80.ctTable));
  assert.deepEqual(t.powerKW, Array.from(v80.powerTableW, (p) => p / 1e3));
  const fig = turbineCurvesFigure([c, t]);
  assert.equal(fig.data.filter((d) => d.xaxis === "x3").length, 4, "two Ct ranges and the two a(Ct) curves");
  const mom = fig.data.find((d) => d.name === "a(Ct), 1-D momentum")!;
  close((mom.y as number[])[100], 0.5, 1e-15, "a(1)");
  assert.ok(figureSvg(fig).includes("<svg"));
});

test("single wake, IEA 37 simple Gaussian: centre line and cross profile are the closed form of physics.md", () => {
  const turbine = iea37Turbine();
  const model = windFarmModel({ site: builtinSite("iea37"), turbine, deficit: deficitModel("IEA37SimpleBastankhahGaussian") });
  const p = wakeProfilesOf(model, { wsMs: 9, xD: [1, 3, 8], yD: [-1, 0, 0.5], crossXD: [5] });
  const sigmaD = (x: number) => 0.0324555 * x + 1 / Math.sqrt(8);
  const centre = (x: number) => 1 - Math.sqrt(1 - (8 / 9) / (8 * sigmaD(x) ** 2));
  p.centreline.xD.forEach((x, i) => close(p.centreline.deficit[i], centre(x), 1e-12, `deficit at ${x} D`));
  for (const [i, y] of [-1, 0, 0.5].entries()) close(p.cross[0].deficit[i], centre(5) * Math.exp(-0.5 * (y / sigmaD(5)) ** 2), 1e-12, `y ${y} D`);
  close(p.ct, 8 / 9, 1e-15, "Ct");
  close(p.nearWakeD, nearWakeLengthD(8 / 9, 0.075), 1e-15, "near wake at the site's TI");
  assert.equal(p.cross[0].nearWake, false, "5 D is past the near wake (x0 = 3.4 D at Ct 8/9, 7.5 % TI)");
  assert.equal(wakeProfilesOf(model, { wsMs: 9, crossXD: [2] }).cross[0].nearWake, true, "2 D is inside it");
});

test("single wake, V80: Ct changes with the wind speed and so do the deficit and the near wake", () => {
  const model = windFarmModel({ site: uniformSite({ sectorFreq: [1], ti: 0.075, ws: [8] }), turbine: builtinTurbine("V80"), deficit: deficitModel("BastankhahGaussian") });
  const low = wakeProfilesOf(model, { wsMs: 6, xD: [6] });
  const high = wakeProfilesOf(model, { wsMs: 14, xD: [6] });
  assert.ok(low.ct > high.ct, `${low.ct} > ${high.ct}`);
  assert.ok(low.centreline.deficit[0] > high.centreline.deficit[0]);
  assert.ok(low.nearWakeD < high.nearWakeD, "a heavily loaded rotor mixes sooner");
});

test("centre-line figure: the near wake drawn dotted and faint, not as a prediction, and shaded", () => {
  const s = { name: "m", xD: [0.5, 1, 2, 3, 4], deficit: [0.9, 0.8, 0.5, 0.4, 0.3], validFromD: 2 };
  const fig = wakeCentrelineFigure([s, { ...s, name: "n", validFromD: 3 }]);
  const solid = fig.data.find((d) => d.name === "m")!;
  assert.deepEqual(solid.y, [null, null, 0.5, 0.4, 0.3]);
  const dotted = fig.data.find((d) => d.name === "m (near wake: not valid)")!;
  assert.deepEqual(dotted.y, [0.9, 0.8, 0.5, null, null]);
  assert.equal((dotted.line as { dash: string }).dash, "dot");
  const shapes = fig.layout.shapes as { type: string; x0: number; x1: number }[];
  assert.deepEqual([shapes[0].type, shapes[0].x1], ["rect", 2], "the band: where every series is in its near wake");
  assert.deepEqual(shapes.slice(1).map((s) => [s.type, s.x0]), [["line", 2], ["line", 3]], "each series' near-wake end marked");
  assert.throws(() => wakeCentrelineFigure([{ name: "bad", xD: [1, 2], deficit: [1] }]), /2 distances and 1 deficits/);
  assert.ok(figureSvg(fig).includes("<svg"));
});

test("cross-wake figure: one panel per distance, one legend entry per series, near-wake profiles dotted", () => {
  const prof = (name: string, xD: number, nearWake: boolean) => ({ name, xD, yD: [-1, 0, 1], deficit: [0.1, 0.3, 0.1], nearWake });
  const fig = wakeCrossFigure([prof("a", 2, true), prof("a", 6, false), prof("b", 2, false), prof("b", 6, false)]);
  assert.ok(fig.layout.xaxis2 && !fig.layout.xaxis3);
  assert.equal(fig.data.filter((d) => d.showlegend).length, 2);
  assert.equal((fig.data[0].line as { dash: string }).dash, "dot");
  assert.ok(figureSvg(fig).includes("<svg"));
});

test("maskNearWake blanks exactly the box behind each turbine, downwind only", () => {
  const D = 100;
  const xs = [-100, 50, 150, 250, 350];
  const map = { name: "m", x: xs, y: [-100, 0, 100], wsEffMs: new Array(15).fill(8), turbines: { x: [0], y: [0] } };
  const m = maskNearWake(map, { wdDeg: 270, diameterM: D, lengthD: 3, halfWidthD: 0.5 });
  const nan = Array.from(m.wsEffMs).map((v, k) => (Number.isNaN(v) ? k : -1)).filter((k) => k >= 0);
  // row y = 0 (index 1): x = 50, 150, 250 lie within 0 < dw < 300; x = 350 is past, x = −100 upstream.
  assert.deepEqual(nan, [6, 7, 8]);
  assert.equal(map.wsEffMs[6], 8, "the input is untouched");
});

test("row power figure: measurements as points with error bars, models as lines", () => {
  const fig = rowPowerFigure([
    { name: "measured", position: [1, 2, 3], ratio: [1, 0.7, 0.68], error: [0.04, 0.04, 0.04], measured: true },
    { name: "model", position: [1, 2, 3], ratio: [1, 0.75, 0.7] },
  ]);
  assert.equal(fig.data[0].mode, "markers");
  assert.deepEqual((fig.data[0].error_y as { array: number[] }).array, [0.04, 0.04, 0.04]);
  assert.equal(fig.data[1].mode, "lines+markers");
  assert.throws(() => rowPowerFigure([{ name: "x", position: [1, 2], ratio: [1, 1], error: [0] }]), /2 positions and 1 error bars/);
  assert.ok(figureSvg(fig).includes("<svg"));
});

test("power density figure: efficiency against spacing beside produced against installed W/m²", () => {
  const fig = powerDensityFigure([{ name: "g", spacingD: [3, 6], efficiency: [0.7, 0.9], installedWm2: [8, 2], producedWm2: [2.4, 0.8] }]);
  assert.deepEqual(fig.data[0].y, [70, 90]);
  assert.deepEqual([fig.data[1].x, fig.data[1].y, fig.data[1].xaxis], [[8, 2], [2.4, 0.8], "x2"]);
  assert.throws(() => powerDensityFigure([{ name: "g", spacingD: [3], efficiency: [], installedWm2: [1], producedWm2: [1] }]), /needs 1 values/);
  assert.ok(figureSvg(fig).includes("<svg"));
});

test("case-study figure: a panel per case, the published values as lines across their own panel", () => {
  const fig = caseStudyFigure([
    { name: "cs3", baseline: 938573.6, runs: [{ label: "seed 0", aep: 960000, startAep: 940000 }], references: [{ label: "best public", aep: 977444 }] },
    { name: "cs4", baseline: 2851096.4, runs: [{ label: "seed 0", aep: 2880000 }], references: [{ label: "a", aep: 2913220.6 }, { label: "b", aep: 2905646 }] },
  ]);
  const shapes = fig.layout.shapes as { yref: string; y0: number; x0: number; x1: number }[];
  assert.deepEqual(shapes.map((s) => [s.yref, s.y0]), [["y", 977444], ["y2", 2913220.6], ["y2", 2905646]]);
  assert.ok(shapes[1].x0 > shapes[0].x1, "the second panel's lines stay in the second panel");
  assert.equal(fig.data.filter((d) => d.showlegend).length, 3, "baseline, start, optimized: once each");
  assert.ok(figureSvg(fig).includes("977,444"));
});

test("withBoundaryRegions: every further region drawn like the first boundary, closed, one legend entry", () => {
  const fig = layoutFigure({ boundary: { x: [0, 1, 1, 0], y: [0, 0, 1, 1] }, optimized: { x: [0.5, 3.5], y: [0.5, 0.5] } });
  const out = withBoundaryRegions(fig, [{ x: [3, 4, 4], y: [0, 0, 1] }]);
  const b = out.data.filter((t) => t.name === "boundary");
  assert.equal(b.length, 2);
  assert.deepEqual([b[1].x, b[1].y], [[3, 4, 4, 3], [0, 0, 1, 0]]);
  assert.equal(b[1].showlegend, false);
  assert.deepEqual(b[1].line, b[0].line);
  assert.ok(out.data.indexOf(b[1]) < out.data.findIndex((t) => t.name !== "boundary"), "drawn before the turbines");
  assert.equal(fig.data.filter((t) => t.name === "boundary").length, 1, "the input figure is unchanged");
  assert.throws(() => withBoundaryRegions(fig, [{ x: [0, 1], y: [0, 1] }]), /≥ 3 vertices/);
});
