/**
 * Rotor average of a Gaussian wake over the destination rotor disc, as PyWake 2.6's
 * `GaussianOverlapAvgModel` (used by its `Nygaard_2022` and `Niayifar_PorteAgel_2016`).
 *
 * The deficit is evaluated on the wake centre line (cw = 0) and multiplied by
 *   F(R/σ, cw/σ) = 1/(πR²) ∬_disc exp(−ρ²/(2σ²)) dA,
 * R the destination rotor radius, cw the crosswind offset, σ the source's wake width there.
 *
 * PyWake reads F from a table file (a Git-LFS object its mirror lacks) built on R/σ = 0, 0.02, …, 20
 * and cw/σ = 0, 0.02, …, 10 by a 128-point trapezoid in θ and a 512-point trapezoid in r
 * (`make_lookup_table(128, 512, .02, .02)`), resamples it at load to a 0.01 grid with xarray's
 * `interp(method="cubic")` — one 1-D not-a-knot cubic spline (scipy `interp1d(kind="cubic")`) per
 * axis, R/σ first then cw/σ — and queries that grid bilinearly, arguments clamped to the grid.
 * This module builds the same table in code (../../../shared/physics.md "Rotor averaging"):
 *
 * - θ: the 128-point trapezoid of a periodic integrand equals the closed form
 *   2π·exp(−(r − cw)²/2)·I0e(r·cw) to ~1e-17 here, and the r-sum is re-ordered through the
 *   series of I0: Σ_m w_m r_m e^{−(r_m² + cw²)/2} I0(r_m·cw) = e^{−cw²/2} Σ_k (cw/2)^{2k}/(k!)² M_k,
 *   with moments M_k = Σ_m w_m r_m^{2k+1} e^{−r_m²/2}. Every term is positive, so nothing cancels;
 *   the moments are shared by the 501 cw values of a row, which takes the build from ~2.6e8
 *   Bessel evaluations to ~2e8 multiply-adds (well under a second).
 * - r: PyWake's grid r_m = linspace(0, 1, 512)[m]·R/σ, trapezoid step r_1 − r_0.
 */

const N_R = 512;
const SRC_STEP = 0.02;
const SRC_NR = 1001; // R/σ = 0 … 20
const SRC_NC = 501; // cw/σ = 0 … 10
const DST_STEP = 0.01;
/** Grid points per unit of R/σ and cw/σ (1/DST_STEP, exactly 100). */
export const DST_PER_UNIT = 100;
const DST_NR = 2001; // R/σ = 0 … 20
const DST_NC = 1001; // cw/σ = 0 … 10

