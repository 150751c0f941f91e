// Convergence of the optimizer: AEP after each iteration, one line per run.
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace } from "./types.js";

export interface ConvergenceSeries {
  name: string;
  /** AEP after each iteration, GWh. */
  aepGWh: ArrayLike<number>;
  /** The iteration number of each value when they are not 1, 2, …, m (a stored, decimated history). */
  iteration?: ArrayLike<number>;
  /** AEP of the starting layout (the smart start), GWh: drawn as iteration 0 when given. */
  startAepGWh?: number;
}

export function convergenceFigure(series: ConvergenceSeries[], opts: { title?: string; relative?: boolean } = {}): PlotlyFigure {
  // relative: gain over the start in %, so runs of different farms share one axis. The
  // optimizer's history begins after its first iteration, so the start comes separately.
  const data: PlotlyTrace[] = series.map((s, k) => {
    const y = s.startAepGWh === undefined ? toList(s.aepGWh) : [s.startAepGWh, ...toList(s.aepGWh)];
    // Without iteration numbers the values are consecutive iterates, counted from 0 (the
    // start, when given, or the first value).
    const x = s.iteration ? (s.startAepGWh === undefined ? toList(s.iteration) : [0, ...toList(s.iteration)]) : y.map((_, i) => i);
    const y0 = y[0];
    return {
      type: "scatter",
      mode: y.length > 60 ? "lines" : "lines+markers",
      name: s.name,
      x,
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
