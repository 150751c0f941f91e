// AEP across a batch: the distribution per farm and turbine type (one point per seed),
// and smart start against optimized.
import { baseLayout, colors, defaultConfig, type PlotlyFigure, type PlotlyTrace } from "./types.js";

export interface AepRow {
  farm: string;
  turbineType: string;
  aepGWh: number;
  /** The smart-start AEP of the same configuration, if known. */
  initialAepGWh?: number;
  /** Label of the point in hover text, e.g. the configuration key. */
  key?: string;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** Mean, min, max and count of one farm × turbine type: never pooled across groups. */
export interface AepGroupStats {
  farm: string;
  turbineType: string;
  n: number;
  meanAepGWh: number;
  minAepGWh: number;
  maxAepGWh: number;
  /** (max − min) / mean, in %: how much the result depends on the seed. */
  spreadPct: number;
}

/** The AEP statistics of each farm × turbine type, in order of first appearance. */
export function aepGroupStats(rows: AepRow[]): AepGroupStats[] {
  const groups = new Map<string, AepRow[]>();
  for (const r of rows) {
    const g = JSON.stringify([r.farm, r.turbineType]);
    const list = groups.get(g);
    if (list) list.push(r);
    else groups.set(g, [r]);
  }
  return [...groups.values()].map((rs) => {
    let s = 0, lo = Infinity, hi = -Infinity;
    for (const r of rs) (s += r.aepGWh), (lo = Math.min(lo, r.aepGWh)), (hi = Math.max(hi, r.aepGWh));
    const mean = s / rs.length;
    return { farm: rs[0].farm, turbineType: rs[0].turbineType, n: rs.length, meanAepGWh: mean, minAepGWh: lo, maxAepGWh: hi, spreadPct: mean > 0 ? (100 * (hi - lo)) / mean : 0 };
  });
}

// Panel geometry in pixels: the figure's height follows the number of panel rows.
const PANEL_PX = 210;
const PANEL_TITLE_PX = 38;
const ROW_GAP_PX = 26;
const TOP_PX = 60;
const BOTTOM_PX = 70;

/**
 * One panel per farm × turbine type, each with its own AEP axis: farms of different sizes
 * and turbines of different ratings differ by far more than the seed spread this figure
 * exists to show. A panel is a box over its seeds with every seed a point and the mean
 * dashed; its title names the farm and type and gives that group's own mean and spread
 * (no mean is taken across groups). Farms are rows and turbine types columns (up to four
 * types; more wrap three to a row). Types keep one colour and one legend entry, below.
 */
export function aepDistributionFigure(rows: AepRow[], opts: { title?: string } = {}): PlotlyFigure {
  const types = distinct(rows.map((r) => r.turbineType));
  const farms = distinct(rows.map((r) => r.farm));
  const stats = aepGroupStats(rows);
  const matrix = types.length <= 4;
  const cols = Math.max(1, matrix ? types.length : 3);
  const place = (s: AepGroupStats, k: number): [number, number] =>
    matrix ? [farms.indexOf(s.farm), types.indexOf(s.turbineType)] : [Math.floor(k / cols), k % cols];
  const nRows = Math.max(1, stats.reduce((m, s, k) => Math.max(m, place(s, k)[0] + 1), 0));
  const rowPx = PANEL_TITLE_PX + PANEL_PX;
  const plotPx = nRows * rowPx + (nRows - 1) * ROW_GAP_PX;
  const gapX = cols > 1 ? 0.08 : 0;
  const w = (1 - gapX * (cols - 1)) / cols;
  const data: PlotlyTrace[] = [];
  const annotations: unknown[] = [];
  const layout = baseLayout(opts.title ?? "AEP per farm and turbine type (one panel each, own AEP axis)", {
    showlegend: true,
    // Below the panels (their x-axes carry no tick labels or title).
    legend: { title: { text: "turbine type" }, orientation: "h", x: 0, xanchor: "left", y: -24 / plotPx, yanchor: "top" },
    margin: { l: 70, r: 30, t: TOP_PX, b: BOTTOM_PX },
    annotations,
    height: TOP_PX + plotPx + BOTTOM_PX,
  });
  stats.forEach((s, k) => {
    const [row, col] = place(s, k);
    const ax = k === 0 ? "" : String(k + 1);
    const x0 = col * (w + gapX);
    const yTop = 1 - (row * (rowPx + ROW_GAP_PX)) / plotPx;
    const yDom: [number, number] = [Math.max(0, yTop - rowPx / plotPx), yTop - PANEL_TITLE_PX / plotPx];
    const t = types.indexOf(s.turbineType);
    const rs = rows.filter((r) => r.farm === s.farm && r.turbineType === s.turbineType);
    data.push({
      type: "box", name: s.turbineType, legendgroup: s.turbineType, showlegend: !data.some((d) => d.legendgroup === s.turbineType),
      xaxis: `x${ax}`, yaxis: `y${ax}`,
      x: rs.map(() => s.turbineType), y: rs.map((r) => r.aepGWh), text: rs.map((r) => r.key ?? ""),
      boxpoints: "all", jitter: 0.4, pointpos: 0, boxmean: true,
      marker: { color: colors.series[t % colors.series.length], size: 6 },
      hovertemplate: "%{text}<br>%{y:.3f} GWh<extra>" + s.farm + " · " + s.turbineType + "</extra>",
    });
    layout[`xaxis${ax}`] = { domain: [x0, x0 + w], anchor: `y${ax}`, type: "category", showticklabels: false };
    layout[`yaxis${ax}`] = { domain: yDom, anchor: `x${ax}`, title: { text: col === 0 ? "AEP (GWh)" : "" }, gridcolor: "#eee" };
    annotations.push({
      text: `<b>${s.farm} · ${s.turbineType}</b><br><span style="font-size:11px">mean ${s.meanAepGWh.toFixed(2)} GWh · ${s.n} seed${s.n === 1 ? "" : "s"} · spread ${s.spreadPct.toFixed(2)} %</span>`,
      xref: "paper", yref: "paper", x: x0 + w / 2, y: yDom[1], xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 12 },
    });
  });
  return { data, layout, config: { ...defaultConfig } };
}