/** The source table (1001 × 501, row = R/σ index), as PyWake's `make_lookup_table(128, 512, .02, .02)`. */
export function gaussianOverlapSourceTable(): Float64Array {
  const out = new Float64Array(SRC_NR * SRC_NC);
  // numpy linspace(0, 1, 512): i·step with step = 1/511, the last point exactly 1
  const tLst = new Float64Array(N_R);
  const step = 1 / (N_R - 1);
  for (let m = 0; m < N_R; m++) tLst[m] = m * step;
  tLst[N_R - 1] = 1;
  const rM = new Float64Array(N_R);
  const kMax = 400;
  const moments = new Float64Array(kMax + 1);
  const wPow = new Float64Array(N_R);
  const t2 = new Float64Array(N_R);
  for (let j = 0; j < SRC_NC; j++) {
    const cw = j * SRC_STEP;
    out[j] = Math.exp(-(cw * cw) / 2); // R/σ = 0: the point value
  }
  for (let i = 1; i < SRC_NR; i++) {
    const R = i * SRC_STEP;
    for (let m = 0; m < N_R; m++) rM[m] = tLst[m] * R;
    const dr = rM[1] - rM[0];
    // M_k in scaled form: r_m^{2k+1} = R^{2k+1}·(r_m/R)^{2k+1}; the R^{2k} goes into the cw factor.
    let kTop = Math.min(kMax, Math.ceil(R * 5 + 12 * Math.sqrt(R * 5 + 1) + 40));
    for (let m = 0; m < N_R; m++) {
      const t = rM[m] / R;
      const w = m === 0 || m === N_R - 1 ? 0.5 : 1;
      wPow[m] = w * rM[m] * Math.exp(-(rM[m] * rM[m]) / 2);
      t2[m] = t * t;
    }
    moments.fill(0);
    for (let m = 0; m < N_R; m++) {
      let p = wPow[m];
      const q = t2[m];
      for (let k = 0; k <= kTop; k++) {
        moments[k] += p;
        p *= q;
        if (p === 0) break;
      }
    }
    const norm = (2 * Math.PI * dr) / (Math.PI * R * R);
    for (let j = 0; j < SRC_NC; j++) {
      const cw = j * SRC_STEP;
      const z = (R * cw) / 2;
      const z2 = z * z;
      let c = 1;
      let s = moments[0];
      for (let k = 1; k <= kTop; k++) {
        c *= z2 / (k * k);
        const term = c * moments[k];
        s += term;
        if (k > z && term < s * 1e-18) break;
        if (k === kTop && kTop < kMax && term >= s * 1e-18) kTop = Math.min(kMax, kTop + 40); // not expected
      }
      out[i * SRC_NC + j] = Math.exp(-(cw * cw) / 2) * s * norm;
    }
  }
  return out;
}

/**
 * Not-a-knot cubic spline through y[0..n) on a uniform grid, evaluated at the knots and the
 * midpoints (a grid of half the step): out[2i] = y[i], out[2i+1] = S(x_i + h/2).
 * Second derivatives M solve the tridiagonal system M_{i−1} + 4M_i + M_{i+1} = 6Δ²y_i/h² with
 * not-a-knot ends (third derivative continuous at the second and next-to-last knot):
 * M_0 = 2M_1 − M_2 and M_{n−1} = 2M_{n−2} − M_{n−3}; substituted, rows 1 and n−2 become
 * 6M_1 = 6Δ²y_1/h² and 6M_{n−2} = 6Δ²y_{n−2}/h². Scratch arrays hold the elimination.
 */
function splineHalfStep(y: Float64Array, y0: number, stride: number, n: number, h: number, out: Float64Array, o0: number, oStride: number, M: Float64Array, cp: Float64Array): void {
  const inner = n - 2; // unknowns M_1 … M_{n−2}
  const h2 = h * h;
  const rhs = (i: number): number => (6 * (y[y0 + (i - 1) * stride] - 2 * y[y0 + i * stride] + y[y0 + (i + 1) * stride])) / h2;
  // Thomas algorithm on rows 1..n−2: diag 6 at both ends (after substitution the off-diagonals
  // there vanish: row 1 is (1·M_0 + 4M_1 + M_2) with M_0 = 2M_1 − M_2 → 6M_1 + 0·M_2).
  const diag = (i: number): number => (i === 1 || i === n - 2 ? 6 : 4);
  const upper = (i: number): number => (i === 1 ? 0 : 1);
  const lower = (i: number): number => (i === n - 2 ? 0 : 1);
  // forward
  let prevC = 0;
  let prevD = 0;
  for (let i = 1; i <= inner; i++) {
    const a = i === 1 ? 0 : lower(i);
    const b = diag(i) - a * prevC;
    const c = i === inner ? 0 : upper(i);
    prevC = c / b;
    prevD = (rhs(i) - a * prevD) / b;
    cp[i] = prevC;
    M[i] = prevD;
  }
  for (let i = inner - 1; i >= 1; i--) M[i] -= cp[i] * M[i + 1];
  M[0] = 2 * M[1] - M[2];
  M[n - 1] = 2 * M[n - 2] - M[n - 3];
  for (let i = 0; i < n; i++) {
    const yi = y[y0 + i * stride];
    out[o0 + 2 * i * oStride] = yi;
    if (i < n - 1) {
      const yj = y[y0 + (i + 1) * stride];
      out[o0 + (2 * i + 1) * oStride] = 0.5 * (yi + yj) - (h2 / 16) * (M[i] + M[i + 1]);
    }
  }
}

