// The static SVG that untrusted notebooks and viewers without JavaScript show: drawn by
// figures/svg.ts from the figure data alone. Checked on what a reader relies on: every
// builder gives a complete SVG; maps keep equal axes; a heatmap's grid is embedded as a PNG
// with one pixel per value, coloured by the trace's scale; what it cannot draw is named.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import {
  aepDistributionFigure, aepGainFigure, aepVsSpacingFigure, convergenceFigure, figureSvg, flowMapFigure, layoutFigure, recoveryFigure, windRoseFigure,
  type PlotlyFigure,
} from "../../src/notebook/index.js";

const rose = { directionsDeg: [0, 90, 180, 270], frequency: [1, 2, 3, 4] };
const rows = [{ farm: "A", turbineType: "T", aepGWh: 10, initialAepGWh: 9 }, { farm: "B", turbineType: "T", aepGWh: 11, initialAepGWh: 10 }];

function tagsBalanced(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === "/") continue;
    if (m[1] === "/") assert.equal(stack.pop(), m[2], `</${m[2]}> closes <${stack.at(-1)}>`);
    else stack.push(m[2]);
  }
  assert.deepEqual(stack, []);
}

test("every figure builder gives a complete SVG with its title, and no raw markup from labels", () => {
  const figs: [string, PlotlyFigure][] = [
    ["wind rose", windRoseFigure({ ...rose, title: "wind <b>rose</b>" })],
    ["layout", layoutFigure({ title: "layout", boundary: { centerM: [0, 0], radiusM: 500 }, optimized: { x: [0, 100], y: [0, 50], aepGWh: [1, 2] }, initial: { x: [10, 90], y: [5, 40] }, windRose: rose })],
    ["AEP", aepDistributionFigure(rows, { title: "AEP" })],
    ["gain", aepGainFigure(rows, { title: "gain" })],
    ["convergence", convergenceFigure([{ name: "c", aepGWh: [1, 2, 3] }], { title: "convergence" })],
    ["spacing", aepVsSpacingFigure([{ name: "m", spacingD: [2, 4], aepGWh: [1, 2] }], { title: "spacing", noWakeAepGWh: 3 })],
    ["recovery", recoveryFigure([{ file: "a.h5", salvaged: 1, lost: 2 }], { title: "recovery" })],
  ];
  for (const [title, fig] of figs) {
    const svg = figureSvg(fig);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/, title);
    tagsBalanced(svg);
    assert.ok(svg.includes(`>${title === "wind rose" ? "wind rose" : title}</text>`), `${title}: the title is drawn as plain text`);
    assert.doesNotMatch(svg, /not drawn in the static image/, `${title}: every trace drawn`);
  }
  // The "no wakes" reference line of the spacing figure is a layout shape: drawn, dashed.
  assert.match(figureSvg(figs[5][1]), /<line [^>]*stroke-dasharray="6,4"\/>/);
});

test("equal axes: a circular boundary stays a circle in the static image", () => {
  const fig = layoutFigure({ boundary: { centerM: [0, 0], radiusM: 1000 }, optimized: { x: [0], y: [0] } });
  const svg = figureSvg({ ...fig, layout: { ...fig.layout, width: 900, height: 400 } });
  const d = /<path d="(M[^"]+)" fill="none" stroke="#444444"/.exec(svg);
  assert.ok(d, "the boundary path");
  const pts = [...d[1].matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const w = Math.max(...pts.map((p) => p[0])) - Math.min(...pts.map((p) => p[0]));
  const h = Math.max(...pts.map((p) => p[1])) - Math.min(...pts.map((p) => p[1]));
  assert.ok(Math.abs(w - h) <= 0.5, `circle ${w} × ${h} px in a 900 × 400 figure`);
});

test("a heatmap is one PNG pixel per grid value in the trace's colour scale, north up", () => {
  const x = [0, 10, 20];
  const y = [0, 10];
  // Row-major, y first: the lowest row is all 0 m/s (dark end of Viridis), the top all 9.
  const fig = flowMapFigure({ name: "m", x, y, wsEffMs: [0, 0, 0, 9, 9, 9] }, { zminMs: 0, zmaxMs: 9 });
  const svg = figureSvg(fig);
  const m = /href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(svg);
  assert.ok(m, "an embedded PNG");
  const png = Buffer.from(m[1], "base64");
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.readUInt32BE(16), 3, "width = nx");
  assert.equal(png.readUInt32BE(20), 2, "height = ny");
  const idatLen = png.readUInt32BE(33);
  assert.equal(png.subarray(37, 41).toString("ascii"), "IDAT");
  const raw = inflateSync(png.subarray(41, 41 + idatLen));
  assert.equal(raw.length, 2 * (1 + 4 * 3));
  // Top PNG row = highest y = 9 m/s = Viridis' light end; bottom row = its dark end.
  assert.deepEqual([...raw.subarray(1, 5)], [0xfd, 0xe7, 0x25, 255]);
  assert.deepEqual([...raw.subarray(14, 18)], [0x44, 0x01, 0x54, 255]);
  assert.match(svg, />WS eff \(m\/s\) · 0\.0–9\.0<\/text>/, "the colour bar says what it shows and its range");
});

test("a trace type the static image cannot draw is named on it, not silently dropped", () => {
  const svg = figureSvg({ data: [{ type: "sankey", name: "flows" }], layout: { title: { text: "t" } } });
  assert.match(svg, />sankey trace &quot;flows&quot; not drawn in the static image<\/text>/);
  assert.doesNotMatch(svg, /<line /, "no empty axes for a trace without any");
});
