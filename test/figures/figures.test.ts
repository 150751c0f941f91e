// Figure builders: the plotly JSON they return, checked field by field.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  aepDistributionFigure, aepGainFigure, aepVsSpacingFigure, convergenceFigure, flowMapFigure, layoutFigure, windRoseFigure,
  type PlotlyTrace,
} from "../../src/figures/index.js";

const byName = (data: PlotlyTrace[], name: string) => {
  const t = data.find((d) => d.name === name);
  assert.ok(t, `no trace named ${name} in ${data.map((d) => d.name).join(", ")}`);
  return t;
};

test("layout figure: closed boundary, smart start, moves, turbines coloured by AEP, equal axes", () => {
  const fig = layoutFigure({
    title: "farm 0",
    boundary: { x: [0, 1000, 1000, 0], y: [0, 0, 800, 800] },
    initial: { x: [100, 500], y: [100, 400] },
    optimized: { x: new Float64Array([0, 900]), y: [0, 700], aepGWh: [10.5, 11.25] },
    rotorDiameterM: 100,
  });
  const b = byName(fig.data, "boundary");
  assert.deepEqual(b.x, [0, 1000, 1000, 0, 0]);
  assert.deepEqual(b.y, [0, 0, 800, 800, 0]);
  const moves = byName(fig.data, "move");
  assert.deepEqual(moves.x, [100, 0, null, 500, 900, null]);
  const opt = byName(fig.data, "optimized");
  assert.deepEqual(opt.x, [0, 900], "typed arrays become plain lists");
  const marker = opt.marker as { color: number[]; showscale: boolean };
  assert.deepEqual(marker.color, [10.5, 11.25]);
  assert.equal(marker.showscale, true);
  assert.match((opt.text as string[])[1], /T2.*AEP 11\.25 GWh.*nearest 11\.40 D/s);
  assert.equal((fig.layout.yaxis as { scaleanchor: string }).scaleanchor, "x");
  assert.deepEqual((fig.layout.title as { text: string }).text, "farm 0");
  // The JSON that goes to Jupyter holds only plain data.
  assert.deepEqual(JSON.parse(JSON.stringify(fig)).data.length, fig.data.length);
});

test("layout figure: circle boundary, no AEP, wind rose inset", () => {
  const fig = layoutFigure({
    boundary: { centerM: [0, 0], radiusM: 1300 },
    optimized: { x: [0], y: [0] },
    windRose: { directionsDeg: [0, 90, 180, 270], frequency: [1, 1, 1, 1] },
  });
  const b = byName(fig.data, "boundary");
  const bx = b.x as number[];
  const by = b.y as number[];
  assert.equal(bx.length, 181);
  for (let i = 0; i < bx.length; i++) assert.ok(Math.abs(Math.hypot(bx[i], by[i]) - 1300) < 1e-9);
  assert.equal(byName(fig.data, "turbines").marker && (byName(fig.data, "turbines").marker as { color: string }).color, "#1f77b4");
  const rose = fig.data.find((d) => d.type === "barpolar");
  assert.equal(rose?.subplot, "polar");
  assert.ok(fig.layout.polar);
});

test("layout figure refuses mismatched arrays, naming them", () => {
  assert.throws(() => layoutFigure({ optimized: { x: [0, 1], y: [0] } }), /optimized\.x has 2 turbines but optimized\.y has 1/);
  assert.throws(() => layoutFigure({ optimized: { x: [0, 1], y: [0, 1], aepGWh: [1] } }), /aepGWh has 1 values for 2 turbines/);
});

test("wind rose: percent of total, clockwise from north, stacked speed bins", () => {
  const fig = windRoseFigure({ directionsDeg: [0, 120, 240], frequency: [2, 1, 1] });
  assert.equal(fig.data.length, 1);
  assert.deepEqual(fig.data[0].r, [50, 25, 25]);
  assert.deepEqual(fig.data[0].width, [120, 120, 120]);
  const polar = fig.layout.polar as { angularaxis: { direction: string; rotation: number } };
  assert.equal(polar.angularaxis.direction, "clockwise");
  assert.equal(polar.angularaxis.rotation, 90);
  const stacked = windRoseFigure({
    directionsDeg: [0, 180],
    speedBins: [{ label: "< 8 m/s", frequency: [0.3, 0.1] }, { label: "≥ 8 m/s", frequency: [0.2, 0.4] }],
  });
  assert.equal(stacked.data.length, 2);
  const total = stacked.data.flatMap((d) => d.r as number[]).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 100) < 1e-12);
  assert.equal(stacked.layout.showlegend, true);
  assert.throws(() => windRoseFigure({ directionsDeg: [0, 1], frequency: [1] }), /1 values for 2 directions/);
  assert.throws(() => windRoseFigure({ directionsDeg: [0], frequency: [0] }), /sum to zero/);
});

