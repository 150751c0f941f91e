/**
 * The fast form of generalPropagation.ts for every `WakeModel`: the same arithmetic per pair, with
 * what does not depend on the wind speed computed once per direction and shared by its speeds,
 * and pairs whose contribution is below ~1e-13 of the free stream skipped.
 *
 * Per direction, for each pair e (source position p, destination q > p in upstream-first order):
 *   dwE, cwE                 geometry; cwImgE = √((2h)² + hcw²) for the mirrored ground
 *   sigMaxE                  TurboGaussian: σ at the turbine's largest Ct (σ grows with Ct), the cull bound
 *   turbAE, turbBE           STF: Frandsen's weight and √(dw² + cw²)/D;  CrespoHernandez: (dw/D)^c3;  GCL: (dw/D)^(−1/3)
 * Per flow case, per source: ε·D, k, the Turbo constants, 1/√Ct, Crespo's c0·a^c1·TI^c2; per pair
 * only σ, the cull test and the factor that needs this case's σ.
 *
 * Culls (the dropped deficit is < e^-30·WS ≈ 2.5e-12 m/s, far below the 1e-9 the reference
 * tests ask): centre Gaussian where cw² > 60σ²; GaussianOverlap where cw − R > 8σ (F < e^-32, and
 * where cw/σ > 10 PyWake's clamped table gives F(R/σ, 10) < e^-28 since R/σ ≤ 2.5 for ε ≥ 0.2).
 * Top-hat turbulence: zero beyond wake radius + R by construction; STF: zero outside Frandsen's cone.
 */
import * as bastankhahModule from "../deficit/bastankhahGaussian.js";
import * as inductionModule from "../deficit/induction.js";
import * as nojModule from "../deficit/noj.js";
import * as turboModule from "../deficit/turboGaussian.js";
import * as expNegModule from "../expNeg.js";
import type { WakeModel } from "../modelSpec.js";
import * as overlapModule from "../rotorAverage/gaussianOverlap.js";
import { frandsenWeighted } from "../turbulence/stf.js";
import * as turbineModule from "../turbine.js";
import type { Turbine } from "../turbine.js";
import type { Tensors, WindFarmModel } from "./common.js";
import { defaultDeficit, type DeficitSpec } from "../modelSpec.js";
import { pairDeficit } from "../generalPropagation.js";

// Module-local copies of what the hot loops call (an imported binding is a getter call under the
// CommonJS transform tsx applies; see engine.ts).
const { bastankhahEpsilon } = bastankhahModule;
const { ct2aMadsen, ct2aMomentum } = inductionModule;
const { overlapFraction } = nojModule;
const { turboSigma } = turboModule;
const { expNeg } = expNegModule;
const { gaussianOverlapFactor, gaussianOverlapTable } = overlapModule;
const { turbinePowerCt } = turbineModule;

const DW_WAKE = -1e-10;
const DW_SIGMA = 1e-10;
const SQRT8 = Math.sqrt(8);
const CULL2 = 60;
const OVERLAP_CULL = 8;
const GWH_PER_W_YEAR = 8760 * 1e-9;

const DEF_NOJ = 0, DEF_IEA37 = 1, DEF_BASTANKHAH = 2, DEF_NIAYIFAR = 3, DEF_TURBO = 4;
const TURB_NONE = 0, TURB_STF2017 = 1, TURB_STF2005 = 2, TURB_CRESPO = 3, TURB_GCL = 4;
const SUM_LINEAR = 0, SUM_SQUARED = 1, SUM_MAX = 2, SUM_SQRMAX = 3;

function maxCt(t: Turbine): number {
  if (t.kind === "cubic") return t.ct;
  let m = 0;
  for (let i = 0; i < t.ctTable.length; i++) if (t.ctTable[i] > m) m = t.ctTable[i];
  return m;
}

