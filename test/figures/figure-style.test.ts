// What issue 13 point 6 asked of the figures, checked on their plotly specs: facets with
// their own axes, legends below the plot, exclusion zones in the legend, the wind rose in
// its own area beside the farm, colour scales that start at a visible colour and state
// their range, equal-aspect flow maps without repeated panel titles, spacing lines that
// stay apart, and heights that grow with the number of panels.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  aepDistributionFigure, aepGroupStats, aepVsSpacingFigure, flowMapFigure, layoutFigure,
  type PlotlyFigure, type PlotlyTrace,
} from "../../src/figures/index.js";
import { LAYOUT_FARM_X, LAYOUT_ROSE_X, LAYOUT_ROSE_Y } from "../../src/figures/layout.js";

type Axis = { domain?: [number, number]; anchor?: string; matches?: string; scaleanchor?: string; title?: { text: string } };
const axis = (fig: PlotlyFigure, name: string) => fig.layout[name] as Axis;

/** Relative luminance (0 black … 1 white) of "#rrggbb" or "rgb(r,g,b)". */
function luminance(c: string): number {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  const [r, g, b] = hex ? hex.slice(1).map((h) => parseInt(h, 16)) : c.match(/\d+/g)!.map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** The x-y boxes (paper fractions) of every cartesian subplot. */
function boxes(fig: PlotlyFigure): { name: string; x: [number, number]; y: [number, number] }[] {
  return Object.keys(fig.layout).filter((k) => /^xaxis\d*$/.test(k)).map((k) => {
    const ya = `yaxis${k.slice(5)}`;
    return { name: k, x: axis(fig, k).domain ?? [0, 1], y: axis(fig, ya).domain ?? [0, 1] };
  });
}
const overlap = (a: [number, number], b: [number, number]) => Math.min(a[1], b[1]) - Math.max(a[0], b[0]) > 1e-9;

function assertLegendBelow(fig: PlotlyFigure): void {
  const legend = fig.layout.legend as { orientation: string; y: number; yanchor: string };
  assert.equal(legend.orientation, "h");
  assert.ok(legend.y < 0 && legend.yanchor === "top", `legend at y=${legend.y} anchored ${legend.yanchor}`);
}

// Two farms × two turbine types whose AEP levels differ by 8× while each group's seeds
// differ by < 1 %: on one shared axis every box would be a flat line.
const rows = [
  ...[0, 1, 2].map((s) => ({ farm: "IEA 37 circle", turbineType: "IEA37_3.35MW", aepGWh: 360 + 0.9 * s, key: `farm0_t0_s${s}` })),
  ...[0, 1, 2].map((s) => ({ farm: "IEA 37 circle", turbineType: "V80", aepGWh: 110 + 0.4 * s, key: `farm0_t1_s${s}` })),
  ...[0, 1, 2].map((s) => ({ farm: "L-shape", turbineType: "IEA37_3.35MW", aepGWh: 290 + 1.2 * s, key: `farm1_t0_s${s}` })),
  ...[0, 1, 2].map((s) => ({ farm: "L-shape", turbineType: "V80", aepGWh: 45 + 0.2 * s, key: `farm1_t1_s${s}` })),
];

test("AEP distribution: one panel per farm × type, each its own AEP axis, disjoint panels, legend below", () => {
  const fig = aepDistributionFigure(rows);
  assert.equal(fig.data.length, 4);
  const yaxes = fig.data.map((d) => d.yaxis as string);
  assert.equal(new Set(yaxes).size, 4, "four y-axes");
  for (const d of fig.data) {
    const ya = axis(fig, `yaxis${(d.yaxis as string).slice(1)}`);
    assert.equal(ya.matches, undefined, `${d.yaxis} scales to its own group`);
    assert.equal(ya.scaleanchor, undefined);
  }
  const b = boxes(fig);
  assert.equal(b.length, 4);
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) {
    assert.ok(!(overlap(b[i].x, b[j].x) && overlap(b[i].y, b[j].y)), `${b[i].name} and ${b[j].name} overlap`);
  }
  // Farms are rows, types columns: panel 0 (circle, IEA37) above panel 2 (L-shape, IEA37), left of panel 1.
  assert.ok(b[0].y[0] > b[2].y[1] && b[0].x[1] < b[1].x[0]);
  assertLegendBelow(fig);
  // The panel titles give each group's mean, never one pooled over groups.
  const stats = aepGroupStats(rows);
  assert.deepEqual(stats.map((s) => [s.farm, s.turbineType, s.n]), [["IEA 37 circle", "IEA37_3.35MW", 3], ["IEA 37 circle", "V80", 3], ["L-shape", "IEA37_3.35MW", 3], ["L-shape", "V80", 3]]);
  assert.ok(Math.abs(stats[0].meanAepGWh - 360.9) < 1e-9 && Math.abs(stats[3].meanAepGWh - 45.2) < 1e-9);
  const titles = (fig.layout.annotations as { text: string }[]).map((a) => a.text.replace(/<[^>]+>/g, ""));
  assert.deepEqual(titles.map((t) => t.split("mean")[0].trim()), ["IEA 37 circle · IEA37_3.35MW", "IEA 37 circle · V80", "L-shape · IEA37_3.35MW", "L-shape · V80"]);
  assert.match(titles[0], /mean 360\.90 GWh · 3 seeds · spread 0\.50 %/);
  const pooled = rows.reduce((s, r) => s + r.aepGWh, 0) / rows.length;
  assert.ok(!titles.some((t) => t.includes(pooled.toFixed(2))), "no pooled mean anywhere");
  // Height grows with the rows of panels: two rows are taller than one.
  const oneFarm = aepDistributionFigure(rows.filter((r) => r.farm === "L-shape"));
  assert.ok((fig.layout.height as number) > (oneFarm.layout.height as number) + 150);
});

