/**
 * What every loop of the general kernel (general.ts and its specialised loops) shares: the
 * model's constants resolved once per call (`GeneralSetup`), the scratch arrays, and one
 * direction's downwind sort and pair list (`directionPairs`).
 *
 * Per direction, for each pair e (source position p, destination q > p in upstream-first order):
 *   dwE, cwE                 geometry; cwImgE = √((2h)² + hcw²) for the mirrored ground
 *   sigMaxE                  TurboGaussian: σ at the turbine's largest Ct (σ grows with Ct), the cull bound
 *   turbAE, turbBE           STF: Frandsen's weight and √(dw² + cw²)/D;  CrespoHernandez: (dw/D)^c3;  GCL: (dw/D)^(1/3)
 * kept only where some speed can use the pair (bounds from the largest Ct and effective TI),
 * grouped by source: pairs pairStartP[p] … pairStartP[p + 1] − 1, destination pairQE[e].
 *
 * Culls (the dropped deficit is < e^-30·WS ≈ 2.5e-12 m/s, far below the 1e-9 the reference
 * tests ask): centre Gaussian where cw² > 60σ²; GaussianOverlap where cw − R > 8σ (F < e^-32, and
 * where cw/σ > 10 PyWake's clamped table gives F(R/σ, 10) < e^-28 since R/σ ≤ 2.5 for ε ≥ 0.2).
 * Top-hat turbulence: zero beyond wake radius + R by construction; STF: zero outside Frandsen's cone.
 */
import * as bastankhahModule from "../deficit/bastankhahGaussian.js";
import * as inductionModule from "../deficit/induction.js";
import * as turboModule from "../deficit/turboGaussian.js";
import type { WakeModel } from "../modelSpec.js";
import * as overlapModule from "../rotorAverage/gaussianOverlap.js";
import * as crespoModule from "../turbulence/crespoHernandez.js";
import * as gclModule from "../turbulence/gcl.js";
import * as stfModule from "../turbulence/stf.js";
import { flatTop, type Turbine, type UniformCurve, uniformCurve } from "../turbine.js";

// Module-local copies (an imported binding is a getter call under tsx's CommonJS transform; see engine.ts).
const { bastankhahEpsilon } = bastankhahModule;
const { ct2aMadsen, ct2aMomentum } = inductionModule;
const { turboSigma } = turboModule;
const { gaussianOverlapTable } = overlapModule;
const { crespoPrefactor, crespoPow } = crespoModule;
const { gclPrefactor } = gclModule;
const { frandsenWeight, stf2017CentreTi, stf2005CentreTi, frandsenAdded } = stfModule;

export const DW_WAKE = -1e-10;
export const DW_SIGMA = 1e-10;
export const SQRT8 = Math.sqrt(8);
export const CULL2 = 60;
export const OVERLAP_CULL = 8;
export const GWH_PER_W_YEAR = 8760 * 1e-9;

export const DEF_NOJ = 0, DEF_IEA37 = 1, DEF_BASTANKHAH = 2, DEF_NIAYIFAR = 3, DEF_TURBO = 4;
export const TURB_NONE = 0, TURB_STF2017 = 1, TURB_STF2005 = 2, TURB_CRESPO = 3, TURB_GCL = 4;
export const SUM_LINEAR = 0, SUM_SQUARED = 1, SUM_MAX = 2, SUM_SQRMAX = 3;
/**
 * CULL2, OVERLAP_CULL and +∞ read as doubles: a small integer local stays a tagged Smi in
 * TurboFan, converted on every use in a loop; and a variable that may hold the literal Infinity
 * (a heap constant) becomes a tagged value, so every double assigned to it is boxed — in the pair
 * loop that was 19 MB of heap numbers per Horns Rev AEP and a quarter of directionPairs' time.
 */
export const PAIR_F64 = Float64Array.of(CULL2, OVERLAP_CULL, Infinity);

function maxCt(t: Turbine): number {
  if (t.kind === "cubic") return t.ct;
  let m = 0;
  for (let i = 0; i < t.ctTable.length; i++) if (t.ctTable[i] > m) m = t.ctTable[i];
  return m;
}

