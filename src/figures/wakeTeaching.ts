// Figures for teaching wakes (notebooks/03-wakes, 04-case-studies): a turbine's power, Ct and
// induction curves; a single wake's centre-line deficit against x/D and its cross-wake profiles
// against y/D for several wind speeds, with the near wake masked where the far-wake models do
// not hold; power ratios along a row against measurements; AEP and power density against
// spacing; optimized AEP against published values. The `…Of` functions compute the plain data
// from physics objects, the `…Figure` builders turn plain data into plotly figures.
import {
  flowMap, turbineCt, turbinePowerW, ct2aMadsen, ct2aMomentum, bastankhahEpsilon, type Turbine, type WindFarmModel,
} from "../physics/index.js";
import { InputError } from "../errors.js";
import type { FlowMapInput } from "./flowMap.js";
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace } from "./types.js";

const legendBelow = { orientation: "h", x: 0, xanchor: "left", y: -0.22, yanchor: "top" } as const;
const nearWakeFill = "rgba(120,120,120,0.13)";

// ---------------------------------------------------------------- near-wake length

/**
 * Length of the near wake (potential core) in rotor diameters, Bastankhah & Porté-Agel (2016),
 * J. Fluid Mech. 806, eq. (7.3), no yaw: x0/D = (1 + √(1 − Ct)) / (√2·(α*·I + β*·(1 − √(1 − Ct)))),
 * α* = 2.32, β* = 0.154 (their fit to wind-tunnel and LES wakes), I the ambient streamwise TI.
 * Upstream of x0 the deficit is not yet self-similar, so a Gaussian far-wake model does not apply.
 */
export function nearWakeLengthD(ct: number, ti: number, opts: { alphaStar?: number; betaStar?: number } = {}): number {
  if (!(ct >= 0 && ct < 1)) throw new InputError(`Ct must be in [0, 1), got ${ct}`, { field: "ct" });
  if (!(ti > 0)) throw new InputError(`turbulence intensity must be > 0, got ${ti}`, { field: "ti" });
  const a = opts.alphaStar ?? 2.32;
  const b = opts.betaStar ?? 0.154;
  const r = Math.sqrt(1 - ct);
  return (1 + r) / (Math.SQRT2 * (a * ti + b * (1 - r)));
}

/**
 * Where Bastankhah & Porté-Agel's (2014) closed form C(x) = 1 − √(1 − Ct/(8(σ/D)²)) stops being
 * real, in rotor diameters: σ/D = k·x/D + ε < √(Ct/8). 0 when it is real everywhere. PyWake (and
 * wflo) replace C by 2·a(Ct·D²/(8σ²)), capped at 1, which is defined there but no more valid.
 */
export function bastankhahUndefinedBelowD(ct: number, k = 0.0324555, ceps = 0.2, ctlim = 0.899): number {
  const eps = bastankhahEpsilon(ct, ceps, ctlim);
  return Math.max(0, (Math.sqrt(ct / 8) - eps) / k);
}

// ---------------------------------------------------------------- turbine curves

export interface TurbineCurves {
  name: string;
  wsMs: number[];
  powerKW: number[];
  ct: number[];
}

/** Power (kW) and Ct of a turbine on a wind-speed grid (default 0 to 26 m/s in 0.25 m/s steps). */
export function turbineCurvesOf(turbine: Turbine, wsMs?: ArrayLike<number>): TurbineCurves {
  const ws = wsMs ? toList(wsMs) : Array.from({ length: 105 }, (_, i) => i * 0.25);
  return {
    name: turbine.name, wsMs: ws,
    powerKW: ws.map((v) => turbinePowerW(turbine, v) / 1e3),
    ct: ws.map((v) => turbineCt(turbine, v)),
  };
}

/**
 * Three panels: power against wind speed, Ct against wind speed, and the axial induction a(Ct)
 * (1-D momentum theory, a = ½(1 − √(1 − Ct)), and Madsen et al.'s polynomial that PyWake uses),
 * each turbine's Ct range marked on the last panel.
 */