const ring = (n: number, r: number) => ({ x: Array.from({ length: n }, (_, i) => r * Math.cos((2 * Math.PI * i) / n)), y: Array.from({ length: n }, (_, i) => r * Math.sin((2 * Math.PI * i) / n)) });

test("layout: exclusion zones in the legend once, the wind rose in its own area beside the farm, colour bar with its range", () => {
  const zones = [{ x: [100, 300, 300, 100], y: [100, 100, 300, 300] }, { x: [-500, -300, -400], y: [-500, -500, -300] }];
  const fig = layoutFigure({
    boundary: { x: [-1000, 1000, 1000, -1000], y: [-800, -800, 800, 800] }, exclusions: zones,
    optimized: { ...ring(12, 700), aepGWh: Array.from({ length: 12 }, (_, i) => 30 + i / 4) }, initial: ring(12, 500),
    windRose: { directionsDeg: [0, 90, 180, 270], speedBins: [{ label: "slow", frequency: [1, 2, 1, 2] }, { label: "fast", frequency: [2, 1, 3, 1] }] },
  });
  const ex = fig.data.filter((d) => d.name === "exclusion zone");
  assert.equal(ex.length, 2);
  assert.deepEqual(ex.map((d) => d.showlegend), [true, false], "one legend entry for all zones");
  assert.ok(ex.every((d) => d.legendgroup === "exclusion"));
  assert.deepEqual((ex[1].x as number[]).at(-1), -500, "each zone closed");
  assertLegendBelow(fig);
  // The farm's area and the rose's area are disjoint; the farm keeps equal axes inside its own.
  const farmX = axis(fig, "xaxis").domain!;
  const polar = fig.layout.polar as { domain: { x: [number, number]; y: [number, number] } };
  assert.deepEqual(farmX, LAYOUT_FARM_X);
  assert.deepEqual(polar.domain, { x: LAYOUT_ROSE_X, y: LAYOUT_ROSE_Y });
  assert.ok(!overlap(farmX, polar.domain.x), `farm ${farmX} and rose ${polar.domain.x} side by side`);
  assert.equal(axis(fig, "yaxis").scaleanchor, "x");
  // Large enough to read: at least a fifth of the width and half the height.
  assert.ok(polar.domain.x[1] - polar.domain.x[0] >= 0.2 && polar.domain.y[1] - polar.domain.y[0] >= 0.5);
  // The colour bar sits between the farm and the rose, not on either.
  const opt = fig.data.find((d) => d.name === "optimized")!;
  const marker = opt.marker as { colorscale: [number, string][]; cmin: number; cmax: number; colorbar: { x: number; title: { text: string } } };
  assert.ok(marker.colorbar.x > farmX[1] && marker.colorbar.x < polar.domain.x[0], `colour bar at ${marker.colorbar.x}`);
  assert.ok(luminance(marker.colorscale[0][1]) < 0.85, `lowest AEP colour ${marker.colorscale[0][1]} is visible on white`);
  assert.deepEqual([marker.cmin, marker.cmax], [30, 32.75]);
  assert.match(marker.colorbar.title.text, /AEP \(GWh\)<br>30\.0–32\.8/);
  // The inset shows direction only (speed bins summed): no legend entries of its own.
  const rose = fig.data.filter((d) => d.type === "barpolar");
  assert.equal(rose.length, 1);
  assert.deepEqual((rose[0].r as number[]).map((v) => Math.round(v * 100) / 100), [23.08, 23.08, 30.77, 23.08]);
  assert.equal(rose[0].showlegend, false);
});

