/**
 * Feasibility of a layout: every turbine inside the boundary and every pair at least the
 * minimum spacing apart. `feasibilityCheck` is the judge used on every result; `repairLayout`
 * removes the small violations an optimizer leaves (≪ 1 m) by projection.
 */
import { type Boundary, signedDistance } from "./boundary.js";

/** Default tolerance (m) on both constraints. */
export const FEASIBILITY_TOL_M = 1e-6;

export interface Feasibility {
  feasible: boolean;
  /** max(0, −signed distance) over turbines (m): how far the worst turbine is outside. */
  maxBoundaryViolationM: number;
  /** Smallest distance between two turbines (m); Infinity with fewer than 2 turbines. */
  minSpacingM: number;
  /** max(0, required − actual) over pairs (m). */
  maxSpacingViolationM: number;
  /** Indices of turbines outside by more than the tolerance. */
  outside: number[];
  /** Pairs [i, j] closer than required minus the tolerance. */
  tooClose: [number, number][];
}

export function feasibilityCheck(
  boundary: Boundary, x: Float64Array, y: Float64Array, minSpacingM: number,
  tolM: number = FEASIBILITY_TOL_M,
): Feasibility {
  const n = x.length;
  const sd = signedDistance(boundary, x, y, new Float64Array(n));
  let maxOut = 0;
  const outside: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = -sd[i];
    if (!(v <= maxOut)) maxOut = v; // NaN positions count as infinitely outside
    if (!(sd[i] >= -tolM)) outside.push(i);
  }
  if (Number.isNaN(maxOut)) maxOut = Infinity;
  let minD2 = Infinity;
  const tooClose: [number, number][] = [];
  const lim = minSpacingM - tolM;
  const lim2 = lim > 0 ? lim * lim : 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[i] - x[j], dy = y[i] - y[j];
      const d2 = dx * dx + dy * dy;
      if (d2 < minD2) minD2 = d2;
      if (!(d2 >= lim2)) tooClose.push([i, j]);
    }
  }
  const minSp = Math.sqrt(minD2);
  return {
    feasible: outside.length === 0 && tooClose.length === 0,
    maxBoundaryViolationM: maxOut,
    minSpacingM: minSp,
    maxSpacingViolationM: n < 2 ? 0 : Math.max(0, minSpacingM - minSp),
    outside,
    tooClose,
  };
}

/** The first point with sd ≥ want on rings of radius 1e-6·scale … scale around (px, py), 32 directions each. */
function nearestInside(boundary: Boundary, px: number, py: number, want: number, scale: number): [number, number] | undefined {
  const M = 32;
  const X = new Float64Array(M), Y = new Float64Array(M), S = new Float64Array(M);
  for (let r = 1e-6 * scale; r <= scale; r *= 2) {
    for (let k = 0; k < M; k++) {
      const t = (2 * Math.PI * k) / M;
      X[k] = px + r * Math.cos(t); Y[k] = py + r * Math.sin(t);
    }
    signedDistance(boundary, X, Y, S);
    let best = -1;
    for (let k = 0; k < M; k++) if (S[k] >= want && (best < 0 || S[k] > S[best])) best = k;
    if (best >= 0) return [X[best], Y[best]];
  }
  return undefined;
}

/**
 * Moves turbines by the least it can so that all are inside (sd ≥ margin) and all pairs
 * are ≥ minSpacing + margin apart: alternating projections, pushing an offending pair
 * apart symmetrically along the line joining them and an outside turbine inward along the
 * signed-distance gradient. Meant for the sub-metre violations an optimizer leaves; it is
 * not a layout generator. Returns true when the layout passes `feasibilityCheck` with
 * tolerance 0 afterwards. Works in place.
 */
export function repairLayout(
  boundary: Boundary, x: Float64Array, y: Float64Array, minSpacingM: number,
  opts: { marginM?: number; maxRounds?: number } = {},
): boolean {
  const n = x.length;
  const scale = Math.max(1, minSpacingM);
  const margin = opts.marginM ?? 1e-7 * scale;
  const rounds = opts.maxRounds ?? 200;
  const sd = new Float64Array(n), gx = new Float64Array(n), gy = new Float64Array(n);
  const want = minSpacingM + margin;
  for (let r = 0; r < rounds; r++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = x[j] - x[i], dy = y[j] - y[i];
        const d = Math.sqrt(dx * dx + dy * dy);
        if (d >= want) continue;
        // Coincident points: separate along an arbitrary but deterministic direction.
        const ux = d > 0 ? dx / d : 1, uy = d > 0 ? dy / d : 0;
        const push = (want - d) / 2 * (1 + 1e-9);
        x[i] -= ux * push; y[i] -= uy * push;
        x[j] += ux * push; y[j] += uy * push;
        moved = true;
      }
    }
    // Push outside (or too-close-to-edge) points inward; a few Newton steps on sd = margin.
    for (let it = 0; it < 8; it++) {
      signedDistance(boundary, x, y, sd, gx, gy);
      let any = false;
      for (let i = 0; i < n; i++) {
        if (sd[i] >= margin) continue;
        const g2 = gx[i] * gx[i] + gy[i] * gy[i];
        if (g2 === 0) continue;
        const step = (margin * 2 - sd[i]) / g2;
        x[i] += gx[i] * step; y[i] += gy[i] * step;
        any = true;
      }
      if (!any) break;
      moved = true;
    }
    // A point the Newton steps cannot bring in: at the tip of a needle-thin spike of the
    // polygon (IEA 37 case study 3 has one, 0.2 m wide) the nearest edge flips side at every
    // step. Search rings of growing radius around it for the nearest point well inside.
    signedDistance(boundary, x, y, sd);
    for (let i = 0; i < n; i++) {
      if (sd[i] >= margin) continue;
      const p = nearestInside(boundary, x[i], y[i], margin * 2, scale);
      if (p) { x[i] = p[0]; y[i] = p[1]; moved = true; }
    }
    if (!moved) break;
  }
  return feasibilityCheck(boundary, x, y, minSpacingM, 0).feasible;
}
