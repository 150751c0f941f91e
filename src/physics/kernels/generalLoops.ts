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
 */
import * as inductionModule from "../deficit/induction.js";
import * as bastankhahModule from "../deficit/bastankhahGaussian.js";
import * as nojModule from "../deficit/noj.js";
import * as expNegModule from "../expNeg.js";
import * as overlapModule from "../rotorAverage/gaussianOverlap.js";
import * as crespoModule from "../turbulence/crespoHernandez.js";
import * as stfModule from "../turbulence/stf.js";
import * as turbineModule from "../turbine.js";
import type { Tensors } from "./common.js";
import type { GeneralScratch, GeneralSetup } from "./generalPairs.js";
import * as pairsModule from "./generalPairs.js";

// Module-local copies (an imported binding is a getter call under tsx's CommonJS transform; see engine.ts).
const { ct2aMadsen, ct2aMomentum } = inductionModule;
const { bastankhahEpsilon } = bastankhahModule;
const { overlapFraction } = nojModule;
const { expNeg } = expNegModule;
const { gaussianOverlapFactor } = overlapModule;
const { crespoPrefactor } = crespoModule;
const { stf2017CentreTi, frandsenAdded } = stfModule;
const { turbinePowerCt } = turbineModule;
const {
  CULL2, DEF_BASTANKHAH, DEF_NIAYIFAR, DW_SIGMA, DW_WAKE, GWH_PER_W_YEAR, OVERLAP_CULL, SUM_LINEAR, SUM_SQRMAX,
  TURB_CRESPO, TURB_STF2017,
} = pairsModule;

export type DirectionLoop = (
  g: GeneralSetup, sc: GeneralScratch, n: number, l: number, L: number, ws: ArrayLike<number>,
  pLK: ArrayLike<number> | undefined, aepI: Float64Array | undefined, tensors: Tensors | undefined,
) => void;

const pc = new Float64Array(4);

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
 * sigAK = k (wake expansion at its reference TI), sigBK = ε(Ct)·D, cenAK = Ct·D², cenBK = reference WS.
 * Returns nothing; Ct per speed in ctK.
 */