export function turbineCurvesFigure(curves: TurbineCurves | TurbineCurves[], opts: { title?: string } = {}): PlotlyFigure {
  const list = Array.isArray(curves) ? curves : [curves];
  if (list.length === 0) throw new RangeError("turbineCurvesFigure: no turbine given");
  const data: PlotlyTrace[] = [];
  list.forEach((c, k) => {
    if (c.powerKW.length !== c.wsMs.length || c.ct.length !== c.wsMs.length) {
      throw new RangeError(`turbineCurvesFigure: "${c.name}" has ${c.wsMs.length} speeds, ${c.powerKW.length} powers, ${c.ct.length} Ct values`);
    }
    const color = colors.series[k % colors.series.length];
    data.push({ type: "scatter", mode: "lines", name: c.name, legendgroup: c.name, x: c.wsMs, y: c.powerKW, xaxis: "x", yaxis: "y", line: { color, width: 2 }, hovertemplate: "%{x:.2f} m/s: %{y:.0f} kW<extra>" + c.name + "</extra>" });
    data.push({ type: "scatter", mode: "lines", name: c.name, legendgroup: c.name, showlegend: false, x: c.wsMs, y: c.ct, xaxis: "x2", yaxis: "y2", line: { color, width: 2 }, hovertemplate: "%{x:.2f} m/s: Ct %{y:.3f}<extra>" + c.name + "</extra>" });
    const used = c.ct.filter((v) => v > 0);
    if (used.length) {
      const lo = Math.min(...used);
      const hi = Math.max(...used);
      data.push({ type: "scatter", mode: "lines", name: `${c.name}: its Ct range`, legendgroup: c.name, showlegend: false, x: [lo, hi], y: [-0.03 - 0.03 * k, -0.03 - 0.03 * k], xaxis: "x3", yaxis: "y3", line: { color, width: 6 }, hovertemplate: `${c.name}: Ct ${lo.toFixed(3)} – ${hi.toFixed(3)}<extra></extra>` });
    }
  });
  const ctGrid = Array.from({ length: 101 }, (_, i) => i / 100);
  data.push({ type: "scatter", mode: "lines", name: "a(Ct), 1-D momentum", x: ctGrid, y: ctGrid.map(ct2aMomentum), xaxis: "x3", yaxis: "y3", line: { color: "#222", width: 2 } });
  data.push({ type: "scatter", mode: "lines", name: "a(Ct), Madsen et al. (PyWake's default)", x: ctGrid, y: ctGrid.map(ct2aMadsen), xaxis: "x3", yaxis: "y3", line: { color: "#222", width: 2, dash: "dash" } });
  const w = 0.28;
  const gap = (1 - 3 * w) / 2;
  const dom = (i: number): [number, number] => [i * (w + gap), i * (w + gap) + w];
  return {
    data,
    layout: baseLayout(opts.title ?? "Power, thrust coefficient and axial induction", {
      height: 430, legend: legendBelow, margin: { l: 60, r: 20, t: 60, b: 40 },
      xaxis: { domain: dom(0), title: { text: "wind speed (m/s)" }, gridcolor: "#eee" },
      yaxis: { title: { text: "power (kW)" }, gridcolor: "#eee", rangemode: "tozero" },
      xaxis2: { domain: dom(1), anchor: "y2", title: { text: "wind speed (m/s)" }, gridcolor: "#eee" },
      yaxis2: { anchor: "x2", title: { text: "Ct" }, gridcolor: "#eee", range: [0, 1.05] },
      xaxis3: { domain: dom(2), anchor: "y3", title: { text: "Ct" }, gridcolor: "#eee", range: [0, 1] },
      yaxis3: { anchor: "x3", title: { text: "axial induction a" }, gridcolor: "#eee" },
    }),
    config: { ...defaultConfig },
  };
}

// ---------------------------------------------------------------- single-wake profiles

export interface WakeProfileSeries {
  /** e.g. "BastankhahGaussian, 8 m/s (Ct 0.79)". */
  name: string;
  /** Downwind distance in rotor diameters. */
  xD: number[];
  /** Relative speed deficit 1 − WS_eff/WS at hub height, on the wake's centre line. */
  deficit: number[];
  /** Downstream of this (x/D) the model is drawn solid; upstream only as a faint dotted line. */
  validFromD?: number;
}

export interface CrossProfileSeries {
  name: string;
  /** Downwind distance of the profile (rotor diameters). */
  xD: number;
  /** Crosswind position (rotor diameters) and relative deficit there. */
  yD: number[];
  deficit: number[];
  /** True when the profile lies in the model's near wake (drawn faint and dotted). */
  nearWake?: boolean;
}

