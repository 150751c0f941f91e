/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4/7.5)
 * with a backtracking Armijo line search and a cap on the largest coordinate move per
 * step: in a wake field the landscape changes within a rotor diameter, so a quasi-Newton
 * step that jumps a whole spacing is seldom worth its evaluation.
 */

/** f(z) with its gradient written into g. */
export type Smooth = (z: Float64Array, g: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Memory (pairs kept). */
  memory?: number;
  /** Largest |Δz_k| allowed in one step. */
  maxStep: number;
  /** Stop when ‖g‖∞ falls below this. */
  gradTol: number;
  /** Stop when the relative decrease of f over one iteration is below this, twice in a row. */
  fTol: number;
  /** Called after each accepted step with the new point and its value. */
  onIteration?: (z: Float64Array, f: number) => void;
  /** Checked before each iteration: true stops the run (an evaluation or time budget). */
  shouldStop?: () => boolean;
}

export interface LbfgsResult { f: number; iterations: number; evaluations: number }

export function lbfgs(fn: Smooth, z: Float64Array, o: LbfgsOptions): LbfgsResult {
  const n = z.length;
  const m = o.memory ?? 10;
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let count = 0, head = 0;
  const g = new Float64Array(n), gNew = new Float64Array(n), d = new Float64Array(n), zNew = new Float64Array(n);
  let f = fn(z, g);
  let evals = 1;
  let it = 0;
  let small = 0;
  for (; it < o.maxIterations; it++) {
    if (o.shouldStop?.()) break;
    let gInf = 0;
    for (let i = 0; i < n; i++) gInf = Math.max(gInf, Math.abs(g[i]));
    if (!(gInf > o.gradTol)) break;
    // Two-loop recursion: d = −H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let c = 0; c < count; c++) {
      const k = (head - 1 - c + m) % m;
      let s = 0;
      for (let i = 0; i < n; i++) s += S[k][i] * d[i];
      alpha[k] = rho[k] * s;
      for (let i = 0; i < n; i++) d[i] -= alpha[k] * Y[k][i];
    }
    if (count > 0) {
      const k = (head - 1 + m) % m;
      let sy = 0, yy = 0;
      for (let i = 0; i < n; i++) { sy += S[k][i] * Y[k][i]; yy += Y[k][i] * Y[k][i]; }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      for (let i = 0; i < n; i++) d[i] /= gInf; // first step: unit move of the steepest coordinate
    }
    for (let c = count - 1; c >= 0; c--) {
      const k = (head - 1 - c + m) % m;
      let s = 0;
      for (let i = 0; i < n; i++) s += Y[k][i] * d[i];
      const b = rho[k] * s;
      for (let i = 0; i < n; i++) d[i] += S[k][i] * (alpha[k] - b);
    }
    let slope = 0, dInf = 0;
    for (let i = 0; i < n; i++) { slope += g[i] * d[i]; dInf = Math.max(dInf, Math.abs(d[i])); }
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from −g.
      count = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / gInf;
      slope = 0; dInf = 0;
      for (let i = 0; i < n; i++) { slope += g[i] * d[i]; dInf = Math.max(dInf, Math.abs(d[i])); }
    }
    let step = dInf > o.maxStep ? o.maxStep / dInf : 1;
    let fNew = Infinity;
    let ok = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) zNew[i] = z[i] + step * d[i];
      fNew = fn(zNew, gNew);
      evals++;
      if (fNew <= f + 1e-4 * step * slope) { ok = true; break; }
      // Minimizer of the quadratic through f, the slope and fNew, kept in [0.1, 0.5]·step.
      const denom = 2 * (fNew - f - slope * step);
      const q = denom > 0 ? (-slope * step * step) / denom : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, Number.isFinite(q) ? q : 0.1 * step));
    }
    if (!ok) break;
    const k = head;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      S[k][i] = zNew[i] - z[i];
      Y[k][i] = gNew[i] - g[i];
      sy += S[k][i] * Y[k][i];
    }
    if (sy > 1e-12) {
      rho[k] = 1 / sy;
      head = (head + 1) % m;
      if (count < m) count++;
    }
    const rel = (f - fNew) / Math.max(1e-12, Math.abs(f));
    z.set(zNew); g.set(gNew);
    f = fNew;
    o.onIteration?.(z, f);
    if (rel < o.fTol) { if (++small >= 2) { it++; break; } } else small = 0;
  }
  return { f, iterations: it, evaluations: evals };
}