test("AEP distribution: a panel per farm × turbine type with its own AEP axis, every seed a point, the group's own mean", () => {
  const rows = [
    { farm: "farm0", turbineType: "IEA37", aepGWh: 100, key: "farm0_t0_s0" },
    { farm: "farm0", turbineType: "IEA37", aepGWh: 101, key: "farm0_t0_s1" },
    { farm: "farm1", turbineType: "IEA37", aepGWh: 200 },
    { farm: "farm0", turbineType: "V80", aepGWh: 50 },
  ];
  const fig = aepDistributionFigure(rows);
  // Three groups, three panels: farms are rows, types columns, each on its own axes.
  assert.deepEqual(fig.data.map((d) => [d.name, d.xaxis, d.yaxis, d.showlegend]), [["IEA37", "x", "y", true], ["IEA37", "x2", "y2", false], ["V80", "x3", "y3", true]]);
  assert.deepEqual(fig.data[0].y, [100, 101]);
  assert.deepEqual(fig.data[1].y, [200]);
  assert.deepEqual(fig.data[2].y, [50]);
  assert.equal(fig.data[0].boxpoints, "all");
  assert.equal(fig.data[0].boxmean, true);
  assert.match(JSON.stringify(fig.layout.annotations), /farm0 · IEA37.*mean 100\.50 GWh · 2 seeds · spread 1\.00 %/);
  assert.doesNotMatch(JSON.stringify(fig.layout.annotations), /mean 11[0-9]\./, "no mean pooled over groups");
  assert.equal((fig.layout.legend as { yanchor: string }).yanchor, "top");
});

test("AEP gain: smart start on x, optimized on y, the no-gain diagonal spans both", () => {
  const fig = aepGainFigure([
    { farm: "f", turbineType: "t", aepGWh: 110, initialAepGWh: 100 },
    { farm: "f", turbineType: "t", aepGWh: 105, initialAepGWh: 104 },
  ]);
  assert.deepEqual(byName(fig.data, "no gain").x, [100, 110]);
  const pts = byName(fig.data, "f · t");
  assert.deepEqual(pts.x, [100, 104]);
  assert.match((pts.text as string[])[0], /gain 10\.00 %/);
  assert.throws(() => aepGainFigure([{ farm: "f", turbineType: "t", aepGWh: 1 }]), /initialAepGWh/);
});

test("convergence: iterations on x, absolute or relative gain", () => {
  const fig = convergenceFigure([{ name: "s0", aepGWh: [100, 105, 110] }], { relative: true });
  assert.deepEqual(fig.data[0].x, [0, 1, 2]);
  const y = fig.data[0].y as number[];
  assert.equal(y[0], 0);
  assert.ok(Math.abs(y[2] - 10) < 1e-12);
  assert.match((fig.layout.yaxis as { title: { text: string } }).title.text, /%/);
  // With the smart start's AEP given, it is iteration 0 and the gains are measured from it.
  const fromStart = convergenceFigure([{ name: "s0", aepGWh: [105, 110], startAepGWh: 100 }], { relative: true });
  assert.deepEqual(fromStart.data[0].x, [0, 1, 2]);
  const g = fromStart.data[0].y as number[];
  assert.equal(g[0], 0);
  assert.ok(Math.abs(g[1] - 5) < 1e-12 && Math.abs(g[2] - 10) < 1e-12);
});

test("flow maps side by side: rows of the grid, one shared colour scale, one colour bar", () => {
  const x = [0, 100, 200];
  const y = [0, 50];
  const a = { name: "NOJ", x, y, wsEffMs: [1, 2, 3, 4, 5, 6], turbines: { x: [0], y: [0] }, windDirDeg: 270, freeStreamMs: 8 };
  const b = { name: "Gaussian", x, y, wsEffMs: [7, 8, 9, 0.5, 2, 3] };
  const fig = flowMapFigure([a, b]);
  const maps = fig.data.filter((d) => d.type === "heatmap");
  assert.deepEqual(maps[0].z, [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(maps.map((m) => [m.zmin, m.zmax]), [[0.5, 9], [0.5, 9]]);
  assert.deepEqual(maps.map((m) => m.showscale), [true, false]);
  assert.deepEqual(maps.map((m) => m.xaxis), ["x", "x2"]);
  assert.equal((fig.layout.yaxis2 as { scaleanchor: string }).scaleanchor, "x2");
  const [d1, d2] = [(fig.layout.xaxis as { domain: number[] }).domain, (fig.layout.xaxis2 as { domain: number[] }).domain];
  assert.ok(d1[1] < d2[0], "subplots do not overlap");
  // Each map names its own flow case when they differ.
  assert.match(JSON.stringify(fig.layout.annotations), /NOJ · wind from 270° at 8 m\/s/);
  assert.throws(() => flowMapFigure({ name: "bad", x, y, wsEffMs: [1] }), /map "bad" has 1 speeds for a 3 × 2 grid/);
});

test("AEP against spacing: one line per series, the no-wake AEP as a reference line", () => {
  const fig = aepVsSpacingFigure([{ name: "NOJ", spacingD: [3, 5, 7], aepGWh: [80, 90, 95] }], { noWakeAepGWh: 100 });
  assert.deepEqual(fig.data[0].x, [3, 5, 7]);
  assert.equal((fig.layout.shapes as { y0: number }[])[0].y0, 100);
  assert.throws(() => aepVsSpacingFigure([{ name: "x", spacingD: [1], aepGWh: [1, 2] }]), /1 spacings and 2 AEP values/);
});

test("convergence of a stored, decimated history: x are its iteration numbers, the start at 0", () => {
  const fig = convergenceFigure([{ name: "s0", aepGWh: [105, 104, 110], iteration: [1, 40, 97], startAepGWh: 100 }]);
  assert.deepEqual(fig.data[0].x, [0, 1, 40, 97]);
  assert.deepEqual(fig.data[0].y, [100, 105, 104, 110]);
  const noStart = convergenceFigure([{ name: "s0", aepGWh: [105, 110], iteration: [3, 9] }]);
  assert.deepEqual(noStart.data[0].x, [3, 9]);
});
