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
  if (!(dw > 1e-10)) return 0;
  const s = dw / D;
  const thetaW = (RAD2DEG * Math.atan(1 / s) + 10) / 2;
  const theta = Math.atan(cw / dw) * RAD2DEG;
  if (!(theta < thetaW)) return 0;
  const r = theta / thetaW;
  return Math.exp(-(r * r)) * (Math.hypot(tiAdd, ti) - ti);
}

/** STF2017 added TI of one source at (dw, cw): centre-wake I_add then Frandsen's weight. */
export function stf2017Added(m: STF2017, dw: number, cw: number, D: number, ct: number, ti: number): number {
  const dist = Math.hypot(dw, cw) / D;
  let tiAdd = 1 / (m.c[0] + (m.c[1] * dist) / Math.sqrt(ct));
  if (Number.isNaN(tiAdd)) tiAdd = 0;
  return frandsenWeighted(dw, cw, D, ti, tiAdd);
}

/** STF2005 added TI of one source; `ws` the free-stream speed at the source. */
export function stf2005Added(m: STF2005, dw: number, cw: number, D: number, ws: number, ti: number): number {
  let tiAdd = m.c[0] / (m.c[1] + m.c[2] * (dw / D) * Math.sqrt(ws));
  if (Number.isNaN(tiAdd)) tiAdd = 0;
  return frandsenWeighted(dw, cw, D, ti, tiAdd);
}
