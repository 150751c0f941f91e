// A static SVG of a plotly figure, drawn by our own code from the figure data at execution
// time (no browser, no plotly.js). It is what an untrusted notebook, a viewer without
// JavaScript (GitHub, nbviewer, an e-mail) or a page without plotly.js shows: the same
// traces, axes, colours and legend as the interactive figure, without hover or zoom.
// Covered: scatter (lines, markers, colour scales), bar (group, stack), box, heatmap and
// contour (as an embedded PNG of the grid), barpolar (wind roses), layout shapes and
// annotations, several cartesian or polar subplots by domain, equal-aspect axes. A trace
// type outside that list is named in a note on the image instead of silently missing.
import { deflateSync } from "node:zlib";
import type { PlotlyFigure, PlotlyTrace } from "./types.js";

type Obj = { [k: string]: unknown };
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown, d: number): number => (typeof v === "number" && Number.isFinite(v) ? v : d);
const str = (v: unknown, d: string): string => (typeof v === "string" ? v : d);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : []);
const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Plotly text may hold <br>, <b>, <sub>...: one line of plain text for the image. */
function plain(s: unknown): string {
  return String(s ?? "").replace(/<br\s*\/?>/gi, " · ").replace(/<[^>]*>/g, "");
}

function titleText(t: unknown): string {
  return plain(typeof t === "string" ? t : obj(t).text ?? "");
}

// Plotly's named colour scales used by wflo's figures and the common ones a cell may pass.
const SCALES: { [name: string]: string[] } = {
  viridis: ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"],
  cividis: ["#00224e", "#123570", "#3b496c", "#575d6d", "#707173", "#8a8678", "#a59c74", "#c3b369", "#e1cc55", "#fee838"],
  ylgnbu: ["#081d58", "#253494", "#225ea8", "#1d91c0", "#41b6c4", "#7fcdbb", "#c7e9b4", "#edf8d9", "#ffffd9"],
  blues: ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7", "#f7fbff"],
  greys: ["#000000", "#ffffff"],
  rdbu: ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"],
  reds: ["#fee0d2", "#fc9272", "#de2d26"],
  ylorrd: ["#800026", "#bd0026", "#e31a1c", "#fc4e2a", "#fd8d3c", "#feb24c", "#fed976", "#ffeda0", "#ffffcc"],
  plasma: ["#0d0887", "#46039f", "#7201a8", "#9c179e", "#bd3786", "#d8576b", "#ed7953", "#fb9f3a", "#fdca26", "#f0f921"],
  hot: ["#000000", "#e60000", "#ffd200", "#ffffff"],
  jet: ["#000083", "#003caa", "#05ffff", "#ffff00", "#fa0000", "#800000"],
};

type Stop = [number, [number, number, number]];

function rgb(c: string): [number, number, number] {
  const h = /^#([0-9a-f]{6})$/i.exec(c);
  if (h) return [parseInt(h[1].slice(0, 2), 16), parseInt(h[1].slice(2, 4), 16), parseInt(h[1].slice(4, 6), 16)];
  const m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(c);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return [128, 128, 128];
}

function scaleStops(scale: unknown, reverse: boolean): Stop[] {
  let stops: Stop[];
  if (Array.isArray(scale) && scale.length >= 2) {
    stops = scale.map((s) => [num((s as unknown[])[0], 0), rgb(str((s as unknown[])[1], "#888888"))]);
  } else {
    const cs = SCALES[str(scale, "viridis").toLowerCase()] ?? SCALES.viridis;
    stops = cs.map((c, i) => [i / (cs.length - 1), rgb(c)]);
  }
  // Plotly's named sequential scales (YlGnBu, Blues, ...) run dark to light as listed here
  // only for some; what matters is that reversescale flips whatever is given.
  if (reverse) stops = stops.map(([t, c]) => [1 - t, c] as Stop).reverse();
  return stops;
}

// Plotly lists YlGnBu, Blues, Greys, YlOrRd, Reds light-to-dark... except that its own
// definitions start at the dark end and plotly reverses them by default. Matching what the
// interactive figure shows: these scales are drawn reversed unless reversescale is set.
const REVERSED_BY_DEFAULT = new Set(["ylgnbu", "blues", "ylorrd", "greys"]);

function colorAt(stops: Stop[], t: number): [number, number, number] {
  if (!(t >= 0)) t = 0;
  if (t > 1) t = 1;
  for (let i = 1; i < stops.length; i++) {
    if (t <= stops[i][0]) {
      const [t0, c0] = stops[i - 1];
      const [t1, c1] = stops[i];
      const f = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
      return [c0[0] + f * (c1[0] - c0[0]), c0[1] + f * (c1[1] - c0[1]), c0[2] + f * (c1[2] - c0[2])];
    }
  }
  return stops[stops.length - 1][1];
}

const hex = (c: [number, number, number]): string => "#" + c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

