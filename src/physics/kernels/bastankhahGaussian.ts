/**
 * Kernel of Bastankhah & Porté-Agel's Gaussian wake, PyWake 2.6's `BastankhahGaussian` and
 * `NiayifarGaussian` (the same deficit; Niayifar's k = a₀·TI + a₁ from the ambient TI).
 *
 * M. Bastankhah, F. Porté-Agel, "A new analytical model for wind-turbine wakes", Renewable
 * Energy 70 (2014) 116–123, doi:10.1016/j.renene.2014.01.002, eq. (23) with the Madsen
 * induction of ../deficit/induction.ts; A. Niayifar, F. Porté-Agel, Energies 9 (2016) 741,
 * doi:10.3390/en9090741. Formulas (../deficit/bastankhahGaussian.ts holds the one copy):
 *
 *   σ = k·dw⁺ + ε(Ct)·D,   ε = ceps·√β,  β = ½(1 + √(1 − min(Ct, ctlim)))/√(1 − min(Ct, ctlim))
 *   d = WS · min(1, 2·a(Ct·D²/(8σ²))) · exp(−cw²/(2σ²))
 *
 * Pair geometry is Ct-free: A = k·dw⁺, B = cw²; pairs are culled at the turbine's largest σ.
 */
import * as bastankhah from "../deficit/bastankhahGaussian.js";
import { niayifarK } from "../deficit/niayifarGaussian.js";
import * as expNegModule from "../expNeg.js";
import * as common from "./common.js";
import {
  type FreeStream, type Resolved, type ResolvedBase, type Scratch, type Tensors, type WakeKernel, type WindFarmModel,
} from "./common.js";

// Local copies: under tsx's CommonJS transform every use of an imported binding is a getter
// call (a third of the Bastankhah AEP's time when GAUSS_CULL2 was read in the pair loop so).
const { DW_SIGMA, DW_WAKE, GAUSS_CULL2, crosswindCandidates, flatSpeedsFrom, maxCt, prepareCrosswind, setAdjoint, unknownDeficit, visitSingleSpeed, visitSpeeds } = common;

// Local copies: a getter call per use under tsx's CommonJS transform otherwise (engine.ts).
const { bastankhahCentre, bastankhahEpsilon, dBastankhahCentre, dBastankhahEpsilon } = bastankhah;
const expNeg = expNegModule.expNeg;

function resolve(model: WindFarmModel, base: ResolvedBase): Resolved {
  const d = model.deficit;
  if (d.kind !== "BastankhahGaussian" && d.kind !== "NiayifarGaussian") return unknownDeficit(d);
  const k = d.kind === "NiayifarGaussian" ? niayifarK(d, model.site.ti) : d.k;
  return { ...base, kernel: bastankhahKernel, k, ceps: d.ceps, ctlim: d.ctlim, epsMax: bastankhahEpsilon(maxCt(model.turbine), d.ceps, d.ctlim) };
}

function sourceFactor(r: Resolved, ct: number): number {
  return bastankhahEpsilon(ct, r.ceps, r.ctlim) * r.D;
}