export interface WakeProfiles {
  model: string;
  wsMs: number;
  ct: number;
  nearWakeD: number;
  centreline: WakeProfileSeries;
  cross: CrossProfileSeries[];
}

/**
 * One turbine alone at the origin, wind from 270° (so x grows downwind, y is crosswind), free
 * stream `wsMs`: the relative deficit on the centre line at `xD` and across the wake at each of
 * `crossXD` (crosswind positions `yD`), with the turbine's Ct at that speed and the near-wake
 * length at the site's ambient TI. Computed by `flowMap` (PyWake's flow map: a point rotor).
 */
export function wakeProfilesOf(
  model: WindFarmModel, o: { wsMs: number; xD?: number[]; yD?: number[]; crossXD?: number[]; name?: string },
): WakeProfiles {
  const D = model.turbine.diameterM;
  const xD = o.xD ?? Array.from({ length: 119 }, (_, i) => 0.25 + i * 0.125);
  const yD = o.yD ?? Array.from({ length: 81 }, (_, i) => -2 + i * 0.05);
  const crossXD = o.crossXD ?? [2, 4, 7, 10];
  const ct = turbineCt(model.turbine, o.wsMs);
  const ti = model.site.ti;
  const nearWakeD = ct > 0 && ct < 1 && ti > 0 ? nearWakeLengthD(ct, ti) : 0;
  const name = o.name ?? `${model.deficit.kind}, ${o.wsMs} m/s (Ct ${ct.toFixed(2)})`;
  const deficitAt = (px: number[], py: number[]): number[] => {
    const ws = flowMap(model, [0], [0], Float64Array.from(px, (v) => v * D), Float64Array.from(py, (v) => v * D), { wdDeg: 270, ws: o.wsMs });
    return Array.from(ws, (v) => 1 - v / o.wsMs);
  };
  const centreline: WakeProfileSeries = { name, xD, deficit: deficitAt(xD, xD.map(() => 0)), validFromD: nearWakeD };
  const cross = crossXD.map((x) => ({
    name, xD: x, yD, deficit: deficitAt(yD.map(() => x), yD), nearWake: x < nearWakeD,
  }));
  return { model: model.deficit.kind, wsMs: o.wsMs, ct, nearWakeD, centreline, cross };
}

/**
 * Centre-line deficit against x/D. The part of each line upstream of its `validFromD` (the near
 * wake) is drawn faint and dotted and its end marked by a dotted vertical line in the series'
 * colour; the band where every series is in its near wake is shaded and labelled, so the
 * formula's value there is visible but never read as a prediction.
 */
export function wakeCentrelineFigure(series: WakeProfileSeries[], opts: { title?: string; nearWakeNote?: string } = {}): PlotlyFigure {
  if (series.length === 0) throw new RangeError("wakeCentrelineFigure: no series given");
  const data: PlotlyTrace[] = [];
  const shapes: unknown[] = [];
  const starts: number[] = [];
  series.forEach((s, k) => {
    if (s.deficit.length !== s.xD.length) throw new RangeError(`wakeCentrelineFigure: "${s.name}" has ${s.xD.length} distances and ${s.deficit.length} deficits`);
    const color = colors.series[k % colors.series.length];
    const from = s.validFromD ?? 0;
    starts.push(from);
    const valid = s.deficit.map((v, i) => (s.xD[i] >= from ? v : null));
    const near = s.deficit.map((v, i) => (s.xD[i] <= from ? v : null));
    data.push({ type: "scatter", mode: "lines", name: s.name, legendgroup: s.name, x: s.xD, y: valid, line: { color, width: 2 }, hovertemplate: "x/D %{x:.2f}: %{y:.3f}<extra>" + s.name + "</extra>" });
    if (near.some((v) => v !== null)) {
      data.push({ type: "scatter", mode: "lines", name: `${s.name} (near wake: not valid)`, legendgroup: s.name, showlegend: false, x: s.xD, y: near, opacity: 0.45, line: { color, width: 1.5, dash: "dot" }, hovertemplate: "x/D %{x:.2f}: %{y:.3f} (near wake, outside the model's validity)<extra>" + s.name + "</extra>" });
    }
    // Where this series' near wake ends, in its colour (series differ when Ct or TI differ).
    if (from > 0) shapes.push({ type: "line", xref: "x", yref: "paper", x0: from, x1: from, y0: 0, y1: 1, line: { color, width: 1, dash: "dot" } });
  });
  const annotations: unknown[] = [];
  // Shaded: where every series is still in its near wake.
  const band = Math.min(...starts);
  if (band > 0) {
    shapes.unshift({ type: "rect", xref: "x", yref: "paper", x0: 0, x1: band, y0: 0, y1: 1, fillcolor: nearWakeFill, line: { width: 0 }, layer: "below" });
    annotations.push({ xref: "x", yref: "paper", x: band / 2, y: 0.02, yanchor: "bottom", showarrow: false, text: opts.nearWakeNote ?? "near wake: dotted =<br>formula outside<br>its validity", font: { size: 11, color: "#555" } });
  }
  return {
    data,
    layout: baseLayout(opts.title ?? "Centre-line velocity deficit behind one turbine", {
      height: 440, legend: legendBelow, shapes, annotations,
      xaxis: { title: { text: "downwind distance x/D" }, gridcolor: "#eee", rangemode: "tozero" },
      yaxis: { title: { text: "deficit 1 − U/U∞" }, gridcolor: "#eee", rangemode: "tozero" },
    }),
    config: { ...defaultConfig },
  };
}

