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

/**
 * One panel per farm, each with its own AEP axis (farms of different sizes differ by far
 * more than the seed spread this figure exists to show); in a panel, a box per turbine
 * type with every seed a point; types keep one colour and one legend entry across panels.
 */
export function aepDistributionFigure(rows: AepRow[], opts: { title?: string; perTurbine?: { [turbineType: string]: number } } = {}): PlotlyFigure {
  const types = distinct(rows.map((r) => r.turbineType));
  const farms = distinct(rows.map((r) => r.farm));
  const n = Math.max(1, farms.length);
  const gap = n > 1 ? 0.06 : 0;
  const w = (1 - gap * (n - 1)) / n;
  const data: PlotlyTrace[] = [];
  const layout = baseLayout(opts.title ?? "AEP per farm and turbine type (one panel per farm, own AEP axis)", {
    boxmode: "group",
    showlegend: true,
    legend: { title: { text: "turbine type" }, orientation: "h", x: 0, xanchor: "left", y: -0.18, yanchor: "top" },
    margin: { l: 60, r: 30, t: 70, b: 90 },
    annotations: [] as unknown[],
    height: 460,
  });
  farms.forEach((farm, f) => {
    const ax = f === 0 ? "" : String(f + 1);
    const x0 = f * (w + gap);
    types.forEach((t, k) => {
      const rs = rows.filter((r) => r.farm === farm && r.turbineType === t);
      if (rs.length === 0) return;
      data.push({
        type: "box", name: t, legendgroup: t, showlegend: !data.some((d) => d.legendgroup === t),
        xaxis: `x${ax}`, yaxis: `y${ax}`,
        x: rs.map(() => t), y: rs.map((r) => r.aepGWh), text: rs.map((r) => r.key ?? ""),
        boxpoints: "all", jitter: 0.4, pointpos: 0,
        marker: { color: colors.series[k % colors.series.length], size: 6 },
        hovertemplate: "%{text}<br>%{y:.3f} GWh<extra>" + farm + " · " + t + "</extra>",
      });
    });
    layout[`xaxis${ax}`] = { domain: [x0, x0 + w], anchor: `y${ax}`, type: "category", showticklabels: types.length > 1 };
    layout[`yaxis${ax}`] = { anchor: `x${ax}`, title: { text: f === 0 ? "AEP (GWh)" : "" }, gridcolor: "#eee" };
    (layout.annotations as unknown[]).push({ text: farm, xref: "paper", yref: "paper", x: x0 + w / 2, y: 1.0, xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 13 } });
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