class Scratch {
  n = -1;
  order = new Int32Array(0);
  key = new Float64Array(0);
  xP = new Float64Array(0);
  yP = new Float64Array(0);
  accD = new Float64Array(0);
  accT = new Float64Array(0);
  dwE = new Float64Array(0);
  cwE = new Float64Array(0);
  cwImgE = new Float64Array(0);
  sigMaxE = new Float64Array(0);
  turbAE = new Float64Array(0);
  turbBE = new Float64Array(0);
  pairQE = new Int32Array(0);
  pairStartP = new Int32Array(0);
  tiMaxAccQ = new Float64Array(0);
  ensure(n: number): void {
    if (n <= this.n) return;
    this.n = n;
    const m = Math.max(n, 1);
    const pairs = (m * (m - 1)) / 2 + 1;
    this.order = new Int32Array(m);
    this.key = new Float64Array(m);
    this.xP = new Float64Array(m);
    this.yP = new Float64Array(m);
    this.accD = new Float64Array(m);
    this.accT = new Float64Array(m);
    this.dwE = new Float64Array(pairs);
    this.cwE = new Float64Array(pairs);
    this.cwImgE = new Float64Array(pairs);
    this.sigMaxE = new Float64Array(pairs);
    this.turbAE = new Float64Array(pairs);
    this.turbBE = new Float64Array(pairs);
    this.pairQE = new Int32Array(pairs);
    this.pairStartP = new Int32Array(m + 1);
    this.tiMaxAccQ = new Float64Array(m);
  }
}
const scratch = new Scratch();

/**
 * Runs the flow cases; fills `aepI` (GWh per turbine, when given with `pLK`) and the tensors
 * (when given). Same results as `propagateGeneral` up to the culls and rounding.
 */