/** Cross-wake deficit profiles against y/D, one panel per downwind distance, one line per series name. */
export function wakeCrossFigure(profiles: CrossProfileSeries[], opts: { title?: string } = {}): PlotlyFigure {
  if (profiles.length === 0) throw new RangeError("wakeCrossFigure: no profile given");
  const distances = [...new Set(profiles.map((p) => p.xD))].sort((a, b) => a - b);
  const names = [...new Set(profiles.map((p) => p.name))];
  const n = distances.length;
  const gap = 0.03;
  const w = (1 - gap * (n - 1)) / n;
  const data: PlotlyTrace[] = [];
  const layoutAxes: { [key: string]: unknown } = {};
  const annotations: unknown[] = [];
  distances.forEach((x, c) => {
    const ax = c === 0 ? "" : String(c + 1);
    layoutAxes[`xaxis${ax}`] = { domain: [c * (w + gap), c * (w + gap) + w], anchor: `y${ax}`, title: { text: "y/D" }, gridcolor: "#eee", zeroline: false, dtick: 1 };
    layoutAxes[`yaxis${ax}`] = { anchor: `x${ax}`, gridcolor: "#eee", rangemode: "tozero", ...(c === 0 ? { title: { text: "deficit 1 − U/U∞" } } : { matches: "y", showticklabels: false }) };
    const nw = profiles.some((p) => p.xD === x && p.nearWake);
    annotations.push({ xref: "paper", yref: "paper", x: c * (w + gap) + w / 2, y: 1, yanchor: "bottom", showarrow: false, text: `x = ${x} D${nw ? " (dotted: near wake)" : ""}`, font: { size: 12 } });
  });
  for (const p of profiles) {
    if (p.deficit.length !== p.yD.length) throw new RangeError(`wakeCrossFigure: "${p.name}" at ${p.xD} D has ${p.yD.length} positions and ${p.deficit.length} deficits`);
    const c = distances.indexOf(p.xD);
    const k = names.indexOf(p.name);
    const ax = c === 0 ? "" : String(c + 1);
    data.push({
      type: "scatter", mode: "lines", name: p.name, legendgroup: p.name,
      showlegend: c === distances.findIndex((x) => profiles.some((q) => q.xD === x && q.name === p.name)),
      x: p.yD, y: p.deficit, xaxis: `x${ax}`, yaxis: `y${ax}`, opacity: p.nearWake ? 0.45 : 1,
      line: { color: colors.series[k % colors.series.length], width: p.nearWake ? 1.5 : 2, dash: p.nearWake ? "dot" : "solid" },
      hovertemplate: `x ${p.xD} D, y/D %{x:.2f}: %{y:.3f}<extra>${p.name}</extra>`,
    });
  }
  return {
    data,
    layout: baseLayout(opts.title ?? "Cross-wake deficit profiles", { height: 460, legend: legendBelow, annotations, margin: { l: 60, r: 20, t: 70, b: 40 }, ...layoutAxes }),
    config: { ...defaultConfig },
  };
}

/**
 * A flow map with the near wake of each turbine blanked out (NaN: drawn as a gap, not as a
 * colour): the region from the rotor to `lengthD` rotor diameters downwind, `halfWidthD` to each
 * side. Returns a new map; the input is not changed.
 */
