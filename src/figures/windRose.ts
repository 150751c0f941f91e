// The wind rose: how often the wind comes FROM each direction (meteorological degrees,
// clockwise from north, north up), optionally split by wind-speed bins and stacked.
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace } from "./types.js";

export interface WindRoseInput {
  title?: string;
  /** Sector centres, degrees clockwise from north, where the wind comes from. */
  directionsDeg: ArrayLike<number>;
  /** Probability of each sector (any total: shown in % of the total). */
  frequency?: ArrayLike<number>;
  /** Or: the probability split by wind-speed bins, each bin one stacked ring. */
  speedBins?: { label: string; frequency: ArrayLike<number> }[];
  /** Bar width; defaults to 360 / number of sectors. */
  sectorWidthDeg?: number;
}

function total(rows: number[][]): number {
  let s = 0;
  for (const r of rows) for (const v of r) s += v;
  return s;
}

/** The barpolar traces alone, on the given polar subplot ("polar", "polar2", ...). */
export function windRoseTraces(input: WindRoseInput, subplot = "polar"): PlotlyTrace[] {
  const theta = toList(input.directionsDeg);
  const n = theta.length;
  if (n === 0) throw new RangeError("windRoseFigure: directionsDeg is empty");
  const width = input.sectorWidthDeg ?? 360 / n;
  const bins = input.speedBins ?? (input.frequency ? [{ label: "frequency", frequency: input.frequency }] : undefined);
  if (!bins) throw new RangeError("windRoseFigure: give frequency or speedBins");
  const rows = bins.map((b) => {
    const r = toList(b.frequency);
    if (r.length !== n) throw new RangeError(`windRoseFigure: bin "${b.label}" has ${r.length} values for ${n} directions`);
    return r;
  });
  const sum = total(rows);
  if (!(sum > 0)) throw new RangeError("windRoseFigure: the frequencies sum to zero");
  const single = !input.speedBins;
  return rows.map((r, k) => ({
    type: "barpolar",
    name: bins[k].label,
    subplot,
    theta,
    r: r.map((v) => (100 * v) / sum),
    width: theta.map(() => width),
    marker: single
      ? { color: colors.optimized, line: { color: "white", width: 0.5 } }
      : { color: k, colorscale: colors.speedScale, cmin: 0, cmax: Math.max(1, rows.length - 1), line: { color: "white", width: 0.5 } },
    hovertemplate: single ? "from %{theta}°: %{r:.2f} %<extra></extra>" : `${bins[k].label}<br>from %{theta}°: %{r:.2f} %<extra></extra>`,
  }));
}

export function windRoseFigure(input: WindRoseInput): PlotlyFigure {
  return {
    data: windRoseTraces(input),
    layout: baseLayout(input.title ?? "Wind rose", {
      polar: {
        angularaxis: { direction: "clockwise", rotation: 90, dtick: 45 },
        radialaxis: { ticksuffix: " %", angle: 90, tickangle: 90 },
        barmode: "stack",
      },
      legend: { title: { text: input.speedBins ? "wind speed" : "" } },
      showlegend: Boolean(input.speedBins),
      height: 480,
    }),
    config: { ...defaultConfig },
  };
}
