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

export function flowMapFigure(input: FlowMapInput | FlowMapInput[], opts: { title?: string; zminMs?: number; zmaxMs?: number } = {}): PlotlyFigure {
  const maps = Array.isArray(input) ? input : [input];
  if (maps.length === 0) throw new RangeError("flowMapFigure: no map given");
  const zs = maps.map(rows);
  let lo = Infinity;
  let hi = -Infinity;
  for (const z of zs) for (const r of z) for (const v of r) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const zmin = opts.zminMs ?? lo;
  const zmax = opts.zmaxMs ?? hi;
  const n = maps.length;
  const gap = n > 1 ? 0.04 : 0;
  const w = (0.92 - gap * (n - 1)) / n;
  const data: PlotlyTrace[] = [];
  const layout = baseLayout(opts.title ?? (n === 1 ? `Flow map: ${maps[0].name}` : "Flow maps"), {
    height: n > 2 ? 380 : 460,
    showlegend: false,
    annotations: [] as unknown[],
  });
  const annotations = layout.annotations as unknown[];
  maps.forEach((m, k) => {
    const ax = k === 0 ? "" : String(k + 1);
    const xa = `x${ax}`;
    const ya = `y${ax}`;
    data.push({
      type: "heatmap", name: m.name, x: toList(m.x), y: toList(m.y), z: zs[k], xaxis: xa, yaxis: ya,
      zmin, zmax, colorscale: colors.speedScale, zsmooth: "best",
      showscale: k === n - 1,
      colorbar: { title: { text: "WS eff (m/s)" }, thickness: 14 },
      hovertemplate: "x %{x:.0f} m, y %{y:.0f} m<br>%{z:.2f} m/s<extra>" + m.name + "</extra>",
    });
    if (m.turbines) {
      data.push({
        type: "scatter", mode: "markers", name: "turbines", x: toList(m.turbines.x), y: toList(m.turbines.y), xaxis: xa, yaxis: ya,
        marker: { symbol: "circle", size: 7, color: "white", line: { color: "#222", width: 1.5 } }, hoverinfo: "skip",
      });
    }
    const x0 = 0.0 + k * (w + gap);
    layout[`xaxis${ax}`] = { domain: [x0, x0 + w], title: { text: "x (m)" }, anchor: ya, constrain: "domain" };
    layout[`yaxis${ax}`] = { title: { text: k === 0 ? "y (m)" : "" }, anchor: xa, scaleanchor: xa, scaleratio: 1, constrain: "domain" };
    let label = m.name;
    if (m.windDirDeg !== undefined) label += ` · wind from ${m.windDirDeg}°`;
    if (m.freeStreamMs !== undefined) label += ` at ${m.freeStreamMs} m/s`;
    annotations.push({ text: label, xref: "paper", yref: "paper", x: x0 + w / 2, y: 1.0, xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 12 } });
  });
  return { data, layout, config: { ...defaultConfig } };
}
