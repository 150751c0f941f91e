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

// A notebook figure must draw in every copy of the notebook (saved, reopened, exported,
// shared), whatever happened to other cells. Each figure output therefore carries:
//   - a static image (SVG, drawn at execution time by svg.ts) with a one-line hint: what an
//     untrusted notebook, a viewer without JavaScript, or a page without plotly.js shows;
//   - a small loader that finds plotly.js itself (never another cell's *script*):
//       1. window.Plotly, when the page has it already;
//       2. a plotly.js carrier anywhere in the page (plotlyCarrier above);
//       3. in a live Notebook 6, a carrier in the notebook's saved outputs even when the page
//          shows them sanitized (untrusted) — read from the notebook model;
//       4. in a live Notebook 6, the copy in the kernelspec's own folder that the Jupyter
//          server serves at <base>kernelspecs/<kernel>/plotly.min.js.
//   - and, in a live Notebook 6, a hook on "before_save" that keeps exactly one carrier in
//     the notebook that is written to disk, in the first figure's output: when a rerun, a
//     cleared output or a deleted cell took the carrier away it is put back, and a second one
//     (a new kernel session embeds its own) is dropped. So a saved notebook holds plotly.js
//     once, in an output, where nbconvert's HTML export keeps it too.
// The kernel sends the carrier with the first figure of a session (src/notebook/show.ts), so
// a notebook executed headless (nbclient, nbconvert --execute) carries it as well.

