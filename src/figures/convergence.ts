// Convergence of the optimizer: AEP after each iteration, one line per run.
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace } from "./types.js";

export interface ConvergenceSeries {
  name: string;
  /** AEP after each iteration, GWh. */
  aepGWh: ArrayLike<number>;
  /** AEP of the starting layout (the smart start), GWh: drawn as iteration 0 when given. */
  startAepGWh?: number;
}

export function convergenceFigure(series: ConvergenceSeries[], opts: { title?: string; relative?: boolean } = {}): PlotlyFigure {
  // relative: gain over the start in %, so runs of different farms share one axis. The
  // optimizer's history begins after its first iteration, so the start comes separately.
  const data: PlotlyTrace[] = series.map((s, k) => {
    const y = s.startAepGWh === undefined ? toList(s.aepGWh) : [s.startAepGWh, ...toList(s.aepGWh)];
    const y0 = y[0];
    return {
      type: "scatter",
      mode: y.length > 60 ? "lines" : "lines+markers",
      name: s.name,
      x: y.map((_, i) => i),
      y: opts.relative ? y.map((v) => 100 * (v / y0 - 1)) : y,
      line: { color: colors.series[k % colors.series.length], width: 1.5 },
      marker: { size: 4 },
    };
  });
  return {
    data,
    layout: baseLayout(opts.title ?? "Convergence", {
      xaxis: { title: { text: "iteration" }, gridcolor: "#eee" },
      yaxis: { title: { text: opts.relative ? "AEP gain over start (%)" : "AEP (GWh)" }, gridcolor: "#eee" },
      showlegend: series.length <= 12,
      height: 420,
    }),
    config: { ...defaultConfig },
  };
}