export function maskNearWake(map: FlowMapInput, o: { wdDeg: number; diameterM: number; lengthD: number | ArrayLike<number>; halfWidthD?: number }): FlowMapInput {
  const tx = map.turbines ? toList(map.turbines.x) : [];
  const ty = map.turbines ? toList(map.turbines.y) : [];
  const theta = ((90 - o.wdDeg) * Math.PI) / 180;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const hw = (o.halfWidthD ?? 0.5) * o.diameterM;
  const xs = toList(map.x);
  const ys = toList(map.y);
  const out = Float64Array.from(toList(map.wsEffMs));
  for (let t = 0; t < tx.length; t++) {
    const L = (typeof o.lengthD === "number" ? o.lengthD : o.lengthD[t]) * o.diameterM;
    for (let j = 0; j < ys.length; j++) {
      for (let i = 0; i < xs.length; i++) {
        const dx = xs[i] - tx[t];
        const dy = ys[j] - ty[t];
        const dw = -c * dx - s * dy;
        const cw = s * dx - c * dy;
        if (dw > 0 && dw < L && Math.abs(cw) <= hw) out[j * xs.length + i] = NaN;
      }
    }
  }
  return { ...map, wsEffMs: out };
}

// ---------------------------------------------------------------- rows and measurements

export interface RowSeries {
  name: string;
  /** Position along the row (1 = the first turbine the wind meets). */
  position: number[];
  /** Power relative to the first turbine of the row. */
  ratio: number[];
  /** ± error bar (e.g. the standard error of a measured mean), same length. */
  error?: number[];
  /** Measured data are drawn as markers with error bars, models as lines. */
  measured?: boolean;
  /** A plotly dash style for a model line, e.g. "dash" for a variant of another line. */
  dash?: string;
}

/** Power along a row of turbines relative to the first, models as lines, measurements as points with error bars. */
export function rowPowerFigure(series: RowSeries[], opts: { title?: string; xTitle?: string; yTitle?: string } = {}): PlotlyFigure {
  if (series.length === 0) throw new RangeError("rowPowerFigure: no series given");
  let k = 0;
  const data: PlotlyTrace[] = series.map((s) => {
    if (s.ratio.length !== s.position.length) throw new RangeError(`rowPowerFigure: "${s.name}" has ${s.position.length} positions and ${s.ratio.length} values`);
    if (s.error && s.error.length !== s.position.length) throw new RangeError(`rowPowerFigure: "${s.name}" has ${s.position.length} positions and ${s.error.length} error bars`);
    if (s.measured) {
      return {
        type: "scatter", mode: "markers", name: s.name, x: s.position, y: s.ratio,
        marker: { color: "#111", size: 8, symbol: "circle" },
        ...(s.error ? { error_y: { type: "data", array: s.error, visible: true, color: "#111", thickness: 1.2, width: 4 } } : {}),
        hovertemplate: "%{x}: %{y:.3f}<extra>" + s.name + "</extra>",
      };
    }
    const color = colors.series[k++ % colors.series.length];
    return { type: "scatter", mode: "lines+markers", name: s.name, x: s.position, y: s.ratio, line: { color, width: 2, ...(s.dash ? { dash: s.dash } : {}) }, marker: { size: 5, color }, hovertemplate: "%{x}: %{y:.3f}<extra>" + s.name + "</extra>" };
  });
  return {
    data,
    layout: baseLayout(opts.title ?? "Power along a row", {
      height: 480, legend: legendBelow, margin: { l: 60, r: 30, t: 50, b: 110 },
      xaxis: { title: { text: opts.xTitle ?? "turbine in the row (1 = first in the wind)" }, gridcolor: "#eee", dtick: 1 },
      yaxis: { title: { text: opts.yTitle ?? "P / P₁" }, gridcolor: "#eee" },
    }),
    config: { ...defaultConfig },
  };
}

// ---------------------------------------------------------------- spacing and power density

export interface DensitySeries {
  name: string;
  spacingD: number[];
  /** AEP over the no-wake AEP of the same turbines (farm efficiency, 0–1). */
  efficiency: number[];
  /** Installed (rated) power per unit of farm area, W/m². */
  installedWm2: number[];
  /** Mean power actually produced per unit of farm area, W/m² (AEP / 8760 h / area). */
  producedWm2: number[];
}

