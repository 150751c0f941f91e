/**
 * G. C. Larsen's added turbulence (PyWake's `GCLTurbulence`).
 *
 * Reference: J. T. G. Pierik et al., "European wind turbine standards II (EWTS-II)", in
 * Wind Energy for the Next Millennium (1999) 568–571, eq. 2.4.1.5:
 *   I_add = 0.29 · √(1 − √(1 − Ct)) / (dw/D)^(1/3)
 * dw clipped at 1e-10, zero unless dw > 0; a top hat of the deficit model's wake radius,
 * area-overlap averaged over the destination rotor; summed with SqrMaxSum by default.
 */
import type { AddedTiSum } from "./index.js";

export interface GCL {
  readonly kind: "GCL";
  readonly sum: AddedTiSum;
}

export function gcl(opts: { sum?: AddedTiSum } = {}): GCL {
  return { kind: "GCL", sum: opts.sum ?? "sqrmax" };
}

/** Centre-line added TI (before the area-overlap factor). */
export function gclCentre(dw: number, D: number, ct: number): number {
  if (!(dw > 0)) return 0;
  const dwc = dw > 1e-10 ? dw : 1e-10;
  return gclPrefactor(ct) / Math.pow(dwc / D, 1 / 3);
}

/** 0.29·√(1 − √(1 − Ct)): the source's factor of I_add (the loops take (dw/D)^(1/3) per pair). */
export function gclPrefactor(ct: number): number {
  return 0.29 * Math.sqrt(1 - Math.sqrt(1 - ct));
}