/** The model's constants as the loops read them (one object shape: every field always set). */
export class GeneralSetup {
  readonly D: number; readonly R: number; readonly h: number; readonly ti: number;
  readonly turbine: Turbine;
  /** The turbine's curves with precomputed slopes (evenly spaced tables), else null. */
  readonly curve: UniformCurve | null;
  readonly defKind: number; readonly turbKind: number; readonly sum: number;
  readonly linear: boolean; readonly overlap: boolean; readonly mirror: boolean; readonly mom1d: boolean;
  readonly useEffWs: boolean; readonly useEffTi: boolean;
  readonly kFix: number; readonly a0: number; readonly a1: number; readonly ceps: number; readonly ctlim: number;
  readonly tA: number; readonly tc0: number; readonly tc1: number;
  /** Turbo's σ bound for the cull holds only with a TI fixed per direction (the ambient TI). */
  readonly turboBound: boolean;
  readonly ctTop: number;
  readonly tcA: number; readonly tcB: number; readonly tcC: number; readonly tcD: number;
  readonly crespoMom1d: boolean; readonly tiPowC: number;
  readonly epsMaxD: number; readonly wsMin: number;
  readonly crespoPrefMax: number; readonly gclPrefMax: number;
  readonly table: Float64Array;
  /**
   * The top of the power curve where it is flat (tabular turbines: the rows from which every power
   * equals the last, which the table also returns above its end): from `flatLoWs` (m/s, Infinity
   * when the last two rows differ or the curve is cubic) the power is exactly `flatPowerW`, Ct is
   * within [ctMinFlat, ctMaxFlat]. generalLoops.ts skips speeds whose every WS_eff provably stays there.
   */
  readonly flatLoWs: number; readonly flatPowerW: number; readonly ctMinFlat: number; readonly ctMaxFlat: number;
  /** The smallest wake expansion any source can have (the ambient TI's; NaN when k can fall with TI). */
  readonly kMin: number;
  /**
   * D, ti, kFix, a0, a1, ceps, ctlim, flatPowerW as doubles for the source loops (LOOP_F64_*): a field
   * holding a small integer (k = 0 for Niayifar, D = 80) is a tagged Smi, and a conditional mixing it
   * with a double boxes the result — 6 MB of heap numbers per Horns Rev STF2017 AEP.
   */
  readonly loopF64: Float64Array;

