/**
 * The general kernel's loops for the combinations the presets and the issue-15 bench use, one
 * loop per combination, chosen once per call (`specialisedLoop`); general.ts runs every other
 * combination. Each computes what `genericDirection` (general.ts) computes for its models, the
 * same operations in the same order per (destination, speed), so the numbers are equal to the
 * bit (test/physics/generalLoops.test.ts); only the loop nest differs:
 *
 *   per direction (generalPairs.ts: sort, pair terms, pair list)
 *     per source position p, upstream first
 *       per speed k: WS_eff, TI_eff, Ct, power of p; p's constants at k into …K arrays
 *       per pair e of p, per speed k: deficit (and added TI) onto (q, k)   [accDQK, accTQK: q·K + k]
 *
 * Speed-minor: a pair's geometry (dw, cw, Frandsen's weight, (dw/D)^c3 …) is loaded once for
 * all its speeds and the model's options are not tested per pair. Accumulation into (q, k) still
 * runs over sources p in upstream order, as in the flow-case-major loop.
 *
 * - `centreStf2017`: Bastankhah/Niayifar Gaussian at the rotor centre + STF2017 (linear sum),
 *   e.g. NiayifarGaussian + STF2017 with its effective-TI k.
 * - `overlapCrespo`: Bastankhah/Niayifar Gaussian with GaussianOverlap + Crespo–Hernández
 *   (SqrMaxSum), as `Niayifar_PorteAgel_2016`. SqrMaxSum keeps the largest added TI, so a pair
 *   whose largest possible addition (its top hat fully covering the rotor, overlap 1) does not
 *   exceed what the destination already holds is skipped before the lens area and the pow:
 *   the max is the same number.
 *
 * For the AEP alone (no tensors asked) both skip the trailing speeds at which every turbine's
 * WS_eff provably stays on the flat top of the power curve (`flatSpeedsFrom`): there every power
 * is the flat power, added to the AEP in the same order; nothing else is computed at those speeds.
 *
 * The loops read constants and helpers through function-local copies: TurboFan loads a module
 * binding from its context, with a type check, on every use in a loop (a small-integer factor
 * is also converted each time, hence PAIR_F64); locals are plain registers.
 */
import * as inductionModule from "../deficit/induction.js";
import * as bastankhahModule from "../deficit/bastankhahGaussian.js";
import * as nojModule from "../deficit/noj.js";
import * as expNegModule from "../expNeg.js";
import * as overlapModule from "../rotorAverage/gaussianOverlap.js";
import * as crespoModule from "../turbulence/crespoHernandez.js";
import * as stfModule from "../turbulence/stf.js";
import * as turbineModule from "../turbine.js";
import * as commonModule from "./common.js";
import type { Tensors } from "./common.js";
import type { GeneralScratch, GeneralSetup } from "./generalPairs.js";
import * as pairsModule from "./generalPairs.js";

// Module-local copies of the imports (an imported binding is a getter call under tsx's CommonJS transform; see engine.ts).
const { ct2aMadsen, ct2aMomentum } = inductionModule;
const { bastankhahEpsilon } = bastankhahModule;
const { overlapFractionIo } = nojModule;
const { expNeg } = expNegModule;
const { flatSpeedsFromBound } = commonModule;
const { gaussianOverlapFactor, gaussianOverlapExcess } = overlapModule;
const { crespoPrefactor } = crespoModule;
const { stf2017CentreTi, frandsenAdded } = stfModule;
const { turbinePowerCt, tabularPowerCt, uniformPowerCt } = turbineModule;
const {
  DEF_BASTANKHAH, DEF_NIAYIFAR, DW_SIGMA, DW_WAKE, GWH_PER_W_YEAR, PAIR_F64, SUM_LINEAR, SUM_SQRMAX, TURB_CRESPO, TURB_STF2017,
} = pairsModule;

