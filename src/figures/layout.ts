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
  /** Zones inside the boundary where no turbine may stand: drawn dashed red, one legend entry for all. */
  exclusions?: readonly FigurePolygon[];
  /** A wind rose beside the farm (its own area, never over the turbines), so the layout reads against the wind. */
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
    ({ x, y } = closed(b));
  }
  return {
    type: "scatter", mode: "lines", name: "boundary", x, y,
    line: { color: colors.boundary, width: 2 }, hoverinfo: "skip",
  };
}

function closed(p: FigurePolygon): { x: number[]; y: number[] } {
  const x = toList(p.x);
  const y = toList(p.y);
  const n = x.length;
  if (n > 0 && (x[0] !== x[n - 1] || y[0] !== y[n - 1])) x.push(x[0]), y.push(y[0]);
  return { x, y };
}

/** The exclusion zones as one legend entry: each zone a trace in one legend group. */
export function exclusionTraces(zones: readonly FigurePolygon[]): PlotlyTrace[] {
  return zones.map((z, i) => ({
    type: "scatter", mode: "lines", name: "exclusion zone", ...closed(z), legendgroup: "exclusion", showlegend: i === 0,
    fill: "toself", fillcolor: "rgba(214,39,40,0.10)", line: { color: colors.accent, width: 1.5, dash: "dash" }, hoverinfo: "name",
  }));
}

/** A wind rose's speed bins summed per direction: the inset shows where the wind comes from, no legend needed. */
function directionsOnly(w: WindRoseInput): WindRoseInput {
  if (!w.speedBins) return w;
  const n = w.directionsDeg.length;
  const frequency = new Array<number>(n).fill(0);
  for (const b of w.speedBins) for (let i = 0; i < n; i++) frequency[i] += b.frequency[i];
  return { directionsDeg: w.directionsDeg, frequency, sectorWidthDeg: w.sectorWidthDeg };
}

// Paper fractions of the layout figure with a wind rose: the farm on the left, its colour
// bar next to it, the rose in its own square area at the top right. Disjoint, so the rose
// never covers a turbine whatever the farm's shape (equal axes shrink the farm inside its
// area; they never move it out).
export const LAYOUT_FARM_X: [number, number] = [0, 0.66];
export const LAYOUT_ROSE_X: [number, number] = [0.78, 1];
export const LAYOUT_ROSE_Y: [number, number] = [0.5, 1];

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
  if (input.exclusions?.length) data.push(...exclusionTraces(input.exclusions));
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
  const rose = input.windRose !== undefined;
  const lo = aep ? Math.min(...aep) : 0;
  const hi = aep ? Math.max(...aep) : 0;
  data.push({
    type: "scatter", mode: "markers", name: input.initial ? "optimized" : "turbines", x: ox, y: oy, text, hoverinfo: "text",
    marker: aep
      ? { size: 12, color: aep, colorscale: colors.aepScale, cmin: lo, cmax: hi, showscale: true,
          // The bar says its range: plotly's ticks alone may leave out both ends.
          colorbar: { title: { text: `AEP (GWh)<br>${lo.toFixed(1)}–${hi.toFixed(1)}` }, thickness: 14, len: rose ? 0.9 : 1, x: rose ? LAYOUT_FARM_X[1] + 0.015 : 1.02, xanchor: "left", y: 0.5, yanchor: "middle" },
          line: { color: "#222", width: 1 } }
      : { size: 12, color: colors.optimized, line: { color: "#222", width: 1 } },
  });
  const layout = baseLayout(input.title ?? "Layout", {
    xaxis: { title: { text: "x (m)" }, zeroline: false, showgrid: true, gridcolor: "#eee", ...(rose ? { domain: LAYOUT_FARM_X } : {}) },
    yaxis: { title: { text: "y (m)" }, zeroline: false, showgrid: true, gridcolor: "#eee", scaleanchor: "x", scaleratio: 1 },
    // Below the x-axis title, not between it and the tick labels.
    legend: { orientation: "h", x: 0, xanchor: "left", y: -0.2, yanchor: "top" },
    margin: { l: 60, r: 30, t: 50, b: 110 },
    height: 560,
  });
  if (rose) {
    for (const t of windRoseTraces(directionsOnly(input.windRose!), "polar")) data.push({ ...t, showlegend: false });
    layout.polar = {
      domain: { x: LAYOUT_ROSE_X, y: LAYOUT_ROSE_Y },
      angularaxis: { direction: "clockwise", rotation: 90, tickfont: { size: 9 }, dtick: 90 },
      // Three rings are enough to read the share; more crowd the centre.
      radialaxis: { ticksuffix: " %", tickfont: { size: 8 }, angle: 90, tickangle: 90, nticks: 3 },
    };
    (layout.annotations as unknown[] | undefined) ?? (layout.annotations = []);
    (layout.annotations as unknown[]).push({
      text: "wind from (% of time)", xref: "paper", yref: "paper", x: (LAYOUT_ROSE_X[0] + LAYOUT_ROSE_X[1]) / 2, y: LAYOUT_ROSE_Y[0] - 0.06,
      xanchor: "center", yanchor: "top", showarrow: false, font: { size: 11, color: "#555" },
    });
  }
  return { data, layout, config: { ...defaultConfig } };
}