/**
 * Two panels: farm efficiency against spacing (what a turbine keeps), and mean produced power
 * per square metre against installed power per square metre (what the sea area yields). The
 * second falls with spacing while the first rises: the trade a layout makes.
 */
export function powerDensityFigure(series: DensitySeries[], opts: { title?: string } = {}): PlotlyFigure {
  if (series.length === 0) throw new RangeError("powerDensityFigure: no series given");
  const data: PlotlyTrace[] = [];
  series.forEach((s, k) => {
    const n = s.spacingD.length;
    if (s.efficiency.length !== n || s.installedWm2.length !== n || s.producedWm2.length !== n) {
      throw new RangeError(`powerDensityFigure: "${s.name}" needs ${n} values in each of efficiency, installedWm2, producedWm2`);
    }
    const color = colors.series[k % colors.series.length];
    const text = s.spacingD.map((d, i) => `${d} D, installed ${s.installedWm2[i].toFixed(2)} W/m²`);
    data.push({ type: "scatter", mode: "lines+markers", name: s.name, legendgroup: s.name, x: s.spacingD, y: s.efficiency.map((v) => 100 * v), text, line: { color, width: 2 }, marker: { size: 5 }, hovertemplate: "%{text}: efficiency %{y:.1f} %<extra>" + s.name + "</extra>" });
    data.push({ type: "scatter", mode: "lines+markers", name: s.name, legendgroup: s.name, showlegend: false, x: s.installedWm2, y: s.producedWm2, text, xaxis: "x2", yaxis: "y2", line: { color, width: 2 }, marker: { size: 5 }, hovertemplate: "%{text}: produced %{y:.2f} W/m²<extra>" + s.name + "</extra>" });
  });
  return {
    data,
    layout: baseLayout(opts.title ?? "Spacing, efficiency and power density", {
      height: 440, legend: legendBelow,
      xaxis: { domain: [0, 0.45], title: { text: "spacing (rotor diameters)" }, gridcolor: "#eee" },
      yaxis: { title: { text: "farm efficiency AEP / AEP without wakes (%)" }, gridcolor: "#eee" },
      xaxis2: { domain: [0.55, 1], anchor: "y2", title: { text: "installed power density (W/m²)" }, gridcolor: "#eee", rangemode: "tozero" },
      yaxis2: { anchor: "x2", title: { text: "produced power density (W/m²)" }, gridcolor: "#eee", rangemode: "tozero" },
    }),
    config: { ...defaultConfig },
  };
}

// ---------------------------------------------------------------- case studies

export interface CaseStudyRun {
  /** e.g. "seed 0". */
  label: string;
  /** AEP of the optimized layout and of its start (same unit as the references). */
  aep: number;
  startAep?: number;
}

export interface CaseStudyPanel {
  name: string;
  /** The organisers' baseline layout's AEP as wflo computes it. */
  baseline: number;
  runs: CaseStudyRun[];
  /** Published values, drawn as labelled horizontal lines. */
  references: { label: string; aep: number }[];
}

/**
 * One panel per case study: wflo's optimized AEP per run (and its start), the baseline, and the
 * published values as horizontal reference lines, each panel on its own AEP axis.
 */
