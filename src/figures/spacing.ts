// AEP against turbine spacing (in rotor diameters): how wake losses fade as turbines
// move apart, one line per wake model or layout family.
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace } from "./types.js";

export interface SpacingSeries {
  name: string;
  spacingD: ArrayLike<number>;
  aepGWh: ArrayLike<number>;
}

// Models often agree to within a line's width: each series differs from the others in
// dash and marker as well as colour, so one drawn over another still shows.
export const SPACING_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"] as const;
export const SPACING_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "triangle-down", "star"] as const;

/**
 * One line per series on one axis, or `facets: true` for small multiples: one panel per
 * series side by side on a shared AEP axis, for series too close to tell apart on one.
 */
export function aepVsSpacingFigure(series: SpacingSeries[], opts: { title?: string; noWakeAepGWh?: number; facets?: boolean } = {}): PlotlyFigure {
  const n = series.length;
  const facets = Boolean(opts.facets) && n > 1;
  const cols = facets ? Math.min(n, 3) : 1;
  const nRows = facets ? Math.ceil(n / cols) : 1;
  const gapX = cols > 1 ? 0.05 : 0;
  const gapY = nRows > 1 ? 0.12 : 0;
  const w = (1 - gapX * (cols - 1)) / cols;
  const h = (1 - gapY * (nRows - 1)) / nRows;
  const data: PlotlyTrace[] = series.map((s, k) => {
    const x = toList(s.spacingD);
    const y = toList(s.aepGWh);
    if (x.length !== y.length) throw new RangeError(`aepVsSpacingFigure: series "${s.name}" has ${x.length} spacings and ${y.length} AEP values`);
    const ax = facets && k > 0 ? String(k + 1) : "";
    return {
      type: "scatter", mode: "lines+markers", name: s.name, x, y,
      ...(facets ? { xaxis: `x${ax}`, yaxis: `y${ax}` } : {}),
      line: { color: colors.series[k % colors.series.length], width: 2, dash: SPACING_DASHES[k % SPACING_DASHES.length] },
      marker: { size: 7, symbol: SPACING_SYMBOLS[k % SPACING_SYMBOLS.length] },
      hovertemplate: "%{x:.2f} D: %{y:.2f} GWh<extra>" + s.name + "</extra>",
    };
  });
  const shapes: unknown[] = [];
  const annotations: unknown[] = [];
  const layout = baseLayout(opts.title ?? "AEP against spacing", {
    shapes, annotations,
    // Below the x-axis title.
    legend: { orientation: "h", x: 0, xanchor: "left", y: facets ? -0.12 : -0.22, yanchor: "top" },
    margin: { l: 60, r: 30, t: 60, b: 100 },
    height: facets ? 160 + nRows * 260 : 460,
  });
  const panels = facets ? n : 1;
  // In small multiples the no-wake line spans the shared spacing range in data units.
  let sLo = Infinity, sHi = -Infinity;
  for (const d of data) for (const v of d.x as number[]) (sLo = Math.min(sLo, v)), (sHi = Math.max(sHi, v));
  for (let k = 0; k < panels; k++) {
    const ax = k === 0 ? "" : String(k + 1);
    const col = k % cols;
    const row = Math.floor(k / cols);
    const x0 = col * (w + gapX);
    const yTop = 1 - row * (h + gapY);
    layout[`xaxis${ax}`] = {
      title: { text: !facets || row === nRows - 1 || k + cols >= n ? "spacing (rotor diameters)" : "" }, gridcolor: "#eee",
      ...(facets ? { domain: [x0, x0 + w], anchor: `y${ax}`, matches: k > 0 ? "x" : undefined } : {}),
    };
    layout[`yaxis${ax}`] = {
      title: { text: col === 0 ? "AEP (GWh)" : "" }, gridcolor: "#eee",
      // Small multiples share one AEP axis: panels compare by position, not by their ticks.
      ...(facets ? { domain: [yTop - h, yTop], anchor: `x${ax}`, matches: k > 0 ? "y" : undefined } : {}),
    };
    if (facets) annotations.push({ text: series[k].name, xref: "paper", yref: "paper", x: x0 + w / 2, y: yTop, xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 12 } });
    if (opts.noWakeAepGWh !== undefined) {
      shapes.push({ type: "line", xref: facets ? `x${ax}` : "paper", yref: `y${ax}`, x0: facets ? sLo : 0, x1: facets ? sHi : 1, y0: opts.noWakeAepGWh, y1: opts.noWakeAepGWh, line: { color: colors.initial, dash: "dash", width: 1 } });
      if (k === panels - 1) annotations.push({ xref: facets ? `x${ax}` : "paper", yref: `y${ax}`, x: facets ? sHi : 1, y: opts.noWakeAepGWh, xanchor: "right", yanchor: "bottom", text: "no wakes", showarrow: false, font: { color: colors.initial } });
    }
  }
  // JSON drops undefined; a figure compared field by field should not carry them either.
  for (const v of Object.values(layout)) if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (x === undefined) delete (v as Record<string, unknown>)[k];
  return { data, layout, config: { ...defaultConfig } };
}
