// AEP against turbine spacing (in rotor diameters): how wake losses fade as turbines
// move apart, one line per wake model or layout family.
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace } from "./types.js";

export interface SpacingSeries {
  name: string;
  spacingD: ArrayLike<number>;
  aepGWh: ArrayLike<number>;
}

export function aepVsSpacingFigure(series: SpacingSeries[], opts: { title?: string; noWakeAepGWh?: number } = {}): PlotlyFigure {
  const data: PlotlyTrace[] = series.map((s, k) => {
    const x = toList(s.spacingD);
    const y = toList(s.aepGWh);
    if (x.length !== y.length) throw new RangeError(`aepVsSpacingFigure: series "${s.name}" has ${x.length} spacings and ${y.length} AEP values`);
    return {
      type: "scatter", mode: "lines+markers", name: s.name, x, y,
      line: { color: colors.series[k % colors.series.length], width: 2 }, marker: { size: 6 },
      hovertemplate: "%{x:.2f} D: %{y:.2f} GWh<extra>" + s.name + "</extra>",
    };
  });
  const shapes: unknown[] = [];
  const annotations: unknown[] = [];
  if (opts.noWakeAepGWh !== undefined) {
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: opts.noWakeAepGWh, y1: opts.noWakeAepGWh, line: { color: colors.initial, dash: "dash", width: 1 } });
    annotations.push({ xref: "paper", x: 1, y: opts.noWakeAepGWh, xanchor: "right", yanchor: "bottom", text: "no wakes", showarrow: false, font: { color: colors.initial } });
  }
  return {
    data,
    layout: baseLayout(opts.title ?? "AEP against spacing", {
      xaxis: { title: { text: "spacing (rotor diameters)" }, gridcolor: "#eee" },
      yaxis: { title: { text: "AEP (GWh)" }, gridcolor: "#eee" },
      shapes, annotations, height: 420,
    }),
    config: { ...defaultConfig },
  };
}