export function propagateFast(
  wake: WakeModel, turbine: Turbine, ti: number, x: ArrayLike<number>, y: ArrayLike<number>,
  wdDeg: ArrayLike<number>, ws: ArrayLike<number>,
  out: { tensors?: Tensors; pLK?: ArrayLike<number>; aepI?: Float64Array },
): void {
  const n = x.length;
  const L = wdDeg.length;
  const K = ws.length;
  const sc = scratch;
  sc.ensure(n);
  const { order, key, xP, yP, accD, accT, dwE, cwE, cwImgE, sigMaxE, turbAE, turbBE, pairQE, pairStartP, tiMaxAccQ } = sc;
  const D = turbine.diameterM;
  const R = D / 2;
  const h = turbine.hubHeightM;
  const d = wake.deficit;
  const linear = wake.superposition === "linear";
  const overlap = wake.rotorAverage === "GaussianOverlap";
  const table = overlap ? gaussianOverlapTable() : new Float64Array(0);
  const defKind = d.kind === "NOJ" ? DEF_NOJ : d.kind === "IEA37SimpleBastankhahGaussian" ? DEF_IEA37
    : d.kind === "BastankhahGaussian" ? DEF_BASTANKHAH : d.kind === "NiayifarGaussian" ? DEF_NIAYIFAR : DEF_TURBO;
  const mom1d = "ct2a" in d && d.ct2a === "mom1d";
  const useEffWs = "useEffectiveWs" in d && d.useEffectiveWs;
  const useEffTi = "useEffectiveTi" in d && d.useEffectiveTi;
  const kFix = "k" in d ? d.k : 0;
  const a0 = d.kind === "NiayifarGaussian" ? d.a[0] : 0;
  const a1 = d.kind === "NiayifarGaussian" ? d.a[1] : 0;
  const ceps = "ceps" in d ? d.ceps : 0;
  const ctlim = "ctlim" in d ? d.ctlim : 0;
  const tA = d.kind === "TurboGaussian" ? d.A : 0;
  const tc0 = d.kind === "TurboGaussian" ? d.cTI[0] : 0;
  const tc1 = d.kind === "TurboGaussian" ? d.cTI[1] : 0;
  const mirror = d.kind === "TurboGaussian" && d.ground === "Mirror";
  // Turbo's σ bound for the cull holds only with a TI fixed per direction (the ambient TI).
  const turboBound = defKind === DEF_TURBO && !useEffTi;
  const ctTop = maxCt(turbine);
  const turb = wake.turbulence;
  const turbKind = !turb ? TURB_NONE : turb.kind === "STF2017" ? TURB_STF2017 : turb.kind === "STF2005" ? TURB_STF2005
    : turb.kind === "CrespoHernandez" ? TURB_CRESPO : TURB_GCL;
  const sum = !turb ? SUM_LINEAR : turb.sum === "linear" ? SUM_LINEAR : turb.sum === "squared" ? SUM_SQUARED : turb.sum === "max" ? SUM_MAX : SUM_SQRMAX;
  const tcA = turb && (turb.kind === "STF2017" || turb.kind === "STF2005" || turb.kind === "CrespoHernandez") ? turb.c[0] : 0;
  const tcB = turb && (turb.kind === "STF2017" || turb.kind === "STF2005" || turb.kind === "CrespoHernandez") ? turb.c[1] : 0;
  const tcC = turb && (turb.kind === "STF2005" || turb.kind === "CrespoHernandez") ? turb.c[2] : 0;
  const tcD = turb && turb.kind === "CrespoHernandez" ? turb.c[3] : 0;
  const crespoMom1d = turb && turb.kind === "CrespoHernandez" && turb.ct2a === "mom1d";
  const tiPowC = turbKind === TURB_CRESPO ? Math.pow(ti, tcC) : 0;
  const epsMaxD = defKind === DEF_BASTANKHAH || defKind === DEF_NIAYIFAR ? bastankhahEpsilon(ctTop, ceps, ctlim) * D : 0;
  let wsMin = Infinity;
  for (let k = 0; k < K; k++) if (ws[k] < wsMin) wsMin = ws[k];
  if (!(wsMin >= 0)) wsMin = 0;
  // the largest source prefactors (induction grows with Ct; a negative exponent takes the floor)
  const aTop = crespoMom1d ? ct2aMomentum(ctTop) : ct2aMadsen(ctTop);
  const crespoPrefMax = turbKind === TURB_CRESPO ? tcA * Math.pow(tcB >= 0 ? (aTop > 1e-10 ? aTop : 1e-10) : 1e-10, tcB) * tiPowC : 0;
  const gclPrefMax = turbKind === TURB_GCL ? 0.29 * Math.sqrt(1 - Math.sqrt(1 - Math.min(ctTop, 1))) : 0;
  const pc = new Float64Array(4);
  let crespoLastCt = NaN;
  let crespoLastPref = 0;
  const tensors = out.tensors;
  const pLK = out.pLK;
  const aepI = out.aepI;
  if (aepI) aepI.fill(0, 0, n);

  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let i = 0; i < n; i++) { order[i] = i; key[i] = -c * x[i] - s * y[i]; }
    order.subarray(0, n).sort((a, b) => key[a] - key[b] || a - b);
    for (let p = 0; p < n; p++) { xP[p] = x[order[p]]; yP[p] = y[order[p]]; }
    // speed-free pair terms
    let e = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++, e++) {
        const dx = xP[q] - xP[p];
        const dy = yP[q] - yP[p];
        const dw = -c * dx - s * dy;
        const hcw = s * dx - c * dy;
        const cw = Math.abs(hcw);
        dwE[e] = dw;
        cwE[e] = cw;
        if (mirror) cwImgE[e] = Math.sqrt(4 * h * h + hcw * hcw);
        if (turboBound) {
          sigMaxE[e] = (1 + 1e-9) * turboSigma(dw, D, ctTop, ti, tA, tc0, tc1, bastankhahEpsilon(ctTop, ceps, ctlim) * D);
        }
        switch (turbKind) {
          case TURB_STF2017:
            // Frandsen's weight times (√(I² + TI²) − TI) needs I, so keep the weight: w = weighted(1)… via ratio
            turbAE[e] = stfWeight(dw, cw, D);
            turbBE[e] = Math.sqrt(dw * dw + cw * cw) / D; // PyWake's hypot, to an ulp
            break;
          case TURB_STF2005:
            turbAE[e] = stfWeight(dw, cw, D);
            turbBE[e] = dw / D;
            break;
          case TURB_CRESPO:
            turbAE[e] = -1; // (dw/D)^c3 on demand: a pow per kept pair, not per pair
            break;
          case TURB_GCL:
            turbAE[e] = dw > 0 ? Math.pow((dw > 1e-10 ? dw : 1e-10) / D, 1 / 3) : 0;
            break;
        }
      }
    }
    // Keep the pairs some speed can use: bounds on σ (and the top hats' wake radius) from the
    // turbine's largest Ct and, for a TI-dependent k, the largest effective TI a source can reach
    // in this direction (every added TI grows with Ct: the same propagation at Ct_max, with each
    // top-hat overlap bounded by 1).
    {
      let f = 0;
      e = 0;
      tiMaxAccQ.fill(0, 0, n);
      for (let p = 0; p < n; p++) {
        pairStartP[p] = f;
        let kMax = kFix;
        if (defKind === DEF_NIAYIFAR) {
          let tiMax = ti;
          if (useEffTi && turbKind !== TURB_NONE && p > 0) {
            const t = tiMaxAccQ[p];
            tiMax = sum === SUM_SQRMAX ? Math.sqrt(ti * ti + t * t) : sum === SUM_SQUARED ? ti + Math.sqrt(t) : ti + t;
          }
          kMax = a0 >= 0 ? a0 * tiMax + a1 : a0 * ti + a1;
        }
        for (let q = p + 1; q < n; q++, e++) {
          const dw = dwE[e];
          const cw = cwE[e];
          let sMax: number;
          if (defKind === DEF_TURBO) sMax = turboBound ? sigMaxE[e] : Infinity;
          else if (defKind === DEF_IEA37) sMax = (dw > DW_SIGMA ? kFix * dw : 0) + D / SQRT8;
          else if (defKind === DEF_NOJ) sMax = 0;
          else sMax = (dw > DW_SIGMA ? kMax * dw : 0) + epsMaxD;
          let reach = false;
          if (dw > DW_WAKE) {
            if (defKind === DEF_NOJ) reach = dw > 0 && cw < kFix * dw + 2 * R;
            else {
              reach = overlap ? cw - R <= OVERLAP_CULL * sMax : cw * cw <= CULL2 * sMax * sMax;
              if (!reach && mirror) {
                const ci = cwImgE[e];
                reach = overlap ? ci - R <= OVERLAP_CULL * sMax : ci * ci <= CULL2 * sMax * sMax;
              }
            }
          }
          let addMax = 0;
          if (turbKind !== TURB_NONE) {
            const wrMax = defKind === DEF_NOJ ? kFix * dw + R : 2 * sMax;
            if (turbKind === TURB_STF2017 || turbKind === TURB_STF2005) {
              const w = turbAE[e];
              if (w !== 0) {
                reach = true;
                let iMax = turbKind === TURB_STF2017 ? 1 / (tcA + tcB * turbBE[e] / Math.sqrt(ctTop)) : tcA / (tcB + tcC * turbBE[e] * Math.sqrt(wsMin));
                if (!(iMax >= 0)) iMax = turbKind === TURB_STF2017 ? 0 : 1 / 0;
                addMax = w * (Math.sqrt(iMax * iMax + ti * ti) - ti);
              }
            } else if (dw > 0 && cw < wrMax + R) {
              reach = true;
              if (turbKind === TURB_CRESPO) turbAE[e] = Math.pow((dw > 1e-10 ? dw : 1e-10) / D, tcD);
              addMax = turbKind === TURB_CRESPO ? crespoPrefMax * turbAE[e] : gclPrefMax / turbAE[e];
            }
            if (addMax > 0) {
              const t = tiMaxAccQ[q];
              tiMaxAccQ[q] = sum === SUM_LINEAR ? t + addMax : sum === SUM_SQUARED ? t + addMax * addMax : addMax > t ? addMax : t;
            }
          }
          if (!reach) continue;
          pairQE[f] = q;
          dwE[f] = dw;
          cwE[f] = cw;
          if (mirror) cwImgE[f] = cwImgE[e];
          if (turboBound) sigMaxE[f] = sigMaxE[e];
          turbAE[f] = turbAE[e];
          turbBE[f] = turbBE[e];
          f++;
        }
      }
      pairStartP[n] = f;
    }
    for (let k = 0; k < K; k++) {
      const WS = ws[k];
      const pw = pLK ? pLK[l * K + k] * GWH_PER_W_YEAR : 0;
      accD.fill(0, 0, n);
      accT.fill(0, 0, n);
      e = 0;
      for (let p = 0; p < n; p++) {
        const i = order[p];
        let wsEff = WS;
        let tiEff = ti;
        if (p > 0) {
          const a = accD[p];
          wsEff = WS - (linear ? a : Math.sqrt(a));
          if (turbKind !== TURB_NONE) {
            const t = accT[p];
            tiEff = sum === SUM_SQRMAX ? Math.sqrt(ti * ti + t * t) : sum === SUM_SQUARED ? ti + Math.sqrt(t) : ti + t;
          }
        }
        turbinePowerCt(turbine, wsEff, pc);
        const ct = pc[1];
        if (tensors) {
          const at = (i * L + l) * K + k;
          tensors.wsEffILK[at] = wsEff;
          if (tensors.tiEffILK) tensors.tiEffILK[at] = tiEff;
          tensors.powerILK[at] = pc[0];
          tensors.ctILK[at] = ct;
        }
        if (aepI) aepI[i] += pc[0] * pw;
        if (p === n - 1) break;
        // per-source constants of this flow case
        const wsRef = useEffWs ? wsEff : WS;
        const tiRef = useEffTi ? tiEff : ti;
        const epsD = defKind === DEF_IEA37 ? D / SQRT8 : defKind === DEF_NOJ ? 0 : bastankhahEpsilon(ct, ceps, ctlim) * D;
        const kExp = defKind === DEF_NIAYIFAR ? a0 * tiRef + a1 : kFix;
        // TurbOPark's per-source constants (turboSigma's, in its order of operations: same bits)
        let tAlpha = 0, tBeta = 0, tFac = 0, tT2p1 = 0, tT2 = 0;
        if (defKind === DEF_TURBO) {
          tAlpha = tc0 * tiRef;
          tBeta = (tc1 * tiRef) / Math.sqrt(ct > 1e-20 ? ct : 1e-20);
          tFac = (tA * tiRef * D) / tBeta;
          tT2 = Math.sqrt(1 + tAlpha * tAlpha);
          tT2p1 = tT2 + 1;
        }
        const ctD2over8 = ct * D * D;
        const a2noj = defKind === DEF_NOJ ? 2 * (mom1d ? ct2aMomentum(ct) : ct2aMadsen(ct)) : 0;
        const invSqrtCt = 1 / Math.sqrt(ct);
        let crespoPref = -1; // c0·a^c1·TI^c2 when first needed (a pow per source that reaches a rotor)
        const gclPref = turbKind === TURB_GCL ? 0.29 * Math.sqrt(1 - Math.sqrt(1 - ct)) : 0;
        const stf05Sqrt = turbKind === TURB_STF2005 ? Math.sqrt(WS) : 0;
        const e1 = pairStartP[p + 1];
        for (e = pairStartP[p]; e < e1; e++) {
          const q = pairQE[e];
          const dw = dwE[e];
          const cw = cwE[e];
          // σ and wake radius
          let sigma = 0;
          let wr = 0;
          let live = true;
          if (defKind === DEF_NOJ) {
            wr = kFix * dw + R;
          } else if (defKind === DEF_TURBO) {
            if (turboBound && turbKind === TURB_NONE) {
              const sm = sigMaxE[e];
              const cwNear = mirror ? (cw < cwImgE[e] ? cw : cwImgE[e]) : cw;
              if (overlap ? cwNear - R > OVERLAP_CULL * sm : cwNear * cwNear > CULL2 * sm * sm) live = false;
            }
            if (live) {
              const u = tAlpha + (tBeta * dw) / D;
              const t1 = Math.sqrt(u * u + 1);
              sigma = tFac * (t1 - tT2 - Math.log(((t1 + 1) * tAlpha) / (tT2p1 * (tAlpha + (tBeta * Math.abs(dw)) / D)))) + epsD;
              wr = 2 * sigma;
            }
          } else {
            sigma = (dw > DW_SIGMA ? kExp * dw : 0) + epsD;
            wr = 2 * sigma;
          }
          if (live && dw > DW_WAKE) {
            let def = 0;
            if (defKind === DEF_NOJ) {
              if (dw > 0 && cw < wr + R) {
                const ratio = R / wr;
                def = a2noj * wsRef * ratio * ratio * overlapFraction(wr, R, cw);
              }
            } else {
              const sigma2 = sigma * sigma;
              let centre = 0;
              const near = overlap ? cw - R <= OVERLAP_CULL * sigma : cw * cw <= CULL2 * sigma2;
              const nearImg = mirror && (overlap ? cwImgE[e] - R <= OVERLAP_CULL * sigma : cwImgE[e] * cwImgE[e] <= CULL2 * sigma2);
              if (near || nearImg) {
                if (defKind === DEF_IEA37) {
                  const sd = sigma / D;
                  centre = wsRef * (1 - Math.sqrt(1 - ct / (8 * (sd * sd))));
                } else {
                  const xArg = ctD2over8 / (8 * sigma2);
                  const a2 = 2 * (mom1d ? ct2aMomentum(xArg) : ct2aMadsen(xArg));
                  centre = wsRef * (a2 < 1 ? a2 : 1);
                }
              }
              // expNeg: exp(−t) to ≤ 2 ulp for t ≤ 32 (the cull keeps t ≤ 30)
              if (near) def = centre * (overlap ? gaussianOverlapFactor(R / sigma, cw / sigma, table) : expNeg((0.5 * (cw * cw)) / sigma2));
              if (nearImg) {
                const ci = cwImgE[e];
                const img = centre * (overlap ? gaussianOverlapFactor(R / sigma, ci / sigma, table) : expNeg((0.5 * (ci * ci)) / sigma2));
                def = linear ? def + img : Math.sqrt(def * def + img * img);
              }
            }
            if (def !== 0) accD[q] += linear ? def : def * def;
          }
          if (turbKind !== TURB_NONE) {
            let added = 0;
            if (turbKind === TURB_STF2017 || turbKind === TURB_STF2005) {
              const w = turbAE[e];
              if (w !== 0) {
                let tiAdd = turbKind === TURB_STF2017 ? 1 / (tcA + tcB * turbBE[e] * invSqrtCt) : tcA / (tcB + tcC * turbBE[e] * stf05Sqrt);
                if (Number.isNaN(tiAdd)) tiAdd = 0;
                added = w * (Math.sqrt(tiAdd * tiAdd + ti * ti) - ti);
              }
            } else if (wr > 0 && cw < wr + R && dw > 0) {
              if (defKind === DEF_TURBO && !live) {
                const u = tAlpha + (tBeta * dw) / D;
              const t1 = Math.sqrt(u * u + 1);
              sigma = tFac * (t1 - tT2 - Math.log(((t1 + 1) * tAlpha) / (tT2p1 * (tAlpha + (tBeta * Math.abs(dw)) / D)))) + epsD;
                wr = 2 * sigma;
              }
              if (turbKind === TURB_CRESPO && crespoPref < 0) {
                // the unwaked sources of a flow case share one Ct: one pow for all of them
                if (ct !== crespoLastCt) {
                  const ia = crespoMom1d ? ct2aMomentum(ct) : ct2aMadsen(ct);
                  crespoLastPref = tcA * Math.pow(ia > 1e-10 ? ia : 1e-10, tcB) * tiPowC;
                  crespoLastCt = ct;
                }
                crespoPref = crespoLastPref;
              }
              added = (turbKind === TURB_CRESPO ? crespoPref * turbAE[e] : gclPref / turbAE[e]) * overlapFraction(wr, R, cw);
            }
            if (added !== 0) {
              const t = accT[q];
              accT[q] = sum === SUM_LINEAR ? t + added : sum === SUM_SQUARED ? t + added * added : added > t ? added : t;
            }
          }
        }
      }
    }
  }
}