  constructor(wake: WakeModel, turbine: Turbine, ti: number, ws: ArrayLike<number>) {
    const D = turbine.diameterM;
    this.turbine = turbine;
    this.curve = uniformCurve(turbine);
    this.D = D; this.R = D / 2; this.h = turbine.hubHeightM; this.ti = ti;
    const d = wake.deficit;
    this.linear = wake.superposition === "linear";
    this.overlap = wake.rotorAverage === "GaussianOverlap";
    this.table = this.overlap ? gaussianOverlapTable() : new Float64Array(0);
    const defKind = d.kind === "NOJ" ? DEF_NOJ : d.kind === "IEA37SimpleBastankhahGaussian" ? DEF_IEA37
      : d.kind === "BastankhahGaussian" ? DEF_BASTANKHAH : d.kind === "NiayifarGaussian" ? DEF_NIAYIFAR : DEF_TURBO;
    this.defKind = defKind;
    this.mom1d = "ct2a" in d && d.ct2a === "mom1d";
    this.useEffWs = "useEffectiveWs" in d && d.useEffectiveWs;
    this.useEffTi = "useEffectiveTi" in d && d.useEffectiveTi;
    this.kFix = "k" in d ? d.k : 0;
    this.a0 = d.kind === "NiayifarGaussian" ? d.a[0] : 0;
    this.a1 = d.kind === "NiayifarGaussian" ? d.a[1] : 0;
    this.ceps = "ceps" in d ? d.ceps : 0;
    this.ctlim = "ctlim" in d ? d.ctlim : 0;
    this.tA = d.kind === "TurboGaussian" ? d.A : 0;
    this.tc0 = d.kind === "TurboGaussian" ? d.cTI[0] : 0;
    this.tc1 = d.kind === "TurboGaussian" ? d.cTI[1] : 0;
    this.mirror = d.kind === "TurboGaussian" && d.ground === "Mirror";
    this.turboBound = defKind === DEF_TURBO && !this.useEffTi;
    const ctTop = maxCt(turbine);
    this.ctTop = ctTop;
    const turb = wake.turbulence;
    const turbKind = !turb ? TURB_NONE : turb.kind === "STF2017" ? TURB_STF2017 : turb.kind === "STF2005" ? TURB_STF2005
      : turb.kind === "CrespoHernandez" ? TURB_CRESPO : TURB_GCL;
    this.turbKind = turbKind;
    this.sum = !turb ? SUM_LINEAR : turb.sum === "linear" ? SUM_LINEAR : turb.sum === "squared" ? SUM_SQUARED : turb.sum === "max" ? SUM_MAX : SUM_SQRMAX;
    const withC = turb && (turb.kind === "STF2017" || turb.kind === "STF2005" || turb.kind === "CrespoHernandez");
    this.tcA = withC ? turb.c[0] : 0;
    this.tcB = withC ? turb.c[1] : 0;
    this.tcC = turb && (turb.kind === "STF2005" || turb.kind === "CrespoHernandez") ? turb.c[2] : 0;
    this.tcD = turb && turb.kind === "CrespoHernandez" ? turb.c[3] : 0;
    this.crespoMom1d = !!turb && turb.kind === "CrespoHernandez" && turb.ct2a === "mom1d";
    this.tiPowC = turbKind === TURB_CRESPO ? Math.pow(ti, this.tcC) : 0;
    this.epsMaxD = defKind === DEF_BASTANKHAH || defKind === DEF_NIAYIFAR ? bastankhahEpsilon(ctTop, this.ceps, this.ctlim) * D : 0;
    let wsMin = Infinity;
    for (let k = 0; k < ws.length; k++) if (ws[k] < wsMin) wsMin = ws[k];
    this.wsMin = wsMin >= 0 ? wsMin : 0;
    // the largest source prefactors (induction grows with Ct; a negative exponent takes the floor)
    const aTop = this.crespoMom1d ? ct2aMomentum(ctTop) : ct2aMadsen(ctTop);
    this.crespoPrefMax = turbKind === TURB_CRESPO ? crespoPrefactor(this.tcA, this.tcB, this.tcB >= 0 ? aTop : 0, this.tiPowC) : 0;
    this.gclPrefMax = turbKind === TURB_GCL ? gclPrefactor(Math.min(ctTop, 1)) : 0;
    const flat = flatTop(turbine);
    this.flatLoWs = flat.loWs; this.flatPowerW = flat.powerW; this.ctMinFlat = flat.ctMin; this.ctMaxFlat = flat.ctMax;
    this.kMin = defKind === DEF_NIAYIFAR ? (this.a0 >= 0 ? this.a0 * ti + this.a1 : NaN) : this.kFix;
    this.loopF64 = Float64Array.of(D, ti, this.kFix, this.a0, this.a1, this.ceps, this.ctlim, this.flatPowerW);
  }
}

/** Scratch kept across calls (grown, never shrunk). `…K` arrays are per position × speed (p·K + k) or per speed. */
export class GeneralScratch {
  n = -1;
  nK = -1;
  /** How many entries of `order` hold a permutation (directionPairs sorts from it). */
  orderN = -1;
  K = -1;
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
  /** The bound on a source's wake expansion used for its pair list (per position). */
  kMaxP = new Float64Array(0);
  flatAccQ = new Float64Array(0);
  // speed-minor loops: accumulators per position and speed, per-source constants per speed
  accDQK = new Float64Array(0);
  accTQK = new Float64Array(0);
  ctK = new Float64Array(0);
  sigAK = new Float64Array(0);
  sigBK = new Float64Array(0);
  cenAK = new Float64Array(0);
  cenBK = new Float64Array(0);
  turbK = new Float64Array(0);
  pwK = new Float64Array(0);
  memoWsK = new Float64Array(0);
  memoPK = new Float64Array(0);
  memoCtK = new Float64Array(0);
  memoEpsK = new Float64Array(0);
  ensure(n: number): void {
    if (n <= this.n) return;
    this.n = n;
    const m = Math.max(n, 1);
    const pairs = (m * (m - 1)) / 2 + 1;
    this.order = new Int32Array(m);
    this.orderN = -1;
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
    this.kMaxP = new Float64Array(m);
    this.flatAccQ = new Float64Array(m);
  }
  ensureK(n: number, K: number): void {
    if (n * K > this.nK) {
      this.nK = n * K;
      this.accDQK = new Float64Array(n * K);
      this.accTQK = new Float64Array(n * K);
    }
    if (K > this.K) {
      this.K = K;
      this.ctK = new Float64Array(K);
      this.sigAK = new Float64Array(K);
      this.sigBK = new Float64Array(K);
      this.cenAK = new Float64Array(K);
      this.cenBK = new Float64Array(K);
      this.turbK = new Float64Array(K);
      this.pwK = new Float64Array(K);
      this.memoWsK = new Float64Array(K);
      this.memoPK = new Float64Array(K);
      this.memoCtK = new Float64Array(K);
      this.memoEpsK = new Float64Array(K);
    }
    this.memoWsK.fill(NaN); // the turbine (and ε's constants) may differ from the last call's
  }
}

