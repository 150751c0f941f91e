/**
 * Bastankhah & Porté-Agel Gaussian wake, as PyWake 2.6's `BastankhahGaussianDeficit`.
 *
 * Reference: M. Bastankhah, F. Porté-Agel, "A new analytical model for wind-turbine wakes",
 * Renewable Energy 70 (2014) 116–123: eq. (23) Gaussian profile, eq. (6) β, eq. (21) ε = 0.2√β.
 * PyWake replaces the centre deficit 1 − √(1 − Ct/(8(σ/D)²)) by the induction form
 * 2·a(Ct·D²/(8σ²)) with Madsen's a(Ct) (see induction.ts), capped at 1:
 *
 *   c = min(Ct, ctlim),  β = ½(1 + √(1 − c))/√(1 − c),  ε = ceps·√β
 *   σ = k·dw + ε·D                       (k·dw only where dw > 1e-10)
 *   d = WS · min(1, 2·a(Ct·D²/(8σ²))) · exp(−cw²/(2σ²))
 *
 * Only β uses the clipped c; a takes the raw Ct. WS is the free-stream speed at the source.
 * σ depends on the source's Ct, so only dw, cw² and the pair list are shared across speeds.
 */
import * as induction from "./induction.js";

// Local copies: under tsx's CommonJS transform each use of an imported binding is a getter
// call (see engine.ts); these sit in the kernels' innermost loops.
const ct2aMadsen = induction.ct2aMadsen;
const dCt2aMadsen = induction.dCt2aMadsen;

export interface BastankhahGaussian {
  readonly kind: "BastankhahGaussian";
  readonly k: number;
  readonly ceps: number;
  readonly ctlim: number;
}

export function bastankhahGaussian(opts: { k?: number; ceps?: number; ctlim?: number } = {}): BastankhahGaussian {
  return { kind: "BastankhahGaussian", k: opts.k ?? 0.0324555, ceps: opts.ceps ?? 0.2, ctlim: opts.ctlim ?? 0.899 };
}

/** ε(Ct) = ceps·√β(min(Ct, ctlim)), σ's value at the rotor as a fraction of D. */
export function bastankhahEpsilon(ct: number, ceps: number, ctlim: number): number {
  const r = Math.sqrt(1 - Math.min(ctlim, ct));
  return ceps * Math.sqrt((0.5 * (1 + r)) / r);
}

/** dε/dCt (0 above ctlim, where ε is clipped). */
export function dBastankhahEpsilon(ct: number, ceps: number, ctlim: number): number {
  if (ct > ctlim) return 0;
  const r = Math.sqrt(1 - ct);
  const beta = (0.5 * (1 + r)) / r;
  return (ceps / (2 * Math.sqrt(beta))) * (1 / (4 * r * r * r));
}

/** Centre-line deficit over WS as a function of x = Ct·D²/(8σ²): min(1, 2·a(x)). */
export function bastankhahCentre(x: number): number {
  const v = 2 * ct2aMadsen(x);
  return v < 1 ? v : 1;
}

/** d(bastankhahCentre)/dx. */
export function dBastankhahCentre(x: number): number {
  return 2 * ct2aMadsen(x) < 1 ? 2 * dCt2aMadsen(x) : 0;
}