function pairs(r: Resolved, sc: Scratch, n: number, c: number, s: number, geometry: boolean): number {
  const { xP, yP, pairStartP, pairDstE, pairAE, pairBE, pairHcwE, pairDwE, isWakedQ, candQ } = sc;
  const { k, D } = r;
  const epsMaxD = r.epsMax * D;
  const windowed = n >= sc.windowMinN;
  // the cull's crosswind reach √(2·30)·σ_max at the largest dw, with a margin for the window's rounding
  if (windowed) prepareCrosswind(sc, n, c, s);
  const keyLast = -c * xP[n - 1] - s * yP[n - 1];
  const reach = Math.sqrt(GAUSS_CULL2);
  let e = 0;
  for (let p = 0; p < n; p++) {
    pairStartP[p] = e;
    const xi = xP[p];
    const yi = yP[p];
    // one loop body over the candidates (a call per pair boxed its double arguments)
    let m = 0;
    if (windowed) {
      // the cull's crosswind reach √(2·30)·σ_max at the largest dw this source has, with a margin for the window's rounding
      const dwMax = keyLast - (-c * xi - s * yi);
      sc.halfWidthF[0] = reach * (k * (dwMax > 0 ? dwMax : 0) + epsMaxD) * (1 + 1e-9) + 1e-6;
      m = crosswindCandidates(sc, n, p, geometry);
    } else for (let q = p + 1; q < n; q++) candQ[m++] = q;
    for (let j = 0; j < m; j++) {
      const q = candQ[j];
      const dx = xP[q] - xi;
      const dy = yP[q] - yi;
      const dw = -c * dx - s * dy;
      if (!(dw > DW_WAKE)) continue;
      const hcw = s * dx - c * dy;
      const cw2 = hcw * hcw;
      const kdw = dw > DW_SIGMA ? k * dw : 0;
      const sMax = kdw + epsMaxD;
      const sMax2 = sMax * sMax;
      if (cw2 > GAUSS_CULL2 * sMax2) continue;
      pairAE[e] = kdw;
      pairBE[e] = cw2;
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
  accQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    const ct = visitSingleSpeed(r, sc, p, WS, free, pw, aepI);
    if (ct === 0 || p === n - 1) continue; // a(0) = 0: no deficit
    const epsD = accQ[p] === 0 ? free.srcK[0] : bastankhahEpsilon(ct, r.ceps, r.ctlim) * D;
    const ctD2over8 = ct * D2over8;
    const xi = xP[p];
    const yi = yP[p];
    for (let q = p + 1; q < n; q++) {
      const dx = xP[q] - xi;
      const dy = yP[q] - yi;
      const dw = -c * dx - s * dy;
      if (!(dw > DW_WAKE)) continue;
      const hcw = s * dx - c * dy;
      const cw2 = hcw * hcw;
      const sigma = (dw > DW_SIGMA ? k * dw : 0) + epsD;
      const sigma2 = sigma * sigma;
      if (cw2 > GAUSS_CULL2 * sigma2) continue;
      const inv2 = 1 / sigma2;
      const xc = ctD2over8 * inv2;
      const d = WS * bastankhahCentre(xc) * expNeg(0.5 * cw2 * inv2);
      accQ[q] += linear ? d : d * d;
    }
  }
}

/**
 * All speeds of one direction: positions upstream first, and for each position all its speeds
 * at once (speed-minor: accQK[q·K + k]), then each of its pairs over all speeds. Every deficit,
 * sum and AEP term is the same expression, added in the same order, as pushSource's; the pair's
 * geometry is loaded once for K speeds and the inner loop runs over contiguous memory.
 * Positions no wake reaches in this direction are free stream at every speed: their AEP is added
 * by the engine; here they only cast their wakes (ε and Ct·D²/8 from the free-stream rows).
 */
function directionAep(
  r: Resolved, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, L: number, aepI: Float64Array, tensors?: Tensors,
): void {
  const { pairStartP, pairDstE, pairAE: kdwE, pairBE: cw2E, isWakedQ, accQK, epsDK, ctD2K } = sc;
  const { linear, D, ceps, ctlim } = r;
  const freeEpsDK = free.srcK;
  const freeCtD2K = free.ctD2over8K;
  const D2over8 = (D * D) / 8;
  accQK.fill(0, 0, n * K);
  const kEnd = tensors ? K : flatSpeeds(r, sc, n, ws, K);
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    let eK = freeEpsDK;
    let cK = freeCtD2K;
    if (isWakedQ[p]) {
      visitSpeeds(r, sc, p, ws, K, free, pLK, l, L, aepI, ctD2K, tensors, kEnd);
      // only the propagated speeds' factors are read below
      for (let k = 0; k < kEnd; k++) {
        const ct = ctD2K[k];
        if (ct < 0) {
          epsDK[k] = freeEpsDK[k];
          ctD2K[k] = freeCtD2K[k];
        } else {
          ctD2K[k] = ct * D2over8;
          epsDK[k] = ct === 0 ? 0 : bastankhahEpsilon(ct, ceps, ctlim) * D;
        }
      }
      eK = epsDK;
      cK = ctD2K;
    }
    if (e0 === e1) continue;
    let epsMaxD = 0;
    for (let k = 0; k < kEnd; k++) if (cK[k] !== 0 && eK[k] > epsMaxD) epsMaxD = eK[k];
    if (epsMaxD === 0) continue; // Ct = 0 at every speed: no deficit
    for (let e = e0; e < e1; e++) {
      const kdw = kdwE[e];
      const cw2 = cw2E[e];
      const sMax = kdw + epsMaxD;
      if (cw2 > GAUSS_CULL2 * (sMax * sMax)) continue; // beyond the cull at every speed
      const dK = pairDstE[e] * K;
      for (let k = 0; k < kEnd; k++) {
        const ctD2over8 = cK[k];
        if (ctD2over8 === 0) continue; // a(0) = 0: no deficit
        const sigma = kdw + eK[k];
        const sigma2 = sigma * sigma;
        if (cw2 > GAUSS_CULL2 * sigma2) continue; // beyond the cull at this Ct's σ: no exp
        const inv2 = 1 / sigma2;
        const x = ctD2over8 * inv2;
        const d = ws[k] * bastankhahCentre(x) * expNeg(0.5 * cw2 * inv2);
        accQK[dK + k] += linear ? d : d * d;
      }
    }
  }
}

