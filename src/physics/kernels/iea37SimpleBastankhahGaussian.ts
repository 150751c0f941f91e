/**
 * Kernel of the IEA Wind Task 37 simplified Bastankhah Gaussian (case studies 1–4), PyWake
 * 2.6's `IEA37SimpleBastankhahGaussian`: IEA Wind Task 37, "iea37-wakemodel.pdf"
 * (byuflowlab/iea37-wflo-casestudies), after M. Bastankhah, F. Porté-Agel, Renewable Energy
 * 70 (2014) 116–123, doi:10.1016/j.renene.2014.01.002. Formulas (one copy:
 * ../deficit/iea37SimpleBastankhahGaussian.ts):
 *
 *   σ = k*·dw⁺ + D/√8,   d = WS · (1 − √(1 − Ct·D²/(8σ²))) · exp(−cw²/(2σ²))
 *
 * σ does not depend on Ct, so the pair geometry keeps the Gaussian factor itself:
 * A = exp(−cw²/(2σ²)), B = D²/(8σ²).
 */
import * as iea37 from "../deficit/iea37SimpleBastankhahGaussian.js";
import * as expNegModule from "../expNeg.js";
import * as turbines from "../turbine.js";
import * as common from "./common.js";
import {
  type FreeStream, type Resolved, type ResolvedBase, type Scratch, type Tensors, type WakeKernel, type WindFarmModel,
} from "./common.js";

// Local copies: under tsx's CommonJS transform every use of an imported binding is a getter
// call (a third of the Bastankhah AEP's time when GAUSS_CULL2 was read in the pair loop so).
const { DW_SIGMA, DW_WAKE, GAUSS_CULL2, GWH_PER_W_YEAR, setAdjoint, unknownDeficit, visitSingleSpeed } = common;

const IEA37_EPSILON = iea37.IEA37_EPSILON;
const iea37Centre = iea37.iea37Centre;
const expNeg = expNegModule.expNeg;
const turbinePowerCt = turbines.turbinePowerCt;

interface Iea37Resolved extends Resolved {
  /**
   * The turbine's Ct is the same at every speed (the IEA 37 turbines'), so every deficit is the
   * free-stream speed times a factor of geometry alone, d = WS·r, and Σd² = WS²·Σr²: one pass
   * over a direction's pairs serves all its speeds (speedFreeDirection).
   */
  speedFree: boolean;
}

function resolve(model: WindFarmModel, base: ResolvedBase): Iea37Resolved {
  const d = model.deficit;
  if (d.kind !== "IEA37SimpleBastankhahGaussian") return unknownDeficit(d);
  return { ...base, kernel: iea37Kernel, k: d.k, epsMax: IEA37_EPSILON, speedFree: base.turbine.kind === "cubic" };
}

function sourceFactor(r: Resolved): number {
  return IEA37_EPSILON * r.D;
}

function pairs(r: Resolved, sc: Scratch, n: number, c: number, s: number, geometry: boolean): number {
  const { xP, yP, pairStartP, pairDstE, pairAE, pairBE, pairHcwE, pairDwE, isWakedQ } = sc;
  const { k, D } = r;
  const sigma0 = IEA37_EPSILON * D;
  const D2over8 = (D * D) / 8;
  let e = 0;
  for (let p = 0; p < n; p++) {
    pairStartP[p] = e;
    const xi = xP[p];
    const yi = yP[p];
    for (let q = p + 1; q < n; q++) {
      const dx = xP[q] - xi;
      const dy = yP[q] - yi;
      const dw = -c * dx - s * dy;
      if (!(dw > DW_WAKE)) continue;
      const hcw = s * dx - c * dy;
      const cw2 = hcw * hcw;
      const sigma = (dw > DW_SIGMA ? k * dw : 0) + sigma0;
      const sigma2 = sigma * sigma;
      if (cw2 > GAUSS_CULL2 * sigma2) continue;
      const inv2 = 1 / sigma2;
      pairAE[e] = expNeg(0.5 * cw2 * inv2);
      pairBE[e] = D2over8 * inv2;
      pairDstE[e] = q;
      isWakedQ[q] = 1;
      if (geometry) {
        pairHcwE[e] = hcw;
        pairDwE[e] = dw;
      }
      e++;
    }
  }
  return e;
}

function fusedSingleSpeed(
  r: Resolved, sc: Scratch, n: number, c: number, s: number,
  WS: number, free: FreeStream, pw: number, aepI: Float64Array,
): void {
  const { xP, yP, accQ } = sc;
  const { linear, k, D } = r;
  const D2over8 = (D * D) / 8;
  const sigma0 = IEA37_EPSILON * D;
  accQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    const ct = visitSingleSpeed(r, sc, p, WS, free, pw, aepI);
    if (ct === 0 || p === n - 1) continue; // Ct = 0: every deficit is 0
    const xi = xP[p];
    const yi = yP[p];
    for (let q = p + 1; q < n; q++) {
      const dx = xP[q] - xi;
      const dy = yP[q] - yi;
      const dw = -c * dx - s * dy;
      if (!(dw > DW_WAKE)) continue;
      const hcw = s * dx - c * dy;
      const cw2 = hcw * hcw;
      const sigma = (dw > DW_SIGMA ? k * dw : 0) + sigma0;
      const sigma2 = sigma * sigma;
      if (cw2 > GAUSS_CULL2 * sigma2) continue;
      const inv2 = 1 / sigma2;
      const d = WS * iea37Centre(ct * (D2over8 * inv2)) * expNeg(0.5 * cw2 * inv2);
      accQ[q] += linear ? d : d * d;
    }
  }
}

