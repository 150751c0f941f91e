/**
 * IEA Wind Task 37 simplified Bastankhah Gaussian wake (case studies 1–2).
 *
 * Reference: IEA Wind Task 37, "iea37-wakemodel.pdf" (byuflowlab/iea37-wflo-casestudies),
 * a simplification of Bastankhah & Porté-Agel (2014), Renew. Energy 70:116–123, eqs. (7)
 * and (23) with the wake width σ's initial value fixed at D/√8 (β = 1):
 *
 *   σ = k*·dw + D/√8,            k* = 0.0324555
 *   d = WS · (1 − √(1 − Ct·D²/(8σ²))) · exp(−½ (cw/σ)²)
 *
 * WS is the free-stream speed at the source (PyWake's `IEA37SimpleBastankhahGaussianDeficit`).
 * σ and the Gaussian factor do not depend on Ct: the engine computes them once per
 * direction and shares them across wind speeds.
 */
export interface IEA37SimpleBastankhahGaussian {
  readonly kind: "IEA37SimpleBastankhahGaussian";
  /** Wake expansion k* (per metre of downwind distance). */
  readonly k: number;
}

export function iea37SimpleBastankhahGaussian(opts: { k?: number } = {}): IEA37SimpleBastankhahGaussian {
  return { kind: "IEA37SimpleBastankhahGaussian", k: opts.k ?? 0.0324555 };
}

/** σ's value at the rotor, as a fraction of D: 1/√8. */
export const IEA37_EPSILON = 1 / Math.sqrt(8);

/** Centre-line deficit over WS as a function of x = Ct·D²/(8σ²) ≤ Ct < 1. */
export function iea37Centre(x: number): number {
  return 1 - Math.sqrt(1 - x);
}

/** d(iea37Centre)/dx. */
export function dIea37Centre(x: number): number {
  return 0.5 / Math.sqrt(1 - x);
}