export type DirectionLoop = (
  g: GeneralSetup, sc: GeneralScratch, n: number, l: number, L: number, ws: ArrayLike<number>,
  pLK: ArrayLike<number> | undefined, aepI: Float64Array | undefined, tensors: Tensors | undefined,
) => void;

const pc = new Float64Array(4);
const io = new Float64Array(3);

/** The loop for `g`'s combination, or null (general.ts's generic loop). */
export function specialisedLoop(g: GeneralSetup): DirectionLoop | null {
  const gaussian = g.defKind === DEF_NIAYIFAR || g.defKind === DEF_BASTANKHAH;
  if (!gaussian || g.mirror) return null;
  if (!g.overlap && g.turbKind === TURB_STF2017 && g.sum === SUM_LINEAR) return centreStf2017;
  if (g.overlap && g.turbKind === TURB_CRESPO && g.sum === SUM_SQRMAX) return overlapCrespo;
  return null;
}

/**
 * Source position p at every speed: its WS_eff, TI_eff (from the accumulators), power and Ct,
 * the AEP and tensors; and, when it has pairs, its Gaussian constants per speed:
 * sigAK = k (wake expansion at its reference TI), sigBK = ε(Ct)·D, cenAK = Ct·D²/8, cenBK = reference WS,
 * and its Ct in ctK. Speeds from kEnd on are on the flat top (flatSpeedsFrom): only the AEP.
 */
function visitSource(
  g: GeneralSetup, sc: GeneralScratch, p: number, l: number, L: number, ws: ArrayLike<number>,
  aepI: Float64Array | undefined, tensors: Tensors | undefined, withPairs: boolean, kEnd: number,
): void {
  const { order, accDQK, accTQK, ctK, sigAK, sigBK, cenAK, cenBK, pwK, memoWsK, memoPK, memoCtK, memoEpsK } = sc;
  const { turbine, useEffWs, useEffTi } = g;
  const F = g.loopF64;
  const D = F[0], ti = F[1], kFix = F[2], a0 = F[3], a1 = F[4], ceps = F[5], ctlim = F[6], flatPowerW = F[7];
  // function-local flags and helpers (see centreStf2017)
  const linear = g.linear === true, sqrMax = g.sum === SUM_SQRMAX, niayifar = g.defKind === DEF_NIAYIFAR;
  const curves = turbinePowerCt, tabCurves = tabularPowerCt, uniCurves = uniformPowerCt, eps = bastankhahEpsilon;
  const cv = g.curve;
  const tabular = turbine.kind === "tabular";
  const K = ws.length;
  const i = order[p];
  const base = p * K;
  const at0 = (i * L + l) * K;
  for (let k = 0; k < K; k++) {
    if (k >= kEnd) {
      // flat top of the power curve (flatSpeedsFrom): the power the curve returns there, added in the same order
      if (aepI) aepI[i] += flatPowerW * pwK[k];
      continue;
    }
    const WS = ws[k];
    let wsEff = WS;
    let tiEff = ti;
    if (p > 0) {
      const a = accDQK[base + k];
      wsEff = WS - (linear ? a : Math.sqrt(a));
      const t = accTQK[base + k];
      tiEff = sqrMax ? Math.sqrt(ti * ti + t * t) : ti + t;
    }
    // The curves and ε at this speed's last WS_eff (the unwaked sources of a speed share theirs)
    if (wsEff !== memoWsK[k]) {
      // the tabular branches called directly: small enough to inline (a call boxes its double
      // argument); the precomputed slopes when the table is evenly spaced (same bits, no division)
      if (cv) uniCurves(cv, wsEff, pc);
      else if (tabular) tabCurves(turbine, wsEff, pc);
      else curves(turbine, wsEff, pc);
      memoWsK[k] = wsEff;
      memoPK[k] = pc[0];
      memoCtK[k] = pc[1];
      memoEpsK[k] = eps(pc[1], ceps, ctlim) * D;
    }
    const power = memoPK[k];
    const ct = memoCtK[k];
    if (tensors) {
      const at = at0 + k;
      tensors.wsEffILK[at] = wsEff;
      if (tensors.tiEffILK) tensors.tiEffILK[at] = tiEff;
      tensors.powerILK[at] = power;
      tensors.ctILK[at] = ct;
    }
    if (aepI) aepI[i] += power * pwK[k];
    if (!withPairs) continue;
    ctK[k] = ct;
    sigAK[k] = niayifar ? a0 * (useEffTi ? tiEff : ti) + a1 : kFix;
    sigBK[k] = memoEpsK[k];
    cenAK[k] = ct * D * D * 0.125; // Ct·D²/8 (×0.125 exact), x = cenAK/σ²
    cenBK[k] = useEffWs ? wsEff : WS;
  }
}