test("layout without a wind rose keeps the whole width for the farm", () => {
  const fig = layoutFigure({ boundary: { centerM: [0, 0], radiusM: 1000 }, optimized: ring(6, 500) });
  assert.equal(axis(fig, "xaxis").domain, undefined);
  assert.equal(fig.layout.polar, undefined);
  assert.ok(!fig.data.some((d) => d.name === "exclusion zone"));
});

test("flow maps: equal aspect per panel, panel titles only what differs, the shared flow case in the title once, scale from a dark colour with its range", () => {
  const x = [0, 100, 200, 300];
  const y = [0, 50, 100];
  const ws = (k: number) => Array.from({ length: 12 }, (_, i) => 4 + ((i * k) % 6));
  const maps = ["NOJ", "Bastankhah", "TurbOPark"].map((name, k) => ({ name, x, y, wsEffMs: ws(k + 1), windDirDeg: 270, freeStreamMs: 9 }));
  const fig = flowMapFigure(maps, { title: "Effective wind speed" });
  const title = (fig.layout.title as { text: string }).text;
  assert.equal(title, "Effective wind speed, wind from 270° at 9 m/s");
  const labels = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(labels, ["NOJ", "Bastankhah", "TurbOPark"], "no flow case repeated on every panel");
  assert.equal(new Set(labels).size, labels.length);
  // A title that already names the case is not extended.
  assert.equal((flowMapFigure(maps, { title: "wind from 270° at 9 m/s" }).layout.title as { text: string }).text, "wind from 270° at 9 m/s");
  for (const [i, a] of ["", "2", "3"].entries()) {
    assert.equal(axis(fig, `yaxis${a}`).scaleanchor, `x${a}`, `panel ${i + 1} has equal axes`);
  }
  const b = boxes(fig);
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) assert.ok(!(overlap(b[i].x, b[j].x) && overlap(b[i].y, b[j].y)), `${b[i].name} and ${b[j].name} overlap`);
  const heat = fig.data.filter((d) => d.type === "heatmap");
  const scale = heat[0].colorscale as [number, string][];
  assert.ok(Array.isArray(scale) && luminance(scale[0][1]) < 0.3, `lowest speed colour ${JSON.stringify(scale[0])} is dark, not white`);
  assert.ok(luminance(scale.at(-1)![1]) < 0.95, "highest speed colour is not white either");
  assert.match((heat[0].colorbar as { title: { text: string } }).title.text, /WS eff \(m\/s\)<br>4\.0–9\.0/);
  // Maps of different flow cases keep them in their own titles.
  const mixed = flowMapFigure([maps[0], { ...maps[1], windDirDeg: 0 }]);
  assert.match(JSON.stringify(mixed.layout.annotations), /NOJ · wind from 270°.*Bastankhah · wind from 0°/);
});

test("AEP against spacing: series apart in dash and marker, legend below; small multiples on a shared axis", () => {
  const s = ["NOJ", "Bastankhah", "TurbOPark", "Zong"].map((name, k) => ({ name, spacingD: [3, 5, 7, 9], aepGWh: [300 + k * 0.1, 340, 360, 370] }));
  const fig = aepVsSpacingFigure(s, { noWakeAepGWh: 400 });
  const style = (d: PlotlyTrace) => JSON.stringify([(d.line as { dash: string }).dash, (d.marker as { symbol: string }).symbol]);
  assert.equal(new Set(fig.data.map(style)).size, 4, "every series has its own dash and marker");
  assert.equal(new Set(fig.data.map((d) => (d.line as { dash: string }).dash)).size, 4);
  assertLegendBelow(fig);
  const facets = aepVsSpacingFigure(s, { noWakeAepGWh: 400, facets: true });
  assert.deepEqual(facets.data.map((d) => d.yaxis), ["y", "y2", "y3", "y4"]);
  for (const a of ["2", "3", "4"]) assert.equal(axis(facets, `yaxis${a}`).matches, "y", "small multiples share the AEP axis");
  const b = boxes(facets);
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) assert.ok(!(overlap(b[i].x, b[j].x) && overlap(b[i].y, b[j].y)), `${b[i].name} and ${b[j].name} overlap`);
  assert.equal((facets.layout.shapes as unknown[]).length, 4, "the no-wake line in every panel");
  assert.deepEqual((facets.layout.annotations as { text: string }[]).filter((a) => a.text !== "no wakes").map((a) => a.text), ["NOJ", "Bastankhah", "TurbOPark", "Zong"]);
});
