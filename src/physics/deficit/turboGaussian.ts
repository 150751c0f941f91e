/**
 * TurbOPark's Gaussian wake (Ørsted; Nygaard et al. 2022), as PyWake 2.6's `TurboGaussianDeficit`.
 *
 * References: N. G. Nygaard, L. Poulsen, E. Svensson, J. G. Pedersen, "Large-scale benchmarking of
 * wake models for offshore wind farms", J. Phys.: Conf. Ser. 2265 (2022) 022008; Ørsted,
 * "TurbOPark description" (github.com/OrstedRD/TurbOPark). The wake grows with the local
 * turbulence, ambient plus Frandsen's wake-added I_w = 1/(α' + β'·x/√Ct); integrating
 * dσ/dx = A·√(I0² + I_w²) gives, with x = dw/D, α = c0·TI, β = c1·TI/√Ct:
 *
 *   σ = (A·TI·D/β)·[√((α + βx)² + 1) − √(1 + α²) − ln(((√((α + βx)² + 1) + 1)·α) / ((√(1 + α²) + 1)·(α + β|x|)))]
 *       + ε(Ct)·D,   ε = ceps·√β_B(min(Ct, ctlim)) (Bastankhah's initial width)
 *
 * Centre deficit as Bastankhah: WS·min(1, 2·a(Ct·D²/(8σ²))); PyWake's defaults A = 0.04,
 * cTI = [1.5, 0.8], ceps = 0.25, ctlim = 0.999, Madsen's induction, ambient TI, free-stream WS,
 * and a mirrored ground (an image turbine at −h whose deficit is combined with the real one by
 * the farm's superposition). `Nygaard_2022` uses 1-D momentum induction and the
 * GaussianOverlap rotor average.
 */
export interface TurboGaussian {
  readonly kind: "TurboGaussian";
  /** Wake expansion calibration A. */
  readonly A: number;
  /** Frandsen's wake-added turbulence constants [c0, c1]: α = c0·TI, β = c1·TI/√Ct. */
  readonly cTI: readonly [number, number];
  readonly ceps: number;
  readonly ctlim: number;
  /** Induction: Madsen's polynomial (PyWake's default) or 1-D momentum (Nygaard_2022). */
  readonly ct2a: "madsen" | "mom1d";
  /** Scale the deficit with the source's effective speed instead of the free stream. */
  readonly useEffectiveWs: boolean;
  /** σ from the source's effective TI instead of the ambient TI (needs a turbulence model to differ). */
  readonly useEffectiveTi: boolean;
  /** "Mirror": an image turbine below the ground. */
  readonly ground: "Mirror" | "none";
}

/** TurboGaussian with PyWake's defaults (`TurboGaussianDeficit()`). */
export function turboGaussian(opts: Partial<Omit<TurboGaussian, "kind">> = {}): TurboGaussian {
  return {
    kind: "TurboGaussian", A: 0.04, cTI: [1.5, 0.8], ceps: 0.25, ctlim: 0.999, ct2a: "madsen",
    useEffectiveWs: false, useEffectiveTi: false, ground: "Mirror", ...opts,
  };
}

/** σ (m) at downwind distance dw of a source with diameter D, Ct `ct`, reference TI `ti`; epsD = ε(Ct)·D. */
export function turboSigma(dw: number, D: number, ct: number, ti: number, A: number, c0: number, c1: number, epsD: number): number {
  const alpha = c0 * ti;
  const ctc = ct > 1e-20 ? ct : 1e-20;
  const beta = (c1 * ti) / Math.sqrt(ctc);
  const fac = (A * ti * D) / beta;
  const u = alpha + (beta * dw) / D;
  const t1 = Math.sqrt(u * u + 1);
  const t2 = Math.sqrt(1 + alpha * alpha);
  const t3 = (t1 + 1) * alpha;
  const t4 = (t2 + 1) * (alpha + (beta * Math.abs(dw)) / D);
  return fac * (t1 - t2 - Math.log(t3 / t4)) + epsD;
}

/** dσ/d(dw) of `turboSigma` for dw > 0 (ε·D is dw-free). */
export function dTurboSigmaDdw(dw: number, D: number, ct: number, ti: number, A: number, c0: number, c1: number): number {
  // d/dx of fac·(t1 − ln(t1 + 1) + ln(α + βx)) with u = α + βx:
  //   fac·β·(u/t1 − u/(t1(t1 + 1)) + 1/u) = fac·β·(u/(t1 + 1) + 1/u); then /D for dw.
  const alpha = c0 * ti;
  const ctc = ct > 1e-20 ? ct : 1e-20;
  const beta = (c1 * ti) / Math.sqrt(ctc);
  const fac = (A * ti * D) / beta;
  const u = alpha + (beta * dw) / D;
  const t1 = Math.sqrt(u * u + 1);
  return (fac * beta * (u / (t1 + 1) + 1 / u)) / D;
}
