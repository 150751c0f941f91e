// HTML for plotly figures, shared by the notebook's display bundles and the offline report.
// plotly.js comes from the npm package plotly.js-dist-min, never from a CDN.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
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

/**
 * plotly.js as a carrier: a <script> of a type the browser does not run, holding the
 * library gzip-compressed in base64 (4.8 MB → 2.0 MB). Figures' loaders (figureHtml) find
 * it anywhere in the page, decompress it once (DecompressionStream) and define
 * window.Plotly. Inert markup survives nbconvert's export unchanged, is dropped by
 * Notebook 6's sanitizer in untrusted notebooks (figures then show their static image),
 * and can be moved between outputs by the save hook (see figureHtml) without running it.
 */
let carrierCache: { version: string; tag: string } | undefined;
export const PLOTLY_CARRIER_TYPE = "application/x-wflo-plotly";
export function plotlyCarrier(js: { version: string; code: string } = plotlyJs()): string {
  if (carrierCache?.version !== js.version || js !== plotlySource) {
    const b64 = gzipSync(Buffer.from(js.code, "utf8"), { level: 9 }).toString("base64");
    const tag = `<script type="${PLOTLY_CARRIER_TYPE}" data-wflo-plotly="${escapeHtml(js.version)}" data-encoding="gzip-base64">${b64}</script>`;
    if (js !== plotlySource) return tag;
    carrierCache = { version: js.version, tag };
  }
  return carrierCache.tag;
}

// The loader shared by every figure (one copy per output, ~2 KB): draw when plotly.js is
// in the page (window.Plotly, or a carrier in any output, decompressed once per page);
// otherwise keep the static image. In a live Notebook 6 page it also registers, once, a
// before_save hook that leaves exactly one carrier in the saved notebook, in the first
// figure output: rerunning the cell that carried it, Run All twice, clearing or deleting
// that cell then never leave a saved or exported notebook without plotly.js.
const LOADER = `function (fig, divId) {
  var W = window, CT = ${JSON.stringify(PLOTLY_CARRIER_TYPE)};
  function decode(b64) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  function plotly() {
    if (W.Plotly) return Promise.resolve(W.Plotly);
    if (W.__wfloPlotly) return W.__wfloPlotly;
    var el = document.querySelector('script[type="' + CT + '"]');
    if (!el || typeof DecompressionStream === "undefined") return null;
    var carrier = { version: el.getAttribute("data-wflo-plotly"), b64: el.textContent.trim() };
    var t0 = W.performance ? performance.now() : 0;
    W.__wfloPlotly = decode(carrier.b64).then(function (code) {
      if (!W.Plotly) {
        var s = document.createElement("script");
        s.text = "(function (module, exports, define) {\\n" + code + "\\n})();";
        document.head.appendChild(s);
      }
      W.__wfloCarrier = carrier;
      if (W.performance) W.__wfloPlotlyLoadMs = performance.now() - t0;
      return W.Plotly;
    });
    return W.__wfloPlotly;
  }
  function saveHook() {
    var nb = W.Jupyter && W.Jupyter.notebook;
    if (!nb || !nb.events || W.__wfloSaveHook) return;
    W.__wfloSaveHook = true;
    var RE = /<script type="application\\/x-wflo-plotly"[^>]*>[^<]*<\\/script>\\n?/g;
    nb.events.on("before_save.Notebook", function () {
      var c = W.__wfloCarrier, first = true;
      if (!c) return;
      var tag = '<script type="' + CT + '" data-wflo-plotly="' + c.version + '" data-encoding="gzip-base64">' + c.b64 + "</scr" + "ipt>\\n";
      nb.get_cells().forEach(function (cell) {
        var outs = (cell.output_area && cell.output_area.outputs) || [];
        outs.forEach(function (o) {
          var h = o.data && o.data["text/html"];
          if (Array.isArray(h)) h = h.join("");
          if (typeof h !== "string" || h.indexOf("wflo-figure") < 0) return;
          var bare = h.replace(RE, "");
          o.data["text/html"] = first ? tag + bare : bare;
          first = false;
        });
      });
    });
  }
  var tries = 0;
  function draw() {
    var el = document.getElementById(divId);
    var p = el ? plotly() : null;
    if (p) {
      p.then(function (P) {
        if (!P) throw new Error("plotly.js did not define window.Plotly");
        var st = el.querySelector(".wflo-static");
        return P.newPlot(el, fig.data, fig.layout, fig.config).then(function () { if (st && st.parentNode) st.parentNode.removeChild(st); });
      }).then(saveHook, function (e) { var h = el.querySelector(".wflo-hint"); if (h) h.textContent = "Static image (interactive figure failed: " + e + ")."; });
      return;
    }
    if (++tries < 600) { setTimeout(draw, 100); return; }
    var h = el && el.querySelector(".wflo-hint");
    if (h) h.textContent = "Static image: no plotly.js in this page (run a cell with a figure to embed it).";
  }
  draw();
}`;

export interface FigureHtmlOptions {
  /** A static rendering (SVG) shown until plotly draws, and for good where scripts do not run. */
  staticSvg?: string;
}

/**
 * The div and the loader of one figure; `id` must be unique in the page. With a static
 * SVG, the div shows it (as an <img>, which sanitizers keep) with a one-line hint until
 * plotly.js draws over it: an untrusted notebook, a viewer without JavaScript, or a page
 * without plotly.js still shows the figure.
 */
export function figureHtml(fig: PlotlyFigure, id: string, opts: FigureHtmlOptions = {}): string {
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
  const divId = `wflo-fig-${id}`;
  const still = opts.staticSvg
    ? `<div class="wflo-static"><img alt="${escapeHtml(figureText(fig))}" style="max-width:100%" src="data:image/svg+xml;base64,${Buffer.from(opts.staticSvg, "utf8").toString("base64")}">` +
      `<div class="wflo-hint" style="font-size:12px;color:#777">Static image: trust the notebook (File › Trust Notebook) and rerun or reopen it for the interactive figure.</div></div>`
    : "";
  // The script may run before its output is attached to the page (Notebook 6 evaluates
  // scripts while building the output element) and before plotly.js arrives: poll both.
  return `<div class="wflo-figure" id="${escapeHtml(divId)}" style="width:100%;min-width:320px;min-height:${height}px">${still}</div>\n` +
    `<script type="text/javascript">(${LOADER})(${scriptJson({ data: fig.data, layout: fig.layout, config: fig.config ?? {} })}, ${scriptJson(divId)});</script>`;
}

export function figureText(fig: PlotlyFigure): string {
  const title = fig.layout.title as { text?: string } | string | undefined;
  const t = typeof title === "string" ? title : title?.text ?? "untitled";
  const kinds = [...new Set(fig.data.map((d) => d.type))].join(", ");
  return `<plotly figure "${t}": ${fig.data.length} trace${fig.data.length === 1 ? "" : "s"} (${kinds})>`;
}