// The loader, the same text in every figure. It keeps one shared state per page in
// window.__wfloPlotly (so ten figures decompress plotly.js once) and never names the
// carrier's type attribute as it appears in markup: a search for the carrier must not find
// the loader.
const LOADER_JS = `function wfloPlotly() {
  var w = window, L = w.__wfloPlotly;
  if (L && L.v === 1) return L;
  L = w.__wfloPlotly = { v: 1, p: null, gz: null, hooked: false };
  var TYPE = ${JSON.stringify(PLOTLY_CARRIER_TYPE)}, MARK = "type=\\"" + TYPE + "\\"";
  function nb() { var J = w.Jupyter; return J && J.notebook && J.notebook.get_cells ? J.notebook : null; }
  function htmlOf(o) { var h = o && o.data && o.data["text/html"]; return Array.isArray(h) ? h.join("") : typeof h === "string" ? h : ""; }
  function outputs() {
    var n = nb(), out = [];
    if (!n) return out;
    n.get_cells().forEach(function (c) { ((c.output_area && c.output_area.outputs) || []).forEach(function (o) { out.push(o); }); });
    return out;
  }
  function carrierIn(h) {
    var i = h.indexOf(MARK);
    if (i < 0) return null;
    var s = h.lastIndexOf("<script", i), b = h.indexOf(">", i) + 1, e = h.indexOf("</" + "script>", b);
    return e < 0 ? null : { start: s, end: e + 9, b64: h.slice(b, e).trim() };
  }
  function fromPage() { var e = document.querySelector("script[type=\\"" + TYPE + "\\"]"); return e ? e.textContent.trim() : null; }
  function fromModel() {
    var os = outputs();
    for (var i = 0; i < os.length; i++) { var c = carrierIn(htmlOf(os[i])); if (c) return c.b64; }
    return null;
  }
  function run(code) {
    // A script from a blob: URL is compiled off the main thread (an inline or eval'd one
    // froze the page for its whole compile). Parameters shadow module/exports/define:
    // Notebook 6's require.js must not capture plotly.js.
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(new Blob(["(function (module, exports, define) {\\n", code, "\\n})();"], { type: "text/javascript" }));
      var s = document.createElement("script");
      s.src = url;
      s.onload = function () { URL.revokeObjectURL(url); w.Plotly ? resolve(w.Plotly) : reject(new Error("plotly.js did not define window.Plotly")); };
      s.onerror = function () {
        // A page whose policy refuses blob: scripts: evaluate it here instead.
        URL.revokeObjectURL(url);
        try { new Function("module", "exports", "define", code)(); } catch (e) { return reject(e); }
        w.Plotly ? resolve(w.Plotly) : reject(new Error("plotly.js did not define window.Plotly"));
      };
      document.head.appendChild(s);
    });
  }
  function bytes(b64) { var s = atob(b64), u = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i); return u; }
  function gunzip(b64) { return new Response(new Blob([bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"))).text(); }
  function gzip(text) {
    return new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer().then(function (buf) {
      var u = new Uint8Array(buf), s = "";
      for (var i = 0; i < u.length; i += 32768) s += String.fromCharCode.apply(null, u.subarray(i, i + 32768));
      return btoa(s);
    });
  }
  function servedUrl() {
    // The notebook's own kernelspec name: a reopened notebook draws its saved figures
    // before its kernel session exists.
    var n = nb();
    if (!n) return null;
    var name = (n.kernel && n.kernel.name) || (n.metadata && n.metadata.kernelspec && n.metadata.kernelspec.name);
    return name ? (n.base_url || "/") + "kernelspecs/" + encodeURIComponent(name) + "/plotly.min" : null;
  }
  function fromServer() {
    var url = servedUrl();
    if (!url || typeof fetch !== "function") return null;
    return fetch(url + ".js", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("plotly.js not served by the kernelspec (" + r.status + ")"); return r.text(); });
  }
  // In a live Notebook 6, plotly.js comes from the copy the Jupyter server serves with the
  // kernelspec, through Notebook's own require.js: a script from an http URL lands in the
  // browser's cache, and Chromium keeps its compiled code, so from the third page load on
  // plotly.js starts in a fraction of the time (its 4.8 MB evaluate for over a second on
  // every load otherwise; a blob: script is never cached). The carrier stays the source
  // everywhere else (exports, viewers) and when the server does not serve it.
  function fromRequire() {
    var rq = w.requirejs, url = servedUrl();
    if (!url || !rq || !rq.config || typeof fetch !== "function") return null;
    return new Promise(function (resolve, reject) {
      var done = false, timer = setTimeout(function () { if (!done) (done = true), reject(new Error("plotly.js from the kernelspec timed out")); }, 20000);
      rq.config({ paths: { "wflo-plotly": url } });
      rq(["wflo-plotly"], function (P) {
        if (done) return;
        done = true; clearTimeout(timer);
        if (!w.Plotly && P) w.Plotly = P;
        w.Plotly ? resolve(w.Plotly) : reject(new Error("plotly.js did not define Plotly"));
      }, function (e) {
        try { rq.undef("wflo-plotly"); } catch (x) { /* nothing to forget */ }
        if (!done) (done = true), clearTimeout(timer), reject(e);
      });
    });
  }
  // The save hook needs the compressed text: from a carrier, or made from the served copy
  // (a second request, answered by the browser's cache).
  function keepCompressed() {
    if (L.gz) return;
    var b64 = fromPage() || fromModel();
    if (b64) { L.gz = b64; return; }
    var s = typeof CompressionStream === "function" ? fromServer() : null;
    if (s) s.then(gzip).then(function (g) { L.gz = L.gz || g; }, function () {});
  }
  function fromCarrier() {
    var b64 = fromPage() || fromModel();
    if (b64 && typeof DecompressionStream === "function") {
      L.gz = b64;
      return gunzip(b64).then(run);
    }
    var s = fromServer();
    if (!s) return Promise.reject(new Error(b64 ? "this browser cannot decompress the embedded plotly.js" : "plotly.js is neither in this page nor in the notebook"));
    return s.then(function (code) {
      if (typeof CompressionStream === "function") gzip(code).then(function (g) { L.gz = g; });
      return run(code);
    });
  }
  L.load = function () {
    if (w.Plotly) return Promise.resolve(w.Plotly);
    if (L.p) return L.p;
    var t0 = performance.now();
    var r = fromRequire();
    L.p = r ? r.then(function (P) { L.via = "kernelspec"; keepCompressed(); return P; }, function () { L.via = "carrier"; return fromCarrier(); })
      : fromCarrier().then(function (P) { L.via = "carrier"; return P; });
    // How long plotly.js took to arrive (decompress, or fetch, and evaluate): measured by the browser test.
    L.p.then(function () { w.__wfloPlotlyLoadMs = performance.now() - t0; }, function () { L.p = null; });
    return L.p;
  };
  // Notebook 6 folds an output area taller than 100 lines (~1800 px) into a scroll box:
  // a cell showing several figures (a loop of layouts) would show them through a slot.
  // An output area holding a figure never folds; a click on its prompt still toggles it.
  L.noScroll = function (el) {
    var n = nb();
    if (!n) return;
    n.get_cells().forEach(function (c) {
      var oa = c.output_area, e = oa && oa.element && oa.element[0];
      if (!e || !e.contains(el) || oa.scroll_state === false) return;
      oa.scroll_state = false;
      if (oa.scrolled && oa.unscroll_area) oa.unscroll_area();
    });
  };
  // Notebook 6: the notebook written to disk holds exactly one carrier.
  L.hook = function () {
    var n = nb();
    if (L.hooked || !n || !n.events) return;
    L.hooked = true;
    n.events.on("before_save.Notebook", function () {
      try {
        // Every carrier out, then one into the first figure output: wherever reruns, cleared
        // outputs, deleted cells or a second kernel session left them, the file gets one.
        var figs = [], gz = L.gz;
        outputs().forEach(function (o) {
          var h = htmlOf(o), c;
          if (!h) return;
          while ((c = carrierIn(h))) { gz = gz || c.b64; h = h.slice(0, c.start) + h.slice(c.end).replace(/^\\n/, ""); o.data["text/html"] = h; }
          if (h.indexOf('class="wflo-figure"') >= 0) figs.push(o);
        });
        if (figs.length && gz) {
          figs[0].data["text/html"] = "<script " + MARK + " data-wflo-plotly=\\"" + (w.Plotly && w.Plotly.version || "") + "\\" data-encoding=\\"gzip-base64\\">" + gz + "</" + "script>\\n" + htmlOf(figs[0]);
        }
      } catch (e) { console.error("wflo: could not keep plotly.js in the saved notebook", e); }
    });
  };
  return L;
}`;