/** Per direction: zero the accumulators, the probability weights per speed. */
function startDirection(sc: GeneralScratch, n: number, l: number, K: number, pLK: ArrayLike<number> | undefined): void {
  sc.accDQK.fill(0, 0, n * K);
  sc.accTQK.fill(0, 0, n * K);
  const { pwK } = sc;
  for (let k = 0; k < K; k++) pwK[k] = pLK ? pLK[l * K + k] * GWH_PER_W_YEAR : 0;
}

/**
 * For the AEP alone (no tensors): the first of the trailing speeds at which every turbine's WS_eff
 * provably stays on the flat top of the power curve (GeneralSetup.flatLoWs), so that every power
 * is exactly the flat power and nothing needs propagating; K when there are none. Induction in
 * upstream order: while every source is on the flat top its Ct lies in [ctMinFlat, ctMaxFlat], so
 * each pair's deficit is at most WS·b with b = min(1, 2a(ctMaxFlat·D²/(8σ_min²)))·exp(−cw²/(2σ_max²)),
 * σ_min from the ambient TI's k and ε(ctMinFlat), σ_max from the pair list's bound (kMaxP, ε(Ct_max));
 * the superposed bound G_q (√Σb² or Σb) then keeps WS_eff ≥ WS·(1 − max G) ≥ flatLoWs. With
 * GaussianOverlap the Gaussian factor's bound is the table's (gaussianOverlapExcess).
 */
function flatSpeedsFrom(g: GeneralSetup, sc: GeneralScratch, n: number, ws: ArrayLike<number>): number {
  const K = ws.length;
  const { flatLoWs, kMin, ctMaxFlat, ctMinFlat, D, R, ceps, ctlim, epsMaxD, table } = g;
  const linear = g.linear === true, mom1d = g.mom1d === true, overlap = g.overlap === true;
  const dwWake = DW_WAKE, dwSigma = DW_SIGMA, madsen = ct2aMadsen, momentum = ct2aMomentum, eNeg = expNeg;
  const excess = overlap ? gaussianOverlapExcess(table) : 0;
  let kEnd = K;
  while (kEnd > 0 && ws[kEnd - 1] > flatLoWs) kEnd--;
  if (kEnd === K || !(kMin >= 0)) return K;
  const { dwE, cwE, pairStartP, kMaxP, flatAccQ, pairQE } = sc;
  const epsMinD = bastankhahEpsilon(ctMinFlat, ceps, ctlim) * D;
  const ctD2over8 = ctMaxFlat * D * D * 0.125;
  flatAccQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    const kMax = kMaxP[p];
    const e1 = pairStartP[p + 1];
    for (let e = pairStartP[p]; e < e1; e++) {
      const dw = dwE[e];
      if (!(dw > dwWake)) continue;
      const dwS = dw > dwSigma ? dw : 0;
      const sMin = kMin * dwS + epsMinD;
      const sMax = kMax * dwS + epsMaxD;
      const x = ctD2over8 / (sMin * sMin);
      const a2 = 2 * (mom1d ? momentum(x) : madsen(x));
      const cw = cwE[e];
      let t: number;
      if (overlap) {
        // F ≤ exp(−max(min(v, 10) − u − 0.02, 0)²/2) + excess (gaussianOverlapExcess), v = cw/σ ≥ cw/σ_max, u = R/σ ≤ R/σ_min
        const v = cw / sMax;
        const d = (v < 10 ? v : 10) - R / sMin - 0.02;
        t = d > 0 ? 0.5 * (d * d) : 0;
      } else {
        t = (0.5 * (cw * cw)) / (sMax * sMax);
      }
      const b = (a2 < 1 ? a2 : 1) * (eNeg(t < 31 ? t : 31) + excess); // exp decreasing: e^-31 bounds the rest
      const q = pairQE[e];
      flatAccQ[q] += linear ? b : b * b;
    }
  }
  return flatSpeedsFromBound(flatAccQ, n, linear, ws, K, kEnd, flatLoWs);
}

