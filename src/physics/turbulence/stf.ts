/**
 * Steen Frandsen's wake-added turbulence as the IEC 61400-1 standards give it (PyWake's
 * `STF2017TurbulenceModel`, `STF2005TurbulenceModel`), with Frandsen's bell-shaped lateral
 * weight (`FrandsenWeight`).
 *
 * References: S. T. Frandsen, "Turbulence and turbulence-generated structural loading in wind
 * turbine clusters", Risø-R-1188 (2007), eqs. (3.16)–(3.18); IEC 61400-1 ed. 4 (2019/"2017"),
 * Annex E: I_add = 1/(1.5 + 0.8·(d/D)/√Ct); IEC 61400-1 ed. 3 (2005), Annex D:
 * I_add = 0.9/(1.5 + 0.3·(d/D)·√V_hub).
 *
 * With dw, cw the downwind and crosswind distances from the source, D its diameter, TI the
 * ambient TI at the source:
 *   θ_w = (atan(D/dw)[deg] + 10)/2,  θ = atan(cw/dw)[deg] (0 where dw ≤ 0)
 *   w = exp(−(θ/θ_w)²) where θ < θ_w, else 0; and 0 unless dw > 1e-10
 *   added = w·(√(I_add² + TI²) − TI)          (Frandsen's I0·α, eq. 3.17)
 * Summed linearly by default: TI_eff = TI + Σ added.
 */
import type { AddedTiSum } from "./index.js";

export interface STF2017 {
  readonly kind: "STF2017";
  /** I_add = 1/(c[0] + c[1]·(√(dw² + cw²)/D)/√Ct). */
  readonly c: readonly [number, number];
  readonly sum: AddedTiSum;
}

export interface STF2005 {
  readonly kind: "STF2005";
  /** I_add = c[0]/(c[1] + c[2]·(dw/D)·√WS), WS the free-stream speed at the source. */
  readonly c: readonly [number, number, number];
  readonly sum: AddedTiSum;
}

export function stf2017(opts: { c?: readonly [number, number]; sum?: AddedTiSum } = {}): STF2017 {
  return { kind: "STF2017", c: opts.c ?? [1.5, 0.8], sum: opts.sum ?? "linear" };
}

export function stf2005(opts: { c?: readonly [number, number, number]; sum?: AddedTiSum } = {}): STF2005 {
  return { kind: "STF2005", c: opts.c ?? [0.9, 1.5, 0.3], sum: opts.sum ?? "linear" };
}

const RAD2DEG = 180.0 / Math.PI;

/** Frandsen's weight applied to a centre-wake added TI `tiAdd`: w·(√(tiAdd² + ti²) − ti). */
export function frandsenWeighted(dw: number, cw: number, D: number, ti: number, tiAdd: number): number {
  const w = frandsenWeight(dw, cw, D);
  return w === 0 ? 0 : w * (Math.hypot(tiAdd, ti) - ti);
}

/** Frandsen's lateral weight w = exp(−(θ/θ_w)²) inside the cone θ < θ_w, 0 outside and unless dw > 1e-10. */
export function frandsenWeight(dw: number, cw: number, D: number): number {
  if (!(dw > 1e-10)) return 0;
  // Outside the cone without an atan (exact: margins far above rounding). θ_w < 50° for every dw,
  // and θ_w ≤ (D/dw [deg] + 10)/2 since atan x ≤ x; θ ≥ r − r³/3 [rad] for r = cw/dw ≤ 1 and
  // θ ≥ 45° above; the second test multiplied through by 2·dw (no division).
  if (cw >= 1.2 * dw) return 0; // atan 1.2 = 50.19°
  const slope = cw / dw;
  const thetaLow = slope <= 1 ? RAD2DEG * (slope - (slope * slope * slope) / 3) : 45;
  if (2 * thetaLow * dw > RAD2DEG * D + (10 + 2e-6) * dw) return 0;
  const s = dw / D;
  const thetaW = (RAD2DEG * Math.atan(1 / s) + 10) / 2;
  const theta = Math.atan(slope) * RAD2DEG;
  if (!(theta < thetaW)) return 0;
  const r = theta / thetaW;
  return Math.exp(-(r * r));
}

/** STF2017 added TI of one source at (dw, cw): centre-wake I_add then Frandsen's weight. */
export function stf2017Added(m: STF2017, dw: number, cw: number, D: number, ct: number, ti: number): number {
  const dist = Math.hypot(dw, cw) / D;
  let tiAdd = stf2017CentreTi(m.c[0], (m.c[1] * dist) / Math.sqrt(ct));
  if (Number.isNaN(tiAdd)) tiAdd = 0;
  return frandsenWeighted(dw, cw, D, ti, tiAdd);
}

/** STF2005 added TI of one source; `ws` the free-stream speed at the source. */
export function stf2005Added(m: STF2005, dw: number, cw: number, D: number, ws: number, ti: number): number {
  let tiAdd = stf2005CentreTi(m.c[0], m.c[1], m.c[2] * (dw / D) * Math.sqrt(ws));
  if (Number.isNaN(tiAdd)) tiAdd = 0;
  return frandsenWeighted(dw, cw, D, ti, tiAdd);
}

// The pieces of the formulas above as the general kernel's loops take them (kernels/general*.ts:
// distances and 1/√Ct hoisted out of their pair loops). Same operations, same bits.

/** STF2017's centre-wake I_add = 1/(c0 + x), x = c1·(d/D)/√Ct (NaN passed on: callers take 0 or a bound). */
export function stf2017CentreTi(c0: number, x: number): number {
  return 1 / (c0 + x);
}

/** STF2005's centre-wake I_add = c0/(c1 + x), x = c2·(dw/D)·√WS (NaN passed on). */
export function stf2005CentreTi(c0: number, c1: number, x: number): number {
  return c0 / (c1 + x);
}

/** A weighted added TI: w·(√(I_add² + TI²) − TI) (the fast loops' √ of the sum for PyWake's hypot: ≤ 1 ulp). */
export function frandsenAdded(w: number, tiAdd: number, ti: number): number {
  return w * (Math.sqrt(tiAdd * tiAdd + ti * ti) - ti);
}
