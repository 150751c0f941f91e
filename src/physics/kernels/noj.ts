/**
 * Kernel of N. O. Jensen's top-hat wake, PyWake 2.6's `NOJ` (NOJDeficit with the rotor-area
 * overlap average): N. O. Jensen, "A note on wind generator interaction", Risø-M-2411 (1983);
 * I. Katic, J. Højstrup, N. O. Jensen, "A simple model for cluster efficiency", EWEC 1986.
 * Formulas (one copy: ../deficit/noj.ts, ../deficit/induction.ts):
 *
 *   R_w = k·dw + R,   d = 2·a(min(Ct, 1))·WS · (R/R_w)² · A_overlap/A_rotor   (dw > 0)
 *
 * Pair geometry is Ct-free: A = (R/R_w)²·overlap. The gradient is analytic: the overlap is a
 * lens area whose slopes in R_w and in the crosswind distance are closed form
 * (`overlapFractionSlopes`), so the layout optimizer needs no finite differences here either;
 * at the top hat's edges (full ↔ partial ↔ no overlap) the slopes are one-sided.
 */
import * as induction from "../deficit/induction.js";
import * as nojModel from "../deficit/noj.js";
import * as common from "./common.js";
import {
  type FreeStream, type Resolved, type ResolvedBase, type Scratch, type Tensors, type WakeKernel, type WindFarmModel,
} from "./common.js";

// Local copies: under tsx's CommonJS transform every use of an imported binding is a getter
// call (a third of the Bastankhah AEP's time when GAUSS_CULL2 was read in the pair loop so).
const { crosswindCandidates, flatSpeedsFrom, prepareCrosswind, setAdjoint, unknownDeficit, visitSingleSpeed, visitSpeeds } = common;

const ct2aMadsen = induction.ct2aMadsen;
const dCt2aMadsen = induction.dCt2aMadsen;
const overlapFraction = nojModel.overlapFraction;
const overlapFractionSlopes = nojModel.overlapFractionSlopes;
const slopes = new Float64Array(2);

function resolve(model: WindFarmModel, base: ResolvedBase): Resolved {
  const d = model.deficit;
  if (d.kind !== "NOJ") return unknownDeficit(d);
  return { ...base, kernel: nojKernel, k: d.k, epsMax: 0 };
}

/** f = 2·a(min(Ct, 1))·WS. */
function sourceFactor(_r: Resolved, ct: number, ws: number): number {
  return 2 * ct2aMadsen(ct < 1 ? ct : 1) * ws; // the one copy: every loop below calls this
}

