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

/** dσ/d(dw) of `turboSigma` for dw > 0: A·TI·√(1 + (α + βx)²)... simplified: A·TI·(t1/u − ... ); see below. */
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
