// A static SVG of a plotly figure, rendered in Node when the figure is shown: what an
// untrusted notebook, a viewer without JavaScript or a page without plotly.js displays.
// It covers what wflo's builders draw (scatter lines/markers, bar, box, heatmap,
// barpolar, subplots by axis domain, equal-aspect axes, annotations, a colour bar) in a
// plain style; plotly's interactive rendering replaces it wherever scripts run.
import { deflateSync } from "node:zlib";
import type { PlotlyFigure, PlotlyTrace } from "./types.js";
import { escapeHtml } from "./html.js";

type Obj = { [k: string]: unknown };
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown, d: number): number => (typeof v === "number" && Number.isFinite(v) ? v : d);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === "object" && "length" in (v as object) ? Array.from(v as ArrayLike<unknown>) : []);
const text = (v: unknown): string => String(typeof v === "string" ? v : obj(v).text ?? "").replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "");
const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

// Plotly's named colour scales used by wflo (stops from plotly.js src/components/colorscale/scales.js).
const SCALES: { [name: string]: [number, string][] } = {
  Viridis: [[0, "#440154"], [0.06274509803921569, "#48186a"], [0.12549019607843137, "#472d7b"], [0.18823529411764706, "#424086"], [0.25098039215686274, "#3b528b"], [0.3137254901960784, "#33638d"], [0.3764705882352941, "#2c728e"], [0.4392156862745098, "#26828e"], [0.5019607843137255, "#21918c"], [0.5647058823529412, "#1fa088"], [0.6274509803921569, "#28ae80"], [0.6901960784313725, "#3fbc73"], [0.7529411764705882, "#5ec962"], [0.8156862745098039, "#84d44b"], [0.8784313725490196, "#addc30"], [0.9411764705882353, "#d8e219"], [1, "#fde725"]],
  YlGnBu: [[0, "rgb(8,29,88)"], [0.125, "rgb(37,52,148)"], [0.25, "rgb(34,94,168)"], [0.375, "rgb(29,145,192)"], [0.5, "rgb(65,182,196)"], [0.625, "rgb(127,205,187)"], [0.75, "rgb(199,233,180)"], [0.875, "rgb(237,248,217)"], [1, "rgb(255,255,217)"]],
  Blues: [[0, "rgb(5,10,172)"], [0.35, "rgb(40,60,190)"], [0.5, "rgb(70,100,245)"], [0.6, "rgb(90,120,245)"], [0.7, "rgb(106,137,247)"], [1, "rgb(220,220,220)"]],
};

function rgb(c: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(c);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16)];
  const r = /rgba?\(([^)]*)\)/.exec(c);
  if (r) {
    const p = r[1].split(",").map(Number);
    return [p[0], p[1], p[2]];
  }
  return [128, 128, 128];
}

function scaleOf(v: unknown, reverse: boolean): [number, [number, number, number]][] {
  let stops: [number, string][] = SCALES.Viridis;
  if (typeof v === "string" && SCALES[v]) stops = SCALES[v];
  else if (Array.isArray(v) && v.length >= 2) stops = v as [number, string][];
  const out = stops.map(([t, c]) => [t, rgb(c)] as [number, [number, number, number]]);
  // Plotly's named scales run dark to light except the "reversed by default" ones
  // (YlGnBu, Blues...): wflo's builders set reversescale where they mean it.
  return reverse ? out.map(([t, c]) => [1 - t, c] as [number, [number, number, number]]).reverse() : out;
}

function sample(scale: [number, [number, number, number]][], t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let k = 1; k < scale.length; k++) {
    if (u <= scale[k][0]) {
      const [t0, c0] = scale[k - 1];
      const [t1, c1] = scale[k];
      const w = t1 > t0 ? (u - t0) / (t1 - t0) : 0;
      return [0, 1, 2].map((i) => Math.round(c0[i] + w * (c1[i] - c0[i]))) as [number, number, number];
    }
  }
  return scale[scale.length - 1][1];
}
const hex = (c: [number, number, number]) => "#" + c.map((v) => v.toString(16).padStart(2, "0")).join("");