function stopsOf(t: Obj): Stop[] {
  const name = typeof t.colorscale === "string" ? t.colorscale.toLowerCase() : "";
  const rev = Boolean(t.reversescale) !== REVERSED_BY_DEFAULT.has(name);
  return scaleStops(t.colorscale, rev);
}

// ---- PNG (for heatmaps: one pixel per grid value, smoothed by the viewer when scaled) ----
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGBA rows, top row first, as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = new Uint8Array(height * (1 + 4 * width));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + 4 * width)] = 0; // filter: none
    raw.set(rgba.subarray(y * 4 * width, (y + 1) * 4 * width), y * (1 + 4 * width) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr), pngChunk("IDAT", deflateSync(raw, { level: 9 })), pngChunk("IEND", new Uint8Array(0)),
  ]);
}

// ---- axes ----
interface Axis {
  id: string; // "x", "x2", "y", ...
  spec: Obj;
  categories?: string[];
  lo: number;
  hi: number;
  px0: number; // pixel of lo
  px1: number; // pixel of hi
}

function niceTicks(lo: number, hi: number, target: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function tickLabel(v: number, _step: number): string {
  // toPrecision drops the float noise of v = k * step (0.30000000000000004).
  return Math.abs(v) >= 1e5 ? v.toExponential(1) : String(Number(v.toPrecision(10)));
}

const axisKey = (id: string): string => (id.length > 1 ? `${id[0]}axis${id.slice(1)}` : `${id}axis`);

function axisPos(a: Axis, v: unknown): number | null {
  let x: number;
  if (a.categories) {
    const i = a.categories.indexOf(String(v));
    if (i < 0) return null;
    x = i;
  } else {
    if (v === null || v === undefined || v === "") return null;
    x = Number(v);
    if (!Number.isFinite(x)) return null;
  }
  return a.px0 + ((x - a.lo) / (a.hi - a.lo || 1)) * (a.px1 - a.px0);
}

function dashArray(d: unknown): string {
  return d === "dash" ? ' stroke-dasharray="6,4"' : d === "dot" ? ' stroke-dasharray="2,3"' : d === "dashdot" ? ' stroke-dasharray="6,3,2,3"' : "";
}

interface Legend {
  name: string;
  color: string;
  kind: "line" | "marker" | "box";
  dash?: unknown;
}

export interface FigureSvgOptions {
  /** Width when the layout gives none (px). */
  widthPx?: number;
}

/** The figure as a standalone SVG document (string). */
export function figureSvg(fig: PlotlyFigure, opts: FigureSvgOptions = {}): string {
  const L = fig.layout as Obj;
  const W = num(L.width, opts.widthPx ?? 900);
  const m = obj(L.margin);
  const ml = num(m.l, 80);
  const mr = num(m.r, 80);
  const mt = num(m.t, 100);
  const mb = num(m.b, 80);
  const traces = fig.data as (PlotlyTrace & Obj)[];
  const showLegendAll = L.showlegend !== false;
  const legend: Legend[] = [];
  const notes: string[] = [];
  const body: string[] = [];
  const defs: string[] = [];
  const font = str(obj(L.font).family, "Helvetica, Arial, sans-serif");

  // Legend entries first: they decide how much room goes below the plot.
  traces.forEach((t, k) => {
    const color = traceColor(t, k);
    if (t.showlegend === false || !showLegendAll || !t.name) return;
    if (t.type === "heatmap" || t.type === "contour") return;
    if (traces.length === 1 && L.showlegend !== true) return;
    const mode = str(t.mode, t.type === "scatter" && arr(t.x).length > 20 ? "lines" : "lines+markers");
    legend.push({
      name: plain(t.name), color,
      kind: t.type === "scatter" ? (mode.includes("markers") ? "marker" : "line") : "box",
      dash: obj(t.line).dash,
    });
  });
  const legendRows = legend.length ? Math.ceil(legend.reduce((s, e) => s + 34 + 7 * e.name.length, 0) / Math.max(200, W - 40)) : 0;
  const legendPx = legendRows * 20 + (legendRows ? 10 : 0);
  const Hplot = num(L.height, 450);
  const H = Hplot + legendPx;
  // The plotting area (paper coordinates 0..1 map here).
  const px = { x0: ml, x1: W - mr, y0: Hplot - mb, y1: mt }; // y0: bottom pixel, y1: top pixel
  const paperX = (f: number) => px.x0 + f * (px.x1 - px.x0);
  const paperY = (f: number) => px.y0 + f * (px.y1 - px.y0);

  // ---- cartesian axes: collect the axes the traces use and their data ranges ----
  const axes = new Map<string, Axis>();
  const cartesian = traces.filter((t) => CARTESIAN.has(t.type));
  const bars = traces.filter((t) => t.type === "bar");
  const boxes = traces.filter((t) => t.type === "box");
  const barStack = L.barmode === "stack" || L.barmode === "relative";
  for (const t of cartesian) {
    for (const [id, vals] of [[str(t.xaxis, "x"), axisValues(t, "x")], [str(t.yaxis, "y"), axisValues(t, "y")]] as [string, unknown[]][]) {
      let a = axes.get(id);
      if (!a) {
        a = { id, spec: obj(L[axisKey(id)]), lo: Infinity, hi: -Infinity, px0: 0, px1: 0 };
        axes.set(id, a);
      }
      const isCat = a.spec.type === "category" || vals.some((v) => typeof v === "string" && !Number.isFinite(Number(v)));
      if (isCat) {
        a.categories ??= [];
        for (const v of vals) if (v !== null && v !== undefined && !a.categories.includes(String(v))) a.categories.push(String(v));
      } else {
        for (const v of vals) {
          if (v === null || v === undefined || v === "") continue;
          const x = Number(v);
          if (Number.isFinite(x)) (a.lo = Math.min(a.lo, x)), (a.hi = Math.max(a.hi, x));
        }
      }
    }
  }
  // Stacked bars reach the sum of their values; bars start at zero.
  if (bars.length) {
    const yId = str(bars[0].yaxis, "y");
    const a = axes.get(yId);
    if (a && !a.categories) {
      a.lo = Math.min(a.lo, 0);
      if (barStack) {
        const sums = new Map<string, number>();
        for (const b of bars) arr(b.x).forEach((x, i) => sums.set(String(x), (sums.get(String(x)) ?? 0) + num(arr(b.y)[i], 0)));
        for (const s of sums.values()) a.hi = Math.max(a.hi, s);
      }
    }
  }
  // Shapes in data coordinates widen the range (a "no wake" line must be visible).
  for (const s of arr(L.shapes).map(obj)) {
    for (const [ref, keys] of [[str(s.xref, "x"), ["x0", "x1"]], [str(s.yref, "y"), ["y0", "y1"]]] as [string, string[]][]) {
      const a = axes.get(ref);
      if (a && !a.categories) for (const k of keys) if (typeof s[k] === "number") (a.lo = Math.min(a.lo, s[k] as number)), (a.hi = Math.max(a.hi, s[k] as number));
    }
  }
  for (const a of axes.values()) {
    const range = arr(a.spec.range);
    if (a.categories) {
      a.lo = -0.5;
      a.hi = a.categories.length - 0.5;
    } else if (range.length === 2 && typeof range[0] === "number" && typeof range[1] === "number") {
      a.lo = range[0];
      a.hi = range[1];
    } else if (!(a.hi >= a.lo)) {
      a.lo = 0;
      a.hi = 1;
    } else {
      const heat = cartesian.some((t) => (t.type === "heatmap" || t.type === "contour") && (str(t.xaxis, "x") === a.id || str(t.yaxis, "y") === a.id));
      const pad = heat ? 0 : a.hi > a.lo ? 0.05 * (a.hi - a.lo) : Math.max(1, Math.abs(a.lo) * 0.1);
      a.lo -= pad;
      a.hi += pad;
    }
    const dom = arr(a.spec.domain);
    const d0 = num(dom[0], 0);
    const d1 = num(dom[1], 1);
    if (a.id[0] === "x") (a.px0 = paperX(d0)), (a.px1 = paperX(d1));
    else (a.px0 = paperY(d0)), (a.px1 = paperY(d1));
  }
  // Equal aspect (scaleanchor): both axes get the smaller pixels-per-unit, centred.
  for (const a of axes.values()) {
    const anchor = a.spec.scaleanchor;
    if (typeof anchor !== "string") continue;
    const b = axes.get(anchor);
    if (!b || a.categories || b.categories) continue;
    const ratio = num(a.spec.scaleratio, 1);
    const sa = Math.abs(a.px1 - a.px0) / ((a.hi - a.lo) * ratio);
    const sb = Math.abs(b.px1 - b.px0) / (b.hi - b.lo);
    const s = Math.min(sa, sb);
    for (const [ax, sc] of [[a, s * ratio], [b, s]] as [Axis, number][]) {
      const lenPx = (ax.hi - ax.lo) * sc;
      const mid = (ax.px0 + ax.px1) / 2;
      const sign = ax.px1 >= ax.px0 ? 1 : -1;
      ax.px0 = mid - (sign * lenPx) / 2;
      ax.px1 = mid + (sign * lenPx) / 2;
    }
  }

  // ---- axes, grid, ticks ----
  for (const a of axes.values()) {
    const isX = a.id[0] === "x";
    const other = axes.get(str(a.spec.anchor, isX ? "y" + a.id.slice(1) : "x" + a.id.slice(1)));
    const base = other ? other.px0 : isX ? px.y0 : px.x0;
    const grid = a.spec.showgrid !== false && a.spec.gridcolor ? str(a.spec.gridcolor, "#eee") : a.spec.showgrid === true ? "#eee" : null;
    const otherEnd = other ? other.px1 : isX ? px.y1 : px.x1;
    if (isX) body.push(`<line x1="${fmt(a.px0)}" y1="${fmt(base)}" x2="${fmt(a.px1)}" y2="${fmt(base)}" stroke="#444"/>`);
    else body.push(`<line x1="${fmt(base)}" y1="${fmt(a.px0)}" x2="${fmt(base)}" y2="${fmt(a.px1)}" stroke="#444"/>`);
    const ticks: [number, string][] = a.categories
      ? a.categories.map((c, i) => [i, c])
      : (() => {
        const vs = niceTicks(a.lo, a.hi, Math.max(2, Math.round(Math.abs(a.px1 - a.px0) / (isX ? 90 : 50))));
        const step = vs.length > 1 ? vs[1] - vs[0] : 1;
        return vs.map((v) => [v, tickLabel(v, step) + str(a.spec.ticksuffix, "")] as [number, string]);
      })();
    const rot = num(a.spec.tickangle, 0);
    for (const [v, label] of ticks) {
      const p = a.px0 + ((v - a.lo) / (a.hi - a.lo || 1)) * (a.px1 - a.px0);
      if (isX) {
        if (grid && !a.categories) body.push(`<line x1="${fmt(p)}" y1="${fmt(base)}" x2="${fmt(p)}" y2="${fmt(otherEnd)}" stroke="${esc(grid)}"/>`);
        body.push(rot
          ? `<text x="${fmt(p)}" y="${fmt(base + 14)}" font-size="11" text-anchor="end" transform="rotate(${rot} ${fmt(p)} ${fmt(base + 14)})">${esc(plain(label))}</text>`
          : `<text x="${fmt(p)}" y="${fmt(base + 16)}" font-size="11" text-anchor="middle">${esc(plain(label))}</text>`);
      } else {
        if (grid) body.push(`<line x1="${fmt(base)}" y1="${fmt(p)}" x2="${fmt(otherEnd)}" y2="${fmt(p)}" stroke="${esc(grid)}"/>`);
        body.push(`<text x="${fmt(base - 6)}" y="${fmt(p + 4)}" font-size="11" text-anchor="end">${esc(plain(label))}</text>`);
      }
    }
    const title = titleText(a.spec.title);
    if (title) {
      if (isX) body.push(`<text x="${fmt((a.px0 + a.px1) / 2)}" y="${fmt(base + (rot ? 60 : 36))}" font-size="12" text-anchor="middle">${esc(title)}</text>`);
      else {
        const x = base - 48;
        const y = (a.px0 + a.px1) / 2;
        body.push(`<text x="${fmt(x)}" y="${fmt(y)}" font-size="12" text-anchor="middle" transform="rotate(-90 ${fmt(x)} ${fmt(y)})">${esc(title)}</text>`);
      }
    }
  }

  // ---- traces ----
  const barSums = new Map<string, number>();
  traces.forEach((t, k) => {
    const xa = axes.get(str(t.xaxis, "x"));
    const ya = axes.get(str(t.yaxis, "y"));
    const color = traceColor(t, k);
    switch (t.type) {
      case "scatter":
      case "scattergl":
        if (xa && ya) body.push(scatterSvg(t, xa, ya, color));
        break;
      case "bar": {
        if (!xa || !ya) break;
        const xs = arr(t.x);
        const ys = arr(t.y);
        const bi = bars.indexOf(t);
        const slot = xa.categories ? Math.abs(xa.px1 - xa.px0) / xa.categories.length : 20;
        const w = barStack ? slot * 0.8 : (slot * 0.8) / bars.length;
        xs.forEach((x, i) => {
          const cx = axisPos(xa, x);
          const v = num(ys[i], 0);
          if (cx === null) return;
          const below = barStack ? barSums.get(String(x)) ?? 0 : 0;
          if (barStack) barSums.set(String(x), below + v);
          const y0 = axisPos(ya, below)!;
          const y1 = axisPos(ya, below + v)!;
          const left = barStack ? cx - w / 2 : cx - (slot * 0.8) / 2 + bi * w;
          body.push(`<rect x="${fmt(left)}" y="${fmt(Math.min(y0, y1))}" width="${fmt(w)}" height="${fmt(Math.abs(y1 - y0))}" fill="${esc(color)}"/>`);
        });
        break;
      }
      case "box":
        if (xa && ya) body.push(boxSvg(t, xa, ya, color, boxes.indexOf(t), L.boxmode === "group" ? boxes.length : 1));
        break;
      case "heatmap":
      case "contour":
        if (xa && ya) {
          const r = heatmapSvg(t, xa, ya, defs.length);
          body.push(r.svg);
          defs.push(r.def);
          if (t.showscale !== false) body.push(colorbarSvg(t, r.zmin, r.zmax, px, paperY));
        }
        break;
      case "barpolar":
        break; // drawn per polar subplot below
      default:
        notes.push(`${t.type} trace${t.name ? ` "${plain(t.name)}"` : ""} not drawn in the static image`);
    }
    if (t.type === "scatter" && obj(t.marker).showscale) {
      const c = arr(obj(t.marker).color).map((v) => Number(v)).filter(Number.isFinite);
      if (c.length) body.push(colorbarSvg(obj(t.marker), Math.min(...c), Math.max(...c), px, paperY));
    }
  });

  // ---- polar subplots (wind roses) ----
  const polarIds = [...new Set(traces.filter((t) => t.type === "barpolar").map((t) => str(t.subplot, "polar")))];
  for (const id of polarIds) body.push(polarSvg(traces.filter((t) => t.type === "barpolar" && str(t.subplot, "polar") === id), obj(L[id]), px, paperX, paperY, (t) => traceColor(t, traces.indexOf(t as PlotlyTrace & Obj))));

  // ---- shapes and annotations ----
  for (const s of arr(L.shapes).map(obj)) {
    const X = (v: unknown) => (str(s.xref, "x") === "paper" ? paperX(num(v, 0)) : axes.get(str(s.xref, "x")) ? axisPos(axes.get(str(s.xref, "x"))!, v) : null);
    const Y = (v: unknown) => (str(s.yref, "y") === "paper" ? paperY(num(v, 0)) : axes.get(str(s.yref, "y")) ? axisPos(axes.get(str(s.yref, "y"))!, v) : null);
    const [x0, x1, y0, y1] = [X(s.x0), X(s.x1), Y(s.y0), Y(s.y1)];
    if (x0 === null || x1 === null || y0 === null || y1 === null) continue;
    const line = obj(s.line);
    const stroke = str(line.color, "#444");
    const sw = num(line.width, 1);
    if (s.type === "rect") body.push(`<rect x="${fmt(Math.min(x0, x1))}" y="${fmt(Math.min(y0, y1))}" width="${fmt(Math.abs(x1 - x0))}" height="${fmt(Math.abs(y1 - y0))}" fill="${esc(str(s.fillcolor, "none"))}" stroke="${esc(stroke)}" stroke-width="${sw}"${dashArray(line.dash)}/>`);
    else if (s.type === "circle") body.push(`<ellipse cx="${fmt((x0 + x1) / 2)}" cy="${fmt((y0 + y1) / 2)}" rx="${fmt(Math.abs(x1 - x0) / 2)}" ry="${fmt(Math.abs(y1 - y0) / 2)}" fill="${esc(str(s.fillcolor, "none"))}" stroke="${esc(stroke)}" stroke-width="${sw}"/>`);
    else if (s.type === "line") body.push(`<line x1="${fmt(x0)}" y1="${fmt(y0)}" x2="${fmt(x1)}" y2="${fmt(y1)}" stroke="${esc(stroke)}" stroke-width="${sw}"${dashArray(line.dash)}/>`);
  }
  for (const a of arr(L.annotations).map(obj)) {
    const xref = str(a.xref, "x");
    const yref = str(a.yref, "y");
    const x = xref === "paper" ? paperX(num(a.x, 0)) : axes.get(xref) ? axisPos(axes.get(xref)!, a.x) : null;
    const y = yref === "paper" ? paperY(num(a.y, 0)) : axes.get(yref) ? axisPos(axes.get(yref)!, a.y) : null;
    if (x === null || y === null) continue;
    const anchor = a.xanchor === "left" ? "start" : a.xanchor === "right" ? "end" : "middle";
    const dy = a.yanchor === "bottom" ? -4 : a.yanchor === "top" ? 12 : 4;
    body.push(`<text x="${fmt(x)}" y="${fmt(y + dy)}" font-size="${num(obj(a.font).size, 12)}" text-anchor="${anchor}">${esc(plain(a.text))}</text>`);
  }

  // ---- title, legend, notes ----
  const title = titleText(L.title);
  if (title) body.push(`<text x="${fmt(ml)}" y="${fmt(Math.min(30, mt * 0.6))}" font-size="16">${esc(title)}</text>`);
  let lx = 20;
  let ly = Hplot + 12;
  for (const e of legend) {
    const w = 34 + 7 * e.name.length;
    if (lx + w > W - 20 && lx > 20) (lx = 20), (ly += 20);
    if (e.kind === "line") body.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${esc(e.color)}" stroke-width="2"${dashArray(e.dash)}/>`);
    else if (e.kind === "marker") body.push(`<circle cx="${lx + 11}" cy="${ly}" r="5" fill="${esc(e.color)}"/>`);
    else body.push(`<rect x="${lx + 4}" y="${ly - 6}" width="14" height="12" fill="${esc(e.color)}"/>`);
    body.push(`<text x="${lx + 28}" y="${ly + 4}" font-size="12">${esc(e.name)}</text>`);
    lx += w;
  }
  notes.forEach((n, i) => body.push(`<text x="${W - 10}" y="${fmt(14 + 14 * i)}" font-size="11" fill="#a00" text-anchor="end">${esc(n)}</text>`));

  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${esc(font)}">` +
    `<defs>${defs.join("")}</defs><rect width="${W}" height="${H}" fill="${esc(str(L.paper_bgcolor, "white"))}"/>${body.join("")}</svg>`;
}

// The trace types drawn on x/y axes (others get no axes of their own).
const CARTESIAN = new Set(["scatter", "scattergl", "bar", "box", "heatmap", "contour"]);

function axisValues(t: Obj, which: "x" | "y"): unknown[] {
  if (t.type === "heatmap" || t.type === "contour") {
    // Cell centres: the edges reach half a cell further.
    const v = arr(t[which]).map(Number);
    if (v.length < 2) return v;
    return [v[0] - (v[1] - v[0]) / 2, ...v, v[v.length - 1] + (v[v.length - 1] - v[v.length - 2]) / 2];
  }
  return arr(t[which]).flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function traceColor(t: Obj, k: number): string {
  const series = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const mc = obj(t.marker).color;
  if (t.type === "scatter" && str(t.mode, "").startsWith("lines") && typeof obj(t.line).color === "string") return obj(t.line).color as string;
  if (typeof mc === "string") return mc;
  if (Array.isArray(mc) && mc.length) return hex(colorAt(stopsOf(obj(t.marker)), 0.5));
  if (typeof obj(t.line).color === "string") return obj(t.line).color as string;
  return series[k % series.length];
}

function scatterSvg(t: Obj, xa: Axis, ya: Axis, color: string): string {
  const xs = arr(t.x);
  const ys = arr(t.y);
  const n = Math.min(xs.length, ys.length);
  const mode = str(t.mode, n > 20 ? "lines" : "lines+markers");
  const out: string[] = [];
  if (mode.includes("lines")) {
    const line = obj(t.line);
    let d = "";
    let pen = false;
    for (let i = 0; i < n; i++) {
      const x = axisPos(xa, xs[i]);
      const y = axisPos(ya, ys[i]);
      if (x === null || y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${fmt(x)},${fmt(y)}`;
      pen = true;
    }
    if (d) out.push(`<path d="${d}" fill="none" stroke="${esc(str(line.color, color))}" stroke-width="${num(line.width, 2)}"${dashArray(line.dash)}/>`);
  }
  if (mode.includes("markers")) {
    const mk = obj(t.marker);
    const r = num(mk.size, 6) / 2;
    const open = str(mk.symbol, "circle").endsWith("-open");
    const edge = obj(mk.line);
    const colors = arr(mk.color);
    let fillOf = (_i: number) => color;
    if (colors.length) {
      const vals = colors.map(Number);
      const finite = vals.filter(Number.isFinite);
      const lo = num(mk.cmin, Math.min(...finite));
      const hi = num(mk.cmax, Math.max(...finite));
      const stops = stopsOf(mk);
      fillOf = (i) => (Number.isFinite(vals[i]) ? hex(colorAt(stops, hi > lo ? (vals[i] - lo) / (hi - lo) : 0.5)) : color);
    }
    const stroke = typeof edge.color === "string" ? ` stroke="${esc(edge.color)}" stroke-width="${num(edge.width, 1)}"` : "";
    for (let i = 0; i < n; i++) {
      const x = axisPos(xa, xs[i]);
      const y = axisPos(ya, ys[i]);
      if (x === null || y === null) continue;
      out.push(open
        ? `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}" fill="none" stroke="${esc(fillOf(i))}" stroke-width="${num(edge.width, 1.5)}"/>`
        : `<circle cx="${fmt(x)}" cy="${fmt(y)}" r="${fmt(r)}" fill="${esc(fillOf(i))}"${stroke}/>`);
    }
  }
  return out.join("");
}

function quantile(sorted: number[], q: number): number {
  const p = (sorted.length - 1) * q;
  const i = Math.floor(p);
  return i + 1 < sorted.length ? sorted[i] + (p - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

function boxSvg(t: Obj, xa: Axis, ya: Axis, color: string, index: number, groups: number): string {
  const xs = arr(t.x);
  const ys = arr(t.y).map(Number);
  const byX = new Map<string, number[]>();
  ys.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const k = xs.length ? String(xs[i]) : String(t.name ?? "");
    if (!byX.has(k)) byX.set(k, []);
    byX.get(k)!.push(v);
  });
  const out: string[] = [];
  const slot = xa.categories ? Math.abs(xa.px1 - xa.px0) / Math.max(1, xa.categories.length) : 40;
  const w = (slot * 0.7) / groups;
  for (const [k, vals] of byX) {
    const c = axisPos(xa, k);
    if (c === null) continue;
    const cx = c - (slot * 0.7) / 2 + (groups > 1 ? index : 0) * w + w / 2;
    vals.sort((a, b) => a - b);
    const [q1, med, q3] = [quantile(vals, 0.25), quantile(vals, 0.5), quantile(vals, 0.75)];
    const Y = (v: number) => axisPos(ya, v)!;
    out.push(`<line x1="${fmt(cx)}" y1="${fmt(Y(vals[0]))}" x2="${fmt(cx)}" y2="${fmt(Y(vals[vals.length - 1]))}" stroke="${esc(color)}"/>`);
    out.push(`<rect x="${fmt(cx - w * 0.4)}" y="${fmt(Y(q3))}" width="${fmt(w * 0.8)}" height="${fmt(Math.max(1, Y(q1) - Y(q3)))}" fill="${esc(color)}" fill-opacity="0.3" stroke="${esc(color)}"/>`);
    out.push(`<line x1="${fmt(cx - w * 0.4)}" y1="${fmt(Y(med))}" x2="${fmt(cx + w * 0.4)}" y2="${fmt(Y(med))}" stroke="${esc(color)}" stroke-width="2"/>`);
    if (t.boxpoints === "all") {
      // Points spread across the box in a fixed pattern (plotly jitters at random).
      vals.forEach((v, i) => out.push(`<circle cx="${fmt(cx + ((i % 5) - 2) * w * 0.08)}" cy="${fmt(Y(v))}" r="2.5" fill="${esc(color)}"/>`));
    }
  }
  return out.join("");
}

function heatmapSvg(t: Obj, xa: Axis, ya: Axis, k: number): { svg: string; def: string; zmin: number; zmax: number } {
  const z = arr(t.z).map((r) => arr(r).map(Number));
  const ny = z.length;
  const nx = ny ? z[0].length : 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of z) for (const v of r) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const zmin = num(t.zmin, lo);
  const zmax = num(t.zmax, hi);
  const stops = stopsOf(t);
  const rgba = new Uint8Array(nx * ny * 4);
  for (let j = 0; j < ny; j++) {
    const row = z[ny - 1 - j]; // PNG rows top-down, y grows upward
    for (let i = 0; i < nx; i++) {
      const v = row[i];
      const o = (j * nx + i) * 4;
      if (!Number.isFinite(v)) continue; // transparent: masked or missing
      const c = colorAt(stops, zmax > zmin ? (v - zmin) / (zmax - zmin) : 0.5);
      rgba[o] = c[0];
      rgba[o + 1] = c[1];
      rgba[o + 2] = c[2];
      rgba[o + 3] = 255;
    }
  }
  const xv = axisValues(t, "x").map(Number);
  const yv = axisValues(t, "y").map(Number);
  if (!nx || !ny || xv.length < 2 || yv.length < 2) return { svg: "", def: "", zmin, zmax };
  const x0 = axisPos(xa, xv[0])!;
  const x1 = axisPos(xa, xv[xv.length - 1])!;
  const y0 = axisPos(ya, yv[0])!;
  const y1 = axisPos(ya, yv[yv.length - 1])!;
  const png = encodePng(nx, ny, rgba).toString("base64");
  const clip = `wflo-clip-${k}`;
  return {
    def: `<clipPath id="${clip}"><rect x="${fmt(Math.min(x0, x1))}" y="${fmt(Math.min(y0, y1))}" width="${fmt(Math.abs(x1 - x0))}" height="${fmt(Math.abs(y1 - y0))}"/></clipPath>`,
    svg: `<image clip-path="url(#${clip})" x="${fmt(Math.min(x0, x1))}" y="${fmt(Math.min(y0, y1))}" width="${fmt(Math.abs(x1 - x0))}" height="${fmt(Math.abs(y1 - y0))}" preserveAspectRatio="none" ` +
      `${t.zsmooth ? "" : 'style="image-rendering:pixelated" '}href="data:image/png;base64,${png}" xlink:href="data:image/png;base64,${png}"/>`,
    zmin, zmax,
  };
}