/** Each configuration's smart-start AEP against its optimized AEP; the diagonal is "no gain". */
export function aepGainFigure(rows: AepRow[], opts: { title?: string } = {}): PlotlyFigure {
  const withInitial = rows.filter((r) => r.initialAepGWh !== undefined);
  if (withInitial.length === 0) throw new RangeError("aepGainFigure: no row has initialAepGWh");
  const groups = distinct(withInitial.map((r) => `${r.farm} · ${r.turbineType}`));
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of withInitial) {
    lo = Math.min(lo, r.aepGWh, r.initialAepGWh!);
    hi = Math.max(hi, r.aepGWh, r.initialAepGWh!);
  }
  const data: PlotlyTrace[] = [{
    type: "scatter", mode: "lines", name: "no gain", x: [lo, hi], y: [lo, hi],
    line: { color: colors.initial, dash: "dash", width: 1 }, hoverinfo: "skip",
  }];
  groups.forEach((g, k) => {
    const rs = withInitial.filter((r) => `${r.farm} · ${r.turbineType}` === g);
    data.push({
      type: "scatter", mode: "markers", name: g,
      x: rs.map((r) => r.initialAepGWh), y: rs.map((r) => r.aepGWh),
      text: rs.map((r) => `${r.key ?? g}<br>gain ${(100 * (r.aepGWh / r.initialAepGWh! - 1)).toFixed(2)} %`),
      hovertemplate: "%{text}<extra></extra>",
      marker: { color: colors.series[k % colors.series.length], size: 8 },
    });
  });
  return {
    data,
    layout: baseLayout(opts.title ?? "Smart start against optimized", {
      xaxis: { title: { text: "smart-start AEP (GWh)" }, gridcolor: "#eee" },
      yaxis: { title: { text: "optimized AEP (GWh)" }, gridcolor: "#eee" },
      height: 440,
    }),
    config: { ...defaultConfig },
  };
}
