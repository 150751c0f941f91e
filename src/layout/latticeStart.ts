/**
 * Lattice starts: n turbines on a sheared, rotated lattice clipped to the boundary, the
 * lattice's shape drawn at random and its scale the largest that still holds n turbines;
 * the best of many shapes by AEP. The best published IEA 37 case-study-1 layout for 36
 * turbines (participant 12, 882,383 MWh) is rows: parallel lines of turbines ~620 m apart
 * along them, ~700 m between lines, the lines across the dominant wind. Basin hopping from a
 * smart start moves one or two turbines at a time and does not reach such a structure
 * (docs/layout.md, "Why 36 and 64 stopped short"); a lattice start begins inside it.
 */
import { type Boundary, signedDistance } from "./boundary.js";
import type { AepFunction } from "./optimize.js";
import { MT19937 } from "./rng.js";

export interface LatticeStartOptions {
  boundary: Boundary;
  nTurbines: number;
  minSpacingM: number;
  aep: AepFunction;
  /** Lattice shapes tried (default 300). */
  shapes?: number;
  /** How many of the best to return, best first (default 1). */
  keep?: number;
  seed: number;
}

export interface LatticeStart { x: Float64Array; y: Float64Array; aepGWh: number }

/** The best lattice layouts found, best first; `evaluations` counts the AEP calls. */
export function latticeStarts(o: LatticeStartOptions): { starts: LatticeStart[]; evaluations: number } {
  const { boundary: b, nTurbines: n } = o;
  const s = Math.max(o.minSpacingM, 1e-9);
  const rng = new MT19937(((o.seed + 0x2545f491) ^ 0x6a09e667) >>> 0);
  const shapes = o.shapes ?? 300, keep = o.keep ?? 1;
  // Bounding radius of the region, around its bounding box's centre.
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  if (b.kind === "circle") { xmin = b.cx - b.radius; xmax = b.cx + b.radius; ymin = b.cy - b.radius; ymax = b.cy + b.radius; }
  else for (const p of b.polygons) for (let i = 0; i < p.x.length; i++) {
    xmin = Math.min(xmin, p.x[i]); xmax = Math.max(xmax, p.x[i]); ymin = Math.min(ymin, p.y[i]); ymax = Math.max(ymax, p.y[i]);
  }
  const cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2, rad = Math.hypot(xmax - xmin, ymax - ymin) / 2;
  const best: LatticeStart[] = [];
  let evaluations = 0;
  const px: number[] = [], py: number[] = [];
  let sd = new Float64Array(0);
  const points = (ax: number, ay: number, bx: number, by: number, u: number, v: number): number => {
    px.length = 0; py.length = 0;
    // Lattice indices covering the bounding disc: |i·a + j·b| ≤ rad needs |i|, |j| ≤ rad / (area / |other|).
    const area = Math.abs(ax * by - ay * bx);
    const I = Math.ceil((rad * Math.hypot(bx, by)) / area) + 1, J = Math.ceil((rad * Math.hypot(ax, ay)) / area) + 1;
    for (let i = -I; i <= I; i++) for (let j = -J; j <= J; j++) {
      const X = cx + (i + u) * ax + (j + v) * bx, Y = cy + (i + u) * ay + (j + v) * by;
      if (Math.abs(X - cx) <= rad && Math.abs(Y - cy) <= rad) { px.push(X); py.push(Y); }
    }
    const X = Float64Array.from(px), Y = Float64Array.from(py);
    if (sd.length < X.length) sd = new Float64Array(X.length);
    const d = sd.subarray(0, X.length);
    signedDistance(b, X, Y, d);
    let w = 0;
    for (let k = 0; k < X.length; k++) if (d[k] >= 0) { px[w] = X[k]; py[w] = Y[k]; w++; }
    px.length = w; py.length = w;
    return w;
  };
  for (let t = 0; t < shapes; t++) {
    const theta = Math.PI * rng.nextDouble();
    const phi = Math.PI / 3 + (Math.PI / 3) * rng.nextDouble();
    const aspect = Math.exp(Math.log(2) * (2 * rng.nextDouble() - 1));
    const u = rng.nextDouble(), v = rng.nextDouble();
    const unit = (d1: number) => {
      const d2 = d1 * aspect;
      return [d1 * Math.cos(theta), d1 * Math.sin(theta), d2 * Math.cos(theta + phi), d2 * Math.sin(theta + phi)] as const;
    };
    // Smallest lattice vector (a, b, a ± b) must be at least the spacing.
    const shortest = (d1: number) => {
      const [ax, ay, bx, by] = unit(d1);
      return Math.min(Math.hypot(ax, ay), Math.hypot(bx, by), Math.hypot(ax + bx, ay + by), Math.hypot(ax - bx, ay - by));
    };
    let lo = s / (shortest(1) || 1);
    if (points(...unit(lo), u, v) < n) continue;
    let hi = lo * 4;
    while (points(...unit(hi), u, v) >= n && hi < lo * 64) hi *= 2;
    for (let it = 0; it < 30; it++) {
      const mid = (lo + hi) / 2;
      if (points(...unit(mid), u, v) >= n) lo = mid; else hi = mid;
    }
    points(...unit(lo), u, v);
    // More than n inside: drop the ones nearest the region's centre of mass until n are left,
    // keeping the outer ones (edges carry the least-waked turbines).
    let X = Float64Array.from(px), Y = Float64Array.from(py);
    if (X.length > n) {
      let mx = 0, my = 0;
      for (let k = 0; k < X.length; k++) { mx += X[k]; my += Y[k]; }
      mx /= X.length; my /= X.length;
      const order = Array.from(X.keys()).sort((p, q) => Math.hypot(X[q] - mx, Y[q] - my) - Math.hypot(X[p] - mx, Y[p] - my)).slice(0, n);
      X = Float64Array.from(order, (k) => X[k]); Y = Float64Array.from(order, (k) => Y[k]);
    }
    const a = o.aep(X, Y);
    evaluations++;
    if (best.length < keep || a > best[best.length - 1].aepGWh) {
      best.push({ x: X, y: Y, aepGWh: a });
      best.sort((p, q) => q.aepGWh - p.aepGWh);
      if (best.length > keep) best.pop();
    }
  }
  return { starts: best, evaluations };
}
