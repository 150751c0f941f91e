/**
 * Crespo & Hernández added turbulence (PyWake's `CrespoHernandez`).
 *
 * Reference: A. Crespo, J. Hernández, "Turbulence characteristics in wind-turbine wakes",
 * J. Wind Eng. Ind. Aerodyn. 61 (1996) 71–85, eq. (21):
 *   I_add = c0 · a^c1 · TI^c2 · (dw/D)^c3,  c = [0.73, 0.8325, −0.0325, −0.32]
 * a = max(ct2a(Ct), 1e-10) the source's induction, TI the ambient TI at the source, dw clipped
 * at 1e-10, zero unless dw > 0. A top hat of the deficit model's wake radius (2σ for the
 * Gaussian models), rotor-averaged with the area overlap of the destination rotor and that
 * disc (PyWake's default `AreaOverlapAvgModel`). Summed with SqrMaxSum: √(TI² + max I_add²).
 * Niayifar & Porté-Agel (2016) use c2 = +0.0325 and 1-D momentum induction.
 */
import type { AddedTiSum } from "./index.js";
import type { Ct2aName } from "../modelSpec.js";

export interface CrespoHernandez {
  readonly kind: "CrespoHernandez";
  readonly c: readonly [number, number, number, number];
  readonly ct2a: Ct2aName;
  readonly sum: AddedTiSum;
}

export function crespoHernandez(opts: { c?: readonly [number, number, number, number]; ct2a?: Ct2aName; sum?: AddedTiSum } = {}): CrespoHernandez {
  return { kind: "CrespoHernandez", c: opts.c ?? [0.73, 0.8325, -0.0325, -0.32], ct2a: opts.ct2a ?? "madsen", sum: opts.sum ?? "sqrmax" };
}

/** Centre-line added TI (before the area-overlap factor); `a` the source's induction. */
export function crespoCentre(m: CrespoHernandez, dw: number, D: number, a: number, ti: number): number {
  if (!(dw > 0)) return 0;
  const dwc = dw > 1e-10 ? dw : 1e-10;
  return crespoPrefactor(m.c[0], m.c[1], a, Math.pow(ti, m.c[2])) * Math.pow(dwc / D, m.c[3]);
}

/** c0·max(a, 1e-10)^c1·tiPowC, tiPowC = TI^c2: the source's factor of I_add (the loops take (dw/D)^c3 per pair). */
export function crespoPrefactor(c0: number, c1: number, a: number, tiPowC: number): number {
  return c0 * Math.pow(a > 1e-10 ? a : 1e-10, c1) * tiPowC;
}
