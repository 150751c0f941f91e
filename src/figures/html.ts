// HTML for plotly figures, shared by the notebook's display bundles and the offline report.
// plotly.js comes from the npm package plotly.js-dist-min, never from a CDN.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { PlotlyFigure } from "./types.js";

/** Text that is safe inside an HTML element or attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON that can sit inside a <script> element: no "</script>" and no "<!--" can appear. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

let plotlySource: { version: string; code: string } | undefined;

/** plotly.js from the npm package plotly.js-dist-min (read once, cached). */
export function plotlyJs(): { version: string; code: string } {
  if (!plotlySource) {
    const require = createRequire(import.meta.url);
    const file = require.resolve("plotly.js-dist-min/plotly.min.js");
    const pkg = JSON.parse(readFileSync(require.resolve("plotly.js-dist-min/package.json"), "utf8")) as { version: string };
    plotlySource = { version: pkg.version, code: readFileSync(file, "utf8") };
  }
  return plotlySource;
}

/**
 * A <script> element that defines window.Plotly. The library is wrapped in a function whose
 * parameters shadow `module`, `exports` and `define`, so that Notebook 6's require.js (AMD)
 * or a CommonJS-looking page cannot capture it: plotly.js then sets window.Plotly itself.
 */
export function plotlyJsTag(js: { version: string; code: string } = plotlyJs()): string {
  // Inside a <script>, only "</script" and "<!--" are special to the HTML parser; the one
  // "<!--" in plotly.js sits in a string literal, where "<\!--" is the same string.
  const code = js.code.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
  return `<script type="text/javascript" data-wflo-plotly="${escapeHtml(js.version)}">/* plotly.js ${escapeHtml(js.version)} from the npm package plotly.js-dist-min, embedded once per kernel session by wflo */\n` +
    `(function (module, exports, define) {\n${code}\n})();\n</script>`;
}

/** The div and the drawing script of one figure; `id` must be unique in the page. */
export function figureHtml(fig: PlotlyFigure, id: string): string {
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
  const divId = `wflo-fig-${id}`;
  // The script may run before its output is attached to the page (Notebook 6 evaluates
  // scripts while building the output element) and before plotly.js arrives: poll both.
  return `<div class="wflo-figure" id="${escapeHtml(divId)}" style="width:100%;min-width:320px;height:${height}px"></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var fig = ${scriptJson({ data: fig.data, layout: fig.layout, config: fig.config ?? {} })};\n` +
    `  var tries = 0;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(${scriptJson(divId)});\n` +
    `    if (el && window.Plotly) { window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }\n` +
    `    if (++tries < 1200) { setTimeout(draw, 50); return; }\n` +
    `    if (el) el.textContent = "This figure needs plotly.js, which the first figure of the kernel session embeds: run the notebook from the top.";\n` +
    `  }\n` +
    `  draw();\n` +
    `})();</script>`;
}

export function figureText(fig: PlotlyFigure): string {
  const title = fig.layout.title as { text?: string } | string | undefined;
  const t = typeof title === "string" ? title : title?.text ?? "untitled";
  const kinds = [...new Set(fig.data.map((d) => d.type))].join(", ");
  return `<plotly figure "${t}": ${fig.data.length} trace${fig.data.length === 1 ? "" : "s"} (${kinds})>`;
}