/**
 * One direction (cos θ, sin θ): the downwind sort into `order`, every pair's speed-free terms,
 * and the pair list of the pairs some speed can use: bounds on σ (and the top hats' wake
 * radius) from the turbine's largest Ct and, for a TI-dependent k, the largest effective TI a
 * source can reach in this direction (every added TI grows with Ct: the same propagation at
 * Ct_max, with each top-hat overlap bounded by 1).
 */
export function directionPairs(g: GeneralSetup, sc: GeneralScratch, x: ArrayLike<number>, y: ArrayLike<number>, n: number, c: number, s: number): void {
  const { order, key, xP, yP, dwE, cwE, cwImgE, sigMaxE, turbAE, turbBE, pairQE, pairStartP, tiMaxAccQ, kMaxP } = sc;
  const { D, R, h, ti, defKind, turbKind, sum, overlap, mirror, turboBound, kFix, a0, a1, ceps, ctlim, tA, tc0, tc1,
    tcA, tcB, tcC, tcD, epsMaxD, crespoPrefMax, gclPrefMax, useEffTi, ctTop } = g;
  const sqrtCtTop = Math.sqrt(ctTop);
  const sqrtWsMin = Math.sqrt(g.wsMin);
  for (let i = 0; i < n; i++) key[i] = -c * x[i] - s * y[i];
  // Upstream first, ties by turbine index: insertion sort from the previous direction's order
  // (a permutation of 0..n−1 of this size, else the identity). Neighbouring directions differ by a
  // few swaps, so this is ~n comparisons, where Array.prototype.sort with a comparator costs a
  // call per comparison. The order is a strict total order: the same result as any sort.
  if (sc.orderN !== n) { for (let i = 0; i < n; i++) order[i] = i; sc.orderN = n; }
  for (let a = 1; a < n; a++) {
    const v = order[a];
    const kv = key[v];
    let b = a - 1;
    while (b >= 0) {
      const u = order[b];
      const ku = key[u];
      if (ku < kv || (ku === kv && u < v)) break;
      order[b + 1] = u;
      b--;
    }
    order[b + 1] = v;
  }
  for (let p = 0; p < n; p++) { xP[p] = x[order[p]]; yP[p] = y[order[p]]; }
  // One pass in source order: a source's bound on its effective TI (tiMaxAccQ) is complete when
  // its own pairs are built, every pair onto it coming from an earlier source.
  // Function-local flags and constants: TurboFan reads module-level bindings from their context,
  // with a type check, on every use inside a loop; locals are plain values.
  const isTurbo = defKind === DEF_TURBO, isIea37 = defKind === DEF_IEA37, isNoj = defKind === DEF_NOJ;
  const isNiayifar = defKind === DEF_NIAYIFAR;
  const hasTurb = turbKind !== TURB_NONE, isStf17 = turbKind === TURB_STF2017, isStf = isStf17 || turbKind === TURB_STF2005;
  const isCrespo = turbKind === TURB_CRESPO;
  const sumLinear = sum === SUM_LINEAR, sumSquared = sum === SUM_SQUARED, sumSqrMax = sum === SUM_SQRMAX;
  const dwWake = DW_WAKE, dwSigma = DW_SIGMA, iea37EpsD = D / SQRT8;
  const cull2 = PAIR_F64[0], overlapCull = PAIR_F64[1], inf = PAIR_F64[2];
  const turboSig = turboSigma, eps = bastankhahEpsilon, fWeight = frandsenWeight, stf17 = stf2017CentreTi, stf05 = stf2005CentreTi;
  const fAdded = frandsenAdded, cPow = crespoPow;
  let f = 0;
  tiMaxAccQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    pairStartP[p] = f;
    let kMax = kFix;
    if (isNiayifar) {
      let tiMax = ti;
      if (useEffTi && hasTurb && p > 0) {
        const t = tiMaxAccQ[p];
        tiMax = sumSqrMax ? Math.sqrt(ti * ti + t * t) : sumSquared ? ti + Math.sqrt(t) : ti + t;
      }
      kMax = a0 >= 0 ? a0 * tiMax + a1 : a0 * ti + a1;
    }
    kMaxP[p] = kMax;
    const xp = xP[p];
    const yp = yP[p];
    for (let q = p + 1; q < n; q++) {
      const dx = xP[q] - xp;
      const dy = yP[q] - yp;
      const dw = -c * dx - s * dy;
      // upstream of the source (or level with it): no deficit, no added TI (every model needs dw > 0)
      if (!(dw > dwWake)) continue;
      const hcw = s * dx - c * dy;
      const cw = Math.abs(hcw);
      const cwImg = mirror ? Math.sqrt(4 * h * h + hcw * hcw) : 0;
      const sigTop = turboBound ? (1 + 1e-9) * turboSig(dw, D, ctTop, ti, tA, tc0, tc1, eps(ctTop, ceps, ctlim) * D) : 0;
      let sMax: number;
      if (isTurbo) sMax = turboBound ? sigTop : inf;
      else if (isIea37) sMax = (dw > dwSigma ? kFix * dw : 0) + iea37EpsD;
      else if (isNoj) sMax = 0;
      else sMax = (dw > dwSigma ? kMax * dw : 0) + epsMaxD;
      let reach: boolean;
      if (isNoj) reach = dw > 0 && cw < kFix * dw + 2 * R;
      else {
        reach = overlap ? cw - R <= overlapCull * sMax : cw * cw <= cull2 * sMax * sMax;
        if (!reach && mirror) reach = overlap ? cwImg - R <= overlapCull * sMax : cwImg * cwImg <= cull2 * sMax * sMax;
      }
      let turbA = 0;
      let turbB = 0;
      if (hasTurb) {
        let addMax = 0;
        if (isStf) {
          const w = fWeight(dw, cw, D);
          turbA = w;
          if (w !== 0) {
            turbB = isStf17 ? Math.sqrt(dw * dw + cw * cw) / D : dw / D; // PyWake's hypot, to an ulp
            reach = true;
            let iMax = isStf17 ? stf17(tcA, (tcB * turbB) / sqrtCtTop) : stf05(tcA, tcB, tcC * turbB * sqrtWsMin);
            if (!(iMax >= 0)) iMax = isStf17 ? 0 : inf;
            addMax = fAdded(w, iMax, ti);
          }
        } else {
          // top hats (Crespo, GCL): (dw/D)^c3, (dw/D)^(1/3) where the widest top hat reaches; else −1 (Crespo), 0 (GCL)
          const wrMax = isNoj ? kFix * dw + R : 2 * sMax;
          const dwD = (dw > 1e-10 ? dw : 1e-10) / D;
          turbA = isCrespo ? -1 : dw > 0 ? Math.pow(dwD, 1 / 3) : 0;
          if (dw > 0 && cw < wrMax + R) {
            reach = true;
            if (isCrespo) turbA = cPow(dwD, tcD);
            addMax = isCrespo ? crespoPrefMax * turbA : gclPrefMax / turbA;
          }
        }
        if (addMax > 0) {
          const t = tiMaxAccQ[q];
          tiMaxAccQ[q] = sumLinear ? t + addMax : sumSquared ? t + addMax * addMax : addMax > t ? addMax : t;
        }
      }
      if (!reach) continue;
      pairQE[f] = q;
      dwE[f] = dw;
      cwE[f] = cw;
      if (mirror) cwImgE[f] = cwImg;
      if (turboBound) sigMaxE[f] = sigTop;
      turbAE[f] = turbA;
      turbBE[f] = turbB;
      f++;
    }
  }
  pairStartP[n] = f;
}