function visitSource(
  g: GeneralSetup, sc: GeneralScratch, p: number, l: number, L: number, ws: ArrayLike<number>,
  aepI: Float64Array | undefined, tensors: Tensors | undefined, withPairs: boolean,
): void {
  const { order, accDQK, accTQK, ctK, sigAK, sigBK, cenAK, cenBK, pwK, memoWsK, memoPK, memoCtK, memoEpsK } = sc;
  const { D, ti, turbine, sum, linear, useEffWs, useEffTi, kFix, a0, a1, ceps, ctlim, defKind } = g;
  const K = ws.length;
  const i = order[p];
  const base = p * K;
  const at0 = (i * L + l) * K;
  for (let k = 0; k < K; k++) {
    const WS = ws[k];
    let wsEff = WS;
    let tiEff = ti;
    if (p > 0) {
      const a = accDQK[base + k];
      wsEff = WS - (linear ? a : Math.sqrt(a));
      const t = accTQK[base + k];
      tiEff = sum === SUM_SQRMAX ? Math.sqrt(ti * ti + t * t) : ti + t;
    }
    // The curves and ε at this speed's last WS_eff (the unwaked sources of a speed share theirs)
    if (wsEff !== memoWsK[k]) {
      turbinePowerCt(turbine, wsEff, pc);
      memoWsK[k] = wsEff;
      memoPK[k] = pc[0];
      memoCtK[k] = pc[1];
      memoEpsK[k] = bastankhahEpsilon(pc[1], ceps, ctlim) * D;
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
    sigAK[k] = defKind === DEF_NIAYIFAR ? a0 * (useEffTi ? tiEff : ti) + a1 : kFix;
    sigBK[k] = memoEpsK[k];
    cenAK[k] = ct * D * D;
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

/** Centre Gaussian (Bastankhah/Niayifar, cull cw² ≤ 60σ²) + STF2017 summed linearly. */
function centreStf2017(
  g: GeneralSetup, sc: GeneralScratch, n: number, l: number, L: number, ws: ArrayLike<number>,
  pLK: ArrayLike<number> | undefined, aepI: Float64Array | undefined, tensors: Tensors | undefined,
): void {
  const K = ws.length;
  startDirection(sc, n, l, K, pLK);
  const { accDQK, accTQK, dwE, cwE, turbAE, turbBE, pairQE, pairStartP, ctK, sigAK, sigBK, cenAK, cenBK, turbK } = sc;
  const { ti, linear, mom1d, tcA, tcB } = g;
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    visitSource(g, sc, p, l, L, ws, aepI, tensors, e0 < e1);
    if (e0 === e1) continue;
    // Speeds where the source's Ct is 0 (below cut-in) add nothing: deficit 2a(0)·… = 0, STF
    // 1/(c0 + ∞) = 0 and w·(√(TI²) − TI) = 0. Skip the leading ones.
    let k0 = 0;
    while (k0 < K && ctK[k0] === 0) k0++;
    for (let k = k0; k < K; k++) turbK[k] = 1 / Math.sqrt(ctK[k]);
    for (let e = e0; e < e1; e++) {
      const qb = pairQE[e] * K;
      const dw = dwE[e];
      if (dw > DW_WAKE) {
        const dwS = dw > DW_SIGMA ? dw : 0;
        const cw = cwE[e];
        const cw2 = cw * cw;
        const hcw2 = 0.5 * cw2;
        for (let k = k0; k < K; k++) {
          const sigma = sigAK[k] * dwS + sigBK[k];
          const sigma2 = sigma * sigma;
          if (cw2 <= CULL2 * sigma2) {
            const xArg = cenAK[k] / (8 * sigma2);
            const a2 = 2 * (mom1d ? ct2aMomentum(xArg) : ct2aMadsen(xArg));
            // expNeg: exp(−t) to ≤ 2 ulp for t ≤ 32 (the cull keeps t ≤ 30)
            const def = cenBK[k] * (a2 < 1 ? a2 : 1) * expNeg(hcw2 / sigma2);
            accDQK[qb + k] += linear ? def : def * def;
          }
        }
      }
      const w = turbAE[e];
      if (w !== 0) {
        const bd = tcB * turbBE[e];
        for (let k = k0; k < K; k++) {
          let tiAdd = stf2017CentreTi(tcA, bd * turbK[k]);
          if (tiAdd !== tiAdd) tiAdd = 0;
          accTQK[qb + k] += frandsenAdded(w, tiAdd, ti);
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
  const { R, linear, mom1d, table, tcA, tcB, tiPowC, crespoMom1d, crespoPrefMax } = g;
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    visitSource(g, sc, p, l, L, ws, aepI, tensors, e0 < e1);
    if (e0 === e1) continue;
    turbK.fill(-1, 0, K); // Crespo's prefactor c0·a^c1·TI^c2 per speed, when first needed
    for (let e = e0; e < e1; e++) {
      const dw = dwE[e];
      if (!(dw > DW_WAKE)) continue; // no deficit, and the top hat needs dw > 0
      const qb = pairQE[e] * K;
      const dwS = dw > DW_SIGMA ? dw : 0;
      const cw = cwE[e];
      const cwR = cw - R;
      const dwPow = turbAE[e]; // (dw/D)^c3 where some speed's top hat can reach, else −1
      // above every prefactor this call can take (1e-12: any rounding of pow and the induction)
      const boundT = dwPow >= 0 && dw > 0 ? crespoPrefMax * dwPow * (1 + 1e-12) : -1;
      for (let k = 0; k < K; k++) {
        const sigma = sigAK[k] * dwS + sigBK[k];
        if (cwR <= OVERLAP_CULL * sigma) {
          const xArg = cenAK[k] / (8 * (sigma * sigma));
          const a2 = 2 * (mom1d ? ct2aMomentum(xArg) : ct2aMadsen(xArg));
          const def = cenBK[k] * (a2 < 1 ? a2 : 1) * gaussianOverlapFactor(R / sigma, cw / sigma, table);
          accDQK[qb + k] += linear ? def : def * def;
        }
        if (boundT > accTQK[qb + k]) {
          const wr = 2 * sigma;
          if (wr > 0 && cw < wr + R) {
            let pref = turbK[k];
            if (pref < 0) {
              const ct = ctK[k];
              pref = crespoPrefactor(tcA, tcB, crespoMom1d ? ct2aMomentum(ct) : ct2aMadsen(ct), tiPowC);
              turbK[k] = pref;
            }
            const top = pref * dwPow;
            const t = accTQK[qb + k];
            if (top > t) {
              const added = top * overlapFraction(wr, R, cw);
              if (added > t) accTQK[qb + k] = added;
            }
          }
        }
      }
    }
  }
}