/** Frandsen's weight alone (1 where θ = 0): frandsenWeighted with its TI factor divided out. */
function stfWeight(dw: number, cw: number, D: number): number {
  if (!(dw > 1e-10)) return 0;
  // frandsenWeighted(dw, cw, D, 0, 1) = w·(√(1 + 0) − 0) = w exactly
  return frandsenWeighted(dw, cw, D, 0, 1);
}

/**
 * Whether a model needs this kernel rather than its deficit's own: a turbulence model, a rotor
 * average other than the centre, TurboGaussian, 1-D momentum induction or deficits scaled by the
 * effective speed. The others keep their kernels (and their analytic gradients) unchanged.
 */
export function isGeneral(model: WindFarmModel): boolean {
  const d = model.deficit as DeficitSpec | WindFarmModel["deficit"];
  if (model.turbulence) return true;
  if ((model.rotorAverage ?? "center") !== "center") return true;
  if (d.kind === "TurboGaussian") return true;
  if ("ct2a" in d && d.ct2a === "mom1d") return true;
  if ("useEffectiveWs" in d && d.useEffectiveWs) return true;
  return false;
}

/** The model as this kernel reads it: every option explicit (PyWake's defaults where absent). */
export function wakeModelOf(model: WindFarmModel): WakeModel {
  const d = model.deficit;
  const deficit = { ...defaultDeficit(d.kind), ...d } as DeficitSpec;
  return {
    deficit, superposition: model.superposition.kind,
    rotorAverage: model.rotorAverage ?? "center",
    ...(model.turbulence ? { turbulence: model.turbulence } : {}),
  };
}

