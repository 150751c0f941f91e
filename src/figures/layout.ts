// The layout figure: boundary, smart-start positions, optimized positions coloured by
// each turbine's AEP, and the move of each turbine from one to the other.
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace, type FigurePolygon, type TurbinePoints } from "./types.js";
import { windRoseTraces, type WindRoseInput } from "./windRose.js";

/** A circular boundary (the IEA 37 farms). */
export interface FigureCircle {
  centerM: [number, number];
  radiusM: number;
}

export interface LayoutFigureInput {
  title?: string;
  /** Polygon vertices (closed or not) or a circle. */
  boundary?: FigurePolygon | FigureCircle;
  /** The optimized layout; with aepGWh its markers are coloured by AEP. */
  optimized: TurbinePoints;
  /** The smart-start layout the optimizer began from. */
  initial?: TurbinePoints;
  /** Hover text names turbines "T1..Tn"; with a rotor diameter it also gives spacing in D. */
  rotorDiameterM?: number;
  /** A small wind rose in the corner, so the layout reads against the wind. */
  windRose?: WindRoseInput;
}

function boundaryTrace(b: FigurePolygon | FigureCircle): PlotlyTrace {
  let x: number[];
  let y: number[];
  if ("radiusM" in b) {
    // 181 points: smooth at any zoom a reader will use, small in the notebook.
    x = [];
    y = [];
    for (let i = 0; i <= 180; i++) {
      const t = (2 * Math.PI * i) / 180;
      x.push(b.centerM[0] + b.radiusM * Math.cos(t));
      y.push(b.centerM[1] + b.radiusM * Math.sin(t));
    }
  } else {
    x = toList(b.x);
    y = toList(b.y);
    const n = x.length;
    if (n > 0 && (x[0] !== x[n - 1] || y[0] !== y[n - 1])) {
      x.push(x[0]);
      y.push(y[0]);
    }
  }
  return {
    type: "scatter", mode: "lines", name: "boundary", x, y,
    line: { color: colors.boundary, width: 2 }, hoverinfo: "skip",
  };
}

function nearestNeighbourD(x: number[], y: number[], i: number, d: number): number {
  let best = Infinity;
  for (let j = 0; j < x.length; j++) {
    if (j === i) continue;
    const r = Math.hypot(x[j] - x[i], y[j] - y[i]);
    if (r < best) best = r;
  }
  return best / d;
}

export function layoutFigure(input: LayoutFigureInput): PlotlyFigure {
  const data: PlotlyTrace[] = [];
  if (input.boundary) data.push(boundaryTrace(input.boundary));
  const ox = toList(input.optimized.x);
  const oy = toList(input.optimized.y);
  if (ox.length !== oy.length) throw new RangeError(`layoutFigure: optimized.x has ${ox.length} turbines but optimized.y has ${oy.length}`);
  if (input.initial) {
    const ix = toList(input.initial.x);
    const iy = toList(input.initial.y);
    if (ix.length !== iy.length) throw new RangeError(`layoutFigure: initial.x has ${ix.length} turbines but initial.y has ${iy.length}`);
    if (ix.length === ox.length) {
      // One polyline with gaps (null) draws every move in a single trace.
      const mx: (number | null)[] = [];
      const my: (number | null)[] = [];
      for (let i = 0; i < ix.length; i++) mx.push(ix[i], ox[i], null), my.push(iy[i], oy[i], null);
      data.push({
        type: "scatter", mode: "lines", name: "move", x: mx, y: my, showlegend: false,
        line: { color: colors.initial, width: 1, dash: "dot" }, hoverinfo: "skip",
      });
    }
    data.push({
      type: "scatter", mode: "markers", name: "smart start", x: ix, y: iy,
      marker: { symbol: "circle-open", size: 9, color: colors.initial, line: { width: 1.5 } },
      text: ix.map((_, i) => `T${i + 1} (smart start)`), hoverinfo: "text",
    });
  }
  const aep = input.optimized.aepGWh ? toList(input.optimized.aepGWh) : undefined;
  if (aep && aep.length !== ox.length) throw new RangeError(`layoutFigure: optimized.aepGWh has ${aep.length} values for ${ox.length} turbines`);
  const text = ox.map((_, i) => {
    const parts = [`T${i + 1}`, `x ${ox[i].toFixed(0)} m, y ${oy[i].toFixed(0)} m`];
    if (aep) parts.push(`AEP ${aep[i].toFixed(2)} GWh`);
    if (input.rotorDiameterM && ox.length > 1) parts.push(`nearest ${nearestNeighbourD(ox, oy, i, input.rotorDiameterM).toFixed(2)} D`);
    return parts.join("<br>");
  });
  data.push({
    type: "scatter", mode: "markers", name: input.initial ? "optimized" : "turbines", x: ox, y: oy, text, hoverinfo: "text",
    marker: aep
      ? { size: 12, color: aep, colorscale: colors.aepScale, showscale: true,
          // The bar says its range: plotly's ticks alone may leave out both ends.
          colorbar: { title: { text: `AEP (GWh)<br>${Math.min(...aep).toFixed(1)}–${Math.max(...aep).toFixed(1)}` }, thickness: 14, x: 1.02 }, line: { color: "#222", width: 1 } }
      : { size: 12, color: colors.optimized, line: { color: "#222", width: 1 } },
  });
  const layout = baseLayout(input.title ?? "Layout", {
    xaxis: { title: { text: "x (m)" }, zeroline: false, showgrid: true, gridcolor: "#eee" },
    yaxis: { title: { text: "y (m)" }, zeroline: false, showgrid: true, gridcolor: "#eee", scaleanchor: "x", scaleratio: 1 },
    // Below the x-axis title, not between it and the tick labels.
    legend: { orientation: "h", x: 0, xanchor: "left", y: -0.2, yanchor: "top" },
    margin: { l: 60, r: 30, t: 50, b: 110 },
    height: 600,
  });
  if (input.windRose) {
    for (const t of windRoseTraces(input.windRose, "polar")) data.push({ ...t, showlegend: false });
    layout.polar = {
      domain: { x: [0.0, 0.2], y: [0.78, 1.0] },
      angularaxis: { direction: "clockwise", rotation: 90, tickfont: { size: 8 }, dtick: 90 },
      radialaxis: { showticklabels: false, ticks: "" },
      bgcolor: "rgba(255,255,255,0.8)",
    };
  }
  return { data, layout, config: { ...defaultConfig } };
}