export function caseStudyFigure(panels: CaseStudyPanel[], opts: { title?: string; unit?: string } = {}): PlotlyFigure {
  if (panels.length === 0) throw new RangeError("caseStudyFigure: no case study given");
  const unit = opts.unit ?? "MWh";
  const n = panels.length;
  const gap = 0.08;
  const w = (1 - gap * (n - 1)) / n;
  const data: PlotlyTrace[] = [];
  const shapes: unknown[] = [];
  const annotations: unknown[] = [];
  const axes: { [key: string]: unknown } = {};
  const fmt = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 0 });
  panels.forEach((p, c) => {
    const ax = c === 0 ? "" : String(c + 1);
    const x0 = c * (w + gap);
    const labels = ["baseline", ...p.runs.map((r) => r.label)];
    axes[`xaxis${ax}`] = { domain: [x0, x0 + w], anchor: `y${ax}`, type: "category", categoryarray: labels, gridcolor: "#eee" };
    axes[`yaxis${ax}`] = { anchor: `x${ax}`, gridcolor: "#eee", title: { text: c === 0 ? `AEP (${unit})` : "" }, tickformat: ",.0f" };
    annotations.push({ xref: "paper", yref: "paper", x: x0 + w / 2, y: 1, yanchor: "bottom", showarrow: false, text: `<b>${p.name}</b>`, font: { size: 13 } });
    data.push({ type: "scatter", mode: "markers", name: "baseline (organisers' layout)", legendgroup: "baseline", showlegend: c === 0, x: ["baseline"], y: [p.baseline], xaxis: `x${ax}`, yaxis: `y${ax}`, marker: { color: colors.initial, size: 11, symbol: "square" }, hovertemplate: `baseline: ${fmt(p.baseline)} ${unit}<extra>${p.name}</extra>` });
    const starts = p.runs.filter((r) => r.startAep !== undefined);
    if (starts.length) {
      data.push({ type: "scatter", mode: "markers", name: "start of the run", legendgroup: "start", showlegend: c === 0, x: starts.map((r) => r.label), y: starts.map((r) => r.startAep), xaxis: `x${ax}`, yaxis: `y${ax}`, marker: { color: colors.initial, size: 8, symbol: "circle-open" }, hovertemplate: `start: %{y:,.0f} ${unit}<extra>${p.name}</extra>` });
    }
    data.push({ type: "scatter", mode: "markers", name: "wflo, optimized", legendgroup: "wflo", showlegend: c === 0, x: p.runs.map((r) => r.label), y: p.runs.map((r) => r.aep), xaxis: `x${ax}`, yaxis: `y${ax}`, marker: { color: colors.optimized, size: 11, symbol: "diamond" }, hovertemplate: `optimized: %{y:,.0f} ${unit}<extra>${p.name}</extra>` });
    p.references.forEach((r, k) => {
      shapes.push({ type: "line", xref: "paper", yref: `y${ax}`, x0, x1: x0 + w, y0: r.aep, y1: r.aep, line: { color: colors.series[(k + 1) % colors.series.length], dash: "dash", width: 1.5 } });
      // Alternate ends and sides, so labels of close values (a published layout and its repaired
      // version) do not print over each other.
      const right = k % 2 === 0;
      annotations.push({ xref: "paper", yref: `y${ax}`, x: right ? x0 + w : x0, y: r.aep, xanchor: right ? "right" : "left", yanchor: right ? "bottom" : "top", showarrow: false, text: `${r.label}: ${fmt(r.aep)}`, font: { size: 10, color: colors.series[(k + 1) % colors.series.length] } });
    });
  });
  return {
    data,
    layout: baseLayout(opts.title ?? "Optimized AEP against published values", { height: 470, legend: legendBelow, shapes, annotations, margin: { l: 80, r: 20, t: 70, b: 40 }, ...axes }),
    config: { ...defaultConfig },
  };
}

/**
 * A layout figure of a farm made of several regions (IEA 37 case study 4): `layoutFigure` draws
 * one boundary polygon; this returns a copy of its figure with every further region drawn the
 * same way (same colour, one legend entry for all), on the figure's first axes.
 */
export function withBoundaryRegions(fig: PlotlyFigure, regions: readonly { x: ArrayLike<number>; y: ArrayLike<number> }[]): PlotlyFigure {
  const first = fig.data.find((t) => t.name === "boundary");
  const line = first?.line ?? { color: colors.boundary, width: 2 };
  const extra: PlotlyTrace[] = regions.map((r) => {
    const x = toList(r.x);
    const y = toList(r.y);
    if (x.length !== y.length || x.length < 3) throw new RangeError(`withBoundaryRegions: a region needs ≥ 3 vertices with x and y of equal length (got ${x.length}, ${y.length})`);
    if (x[0] !== x[x.length - 1] || y[0] !== y[y.length - 1]) (x.push(x[0]), y.push(y[0]));
    return { type: "scatter", mode: "lines", name: "boundary", legendgroup: "boundary", showlegend: !first, x, y, line, hoverinfo: "skip", ...(first?.xaxis ? { xaxis: first.xaxis, yaxis: first.yaxis } : {}) };
  });
  // The extra regions go right after the first boundary, so they are drawn under the turbines.
  const data = first ? fig.data.flatMap((t) => (t === first ? [{ ...t, legendgroup: "boundary" }, ...extra] : [t])) : [...extra, ...fig.data];
  return { ...fig, data };
}