/**
 * All speeds of one direction, one speed after the other (σ and the Gaussian factor are shared
 * through the pair lists; IEA 37 cases have one speed, so nothing is gained speed-minor).
 * Unwaked positions' AEP (and tensors) are the engine's.
 */
function directionAep(
  r: Iea37Resolved, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, L: number, aepI: Float64Array, tensors?: Tensors,
): void {
  // one speed (case study 1) keeps this loop: it equals the fused single-speed path to the bit
  if (r.speedFree && K > 1) {
    speedFreeDirection(r, sc, n, ws, K, free, pLK, l, L, aepI, tensors, false);
    return;
  }
  const { orderP, pairStartP, isWakedQ, accQ, pc, aepLK } = sc;
  const { linear, turbine } = r;
  for (let k = 0; k < K; k++) {
    const WS = ws[k];
    const pw = pLK[l * K + k] * GWH_PER_W_YEAR;
    accQ.fill(0, 0, n);
    for (let p = 0; p < n; p++) {
      const acc = accQ[p];
      let ct: number;
      if (acc === 0) ct = free.ctK[k];
      else {
        const wsEff = WS - (linear ? acc : Math.sqrt(acc));
        turbinePowerCt(turbine, wsEff, pc);
        ct = pc[1];
        const i = orderP[p];
        const term = pc[0] * pw;
        aepI[i] += term;
        if (aepLK) aepLK[l * K + k] += term;
        if (tensors) {
          const at = (i * L + l) * K + k;
          tensors.wsEffILK[at] = wsEff;
          tensors.powerILK[at] = pc[0];
          tensors.ctILK[at] = ct;
        }
      }
      if (isWakedQ[p] && acc === 0) {
        // waked in this direction but not at this speed (Ct = 0 upstream): free stream
        const i = orderP[p];
        const term = free.powerK[k] * pw;
        aepI[i] += term;
        if (aepLK) aepLK[l * K + k] += term;
        if (tensors) {
          const at = (i * L + l) * K + k;
          tensors.wsEffILK[at] = WS;
          tensors.powerILK[at] = free.powerK[k];
          tensors.ctILK[at] = free.ctK[k];
        }
      }
      const e0 = pairStartP[p];
      const e1 = pairStartP[p + 1];
      if (e0 !== e1) pushSource(r, sc, p, e0, e1, ct, acc, WS, k, free, false);
    }
  }
}

/**
 * One direction at every speed when the deficits factor (Iea37Resolved.speedFree): the pairs push
 * r = (1 − √(1 − Ct·B))·A once (accQ = Σr² or Σr), then each waked position sees
 * WS_eff = WS·(1 − √Σr²) (linear: WS·(1 − Σr)) at every speed. The AEP of the waked positions goes
 * into aepI position by position, speed by speed (the unwaked ones' is the engine's, or, with
 * `gradient`, added here first the way the engine adds it). With `gradient` the deficits are kept
 * (dE, auxE) and dPowerQ[p] = Σₖ pwₖ·P'(WS_eff)·WSₖ, so that one backward pass at WS = 1, pw = 1
 * gives every speed's gradient at once: ∂WS_eff,k/∂r = −WSₖ·r/√Σr² (linear −WSₖ), and the
 * backward pass's adjoint −w̄/√acc with w̄ = dPowerQ carries that sum. Ct is constant: c̄t feeds nothing.
 */
function speedFreeDirection(
  r: Iea37Resolved, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, L: number, aepI: Float64Array, tensors: Tensors | undefined, gradient: boolean,
): void {
  const { orderP, pairStartP, isWakedQ, accQ, ctQ, dPowerQ, dCtQ, pc, aepLK } = sc;
  const { linear, turbine } = r;
  const ct = free.ctK[0];
  speedFreeDirections++;
  accQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    if (e0 !== e1) pushSource(r, sc, p, e0, e1, ct, 0, 1, 0, free, gradient);
  }
  let freeL = 0;
  if (gradient) for (let k = 0; k < K; k++) freeL += free.powerK[k] * (pLK[l * K + k] * GWH_PER_W_YEAR);
  const lK = l * K;
  for (let p = 0; p < n; p++) {
    const i = orderP[p];
    const acc = accQ[p];
    ctQ[p] = ct;
    dCtQ[p] = 0;
    dPowerQ[p] = 0;
    if (!isWakedQ[p]) {
      if (gradient) aepI[i] += freeL;
      continue;
    }
    // acc = 0 (Ct = 0: every deficit 0) gives keep = 1, WS_eff = WS and the free-stream row's
    // power and Ct to the bit; its adjoint is 0 (setAdjoint), whatever dPowerQ holds.
    const keep = 1 - (linear ? acc : Math.sqrt(acc));
    let slope = 0;
    for (let k = 0; k < K; k++) {
      const WS = ws[k];
      const pw = pLK[lK + k] * GWH_PER_W_YEAR;
      const wsEff = WS * keep;
      turbinePowerCt(turbine, wsEff, pc);
      const term = pc[0] * pw;
      aepI[i] += term;
      if (aepLK) aepLK[lK + k] += term;
      if (tensors) {
        const at = (i * L + l) * K + k;
        tensors.wsEffILK[at] = wsEff;
        tensors.powerILK[at] = pc[0];
        tensors.ctILK[at] = pc[1];
      }
      slope += pw * pc[2] * WS;
    }
    dPowerQ[p] = slope;
  }
}