const wakeCache = new WeakMap<WindFarmModel, WakeModel>();
function wakeOf(model: WindFarmModel): WakeModel {
  let w = wakeCache.get(model);
  if (!w) { w = wakeModelOf(model); wakeCache.set(model, w); }
  return w;
}

/** The engine's run for a general model: AEP per turbine into aepI (GWh), tensors when given. */
export function runGeneral(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>,
  wdDeg: Float64Array, ws: Float64Array, pLK: Float64Array, aepI: Float64Array, tensors?: Tensors,
): void {
  propagateFast(wakeOf(model), model.turbine, model.site.ti, x, y, wdDeg, ws, { pLK, aepI, ...(tensors ? { tensors } : {}) });
}

/**
 * The smart-start value map for a general model (engine.ts `candidateAepGWh`): the placed
 * turbines propagate among themselves (WS_eff, TI_eff, Ct per flow case), then each candidate
 * takes the deficits of every placed turbine with dw > −1e-10 on its own rotor (the model's
 * rotor average), and its power at the resulting speed.
 */
export function candidateGeneral(
  model: WindFarmModel, placedX: ArrayLike<number>, placedY: ArrayLike<number>,
  candX: ArrayLike<number>, candY: ArrayLike<number>, out: Float64Array,
  wdDeg: Float64Array, ws: Float64Array, pLK: Float64Array,
): void {
  const wake = wakeOf(model);
  const n = placedX.length;
  const m = candX.length;
  const L = wdDeg.length;
  const K = ws.length;
  const size = n * L * K;
  const t: Tensors = { wsEffILK: new Float64Array(size), powerILK: new Float64Array(size), ctILK: new Float64Array(size), tiEffILK: new Float64Array(size) };
  if (n > 0) propagateFast(wake, model.turbine, model.site.ti, placedX, placedY, wdDeg, ws, { tensors: t });
  const tiEff = t.tiEffILK as Float64Array;
  const { turbine } = model;
  const D = turbine.diameterM;
  const R = D / 2;
  const h = turbine.hubHeightM;
  const d = wake.deficit;
  const linear = wake.superposition === "linear";
  const useEffWs = "useEffectiveWs" in d && d.useEffectiveWs;
  const useEffTi = "useEffectiveTi" in d && d.useEffectiveTi;
  const pc = new Float64Array(4);
  out.fill(0, 0, m);
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let k = 0; k < K; k++) {
      const WS = ws[k];
      const pw = pLK[l * K + k] * GWH_PER_W_YEAR;
      for (let a = 0; a < m; a++) {
        let acc = 0;
        for (let i = 0; i < n; i++) {
          const at = (i * L + l) * K + k;
          const dx = candX[a] - placedX[i];
          const dy = candY[a] - placedY[i];
          const def = pairDeficit(wake, D, h, t.ctILK[at], useEffWs ? t.wsEffILK[at] : WS, useEffTi ? tiEff[at] : model.site.ti, -c * dx - s * dy, s * dx - c * dy, R);
          acc += linear ? def : def * def;
        }
        turbinePowerCt(turbine, acc === 0 ? WS : WS - (linear ? acc : Math.sqrt(acc)), pc);
        out[a] += pc[0] * pw;
      }
    }
  }
}