/**
 * The flat-top speeds of one direction (common.ts flatSpeedsFrom). While every source is on the
 * flat top its Ct lies in [ctMin, ctMax], so a pair's deficit is at most
 * WS·min(1, 2a(ctMax·D²/(8σ_min²)))·exp(−cw²/(2σ_max²)), σ_min = k·dw + ε(ctMin)·D and
 * σ_max = k·dw + ε(ctMax)·D (ε grows with Ct; the centre deficit grows with Ct/σ²).
 */
function flatSpeeds(r: Resolved, sc: Scratch, n: number, ws: Float64Array, K: number): number {
  const { pairStartP, pairDstE, pairAE: kdwE, pairBE: cw2E, flatQ } = sc;
  const { linear, D, ceps, ctlim, flat } = r;
  if (!(ws[K - 1] >= flat.loWs)) return K;
  const epsMinD = bastankhahEpsilon(flat.ctMin, ceps, ctlim) * D;
  const epsMaxD = bastankhahEpsilon(flat.ctMax, ceps, ctlim) * D;
  const ctD2over8 = (flat.ctMax * D * D) / 8;
  flatQ.fill(0, 0, n);
  const e1 = pairStartP[n];
  for (let e = 0; e < e1; e++) {
    const kdw = kdwE[e];
    const sMin = kdw + epsMinD;
    const sMax = kdw + epsMaxD;
    const t = (0.5 * cw2E[e]) / (sMax * sMax);
    // exp decreases: e^-31 bounds whatever lies beyond expNeg's range
    const b = bastankhahCentre(ctD2over8 / (sMin * sMin)) * expNeg(t < 31 ? t : 31);
    flatQ[pairDstE[e]] += linear ? b : b * b;
  }
  return flatSpeedsFrom(sc, n, linear, ws, K, flat.loWs);
}

function pushSource(
  r: Resolved, sc: Scratch, _p: number, e0: number, e1: number, ct: number, acc: number,
  WS: number, kIdx: number, free: FreeStream, keepDeficits: boolean,
): void {
  const { pairDstE, pairAE, pairBE, dE, auxE, accQ } = sc;
  const { linear, D } = r;
  if (ct === 0) { // a(0) = 0: no deficit
    if (keepDeficits) for (let e = e0; e < e1; e++) dE[e] = 0;
    return;
  }
  // an unwaked source has the free-stream Ct, whose ε is computed once per speed
  const epsD = acc === 0 ? free.srcK[kIdx] : bastankhahEpsilon(ct, r.ceps, r.ctlim) * D;
  const ctD2over8 = ct * ((D * D) / 8);
  if (!keepDeficits && !linear) {
    gaussianSquaredSum(e0, e1, epsD, ctD2over8, WS, pairAE, pairBE, pairDstE, accQ);
    return;
  }
  for (let e = e0; e < e1; e++) {
    const sigma = pairAE[e] + epsD;
    const sigma2 = sigma * sigma;
    const cw2 = pairBE[e];
    if (cw2 > GAUSS_CULL2 * sigma2) {
      if (keepDeficits) dE[e] = 0;
      continue;
    }
    const inv2 = 1 / sigma2;
    const gauss = expNeg(0.5 * cw2 * inv2);
    const d = WS * bastankhahCentre(ctD2over8 * inv2) * gauss;
    if (keepDeficits) { dE[e] = d; auxE[e] = gauss; }
    accQ[pairDstE[e]] += linear ? d : d * d;
  }
}