let cached: Float64Array | undefined;

/** The resampled 0.01 grid (2001 × 1001, row = R/σ index) PyWake interpolates bilinearly. */
export function gaussianOverlapTable(): Float64Array {
  if (cached) return cached;
  const src = gaussianOverlapSourceTable();
  // R/σ first: each cw column from 1001 to 2001 rows
  const mid = new Float64Array(DST_NR * SRC_NC);
  const M = new Float64Array(Math.max(SRC_NR, SRC_NC));
  const cp = new Float64Array(Math.max(SRC_NR, SRC_NC));
  for (let j = 0; j < SRC_NC; j++) splineHalfStep(src, j, SRC_NC, SRC_NR, SRC_STEP, mid, j, SRC_NC, M, cp);
  const dst = new Float64Array(DST_NR * DST_NC);
  for (let i = 0; i < DST_NR; i++) splineHalfStep(mid, i * SRC_NC, 1, SRC_NC, SRC_STEP, dst, i * DST_NC, 1, M, cp);
  cached = dst;
  return dst;
}

let excessOf: Float64Array | undefined;
let excess = 0;

/**
 * How far the table ever rises above the disc's largest value: max over its nodes of
 * F − exp(−max(cw/σ − R/σ, 0)²/2) (the Gaussian at the disc's nearest point; an average cannot
 * exceed it, the quadrature and the spline resampling may by a little). With it, for any
 * query (u, v) the bilinear F is at most exp(−max(min(v, 10) − u − 0.02, 0)²/2) + excess (a
 * cell's corners lie within 0.01 of the query on each axis). The kernels bound deficits with it.
 */
export function gaussianOverlapExcess(table: Float64Array = gaussianOverlapTable()): number {
  if (excessOf === table) return excess;
  let m = -Infinity;
  for (let i = 0; i < DST_NR; i++) {
    const u = i * DST_STEP;
    for (let j = 0; j < DST_NC; j++) {
      const d = j * DST_STEP - u;
      const e = table[i * DST_NC + j] - (d > 0 ? Math.exp(-(d * d) / 2) : 1);
      if (e > m) m = e;
    }
  }
  excessOf = table;
  excess = m > 0 ? m : 0;
  return excess;
}

/**
 * F(R/σ, cw/σ) with PyWake's `GridInterpolator(bounds="limit")`: bilinear on the 0.01 grid,
 * arguments clamped to [0, 20] × [0, 10].
 */
export function gaussianOverlapFactor(rOverSigma: number, cwOverSigma: number, table: Float64Array = gaussianOverlapTable()): number {
  // ×100 for ÷0.01: equal or 1 ulp apart (0.01 is not a double), and a multiply where a division
  // holds up the kernels' loops (the grid index moves by ≤ 1 ulp, F by < 5e-14 of itself:
  // test/physics/generalNumerics.test.ts)
  let xi = rOverSigma * DST_PER_UNIT;
  let yi = cwOverSigma * DST_PER_UNIT;
  if (!(xi > 0)) xi = 0; else if (xi > DST_NR - 1) xi = DST_NR - 1;
  if (!(yi > 0)) yi = 0; else if (yi > DST_NC - 1) yi = DST_NC - 1;
  const i0 = xi | 0; // ⌊xi⌋: xi ∈ [0, 2000] here
  const j0 = yi | 0;
  const fx = xi - i0;
  const fy = yi - j0;
  const i1 = i0 + 1 < DST_NR ? i0 + 1 : DST_NR - 1;
  const j1 = j0 + 1 < DST_NC ? j0 + 1 : DST_NC - 1;
  const a = i0 * DST_NC;
  const b = i1 * DST_NC;
  return (1 - fx) * (1 - fy) * table[a + j0] + (1 - fx) * fy * table[a + j1] + fx * (1 - fy) * table[b + j0] + fx * fy * table[b + j1];
}