export interface FigureHtmlOptions {
  /** A static rendering (SVG) shown until plotly draws, and for good where scripts do not run. */
  staticSvg?: string;
}

/** The hint under a static image: one line, plain text (an untrusted page drops styles). */
export const STATIC_HINT = "Static image: the interactive figure needs a trusted notebook (File \u203a Trust Notebook) with JavaScript; rerunning the cell also draws it.";

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
    ? `<div class="wflo-static"><img alt="${escapeHtml(figureText(fig))}" style="max-width:100%;height:auto" src="data:image/svg+xml;base64,${Buffer.from(opts.staticSvg, "utf8").toString("base64")}">` +
      `<div class="wflo-hint" style="font-size:12px;color:#777">${escapeHtml(STATIC_HINT)}</div></div>`
    : "";
  return `<div class="wflo-figure" id="${escapeHtml(divId)}" style="width:100%;min-width:320px">${still}</div>\n` +
    `<script type="text/javascript">(function () {\n${LOADER_JS}\n` +
    `  var fig = ${scriptJson({ data: fig.data, layout: fig.layout, config: fig.config ?? {} })};\n` +
    `  var L = wfloPlotly(), tries = 0, fails = 0;\n` +
    // Notebook 6 runs this script while it builds the output, before the element (and the
    // carrier next to it) is in the page: wait for the element, then load and draw.
    `  function attempt() {\n` +
    `    var el = document.getElementById(${scriptJson(divId)});\n` +
    `    if (!el) { if (++tries < 600) setTimeout(attempt, 50); return; }\n` +
    `    L.hook(); if (L.noScroll) L.noScroll(el);\n` +
    `    L.load().then(function (Plotly) {\n` +
    `      if (el.getAttribute("data-drawn")) return;\n` +
    `      el.setAttribute("data-drawn", "1");\n` +
    `      var p = document.createElement("div");\n` +
    `      p.className = "wflo-plot"; p.style.width = "100%"; p.style.height = ${height} + "px";\n` +
    `      el.appendChild(p);\n` +
    `      return Plotly.newPlot(p, fig.data, fig.layout, fig.config).then(function () { var s = el.querySelector(".wflo-static"); if (s) s.parentNode.removeChild(s); });\n` +
    `    }).catch(function (e) {\n` +
    `      if (++fails < 40) { setTimeout(attempt, 500); return; }\n` +
    `      var h = el.querySelector(".wflo-hint"); if (h) h.textContent = "Static image: " + e.message + ".";\n` +
    `    });\n` +
    `  }\n` +
    `  attempt();\n` +
    `})();</script>`;
}

export function figureText(fig: PlotlyFigure): string {
  const title = fig.layout.title as { text?: string } | string | undefined;
  const t = typeof title === "string" ? title : title?.text ?? "untitled";
  const kinds = [...new Set(fig.data.map((d) => d.type))].join(", ");
  return `<plotly figure "${t}": ${fig.data.length} trace${fig.data.length === 1 ? "" : "s"} (${kinds})>`;
}