function colorbarSvg(t: Obj, lo: number, hi: number, px: { x0: number; x1: number; y0: number; y1: number }, paperY: (f: number) => number): string {
  const cb = obj(t.colorbar);
  const stops = stopsOf(t);
  const x = px.x0 + num(cb.x, 1.02) * (px.x1 - px.x0);
  const len = num(cb.len, 1);
  const yTop = cb.yanchor === "top" ? paperY(num(cb.y, 1)) : paperY(Math.min(1, num(cb.y, 0.5) + len / 2));
  const h = len * Math.abs(px.y0 - px.y1);
  const n = 24;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = hex(colorAt(stops, 1 - (i + 0.5) / n));
    out.push(`<rect x="${fmt(x)}" y="${fmt(yTop + (i * h) / n)}" width="${num(cb.thickness, 14)}" height="${fmt(h / n + 0.5)}" fill="${c}"/>`);
  }
  const w = num(cb.thickness, 14);
  out.push(`<text x="${fmt(x + w + 4)}" y="${fmt(yTop + 10)}" font-size="11">${esc(tickLabel(hi, Math.abs(hi - lo) / 10 || 1))}</text>`);
  out.push(`<text x="${fmt(x + w + 4)}" y="${fmt(yTop + h)}" font-size="11">${esc(tickLabel(lo, Math.abs(hi - lo) / 10 || 1))}</text>`);
  const title = titleText(cb.title);
  if (title) out.push(`<text x="${fmt(x)}" y="${fmt(yTop - 6)}" font-size="11">${esc(title)}</text>`);
  return out.join("");
}

