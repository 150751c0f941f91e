/**
 * Lattice starts: n turbines on a sheared, rotated lattice clipped to the boundary, the
 * lattice's shape drawn at random and its scale the largest that still holds n turbines;
 * the best of many shapes by AEP. The best published IEA 37 case-study-1 layout for 36
 * turbines (participant 12, 882,383 MWh) is rows: parallel lines of turbines ~620 m apart
 * along them, ~700 m between lines, the lines across the dominant wind. Basin hopping from a
 * smart start moves one or two turbines at a time and does not reach such a structure
 * (docs/layout.md, "Why 36 and 64 stopped short"); a lattice start begins inside it.
 *
 * Ring starts, the boundary-grid parameterization of Stanley & Ning (Wind Energ. Sci. 4, 2019,
 * 663–676): part of the turbines evenly along the boundary (every region's outline, in
 * proportion to its length), the rest on such a lattice at least the spacing inside. On
 * multi-region farms the optimum lines the outlines (IEA 37 case study 4: 81 turbines on five
 * outlines 63.7 km long; a local solve from the all-outline layout reached 2,882,960 MWh,
 * from the smart start 2,868,642).
 */
import { type Boundary, outlineLength, pointsAlongOutline, signedDistance } from "./boundary.js";
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
  /** Ring-and-lattice shapes tried (default 0), drawn from their own generator. */
  ringShapes?: number;
  /** How many of the best ring starts to return after the lattice ones (default 0). */
  ringKeep?: number;
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
  // Points at least `inset` inside the region (0: the plain lattice).
  const points = (ax: number, ay: number, bx: number, by: number, u: number, v: number, inset = 0): number => {
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
    for (let k = 0; k < X.length; k++) if (d[k] >= inset) { px[w] = X[k]; py[w] = Y[k]; w++; }
    px.length = w; py.length = w;
    return w;
  };
  /**
   * The largest lattice of the drawn shape with m points at least `inset` inside, in px/py;
   * more than m: the ones nearest the centre of mass dropped, keeping the outer ones (edges
   * carry the least-waked turbines). Undefined when even the densest one holds fewer.
   */
  const lattice = (r: MT19937, m: number, inset: number): { X: Float64Array; Y: Float64Array } | undefined => {
    const theta = Math.PI * r.nextDouble();
    const phi = Math.PI / 3 + (Math.PI / 3) * r.nextDouble();
    const aspect = Math.exp(Math.log(2) * (2 * r.nextDouble() - 1));
    const u = r.nextDouble(), v = r.nextDouble();
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
    if (points(...unit(lo), u, v, inset) < m) return undefined;
    let hi = lo * 4;
    while (points(...unit(hi), u, v, inset) >= m && hi < lo * 64) hi *= 2;
    for (let it = 0; it < 30; it++) {
      const mid = (lo + hi) / 2;
      if (points(...unit(mid), u, v, inset) >= m) lo = mid; else hi = mid;
    }
    points(...unit(lo), u, v, inset);
    let X = Float64Array.from(px), Y = Float64Array.from(py);
    if (X.length > m) {
      let mx = 0, my = 0;
      for (let k = 0; k < X.length; k++) { mx += X[k]; my += Y[k]; }
      mx /= X.length; my /= X.length;
      const order = Array.from(X.keys()).sort((p, q) => Math.hypot(X[q] - mx, Y[q] - my) - Math.hypot(X[p] - mx, Y[p] - my)).slice(0, m);
      X = Float64Array.from(order, (k) => X[k]); Y = Float64Array.from(order, (k) => Y[k]);
    }
    return { X, Y };
  };
  const offer = (list: LatticeStart[], k: number, X: Float64Array, Y: Float64Array) => {
    const a = o.aep(X, Y);
    evaluations++;
    if (list.length < k || a > list[list.length - 1].aepGWh) {
      list.push({ x: X, y: Y, aepGWh: a });
      list.sort((p, q) => q.aepGWh - p.aepGWh);
      if (list.length > k) list.pop();
    }
  };
  for (let t = 0; t < shapes && keep > 0; t++) {
    const L = lattice(rng, n, 0);
    if (L) offer(best, keep, L.X, L.Y);
  }
  const ringBest: LatticeStart[] = [];
  const ringShapes = o.ringShapes ?? 0, ringKeep = o.ringKeep ?? 0;
  if (ringShapes > 0 && ringKeep > 0) {
    const outlines = b.kind === "circle" ? [b] : b.polygons;
    const lengths = outlines.map(outlineLength);
    const total = lengths.reduce((p, q) => p + q, 0);
    const nbMax = Math.min(n, Math.floor(total / s));
    const rr = new MT19937(((o.seed + 0x7f4a7c15) ^ 0x3c6ef372) >>> 0);
    const xs: number[] = [], ys: number[] = [];
    for (let t = 0; t < ringShapes && nbMax >= 1; t++) {
      // A quarter to all of what the outlines hold, shared by length (largest remainder).
      const nb = Math.max(1, Math.round(nbMax * (0.25 + 0.75 * rr.nextDouble())));
      const phase = rr.nextDouble();
      const raw = lengths.map((len) => (nb * len) / total);
      const cnt = raw.map(Math.floor);
      let left = nb - cnt.reduce((p, q) => p + q, 0);
      for (const k of raw.map((_, k) => k).sort((p, q) => raw[q] - cnt[q] - (raw[p] - cnt[p]))) if (left-- > 0) cnt[k]++;
      const L = nb < n ? lattice(rr, n - nb, s) : undefined;
      if (nb < n && !L) continue;
      xs.length = 0; ys.length = 0;
      outlines.forEach((q, k) => { if (cnt[k] > 0) pointsAlongOutline(q, cnt[k], phase, xs, ys); });
      const X = new Float64Array(n), Y = new Float64Array(n);
      X.set(xs); Y.set(ys);
      if (L) { X.set(L.X, nb); Y.set(L.Y, nb); }
      offer(ringBest, ringKeep, X, Y);
    }
  }
  return { starts: [...best, ...ringBest], evaluations };
}