/** The exact disc average (for comparison): 1/(πR²)∫₀^R 2π r e^{−(r−cw)²/2} I0e(r·cw) dr, σ = 1, by Gauss–Legendre panels. */
export function gaussianOverlapExact(rOverSigma: number, cwOverSigma: number): number {
  const R = rOverSigma;
  const cw = cwOverSigma;
  if (R === 0) return Math.exp(-(cw * cw) / 2);
  // 5-point Gauss–Legendre on 400 panels
  const xg = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
  const wg = [0.23692688505618908, 0.47862867049936647, 0.5688888888888889, 0.47862867049936647, 0.23692688505618908];
  const panels = 400;
  const hp = R / panels;
  let s = 0;
  for (let p = 0; p < panels; p++) {
    const c = (p + 0.5) * hp;
    for (let g = 0; g < 5; g++) {
      const r = c + 0.5 * hp * xg[g];
      s += wg[g] * 0.5 * hp * 2 * Math.PI * r * Math.exp(-((r - cw) * (r - cw)) / 2) * i0e(r * cw);
    }
  }
  return s / (Math.PI * R * R);
}

// Cephes' Chebyshev coefficients of exp(−x)·I0(x) on [0, 8] and exp(−x)·√x·I0(x) on (8, ∞).
const I0E_A = [
  -4.41534164647933937950e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16, 1.71539128555513303061e-15,
  -1.16853328779934516808e-14, 7.67618549860493561688e-14, -4.85644678311192946090e-13, 2.95505266312963983461e-12,
  -1.72682629144155570723e-11, 9.67580903537323691224e-11, -5.18979560163526290666e-10, 2.65982372468238665035e-9,
  -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7, 1.11738753912010371815e-6,
  -4.41673835845875056359e-6, 1.64484480707288970893e-5, -5.75419501008210370398e-5, 1.88502885095841655729e-4,
  -5.76375574538582365885e-4, 1.63947561694133579842e-3, -4.32430999505057594430e-3, 1.05464603945949983183e-2,
  -2.37374148058994688156e-2, 4.93052842396707084878e-2, -9.49010970480476444210e-2, 1.71620901522208775349e-1,
  -3.04682672343198398683e-1, 6.76795274409476084995e-1,
];
const I0E_B = [
  -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17, 3.46122286769746109310e-17,
  -2.82762398051658348494e-16, -3.42548561967721913462e-16, 1.77256013305652638360e-15, 3.81168066935262242075e-15,
  -9.55484669882830764870e-15, -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
  7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11, -3.14991652796324136454e-11,
  1.18891471078464383424e-11, 4.94060238822496958910e-10, 3.39623202570838634515e-9, 2.26666899049817806459e-8,
  2.04891858946906374183e-7, 2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.36911647825569408990e-3,
  8.04490411014108831608e-1,
];

function chbevl(x: number, c: readonly number[]): number {
  let b0 = c[0];
  let b1 = 0;
  let b2 = 0;
  for (let i = 1; i < c.length; i++) {
    b2 = b1;
    b1 = b0;
    b0 = x * b1 - b2 + c[i];
  }
  return 0.5 * (b0 - b2);
}

/** Exponentially scaled modified Bessel function of order 0, exp(−|x|)·I0(x) (Cephes `i0e`). */
export function i0e(x: number): number {
  const a = Math.abs(x);
  if (a <= 8) return chbevl(a / 2 - 2, I0E_A);
  return chbevl(32 / a - 2, I0E_B) / Math.sqrt(a);
}
