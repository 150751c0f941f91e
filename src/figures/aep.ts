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

/** Box per (farm, turbine type), every seed shown as a point; farms on x, types by colour. */
export function aepDistributionFigure(rows: AepRow[], opts: { title?: string; perTurbine?: { [turbineType: string]: number } } = {}): PlotlyFigure {
  const types = distinct(rows.map((r) => r.turbineType));
  const data: PlotlyTrace[] = types.map((t, k) => {
    const rs = rows.filter((r) => r.turbineType === t);
    return {
      type: "box",
      name: t,
      x: rs.map((r) => r.farm),
      y: rs.map((r) => r.aepGWh),
      text: rs.map((r) => r.key ?? ""),
      boxpoints: "all",
      jitter: 0.4,
      pointpos: 0,
      marker: { color: colors.series[k % colors.series.length], size: 6 },
      hovertemplate: "%{text}<br>%{y:.3f} GWh<extra>%{x} · " + t + "</extra>",
    };
  });
  return {
    data,
    layout: baseLayout(opts.title ?? "AEP per farm and turbine type", {
      boxmode: "group",
      xaxis: { title: { text: "farm" }, type: "category" },
      yaxis: { title: { text: "AEP (GWh)" }, gridcolor: "#eee" },
      legend: { title: { text: "turbine type" } },
      height: 440,
    }),
    config: { ...defaultConfig },
  };
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
