// Flow maps: effective wind speed on a horizontal grid at hub height for one wind
// direction and speed, turbines on top. Several maps (wake models) go side by side with
// one shared colour scale, so the eye compares like with like.
import { baseLayout, colors, defaultConfig, toList, type PlotlyFigure, type PlotlyTrace, type TurbinePoints } from "./types.js";

export interface FlowMapInput {
  /** Subplot title, e.g. the wake model's name. */
  name: string;
  /** Grid coordinates (m): nx values of x, ny values of y. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Effective wind speed (m/s), ny × nx, row-major: value (i, j) at index j·nx + i. */
  wsEffMs: ArrayLike<number>;
  turbines?: TurbinePoints;
  /** Where the wind comes from (meteorological degrees), named in the subplot title. */
  windDirDeg?: number;
  freeStreamMs?: number;
}

function rows(m: FlowMapInput): number[][] {
  const nx = m.x.length;
  const ny = m.y.length;
  if (m.wsEffMs.length !== nx * ny) {
    throw new RangeError(`flowMapFigure: map "${m.name}" has ${m.wsEffMs.length} speeds for a ${nx} × ${ny} grid`);
  }
  const z: number[][] = [];
  for (let j = 0; j < ny; j++) {
    const r = new Array<number>(nx);
    for (let i = 0; i < nx; i++) r[i] = m.wsEffMs[j * nx + i];
    z.push(r);
  }
  return z;
}

/**
 * One map, or several in a grid (`columns`, default 2) sharing one colour scale. The
 * height follows the grid's aspect ratio so equal axes do not leave empty bands.
 */
export function flowMapFigure(
  input: FlowMapInput | FlowMapInput[],
  opts: { title?: string; zminMs?: number; zmaxMs?: number; columns?: number; widthPx?: number } = {},
): PlotlyFigure {
  const maps = Array.isArray(input) ? input : [input];
  if (maps.length === 0) throw new RangeError("flowMapFigure: no map given");
  const zs = maps.map(rows);
  let lo = Infinity;
  let hi = -Infinity;
  for (const z of zs) for (const r of z) for (const v of r) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const zmin = opts.zminMs ?? lo;
  const zmax = opts.zmaxMs ?? hi;
  const n = maps.length;
  const cols = Math.max(1, Math.min(n, opts.columns ?? 2));
  const nrows = Math.ceil(n / cols);
  // Paper fractions: plots use [0, 0.9] across (the colour bar sits right of it).
  const gapX = cols > 1 ? 0.05 : 0;
  const w = (0.9 - gapX * (cols - 1)) / cols;
  // The tallest grid decides the row height at the assumed page width.
  const widthPx = opts.widthPx ?? 900;
  let aspect = 0;
  for (const m of maps) {
    const xs = toList(m.x);
    const ys = toList(m.y);
    aspect = Math.max(aspect, (Math.max(...ys) - Math.min(...ys)) / Math.max(1e-9, Math.max(...xs) - Math.min(...xs)));
  }
  const titleRowPx = 28;
  const axisPx = 50;
  const rowPx = Math.max(120, Math.round(w * widthPx * aspect)) + titleRowPx + axisPx;
  const topPx = opts.title === "" ? 20 : 60;
  const height = topPx + nrows * rowPx + 10;
  const data: PlotlyTrace[] = [];
  // What every map shares (the flow case) is said once, in the title; a panel's own title
  // is what differs (the model). Repeated on every panel it only crowds them.
  const same = <T>(f: (m: FlowMapInput) => T | undefined): T | undefined => {
    const v = f(maps[0]);
    return v !== undefined && maps.every((m) => f(m) === v) ? v : undefined;
  };
  const sharedDir = n > 1 && opts.title !== "" ? same((m) => m.windDirDeg) : undefined;
  const sharedWs = n > 1 && opts.title !== "" ? same((m) => m.freeStreamMs) : undefined;
  const sharedCase = [sharedDir !== undefined ? `wind from ${sharedDir}°` : "", sharedWs !== undefined ? `at ${sharedWs} m/s` : ""].filter(Boolean).join(" ");
  let title = opts.title ?? (n === 1 ? `Flow map: ${maps[0].name}` : "Flow maps");
  if (sharedCase && title && !(sharedDir !== undefined && title.includes(`${sharedDir}°`))) title += `, ${sharedCase}`;
  const layout = baseLayout(title, {
    height,
    showlegend: false,
    margin: { l: 60, r: 20, t: topPx, b: 10 },
    annotations: [] as unknown[],
  });
  if (opts.title === "") delete layout.title;
  const annotations = layout.annotations as unknown[];
  const plotH = height - topPx - 10;
  maps.forEach((m, k) => {
    const ax = k === 0 ? "" : String(k + 1);
    const xa = `x${ax}`;
    const ya = `y${ax}`;
    const col = k % cols;
    const row = Math.floor(k / cols);
    const x0 = col * (w + gapX);
    // Rows from the top, in paper fractions of the plotting area.
    const yTop = 1 - (row * rowPx) / plotH;
    const yDom: [number, number] = [Math.max(0, yTop - (rowPx - axisPx) / plotH), yTop - titleRowPx / plotH];
    data.push({
      type: "heatmap", name: m.name, x: toList(m.x), y: toList(m.y), z: zs[k], xaxis: xa, yaxis: ya,
      zmin, zmax, colorscale: colors.speedScale, zsmooth: "best",
      showscale: k === 0,
      // The bar states its range (the ticks alone may leave out both ends).
      colorbar: { title: { text: `WS eff (m/s)<br>${zmin.toFixed(1)}–${zmax.toFixed(1)}` }, thickness: 14, x: 0.92, len: Math.min(1, 300 / plotH), y: 1, yanchor: "top" },
      hovertemplate: "x %{x:.0f} m, y %{y:.0f} m<br>%{z:.2f} m/s<extra>" + m.name + "</extra>",
    });
    if (m.turbines) {
      data.push({
        type: "scatter", mode: "markers", name: "turbines", x: toList(m.turbines.x), y: toList(m.turbines.y), xaxis: xa, yaxis: ya,
        marker: { symbol: "circle", size: 7, color: "white", line: { color: "#222", width: 1.5 } }, hoverinfo: "skip",
      });
    }
    layout[`xaxis${ax}`] = { domain: [x0, x0 + w], anchor: ya, title: { text: row === nrows - 1 ? "x (m)" : "" }, constrain: "domain" };
    layout[`yaxis${ax}`] = { domain: yDom, anchor: xa, title: { text: col === 0 ? "y (m)" : "" }, scaleanchor: xa, scaleratio: 1, constrain: "domain" };
    let label = m.name;
    if (m.windDirDeg !== undefined && sharedDir === undefined) label += ` · wind from ${m.windDirDeg}°`;
    if (m.freeStreamMs !== undefined && sharedWs === undefined) label += ` at ${m.freeStreamMs} m/s`;
    annotations.push({ text: label, xref: "paper", yref: "paper", x: x0 + w / 2, y: yDom[1], xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 12 } });
  });
  return { data, layout, config: { ...defaultConfig } };
}