/** Centre Gaussian (Bastankhah/Niayifar, cull cw² ≤ 60σ²) + STF2017 summed linearly. */
function centreStf2017(
  g: GeneralSetup, sc: GeneralScratch, n: number, l: number, L: number, ws: ArrayLike<number>,
  pLK: ArrayLike<number> | undefined, aepI: Float64Array | undefined, tensors: Tensors | undefined,
): void {
  const K = ws.length;
  startDirection(sc, n, l, K, pLK);
  const { accDQK, accTQK, dwE, cwE, turbAE, turbBE, pairQE, pairStartP, ctK, sigAK, sigBK, cenAK, cenBK, turbK } = sc;
  const { ti, tcA, tcB } = g;
  // Function-local copies: TurboFan reads module-level bindings from their context on every use
  // (with a type check; a boolean field gets a full ToBoolean); locals are plain SSA values.
  const linear = g.linear === true;
  const mom1d = g.mom1d === true;
  const dwWake = DW_WAKE, dwSigma = DW_SIGMA, cull2 = PAIR_F64[0];
  const madsen = ct2aMadsen, momentum = ct2aMomentum, eNeg = expNeg, stfCentre = stf2017CentreTi, stfAdded = frandsenAdded;
  const kEnd = aepI && !tensors ? flatSpeedsFrom(g, sc, n, ws) : K;
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    visitSource(g, sc, p, l, L, ws, aepI, tensors, e0 < e1, kEnd);
    if (e0 === e1) continue;
    // Speeds where the source's Ct is 0 (below cut-in) add nothing: deficit 2a(0)·… = 0, STF
    // 1/(c0 + ∞) = 0 and w·(√(TI²) − TI) = 0. Skip the leading ones.
    let k0 = 0;
    while (k0 < kEnd && ctK[k0] === 0) k0++;
    for (let k = k0; k < kEnd; k++) turbK[k] = 1 / Math.sqrt(ctK[k]);
    for (let e = e0; e < e1; e++) {
      const qb = pairQE[e] * K;
      const dw = dwE[e];
      if (dw > dwWake) {
        const dwS = dw > dwSigma ? dw : 0;
        const cw = cwE[e];
        const cw2 = cw * cw;
        const hcw2 = 0.5 * cw2;
        for (let k = k0; k < kEnd; k++) {
          const sigma = sigAK[k] * dwS + sigBK[k];
          const sigma2 = sigma * sigma;
          if (cw2 <= cull2 * sigma2) {
            const inv2 = 1 / sigma2;
            const xArg = cenAK[k] * inv2;
            const a2 = 2 * (mom1d ? momentum(xArg) : madsen(xArg));
            // expNeg: exp(−t) to ≤ 2 ulp for t ≤ 32 (the cull keeps t ≤ 30)
            const def = cenBK[k] * (a2 < 1 ? a2 : 1) * eNeg(hcw2 * inv2);
            accDQK[qb + k] += linear ? def : def * def;
          }
        }
      }
      const w = turbAE[e];
      if (w !== 0) {
        const bd = tcB * turbBE[e];
        for (let k = k0; k < kEnd; k++) {
          let tiAdd = stfCentre(tcA, bd * turbK[k]);
          if (tiAdd !== tiAdd) tiAdd = 0;
          accTQK[qb + k] += stfAdded(w, tiAdd, ti);
        }
      }
    }
  }
}

