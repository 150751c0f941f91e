// Plain data for the figures, computed from physics objects: the wind rose of a site,
// the flow map of a small farm, a wake's centreline profile. Kept apart from the pure
// figure builders so those stay free of physics.
import {
  flowCaseProbabilities, flowMap, sectorIndex, type Site, type WindFarmModel,
} from "../physics/index.js";
import { InputError } from "../errors.js";
import type { FlowMapInput } from "./flowMap.js";
import type { WindRoseInput } from "./windRose.js";

/**
 * The wind rose of a site, one bar per sector. A Weibull site is split into wind-speed
 * bins (edges in m/s, default 0-5-10-15-20-25+), from P(wd, ws) on 1° × 1 m/s cases
 * summed per sector; a uniform site (no speed distribution) gives sector frequencies.
 */
export function windRoseOf(site: Site, opts: { title?: string; speedEdgesMs?: number[] } = {}): WindRoseInput {
  const nS = site.sectorFreq.length;
  const directionsDeg = Array.from({ length: nS }, (_, s) => (s * 360) / nS);
  if (site.kind === "uniform") return { title: opts.title, directionsDeg, frequency: Array.from(site.sectorFreq) };
  const edges = opts.speedEdgesMs ?? [0, 5, 10, 15, 20, 25];
  const wd = Array.from({ length: 360 }, (_, i) => i);
  // 0.5, 1.5, ... 29.5 m/s: unit bins from calm to well past cut-out.
  const ws = Array.from({ length: 30 }, (_, k) => k + 0.5);
  const p = flowCaseProbabilities(site, wd, ws);
  const bins = edges.map((lo, b) => ({
    label: b + 1 < edges.length ? `${lo}–${edges[b + 1]} m/s` : `≥ ${lo} m/s`,
    frequency: new Array<number>(nS).fill(0),
  }));
  for (let l = 0; l < wd.length; l++) {
    const s = sectorIndex(wd[l], nS);
    for (let k = 0; k < ws.length; k++) {
      let b = edges.length - 1;
      while (b > 0 && ws[k] < edges[b]) b--;
      bins[b].frequency[s] += p[l * ws.length + k];
    }
  }
  return { title: opts.title, directionsDeg, speedBins: bins.filter((b) => b.frequency.some((v) => v > 0)) };
}

function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
}

export interface FlowMapOptions {
  /** Where the wind comes from (degrees) and its free-stream speed (m/s). */
  wdDeg: number;
  ws: number;
  /** Grid extent (m); default: the layout's bounding box plus 3 D upstream/sideways, 8 D around. */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Grid resolution: points along x (y follows the aspect ratio), default 120. */
  nx?: number;
  name?: string;
}

/**
 * Effective wind speed on a grid: physics `flowMap` (PyWake's `flow_map` at hub height), the
 * speed at each point in the wakes of the farm for the one flow case, no rotor averaging —
 * NOJ's wake edges stay sharp. A grid point exactly on a turbine shows that turbine's WS_eff.
 */
export function flowMapOf(model: WindFarmModel, layout: { x: ArrayLike<number>; y: ArrayLike<number> }, o: FlowMapOptions): FlowMapInput {
  const n = layout.x.length;
  if (layout.y.length !== n) throw new InputError(`x has ${n} values but y has ${layout.y.length}`, { field: "layout" });
  const D = model.turbine.diameterM;
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    xmin = Math.min(xmin, layout.x[i]); xmax = Math.max(xmax, layout.x[i]);
    ymin = Math.min(ymin, layout.y[i]); ymax = Math.max(ymax, layout.y[i]);
  }
  if (n === 0) xmin = xmax = ymin = ymax = 0;
  const [x0, x1] = o.xRange ?? [xmin - 4 * D, xmax + 8 * D];
  const [y0, y1] = o.yRange ?? [ymin - 3 * D, ymax + 3 * D];
  if (!(x1 > x0) || !(y1 > y0)) throw new InputError("needs a grid range with max > min", { field: "flow map range" });
  const nx = o.nx ?? 120;
  const ny = Math.max(2, Math.round((nx * (y1 - y0)) / (x1 - x0)));
  const gx = linspace(x0, x1, nx);
  const gy = linspace(y0, y1, ny);
  const px = new Float64Array(nx * ny);
  const py = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      px[j * nx + i] = gx[i];
      py[j * nx + i] = gy[j];
    }
  }
  const wsEff = flowMap(model, layout.x, layout.y, px, py, { wdDeg: o.wdDeg, ws: o.ws });
  return {
    name: o.name ?? model.deficit.kind,
    x: gx, y: gy, wsEffMs: wsEff,
    turbines: { x: Array.from(layout.x), y: Array.from(layout.y) },
    windDirDeg: o.wdDeg, freeStreamMs: o.ws,
  };
}