function pairs(r: Resolved, sc: Scratch, n: number, c: number, s: number, geometry: boolean): number {
  const { xP, yP, pairStartP, pairDstE, pairAE, pairHcwE, pairDwE, auxE, aux2E, isWakedQ, candQ } = sc;
  const { k, R } = r;
  const windowed = n >= sc.windowMinN;
  // k·dw + 2R at the largest dw, with a margin for the window's own rounding
  if (windowed) prepareCrosswind(sc, n, c, s);
  const keyLast = -c * xP[n - 1] - s * yP[n - 1];
  let e = 0;
  for (let p = 0; p < n; p++) {
    pairStartP[p] = e;
    const xi = xP[p];
    const yi = yP[p];
    // one loop body over the candidates (a call per pair boxed its double arguments)
    let m = 0;
    if (windowed) {
      // k·dw + 2R at the largest dw this source has (to the last position), with a margin for the window's rounding
      const dwMax = keyLast - (-c * xi - s * yi);
      sc.halfWidthF[0] = (k * (dwMax > 0 ? dwMax : 0) + 2 * R) * (1 + 1e-9) + 1e-6;
      m = crosswindCandidates(sc, n, p, geometry);
    } else for (let q = p + 1; q < n; q++) candQ[m++] = q;
    for (let j = 0; j < m; j++) {
      const q = candQ[j];
      const dx = xP[q] - xi;
      const dy = yP[q] - yi;
      const dw = -c * dx - s * dy;
      if (!(dw > 0)) continue;
      const hcw = s * dx - c * dy;
      const rw = k * dw + R;
      const cw = Math.abs(hcw);
      if (!(cw < rw + R)) continue;
      const ratio = R / rw;
      const ov = overlapFraction(rw, R, cw);
      pairAE[e] = ratio * ratio * ov;
      pairDstE[e] = q;
      isWakedQ[q] = 1;
      if (geometry) {
        pairHcwE[e] = hcw;
        pairDwE[e] = dw;
        // ∂A/∂R_w and ∂A/∂cw of A = (R/R_w)²·overlap, for the backward pass
        overlapFractionSlopes(rw, R, cw, slopes);
        const r2 = ratio * ratio;
        auxE[e] = r2 * slopes[0] - (2 * r2 * ov) / rw;
        aux2E[e] = r2 * slopes[1];
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
  const { linear, k, R } = r;
  accQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    const ct = visitSingleSpeed(r, sc, p, WS, free, pw, aepI);
    if (p === n - 1) break;
    const f = sourceFactor(r, ct, WS);
    if (f === 0) continue;
    const xi = xP[p];
    const yi = yP[p];
    for (let q = p + 1; q < n; q++) {
      const dx = xP[q] - xi;
      const dy = yP[q] - yi;
      const dw = -c * dx - s * dy;
      if (!(dw > 0)) continue;
      const rw = k * dw + R;
      const cw = Math.abs(s * dx - c * dy);
      if (!(cw < rw + R)) continue;
      const ratio = R / rw;
      const d = f * (ratio * ratio * overlapFraction(rw, R, cw));
      accQ[q] += linear ? d : d * d;
    }
  }
}

/**
 * Speeds from the result on stay on the flat top (flatSpeedsFrom): a deficit there is at most
 * 2a(min(ctMax, 1))·WS·A, A the pair's Ct-free geometry.
 */
function flatSpeeds(r: Resolved, sc: Scratch, n: number, ws: Float64Array, K: number): number {
  if (!(ws[K - 1] >= r.flat.loWs)) return K;
  const { pairStartP, pairDstE, pairAE: geomE, flatQ } = sc;
  const linear = r.linear;
  const bA = 2 * ct2aMadsen(r.flat.ctMax < 1 ? r.flat.ctMax : 1);
  flatQ.fill(0, 0, n);
  const e1 = pairStartP[n];
  for (let e = 0; e < e1; e++) {
    const b = bA * geomE[e];
    flatQ[pairDstE[e]] += linear ? b : b * b;
  }
  return flatSpeedsFrom(sc, n, linear, ws, K, r.flat.loWs);
}

/**
 * All speeds of one direction, speed-minor (as the Bastankhah kernel): the Ct-free geometry
 * factor of each pair scaled by f of its source at each speed, the same expressions and order
 * of additions as pushSource.
 */
function directionAep(
  r: Resolved, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, L: number, aepI: Float64Array, tensors?: Tensors,
): void {
  const { pairStartP, pairDstE, pairAE: geomE, isWakedQ, accQK, ctD2K: fK } = sc;
  const linear = r.linear;
  const freeFK = free.srcK;
  accQK.fill(0, 0, n * K);
  const kEnd = tensors ? K : flatSpeeds(r, sc, n, ws, K);
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    let f = freeFK;
    if (isWakedQ[p]) {
      visitSpeeds(r, sc, p, ws, K, free, pLK, l, L, aepI, fK, tensors, kEnd);
      // only the propagated speeds' factors are read below
      for (let k = 0; k < kEnd; k++) {
        const ct = fK[k];
        fK[k] = ct < 0 ? freeFK[k] : sourceFactor(r, ct, ws[k]);
      }
      f = fK;
    }
    // two loops, so the inner one carries no branch
    if (linear) {
      for (let e = e0; e < e1; e++) {
        const g = geomE[e];
        const dK = pairDstE[e] * K;
        for (let k = 0; k < kEnd; k++) accQK[dK + k] += f[k] * g;
      }
    } else {
      for (let e = e0; e < e1; e++) {
        const g = geomE[e];
        const dK = pairDstE[e] * K;
        for (let k = 0; k < kEnd; k++) {
          const d = f[k] * g;
          accQK[dK + k] += d * d;
        }
      }
    }
  }
}

function pushSource(
  r: Resolved, sc: Scratch, _p: number, e0: number, e1: number, ct: number, _acc: number,
  WS: number, _kIdx: number, _free: FreeStream, keepDeficits: boolean,
): void {
  const { pairDstE, pairAE, dE, accQ } = sc;
  const linear = r.linear;
  const f = sourceFactor(r, ct, WS);
  if (!keepDeficits && !linear) {
    if (f !== 0) scaledSquaredSum(e0, e1, f, pairAE, pairDstE, accQ);
    return;
  }
  for (let e = e0; e < e1; e++) {
    const d = f * pairAE[e];
    if (keepDeficits) dE[e] = d;
    accQ[pairDstE[e]] += linear ? d : d * d;
  }
}

/** The hot loop: d = f·(Ct-free geometry factor), squared sum. */
function scaledSquaredSum(e0: number, e1: number, f: number, geomE: Float64Array, dstE: Int32Array, accQ: Float64Array): void {
  for (let e = e0; e < e1; e++) {
    const d = f * geomE[e];
    accQ[dstE[e]] += d * d;
  }
}

/**
 * Backward pass of one flow case, downstream first (see engine.ts aepGradient).
 * d = f(Ct)·A(R_w, cw), R_w = k·dw + R, cw = |hcw|, f = 2·a(min(Ct, 1))·WS.
 */
function backward(r: Resolved, sc: Scratch, n: number, WS: number, pw: number): void {
  const { pairStartP, pairDstE, pairAE: geomE, pairHcwE, dE, auxE: dAdRwE, aux2E: dAdCwE, accQ, ctQ, dPowerQ, dCtQ, adjQ, gwQ, ghQ } = sc;
  const { linear, k: kExp } = r;
  for (let p = n - 1; p >= 0; p--) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    let ctbar = 0;
    if (e0 !== e1) {
      const ct = ctQ[p];
      const f = sourceFactor(r, ct, WS);
      const dF = ct < 1 ? 2 * dCt2aMadsen(ct) * WS : 0;
      let gwi = 0;
      let ghi = 0;
      for (let e = e0; e < e1; e++) {
        const d = dE[e];
        if (d === 0) continue;
        const q = pairDstE[e];
        const h = adjQ[q];
        if (h === 0) continue;
        const dbar = linear ? h : d * h;
        ctbar += dbar * dF * geomE[e];
        const gDw = dbar * f * dAdRwE[e] * kExp;
        const hcw = pairHcwE[e];
        // ghQ holds adjoints of cw²: ∂d/∂(cw²) = ∂d/∂cw / (2·cw)
        const gH = hcw === 0 ? 0 : hcw * (dbar * f * dAdCwE[e] / (2 * Math.abs(hcw)));
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

/** PyWake's point overlap: a zero-size rotor is 1 strictly inside the wake circle, 0 on or outside it. */
function pointDeficit(r: Resolved, _ct: number, factor: number, _WS: number, dw: number, hcw: number): number {
  if (!(dw > 0) || factor === 0) return 0;
  const rw = r.k * dw + r.R;
  const ov = overlapFraction(rw, 0, Math.abs(hcw));
  if (ov === 0) return 0;
  const ratio = r.R / rw;
  return factor * (ratio * ratio * ov);
}

export const nojKernel: WakeKernel = {
  deficits: ["NOJ"],
  resolve, sourceFactor, pairs, fusedSingleSpeed, directionAep, flatSpeeds, pushSource, backward, pointDeficit,
};