function polarSvg(
  ts: Obj[], spec: Obj, px: { x0: number; x1: number; y0: number; y1: number },
  paperX: (f: number) => number, paperY: (f: number) => number, colorOf: (t: Obj) => string,
): string {
  const dom = obj(spec.domain);
  const dx = arr(dom.x);
  const dy = arr(dom.y);
  const X0 = paperX(num(dx[0], 0));
  const X1 = paperX(num(dx[1], 1));
  const Y0 = paperY(num(dy[0], 0));
  const Y1 = paperY(num(dy[1], 1));
  const cx = (X0 + X1) / 2;
  const cy = (Y0 + Y1) / 2;
  const R = Math.max(10, Math.min(Math.abs(X1 - X0), Math.abs(Y1 - Y0)) / 2 - 14);
  const ang = obj(spec.angularaxis);
  const clockwise = ang.direction === "clockwise";
  const rotation = num(ang.rotation, 0);
  // Screen angle of a polar angle (degrees): plotly puts theta = 0 at `rotation` (counter-clockwise from east).
  const screen = (th: number) => ((rotation + (clockwise ? -th : th)) * Math.PI) / 180;
  const stack = spec.barmode !== "overlay";
  const base = new Map<number, number>();
  let rMax = 0;
  const sums = new Map<number, number>();
  for (const t of ts) arr(t.theta).forEach((th, i) => {
    const v = num(arr(t.r)[i], 0);
    const s = stack ? (sums.get(Number(th)) ?? 0) + v : v;
    sums.set(Number(th), s);
    rMax = Math.max(rMax, s);
  });
  if (!(rMax > 0)) rMax = 1;
  const out: string[] = [`<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(R)}" fill="${esc(str(spec.bgcolor, "#f8f8f8"))}" stroke="#ccc"/>`];
  const ticks = niceTicks(0, rMax, 3).filter((v) => v > 0);
  for (const v of ticks) out.push(`<circle cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt((v / rMax) * R)}" fill="none" stroke="#ddd"/>`);
  for (const t of ts) {
    const color = colorOf(t);
    const th = arr(t.theta).map(Number);
    const widths = arr(t.width);
    const mk = obj(t.marker);
    let fill = color;
    if (typeof mk.color === "number") {
      const stops = stopsOf(mk);
      const lo = num(mk.cmin, 0);
      const hi = num(mk.cmax, 1);
      fill = hex(colorAt(stops, hi > lo ? (mk.color - lo) / (hi - lo) : 0.5));
    }
    th.forEach((a, i) => {
      const v = num(arr(t.r)[i], 0);
      const b = stack ? base.get(a) ?? 0 : 0;
      if (stack) base.set(a, b + v);
      const w = num(widths[i], 360 / Math.max(1, th.length));
      const r0 = (b / rMax) * R;
      const r1 = ((b + v) / rMax) * R;
      const a0 = screen(a - w / 2);
      const a1 = screen(a + w / 2);
      const P = (r: number, t2: number) => `${fmt(cx + r * Math.cos(t2))},${fmt(cy - r * Math.sin(t2))}`;
      out.push(`<path d="M${P(r0, a0)}L${P(r1, a0)}L${P(r1, a1)}L${P(r0, a1)}Z" fill="${esc(fill)}" stroke="white" stroke-width="0.5"/>`);
    });
  }
  const small = R < 60;
  for (const [deg, label] of [[0, "N"], [90, "E"], [180, "S"], [270, "W"]] as [number, string][]) {
    const a = screen(deg);
    out.push(`<text x="${fmt(cx + (R + 8) * Math.cos(a))}" y="${fmt(cy - (R + 8) * Math.sin(a) + 4)}" font-size="${small ? 8 : 11}" text-anchor="middle">${label}</text>`);
  }
  if (!small) {
    const suffix = str(obj(spec.radialaxis).ticksuffix, "");
    for (const v of ticks) out.push(`<text x="${fmt(cx + 3)}" y="${fmt(cy - (v / rMax) * R - 2)}" font-size="10" fill="#555">${esc(tickLabel(v, ticks.length > 1 ? ticks[1] - ticks[0] : v) + suffix)}</text>`);
  }
  return out.join("");
}