/** GaussianOverlap Gaussian (Bastankhah/Niayifar, cull cw − R ≤ 8σ) + Crespo–Hernández, SqrMaxSum. */
function overlapCrespo(
  g: GeneralSetup, sc: GeneralScratch, n: number, l: number, L: number, ws: ArrayLike<number>,
  pLK: ArrayLike<number> | undefined, aepI: Float64Array | undefined, tensors: Tensors | undefined,
): void {
  const K = ws.length;
  startDirection(sc, n, l, K, pLK);
  const { accDQK, accTQK, dwE, cwE, turbAE, pairQE, pairStartP, ctK, sigAK, sigBK, cenAK, cenBK, turbK } = sc;
  const { R, table, tcA, tcB, tiPowC, crespoPrefMax } = g;
  // function-local copies (see centreStf2017)
  const linear = g.linear === true;
  const mom1d = g.mom1d === true;
  const crespoMom1d = g.crespoMom1d === true;
  const dwWake = DW_WAKE, dwSigma = DW_SIGMA, overlapCull = PAIR_F64[1];
  const madsen = ct2aMadsen, momentum = ct2aMomentum, overlapF = gaussianOverlapFactor, lensIo = overlapFractionIo, prefactor = crespoPrefactor;
  const kEnd = aepI && !tensors ? flatSpeedsFrom(g, sc, n, ws) : K;
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    visitSource(g, sc, p, l, L, ws, aepI, tensors, e0 < e1, kEnd);
    if (e0 === e1) continue;
    turbK.fill(-1, 0, K); // Crespo's prefactor c0·a^c1·TI^c2 per speed, when first needed
    for (let e = e0; e < e1; e++) {
      const dw = dwE[e];
      if (!(dw > dwWake)) continue; // no deficit, and the top hat needs dw > 0
      const qb = pairQE[e] * K;
      const dwS = dw > dwSigma ? dw : 0;
      const cw = cwE[e];
      const cwR = cw - R;
      const dwPow = turbAE[e]; // (dw/D)^c3 where some speed's top hat can reach, else −1
      // above every prefactor this call can take (1e-12: any rounding of pow and the induction)
      const boundT = dwPow >= 0 && dw > 0 ? crespoPrefMax * dwPow * (1 + 1e-12) : -1;
      for (let k = 0; k < kEnd; k++) {
        const sigma = sigAK[k] * dwS + sigBK[k];
        if (cwR <= overlapCull * sigma) {
          const inv = 1 / sigma;
          const xArg = cenAK[k] * (inv * inv);
          const a2 = 2 * (mom1d ? momentum(xArg) : madsen(xArg));
          const def = cenBK[k] * (a2 < 1 ? a2 : 1) * overlapF(R * inv, cw * inv, table);
          accDQK[qb + k] += linear ? def : def * def;
        }
        if (boundT > accTQK[qb + k]) {
          const wr = 2 * sigma;
          if (wr > 0 && cw < wr + R) {
            let pref = turbK[k];
            if (pref < 0) {
              const ct = ctK[k];
              pref = prefactor(tcA, tcB, crespoMom1d ? momentum(ct) : madsen(ct), tiPowC);
              turbK[k] = pref;
            }
            const top = pref * dwPow;
            const t = accTQK[qb + k];
            if (top > t) {
              // the lens through a typed array: this call is not inlined, and double arguments would be boxed
              io[0] = wr; io[1] = R; io[2] = cw;
              lensIo(io);
              const added = top * io[0];
              if (added > t) accTQK[qb + k] = added;
            }
          }
        }
      }
    }
  }
}
