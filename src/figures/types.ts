// Plotly figures as plain data: what the builders in this folder return and what
// figureBundle() sends to Jupyter (application/vnd.plotly.v1+json) or embeds in HTML.
// Only the fields the builders use are typed; plotly accepts many more.

/** One plotly trace (scatter, barpolar, box, heatmap, contour, ...). */
export interface PlotlyTrace {
  type: string;
  name?: string;
  [key: string]: unknown;
}

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: { [key: string]: unknown };
  config?: { [key: string]: unknown };
}

/** A closed or open polygon, vertices in metres. */
export interface FigurePolygon {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** Turbine positions (m), optionally with each turbine's AEP (GWh). */
export interface TurbinePoints {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  aepGWh?: ArrayLike<number>;
}

// Colours shared by all figures, so a reader learns them once.
export const colors = {
  boundary: "#444444",
  initial: "#9a9a9a",
  optimized: "#1f77b4",
  accent: "#d62728",
  series: ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"],
  // Effective wind speed: slow (deep wake) dark violet to free stream yellow. plotly's
  // Viridis, spelled out so the static image and a reader of the JSON see the same stops;
  // both ends are strong colours, none fades into the white page.
  speedScale: [[0, "#440154"], [0.0627, "#48186a"], [0.1255, "#472d7b"], [0.1882, "#424086"], [0.251, "#3b528b"], [0.3137, "#33638d"],
    [0.3765, "#2c728e"], [0.4392, "#26828e"], [0.502, "#21918c"], [0.5647, "#1fa088"], [0.6275, "#28ae80"], [0.6902, "#3fbc73"],
    [0.7529, "#5ec962"], [0.8157, "#84d44b"], [0.8784, "#addc30"], [0.9412, "#d8e219"], [1, "#fde725"]] as [number, string][],
  // Per-turbine AEP: YlGnBu without its near-white end, so the lowest AEP stays visible
  // on a white page; low = light green, high = dark blue.
  aepScale: [[0, "rgb(161,218,180)"], [0.25, "rgb(65,182,196)"], [0.5, "rgb(44,127,184)"], [0.75, "rgb(37,52,148)"], [1, "rgb(8,29,88)"]] as [number, string][],
} as const;

/** Plain number[] from any numeric array (typed arrays serialize as objects in JSON). */
export function toList(a: ArrayLike<number>): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}

export function baseLayout(title: string, extra: { [key: string]: unknown } = {}): { [key: string]: unknown } {
  return {
    title: { text: title },
    margin: { l: 60, r: 30, t: 50, b: 50 },
    font: { family: "Helvetica, Arial, sans-serif", size: 13 },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    ...extra,
  };
}

export const defaultConfig = { responsive: true, displaylogo: false } as const;
