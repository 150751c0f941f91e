// The layout figure reads on a white page: the legend sits below the x-axis title, the
// lowest AEP colour is not near white, and the colour bar states its range.
import { test } from "node:test";
import assert from "node:assert/strict";
import { layoutFigure } from "../../src/figures/index.js";
import { colors } from "../../src/figures/types.js";

test("layout figure: legend below the axis title, visible lowest colour, colour bar with its range", () => {
  const fig = layoutFigure({ boundary: { centerM: [0, 0], radiusM: 1000 }, optimized: { x: [0, 400, -400], y: [0, 300, 200], aepGWh: [30.04, 31.5, 29.26] }, initial: { x: [10, 390, -380], y: [0, 280, 190] } });
  const legend = fig.layout.legend as { y: number; yanchor: string };
  assert.ok(legend.y <= -0.15 && legend.yanchor === "top", JSON.stringify(legend));
  const marker = fig.data.at(-1)!.marker as { colorscale: [number, string][]; reversescale?: boolean; colorbar: { title: { text: string } } };
  assert.equal(marker.reversescale, undefined);
  const [r, g, b] = marker.colorscale[0][1].match(/\d+/g)!.map(Number);
  // Relative luminance of the lowest colour well below white's 1.0 (YlGnBu's end is 0.98).
  const lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  assert.ok(lum < 0.85, `lowest colour ${marker.colorscale[0][1]} (luminance ${lum.toFixed(2)})`);
  assert.deepEqual(marker.colorscale, colors.aepScale);
  assert.match(marker.colorbar.title.text, /AEP \(GWh\)<br>29\.3–31\.5/);
});