/**
 * The hot loop of AEP (squared sum, no deficits kept): one source's deficits pushed onto its
 * destinations. Kept small and monomorphic so the JIT compiles it tightly; the Gaussian factor
 * is most of its cost.
 */
function gaussianSquaredSum(
  e0: number, e1: number, epsD: number, ctD2over8: number, WS: number,
  kdwE: Float64Array, cw2E: Float64Array, dstE: Int32Array, accQ: Float64Array,
): void {
  for (let e = e0; e < e1; e++) {
    const sigma = kdwE[e] + epsD;
    const sigma2 = sigma * sigma;
    const cw2 = cw2E[e];
    if (cw2 > GAUSS_CULL2 * sigma2) continue; // beyond the cull at this Ct's σ: no exp
    const inv2 = 1 / sigma2;
    const d = WS * bastankhahCentre(ctD2over8 * inv2) * expNeg(0.5 * cw2 * inv2);
    accQ[dstE[e]] += d * d;
  }
}

/**
 * Backward pass of one flow case, downstream first (see engine.ts aepGradient).
 * d = WS·C(x)·G, x = Ct·D²/(8σ²), G = exp(−cw²/(2σ²)), σ = k·dw⁺ + ε(Ct)·D.
 */
function backward(r: Resolved, sc: Scratch, n: number, WS: number, pw: number): void {
  const { pairStartP, pairDstE, pairHcwE, pairDwE, dE, auxE: gaussE, accQ, ctQ, dPowerQ, dCtQ, adjQ, gwQ, ghQ } = sc;
  const { linear, D, k: kExp, ceps, ctlim } = r;
  const D2over8 = (D * D) / 8;
  for (let p = n - 1; p >= 0; p--) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    let ctbar = 0;
    if (e0 !== e1) {
      const ct = ctQ[p];
      const epsD = bastankhahEpsilon(ct, ceps, ctlim) * D;
      const dEpsD = dBastankhahEpsilon(ct, ceps, ctlim) * D;
      const ctD2over8 = ct * D2over8;
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
        const invS = 1 / ((pos ? kExp * dw : 0) + epsD);
        const inv2 = invS * invS;
        const x = ctD2over8 * inv2;
        const C = bastankhahCentre(x);
        const dC = dBastankhahCentre(x);
        const wg = WS * gaussE[e];
        const dDdSigma = wg * invS * (C * hcw * hcw * inv2 - 2 * x * dC);
        ctbar += dbar * (wg * dC * D2over8 * inv2 + dDdSigma * dEpsD);
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
  if (!(dw > DW_WAKE) || ct === 0) return 0; // a(0) = 0: no deficit
  const sigma = (dw > DW_SIGMA ? r.k * dw : 0) + factor;
  const sigma2 = sigma * sigma;
  const cw2 = hcw * hcw;
  if (cw2 > GAUSS_CULL2 * sigma2) return 0;
  const inv2 = 1 / sigma2;
  return WS * bastankhahCentre(ct * ((r.D * r.D) / 8) * inv2) * expNeg(0.5 * cw2 * inv2);
}

export const bastankhahKernel: WakeKernel = {
  deficits: ["BastankhahGaussian", "NiayifarGaussian"],
  resolve, sourceFactor, pairs, fusedSingleSpeed, directionAep, flatSpeeds, pushSource, backward, pointDeficit,
};