/** Ticks at 1, 2, 5 × 10^k covering [lo, hi], about `n` of them. */
export function niceTicks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}
const tickLabel = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toPrecision(3) : String(Number(v.toPrecision(6))));

// A PNG (RGB, no filter) for heatmaps: one <image> instead of thousands of rects.
const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(b: Buffer): number {
  let c = -1;
  for (let i = 0; i < b.length; i++) c = CRC[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
export function pngRgb(width: number, height: number, pixel: (i: number, j: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((3 * width + 1) * height);
  for (let j = 0; j < height; j++) {
    const row = j * (3 * width + 1);
    raw[row] = 0;
    for (let i = 0; i < width; i++) {
      const c = pixel(i, j);
      raw[row + 1 + 3 * i] = c[0];
      raw[row + 2 + 3 * i] = c[1];
      raw[row + 3 + 3 * i] = c[2];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

interface Axis { key: string; domain: [number, number]; lo: number; hi: number; cats?: string[]; title: string; px0: number; px1: number; log: boolean }

/**
 * The figure as a standalone SVG document. `widthPx` stands in for the notebook's
 * width (plotly's figures are responsive; the SVG scales with max-width:100%).
 */
export function figureSvg(fig: PlotlyFigure, opts: { widthPx?: number } = {}): string {
  const L = fig.layout;
  const W = num(L.width, opts.widthPx ?? 900);
  const H = num(L.height, 450);
  const m = obj(L.margin);
  const ml = num(m.l, 80), mr = num(m.r, 80), mt = num(m.t, 100), mb = num(m.b, 80);
  const pw = W - ml - mr, ph = H - mt - mb;
  const out: string[] = [];
  const traces = fig.data.filter((t) => t.visible !== false && t.visible !== "legendonly");
  const cartesian = traces.filter((t) => t.type !== "barpolar");

  // Axes: each trace names its pair ("x2", "y2"); plotly's layout key is "xaxis2".
  const axes = new Map<string, Axis>();
  const axisOf = (id: string): Axis => {
    let a = axes.get(id);
    if (!a) {
      const lk = id[0] + "axis" + id.slice(1);
      const la = obj(L[lk]);
      const d = arr(la.domain) as number[];
      a = { key: lk, domain: d.length === 2 ? [d[0], d[1]] : [0, 1], lo: Infinity, hi: -Infinity, title: text(la.title), px0: 0, px1: 0, log: la.type === "log" };
      if (la.type === "category") a.cats = [];
      axes.set(id, a);
    }
    return a;
  };
  const extend = (a: Axis, vs: unknown[]) => {
    for (const v of vs) {
      if (typeof v === "string" || a.cats) {
        a.cats ??= [];
        if (!a.cats.includes(String(v))) a.cats.push(String(v));
      } else if (typeof v === "number" && Number.isFinite(v)) {
        a.lo = Math.min(a.lo, v);
        a.hi = Math.max(a.hi, v);
      }
    }
  };
  for (const t of cartesian) {
    const xa = axisOf(String(t.xaxis ?? "x"));
    const ya = axisOf(String(t.yaxis ?? "y"));
    if (t.type === "box") {
      extend(xa, t.x ? arr(t.x) : [t.name ?? "trace"]);
      extend(ya, arr(t.y));
    } else {
      if (t.type === "heatmap" || t.type === "contour") {
        // Cells are centred on their coordinates: the axis reaches the outer cell edges.
        const edges = (v: number[]) => (v.length > 1 ? [v[0] - (v[1] - v[0]) / 2, v[v.length - 1] + (v[v.length - 1] - v[v.length - 2]) / 2] : v);
        extend(xa, edges(arr(t.x) as number[]));
        extend(ya, edges(arr(t.y) as number[]));
        continue;
      }
      extend(xa, arr(t.x));
      if (t.type === "bar") extend(ya, [0, ...stackedTops(cartesian, t, L.barmode === "stack")]);
      else extend(ya, arr(t.y));
    }
  }
  for (const a of axes.values()) {
    const la = obj(L[a.key]);
    const r = arr(la.range) as number[];
    if (r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1])) [a.lo, a.hi] = [r[0], r[1]];
    else if (!a.cats) {
      if (!(a.hi >= a.lo)) [a.lo, a.hi] = [0, 1];
      const pad = a.hi > a.lo ? 0.05 * (a.hi - a.lo) : Math.abs(a.lo) * 0.1 || 1;
      const tight = cartesian.some((t) => (t.type === "heatmap" || t.type === "contour") && (String(t.xaxis ?? "x") === a.key.replace("axis", "") || String(t.yaxis ?? "y") === a.key.replace("axis", "")));
      if (!tight) (a.lo -= pad), (a.hi += pad);
    }
    const horizontal = a.key.startsWith("x");
    a.px0 = horizontal ? ml + a.domain[0] * pw : mt + (1 - a.domain[1]) * ph;
    a.px1 = horizontal ? ml + a.domain[1] * pw : mt + (1 - a.domain[0]) * ph;
  }
  // Equal aspect (scaleanchor): widen the data range of whichever axis has more room.
  for (const [id, a] of axes) {
    const anchor = obj(L[a.key]).scaleanchor;
    if (typeof anchor !== "string" || a.cats) continue;
    const b = axes.get(anchor);
    if (!b || b.cats) continue;
    const upa = (a.hi - a.lo) / Math.abs(a.px1 - a.px0);
    const upb = (b.hi - b.lo) / Math.abs(b.px1 - b.px0);
    const u = Math.max(upa, upb);
    for (const ax of [a, b]) {
      const c = (ax.lo + ax.hi) / 2;
      const half = (u * Math.abs(ax.px1 - ax.px0)) / 2;
      // constrain: "domain" shrinks the axis instead of widening its range.
      if (obj(L[ax.key]).constrain === "domain") {
        const span = (ax.hi - ax.lo) / u;
        const mid = (ax.px0 + ax.px1) / 2;
        ax.px0 = mid - span / 2;
        ax.px1 = mid + span / 2;
      } else (ax.lo = c - half), (ax.hi = c + half);
    }
    void id;
  }
  const px = (a: Axis, v: unknown): number => {
    if (a.cats) {
      const k = a.cats.indexOf(String(v));
      return a.px0 + ((k + 0.5) / a.cats.length) * (a.px1 - a.px0);
    }
    const x = typeof v === "number" ? v : NaN;
    const t = (x - a.lo) / (a.hi - a.lo);
    return a.key.startsWith("x") ? a.px0 + t * (a.px1 - a.px0) : a.px1 - t * (a.px1 - a.px0);
  };

  out.push(`<rect width="${W}" height="${H}" fill="${escapeHtml(String(L.paper_bgcolor ?? "white"))}"/>`);
  // Grid, ticks and axis titles.
  for (const a of axes.values()) {
    const h = a.key.startsWith("x");
    const other = [...axes.values()].find((b) => b.key.startsWith(h ? "y" : "x") && b.key.slice(5) === a.key.slice(5)) ?? [...axes.values()].find((b) => b.key.startsWith(h ? "y" : "x"));
    if (!other) continue;
    const [o0, o1] = h ? [Math.min(other.px0, other.px1), Math.max(other.px0, other.px1)] : [other.px0, other.px1];
    const ticks = a.cats ? a.cats : niceTicks(a.lo, a.hi);
    for (const tv of ticks) {
      const p = px(a, tv);
      if (h) {
        if (!a.cats) out.push(`<line x1="${f1(p)}" x2="${f1(p)}" y1="${f1(o0)}" y2="${f1(o1)}" stroke="#eee"/>`);
        out.push(`<text x="${f1(p)}" y="${f1(o1 + 16)}" text-anchor="middle">${escapeHtml(typeof tv === "number" ? tickLabel(tv) : tv)}</text>`);
      } else {
        if (!a.cats) out.push(`<line x1="${f1(o0)}" x2="${f1(o1)}" y1="${f1(p)}" y2="${f1(p)}" stroke="#eee"/>`);
        out.push(`<text x="${f1(o0 - 6)}" y="${f1(p + 4)}" text-anchor="end">${escapeHtml(typeof tv === "number" ? tickLabel(tv) : tv)}</text>`);
      }
    }
    if (h) out.push(`<line x1="${f1(a.px0)}" x2="${f1(a.px1)}" y1="${f1(o1)}" y2="${f1(o1)}" stroke="#444"/>`);
    else out.push(`<line x1="${f1(o0)}" x2="${f1(o0)}" y1="${f1(a.px0)}" y2="${f1(a.px1)}" stroke="#444"/>`);
    if (a.title) {
      out.push(h
        ? `<text x="${f1((a.px0 + a.px1) / 2)}" y="${f1(o1 + 36)}" text-anchor="middle">${escapeHtml(a.title)}</text>`
        : `<text transform="translate(${f1(o0 - 46)},${f1((a.px0 + a.px1) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(a.title)}</text>`);
    }
  }

  let colorbar: { scale: [number, [number, number, number]][]; lo: number; hi: number; title: string } | undefined;
  const barTraces = cartesian.filter((t) => t.type === "bar" || t.type === "box");
  traces.forEach((t, ti) => {
    const color = (c: unknown, d: string) => (typeof c === "string" ? c : d);
    const series = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    const base = series[ti % series.length];
    if (t.type === "barpolar") {
      out.push(polar(t, L, ml, mt, pw, ph, base));
      return;
    }
    const xa = axisOf(String(t.xaxis ?? "x"));
    const ya = axisOf(String(t.yaxis ?? "y"));
    if (t.type === "heatmap" || t.type === "contour") {
      const xs = arr(t.x) as number[], ys = arr(t.y) as number[], z = arr(t.z).map((r) => arr(r) as number[]);
      if (!z.length || !xs.length || !ys.length) return;
      let lo = num(t.zmin, Infinity), hi = num(t.zmax, -Infinity);
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) for (const r of z) for (const v of r) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
      const scale = scaleOf(t.colorscale, t.reversescale === true);
      const nx = xs.length, ny = ys.length;
      const png = pngRgb(nx, ny, (i, j) => {
        const v = z[ny - 1 - j]?.[i];
        return Number.isFinite(v) ? sample(scale, (v - lo) / (hi - lo || 1)) : [255, 255, 255];
      });
      const x0 = px(xa, xs[0]), x1 = px(xa, xs[nx - 1]), y0 = px(ya, ys[ny - 1]), y1 = px(ya, ys[0]);
      const dx = (x1 - x0) / Math.max(1, nx - 1) / 2, dy = (y1 - y0) / Math.max(1, ny - 1) / 2;
      out.push(`<image x="${f1(x0 - dx)}" y="${f1(y0 - dy)}" width="${f1(x1 - x0 + 2 * dx)}" height="${f1(y1 - y0 + 2 * dy)}" preserveAspectRatio="none" href="data:image/png;base64,${png.toString("base64")}"/>`);
      if (t.showscale !== false && !colorbar) colorbar = { scale, lo, hi, title: text(obj(t.colorbar).title) };
      return;
    }
    if (t.type === "bar") {
      const k = barTraces.indexOf(t);
      const stack = L.barmode === "stack";
      const nb = stack ? 1 : barTraces.length;
      const xs = arr(t.x), ys = arr(t.y) as number[];
      const slot = xa.cats ? Math.abs(xa.px1 - xa.px0) / xa.cats.length : 20;
      const w = (0.8 * slot) / nb;
      const below = stack ? stackedBelow(cartesian, t) : [];
      const c = color(obj(t.marker).color, base);
      xs.forEach((xv, i) => {
        const b0 = below[i] ?? 0;
        const yTop = px(ya, b0 + num(ys[i], 0)), yBot = px(ya, b0);
        const cx = px(xa, xv) - 0.4 * slot + (stack ? 0 : k) * w;
        out.push(`<rect x="${f1(cx)}" y="${f1(Math.min(yTop, yBot))}" width="${f1(w)}" height="${f1(Math.abs(yBot - yTop))}" fill="${escapeHtml(c)}"/>`);
      });
      return;
    }
    if (t.type === "box") {
      const k = barTraces.indexOf(t);
      const ys = (arr(t.y) as number[]).filter(Number.isFinite);
      const xs = t.x ? arr(t.x) : ys.map(() => t.name ?? "trace");
      const groups = new Map<string, number[]>();
      xs.forEach((xv, i) => {
        const v = (arr(t.y) as number[])[i];
        if (Number.isFinite(v)) groups.set(String(xv), [...(groups.get(String(xv)) ?? []), v]);
      });
      const slot = xa.cats ? Math.abs(xa.px1 - xa.px0) / xa.cats.length : 40;
      const nb = L.boxmode === "group" ? barTraces.length : 1;
      const w = (0.7 * slot) / nb;
      const c = color(obj(t.marker).color ?? obj(t.line).color, base);
      for (const [g, vs] of groups) {
        vs.sort((a, b) => a - b);
        const q = (p: number) => {
          const r = p * (vs.length - 1), i = Math.floor(r);
          return vs[i] + (r - i) * ((vs[Math.min(vs.length - 1, i + 1)] ?? vs[i]) - vs[i]);
        };
        const cx = px(xa, xa.cats ? g : g) - 0.35 * slot + (nb > 1 ? k : 0) * w + w / 2;
        const [p0, p1, p2, p3, p4] = [0, 0.25, 0.5, 0.75, 1].map((p) => px(ya, q(p)));
        out.push(`<line x1="${f1(cx)}" x2="${f1(cx)}" y1="${f1(p0)}" y2="${f1(p4)}" stroke="${escapeHtml(c)}"/>` +
          `<rect x="${f1(cx - w / 2)}" y="${f1(p3)}" width="${f1(w)}" height="${f1(Math.max(1, p1 - p3))}" fill="${escapeHtml(c)}" fill-opacity="0.3" stroke="${escapeHtml(c)}"/>` +
          `<line x1="${f1(cx - w / 2)}" x2="${f1(cx + w / 2)}" y1="${f1(p2)}" y2="${f1(p2)}" stroke="${escapeHtml(c)}" stroke-width="2"/>`);
        for (const v of vs) out.push(`<circle cx="${f1(cx)}" cy="${f1(px(ya, v))}" r="2" fill="${escapeHtml(c)}" fill-opacity="0.6"/>`);
      }
      return;
    }
    // scatter
    const mode = String(t.mode ?? "lines+markers");
    const xs = arr(t.x), ys = arr(t.y);
    if (mode.includes("lines")) {
      const line = obj(t.line);
      const dash = line.dash === "dash" ? ' stroke-dasharray="6,4"' : line.dash === "dot" ? ' stroke-dasharray="2,3"' : line.dash === "dashdot" ? ' stroke-dasharray="6,3,2,3"' : "";
      let d = "";
      let pen = false;
      xs.forEach((xv, i) => {
        const yv = ys[i];
        if (xv === null || yv === null || (typeof xv === "number" && !Number.isFinite(xv)) || (typeof yv === "number" && !Number.isFinite(yv as number))) {
          pen = false;
          return;
        }
        d += `${pen ? "L" : "M"}${f1(px(xa, xv))},${f1(px(ya, yv))}`;
        pen = true;
      });
      if (d) out.push(`<path d="${d}" fill="none" stroke="${escapeHtml(color(line.color, base))}" stroke-width="${num(line.width, 2)}"${dash}/>`);
    }
    if (mode.includes("markers")) {
      const mk = obj(t.marker);
      const size = num(mk.size, 6);
      const open = String(mk.symbol ?? "").endsWith("-open");
      const cs = Array.isArray(mk.color) || (mk.color && typeof mk.color === "object") ? (arr(mk.color) as number[]) : undefined;
      let scale: [number, [number, number, number]][] | undefined, lo = 0, hi = 1;
      if (cs) {
        scale = scaleOf(mk.colorscale, mk.reversescale === true);
        lo = num(mk.cmin, Math.min(...cs.filter(Number.isFinite)));
        hi = num(mk.cmax, Math.max(...cs.filter(Number.isFinite)));
        if (mk.showscale === true && !colorbar) colorbar = { scale, lo, hi, title: text(obj(mk.colorbar).title) };
      }
      const ln = obj(mk.line);
      const one = color(mk.color, base);
      xs.forEach((xv, i) => {
        const yv = ys[i];
        if (xv === null || yv === null) return;
        const fill = cs && scale ? hex(sample(scale, (cs[i] - lo) / (hi - lo || 1))) : one;
        out.push(`<circle cx="${f1(px(xa, xv))}" cy="${f1(px(ya, yv))}" r="${f1(size / 2)}" ` +
          (open ? `fill="none" stroke="${escapeHtml(fill)}" stroke-width="${num(ln.width, 1.5)}"/>` : `fill="${escapeHtml(fill)}" stroke="${escapeHtml(color(ln.color, "none"))}" stroke-width="${num(ln.width, 0)}"/>`));
      });
    }
  });

  // Shapes spanning the paper across (the spacing figure's reference line).
  for (const s of arr(L.shapes).map(obj)) {
    if (s.type !== "line") continue;
    const ya = axes.get("y");
    const xa = axes.get("x");
    if (!ya || !xa) continue;
    const x0 = s.xref === "paper" ? ml + num(s.x0, 0) * pw : px(xa, s.x0);
    const x1 = s.xref === "paper" ? ml + num(s.x1, 1) * pw : px(xa, s.x1);
    const ln = obj(s.line);
    out.push(`<line x1="${f1(x0)}" x2="${f1(x1)}" y1="${f1(px(ya, s.y0))}" y2="${f1(px(ya, s.y1))}" stroke="${escapeHtml(String(ln.color ?? "#888"))}" stroke-dasharray="${ln.dash ? "6,4" : "none"}"/>`);
  }
  for (const a of arr(L.annotations).map(obj)) {
    const x = a.xref === "paper" || a.xref === undefined ? ml + num(a.x, 0.5) * pw : px(axisOf(String(a.xref)), a.x);
    const y = a.yref === "paper" || a.yref === undefined ? mt + (1 - num(a.y, 0.5)) * ph : px(axisOf(String(a.yref)), a.y);
    const anchor = a.xanchor === "left" ? "start" : a.xanchor === "right" ? "end" : "middle";
    const dy = a.yanchor === "bottom" ? -4 : a.yanchor === "top" ? 12 : 4;
    out.push(`<text x="${f1(x)}" y="${f1(y + dy)}" text-anchor="${anchor}" font-size="${num(obj(a.font).size, 12)}">${escapeHtml(text(a.text))}</text>`);
  }
  if (colorbar) {
    const cb = colorbar;
    const x = W - mr + 24, y0 = mt, h = Math.min(ph, 300);
    const stops = cb.scale.map(([t, c]) => `<stop offset="${t}" stop-color="${hex(c)}"/>`).join("");
    out.push(`<defs><linearGradient id="wflo-cb" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient></defs>` +
      `<rect x="${x}" y="${y0}" width="14" height="${h}" fill="url(#wflo-cb)"/>` +
      `<text x="${x + 18}" y="${y0 + 10}">${escapeHtml(tickLabel(Number(cb.hi.toPrecision(4))))}</text>` +
      `<text x="${x + 18}" y="${y0 + h}">${escapeHtml(tickLabel(Number(cb.lo.toPrecision(4))))}</text>` +
      (cb.title ? `<text x="${x}" y="${y0 - 8}">${escapeHtml(cb.title)}</text>` : ""));
  }
  // Legend: one row under the plot, names of the traces plotly would list.
  const shown = L.showlegend === false ? [] : traces.filter((t, i) => t.showlegend !== false && t.type !== "heatmap" && t.name && traces.findIndex((u) => u.name === t.name) === i);
  if (shown.length > 1 || (shown.length === 1 && L.showlegend === true)) {
    let x = ml;
    const y = H - 8;
    const series = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    for (const t of shown) {
      const c = obj(t.marker).color ?? obj(t.line).color;
      const col = typeof c === "string" ? c : series[traces.indexOf(t) % series.length];
      const name = text(t.name);
      out.push(`<rect x="${x}" y="${y - 9}" width="12" height="10" fill="${escapeHtml(col)}"/><text x="${x + 16}" y="${y}">${escapeHtml(name)}</text>`);
      x += 28 + 7 * name.length;
    }
  }
  const title = text(L.title);
  if (title) out.push(`<text x="${W / 2}" y="${Math.min(30, mt - 10)}" text-anchor="middle" font-size="16">${escapeHtml(title)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#222">${out.join("")}</svg>`;
}

function stackedBelow(traces: PlotlyTrace[], t: PlotlyTrace): number[] {
  const below: number[] = [];
  for (const u of traces) {
    if (u === t) break;
    if (u.type !== "bar" || (u.xaxis ?? "x") !== (t.xaxis ?? "x")) continue;
    (arr(u.y) as number[]).forEach((v, i) => (below[i] = (below[i] ?? 0) + num(v, 0)));
  }
  return below;
}
function stackedTops(traces: PlotlyTrace[], t: PlotlyTrace, stack: boolean): number[] {
  const ys = arr(t.y) as number[];
  if (!stack) return ys;
  const below = stackedBelow(traces, t);
  return ys.map((v, i) => num(v, 0) + (below[i] ?? 0));
}

// Wind-rose bars: meteorological angles (clockwise from north) on the polar subplot's domain.
function polar(t: PlotlyTrace, L: Obj, ml: number, mt: number, pw: number, ph: number, base: string): string {
  const sp = obj(L[String(t.subplot ?? "polar")]);
  const dom = obj(sp.domain);
  const dx = (arr(dom.x) as number[]).length === 2 ? (dom.x as number[]) : [0, 1];
  const dy = (arr(dom.y) as number[]).length === 2 ? (dom.y as number[]) : [0, 1];
  const cx = ml + ((dx[0] + dx[1]) / 2) * pw;
  const cy = mt + (1 - (dy[0] + dy[1]) / 2) * ph;
  const R = (Math.min((dx[1] - dx[0]) * pw, (dy[1] - dy[0]) * ph) / 2) * 0.9;
  const theta = arr(t.theta) as number[], r = arr(t.r) as number[], width = arr(t.width) as number[];
  const rmax = Math.max(...r.filter(Number.isFinite), 1e-9);
  const ang = (deg: number) => ((deg - 90) * Math.PI) / 180; // clockwise from north, screen y down
  const pt = (deg: number, rr: number) => `${f1(cx + rr * Math.cos(ang(deg)))},${f1(cy + rr * Math.sin(ang(deg)))}`;
  const c = typeof obj(t.marker).color === "string" ? (obj(t.marker).color as string) : base;
  let s = `<circle cx="${f1(cx)}" cy="${f1(cy)}" r="${f1(R)}" fill="none" stroke="#ddd"/>`;
  theta.forEach((th, i) => {
    const rr = (R * num(r[i], 0)) / rmax;
    const w = num(width[i], 360 / theta.length) / 2;
    s += `<path d="M${f1(cx)},${f1(cy)}L${pt(th - w, rr)}A${f1(rr)},${f1(rr)} 0 0 1 ${pt(th + w, rr)}Z" fill="${escapeHtml(c)}" stroke="white" stroke-width="0.5"/>`;
  });
  return s + `<text x="${f1(cx)}" y="${f1(cy - R - 4)}" text-anchor="middle">N</text>`;
}
