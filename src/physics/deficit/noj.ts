/**
 * N. O. Jensen's top-hat wake ("NOJ"), as PyWake 2.6's `NOJ(site, wt)`: `NOJDeficit` with the
 * rotor-area overlap average.
 *
 * References: N. O. Jensen, "A note on wind generator interaction", Risø-M-2411 (1983);
 * I. Katic, J. Højstrup, N. O. Jensen, "A simple model for cluster efficiency", EWEC 1986,
 * eq. (1) with the partial-wake area fraction; overlap area: J. Feng, W. Z. Shen, Renewable
 * Energy 78 (2015) 182–192, eq. (A1) (with PyWake's correction of its typo).
 *
 *   R_w = k·dw + D/2,   d = 2·a(min(Ct, 1)) · WS · (R/R_w)² · A_overlap / A_rotor
 *
 * a is Madsen's induction (induction.ts), WS the free-stream speed at the source, R the source
 * radius, A_overlap the intersection of the wake circle and the destination rotor disc.
 * Nothing here depends on Ct except the factor 2a: the engine computes (R/R_w)²·overlap once
 * per direction and shares it across wind speeds.
 */
export interface NOJ {
  readonly kind: "NOJ";
  /** Wake expansion (m of radius per m downwind). */
  readonly k: number;
}

export function noj(opts: { k?: number } = {}): NOJ {
  return { kind: "NOJ", k: opts.k ?? 0.1 };
}

const EPS2 = 2 * Number.EPSILON;

function arccosLim(v: number): number {
  // PyWake clips to ±(1 − 2ε) so arccos and its gradient stay finite.
  return Math.acos(v < -1 + EPS2 ? -1 + EPS2 : v > 1 - EPS2 ? 1 - EPS2 : v);
}

/**
 * Fraction of a disc of radius `r2` (the destination rotor) inside a circle of radius `r1`
 * (the wake) whose centre is `dist` away. `r2 = 0` means a point: 1 inside, 0 outside.
 * Follows PyWake's `_cal_overlapping_area_factor` term by term, including its triangle
 * area sin(α)·R1·d (exact when the wake is the larger circle, as it always is here).
 */
export function overlapFraction(r1: number, r2: number, dist: number): number {
  // a small wrapper the optimizer inlines; the formula sits behind a typed array because a
  // double crossing a call that is not inlined is boxed (the kernels' Crespo loop called this
  // ~1.4 M times per Horns Rev AEP: 23 MB of heap numbers)
  const io = overlapIo;
  io[0] = r1; io[1] = r2; io[2] = dist;
  overlapFractionIo(io);
  return io[0];
}

const overlapIo = new Float64Array(3);

/** `overlapFraction(io[0], io[1], io[2])` into io[0]. */
export function overlapFractionIo(io: Float64Array): void {
  const r1 = io[0], r2 = io[1], dist = io[2];
  if (r2 === 0) { io[0] = r1 > dist ? 1 : 0; return; }
  const rMax = r1 < r2 ? r2 : r1;
  const rMin = r1 < r2 ? r1 : r2;
  if (dist <= rMax - rMin) { io[0] = 1; return; }
  if (!(dist < rMin + rMax)) { io[0] = 0; return; }
  const alpha = arccosLim((rMax * rMax + dist * dist - rMin * rMin) / (2 * Math.max(rMax * dist, EPS2)));
  const beta = arccosLim((rMin * rMin + dist * dist - rMax * rMax) / (2 * Math.max(rMin * dist, EPS2)));
  const triangle = Math.sin(alpha) * r1 * dist;
  io[0] = (alpha * rMax * rMax + beta * rMin * rMin - triangle) / (r2 * r2 * Math.PI);
}

/**
 * Slopes of `overlapFraction(r1, r2, dist)` w.r.t. r1 (the wake radius) and dist, into
 * out[0], out[1]. Inside the partial-overlap band the area is the exact lens
 * A = α·r1² + β·r2² − r1·dist·sin α (α, β the half-angles at the wake's and the rotor's
 * centre), whose derivatives are classical: ∂A/∂r1 = 2·r1·α (the wake arc inside the disc),
 * ∂A/∂dist = −2·r1·sin α (minus the common chord); both 0 in full and no overlap. At the
 * band's edges the fraction has kinks (top hat): the slopes there are one-sided.
 */
export function overlapFractionSlopes(r1: number, r2: number, dist: number, out: Float64Array): void {
  out[0] = 0;
  out[1] = 0;
  if (r2 === 0 || r1 < r2) return; // a point, or a wake narrower than the rotor: never here (R_w ≥ R)
  if (dist <= r1 - r2 || !(dist < r1 + r2)) return;
  const alpha = arccosLim((r1 * r1 + dist * dist - r2 * r2) / (2 * Math.max(r1 * dist, EPS2)));
  const area = r2 * r2 * Math.PI;
  out[0] = (2 * r1 * alpha) / area;
  out[1] = (-2 * r1 * Math.sin(alpha)) / area;
}