let speedFreeDirections = 0;
/** Directions this thread ran through speedFreeDirection (for the tests that it is the path taken). */
export function speedFreeDirectionCount(): number {
  return speedFreeDirections;
}

function speedFreeGradient(
  r: Iea37Resolved, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, aepI: Float64Array,
): void {
  speedFreeDirection(r, sc, n, ws, K, free, pLK, l, 0, aepI, undefined, true);
  backward(r, sc, n, 1, 1);
}

function pushSource(
  r: Resolved, sc: Scratch, _p: number, e0: number, e1: number, ct: number, _acc: number,
  WS: number, _kIdx: number, _free: FreeStream, keepDeficits: boolean,
): void {
  const { pairDstE, pairAE, pairBE, dE, auxE, accQ } = sc;
  const linear = r.linear;
  for (let e = e0; e < e1; e++) {
    const root = Math.sqrt(1 - ct * pairBE[e]); // iea37Centre = 1 − root, inlined
    const d = WS * (1 - root) * pairAE[e];
    if (keepDeficits) { dE[e] = d; auxE[e] = root; }
    accQ[pairDstE[e]] += linear ? d : d * d;
  }
}

/** Backward pass of one flow case, downstream first (see engine.ts aepGradient). */
function backward(r: Resolved, sc: Scratch, n: number, WS: number, pw: number): void {
  const { pairStartP, pairDstE, pairAE: gaussE, pairBE: bE, pairHcwE, pairDwE, dE, auxE: rootE, accQ, ctQ, dPowerQ, dCtQ, adjQ, gwQ, ghQ } = sc;
  const { linear, D, k: kExp } = r;
  const sigma0 = IEA37_EPSILON * D;
  for (let p = n - 1; p >= 0; p--) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    let ctbar = 0;
    if (e0 !== e1) {
      const ct = ctQ[p];
      let gwi = 0;
      let ghi = 0;
      for (let e = e0; e < e1; e++) {
        const d = dE[e];
        if (d === 0) continue;
        const q = pairDstE[e];
        const h = adjQ[q];
        if (h === 0) continue;
        const dbar = linear ? h : d * h;
        const dw = pairDwE[e];
        const hcw = pairHcwE[e];
        const pos = dw > DW_SIGMA;
        const invS = 1 / ((pos ? kExp * dw : 0) + sigma0);
        const inv2 = invS * invS;
        const b = bE[e]; // D²/(8σ²)
        const root = rootE[e]; // √(1 − x): C = 1 − root, C' = ½/root
        const dC = 0.5 / root;
        const wg = WS * gaussE[e];
        const dDdSigma = wg * invS * ((1 - root) * hcw * hcw * inv2 - 2 * ct * b * dC);
        ctbar += dbar * (wg * dC * b);
        const gDw = pos ? dbar * dDdSigma * kExp : 0;
        const gH = hcw * (dbar * (-0.5 * d * inv2));
        gwQ[q] += gDw;
        ghQ[q] += gH;
        gwi -= gDw;
        ghi -= gH;
      }
      gwQ[p] += gwi;
      ghQ[p] += ghi;
    }
    setAdjoint(p, linear, pw, ctbar, accQ, dPowerQ, dCtQ, adjQ);
  }
}

function pointDeficit(r: Resolved, ct: number, factor: number, WS: number, dw: number, hcw: number): number {
  if (!(dw > DW_WAKE) || ct === 0) return 0;
  const sigma = (dw > DW_SIGMA ? r.k * dw : 0) + factor;
  const sigma2 = sigma * sigma;
  const cw2 = hcw * hcw;
  if (cw2 > GAUSS_CULL2 * sigma2) return 0;
  const inv2 = 1 / sigma2;
  return WS * iea37Centre(ct * (((r.D * r.D) / 8) * inv2)) * expNeg(0.5 * cw2 * inv2);
}

export const iea37Kernel: WakeKernel<Iea37Resolved> = {
  deficits: ["IEA37SimpleBastankhahGaussian"],
  resolve, sourceFactor, pairs, fusedSingleSpeed, directionAep, speedFree: (r) => r.speedFree, speedFreeGradient, pushSource, backward, pointDeficit,
};
