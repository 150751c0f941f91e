/**
 * The fast form of generalPropagation.ts for every `WakeModel`: the same arithmetic per pair, with
 * what does not depend on the wind speed computed once per direction and shared by its speeds,
 * and pairs whose contribution is below ~1e-13 of the free stream skipped (generalPairs.ts: the
 * pair terms, the pair list and its culls).
 *
 * One loop per call, chosen once (`propagateFast`): the presets' combinations have loops of
 * their own (generalLoops.ts: speed-minor, one model each, no per-pair switches); every other
 * combination runs `genericDirection` below, flow case by flow case with the model's options
 * tested per pair. Per flow case, per source: ε·D, k, the Turbo constants, 1/√Ct, Crespo's
 * c0·a^c1·TI^c2; per pair only σ, the cull test and the factor that needs this case's σ.
 */
import * as bastankhahModule from "../deficit/bastankhahGaussian.js";
import * as inductionModule from "../deficit/induction.js";
import * as nojModule from "../deficit/noj.js";
import * as expNegModule from "../expNeg.js";
import type { WakeModel } from "../modelSpec.js";
import * as overlapModule from "../rotorAverage/gaussianOverlap.js";
import * as crespoModule from "../turbulence/crespoHernandez.js";
import * as gclModule from "../turbulence/gcl.js";
import * as stfModule from "../turbulence/stf.js";
import * as turbineModule from "../turbine.js";
import type { Turbine } from "../turbine.js";
import type { Tensors, WindFarmModel } from "./common.js";
import { defaultDeficit, type DeficitSpec } from "../modelSpec.js";
import { pairDeficit } from "../generalPropagation.js";
import { GeneralScratch, GeneralSetup } from "./generalPairs.js";
import * as pairsModule from "./generalPairs.js";
import * as loopsModule from "./generalLoops.js";

// Module-local copies of what the hot loops call (an imported binding is a getter call under the
// CommonJS transform tsx applies; see engine.ts).
const { bastankhahEpsilon } = bastankhahModule;
const { ct2aMadsen, ct2aMomentum } = inductionModule;
const { overlapFraction } = nojModule;
const { expNeg } = expNegModule;
const { gaussianOverlapFactor } = overlapModule;
const { crespoPrefactor } = crespoModule;
const { gclPrefactor } = gclModule;
const { stf2017CentreTi, stf2005CentreTi, frandsenAdded } = stfModule;
const { turbinePowerCt } = turbineModule;
const {
  DEF_IEA37, DEF_NOJ, DEF_NIAYIFAR, DEF_TURBO, DW_SIGMA, DW_WAKE, GWH_PER_W_YEAR, PAIR_F64, SQRT8,
  SUM_LINEAR, SUM_SQRMAX, SUM_SQUARED, TURB_CRESPO, TURB_GCL, TURB_NONE, TURB_STF2005, TURB_STF2017, directionPairs,
} = pairsModule;
const { specialisedLoop } = loopsModule;

const scratch = new GeneralScratch();
/** Crespo's prefactor of the last Ct seen (the unwaked sources of a flow case share one Ct). */
const crespoMemo = { ct: NaN, pref: 0 };
const pc = new Float64Array(4);

/** Whether `propagateFast` takes a specialised loop for `wake` (tests compare the two paths). */
export function hasSpecialisedLoop(wake: WakeModel, turbine: Turbine, ti: number, ws: ArrayLike<number>): boolean {
  return specialisedLoop(new GeneralSetup(wake, turbine, ti, ws)) !== null;
}

/**
 * Runs the flow cases; fills `aepI` (GWh per turbine, when given with `pLK`) and the tensors
 * (when given). Same results as `propagateGeneral` up to the culls and rounding. `generic`
 * forces the generic loop (the specialised loops are checked against it).
 */
export function propagateFast(
  wake: WakeModel, turbine: Turbine, ti: number, x: ArrayLike<number>, y: ArrayLike<number>,
  wdDeg: ArrayLike<number>, ws: ArrayLike<number>,
  out: { tensors?: Tensors; pLK?: ArrayLike<number>; aepI?: Float64Array; generic?: boolean },
): void {
  const n = x.length;
  const L = wdDeg.length;
  const K = ws.length;
  const sc = scratch;
  sc.ensure(n);
  sc.ensureK(n, K);
  const g = new GeneralSetup(wake, turbine, ti, ws);
  const loop = out.generic ? null : specialisedLoop(g);
  const tensors = out.tensors;
  const pLK = out.pLK;
  const aepI = out.aepI;
  if (aepI) aepI.fill(0, 0, n);
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    directionPairs(g, sc, x, y, n, Math.cos(theta), Math.sin(theta));
    if (loop) loop(g, sc, n, l, L, ws, pLK, aepI, tensors);
    else genericDirection(g, sc, n, l, L, ws, pLK, aepI, tensors);
  }
}

/** Every speed of direction l, flow case by flow case, for any model (the options tested per pair). */
function genericDirection(
  g: GeneralSetup, sc: GeneralScratch, n: number, l: number, L: number, ws: ArrayLike<number>,
  pLK: ArrayLike<number> | undefined, aepI: Float64Array | undefined, tensors: Tensors | undefined,
): void {
  const { order, accD, accT, dwE, cwE, cwImgE, sigMaxE, turbAE, turbBE, pairQE, pairStartP } = sc;
  const { D, R, ti, turbine, defKind, turbKind, sum, kFix, a0, a1, ceps, ctlim, tA, tc0, tc1, tcA, tcB, tcC, tiPowC, table } = g;
  const linear = g.linear === true, overlap = g.overlap === true, mirror = g.mirror === true, mom1d = g.mom1d === true;
  const useEffWs = g.useEffWs === true, useEffTi = g.useEffTi === true, turboBound = g.turboBound === true;
  const crespoMom1d = g.crespoMom1d === true;
  // Function-local copies: TurboFan reads module-level bindings from their context, with a type
  // check, on every use inside a loop; locals are plain values (the culls' factors as doubles).
  const cull2 = PAIR_F64[0], overlapCull = PAIR_F64[1];
  const defIea37 = DEF_IEA37, defNoj = DEF_NOJ, defNiayifar = DEF_NIAYIFAR, defTurbo = DEF_TURBO;
  const dwSigma = DW_SIGMA, dwWake = DW_WAKE, gwhPerWYear = GWH_PER_W_YEAR, sqrt8 = SQRT8;
  const sumLinear = SUM_LINEAR, sumSqrMax = SUM_SQRMAX, sumSquared = SUM_SQUARED;
  const turbCrespo = TURB_CRESPO, turbGcl = TURB_GCL, turbNone = TURB_NONE, turbStf2005 = TURB_STF2005, turbStf2017 = TURB_STF2017;
  const eps = bastankhahEpsilon, madsen = ct2aMadsen, momentum = ct2aMomentum, lens = overlapFraction, eNeg = expNeg;
  const overlapF = gaussianOverlapFactor, prefactor = crespoPrefactor, gclPref0 = gclPrefactor, stf17 = stf2017CentreTi;
  const stf05 = stf2005CentreTi, fAdded = frandsenAdded, curves = turbinePowerCt;
  const K = ws.length;
  for (let k = 0; k < K; k++) {
      const WS = ws[k];
      const pw = pLK ? pLK[l * K + k] * gwhPerWYear : 0;
      accD.fill(0, 0, n);
      accT.fill(0, 0, n);
      for (let p = 0; p < n; p++) {
        const i = order[p];
        let wsEff = WS;
        let tiEff = ti;
        if (p > 0) {
          const a = accD[p];
          wsEff = WS - (linear ? a : Math.sqrt(a));
          if (turbKind !== turbNone) {
            const t = accT[p];
            tiEff = sum === sumSqrMax ? Math.sqrt(ti * ti + t * t) : sum === sumSquared ? ti + Math.sqrt(t) : ti + t;
          }
        }
        curves(turbine, wsEff, pc);
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
        const epsD = defKind === defIea37 ? D / sqrt8 : defKind === defNoj ? 0 : eps(ct, ceps, ctlim) * D;
        const kExp = defKind === defNiayifar ? a0 * tiRef + a1 : kFix;
        // TurbOPark's per-source constants (turboSigma's, in its order of operations: same bits)
        let tAlpha = 0, tBeta = 0, tFac = 0, tT2p1 = 0, tT2 = 0;
        if (defKind === defTurbo) {
          tAlpha = tc0 * tiRef;
          tBeta = (tc1 * tiRef) / Math.sqrt(ct > 1e-20 ? ct : 1e-20);
          tFac = (tA * tiRef * D) / tBeta;
          tT2 = Math.sqrt(1 + tAlpha * tAlpha);
          tT2p1 = tT2 + 1;
        }
        const ctD2over8 = ct * D * D * 0.125; // Ct·D²/8 (×0.125 exact)
        const a2noj = defKind === defNoj ? 2 * (mom1d ? momentum(ct) : madsen(ct)) : 0;
        const invSqrtCt = 1 / Math.sqrt(ct);
        let crespoPref = -1; // c0·a^c1·TI^c2 when first needed (a pow per source that reaches a rotor)
        const gclPref = turbKind === turbGcl ? gclPref0(ct) : 0;
        const stf05Sqrt = turbKind === turbStf2005 ? Math.sqrt(WS) : 0;
        const e1 = pairStartP[p + 1];
        for (let e = pairStartP[p]; e < e1; e++) {
          const q = pairQE[e];
          const dw = dwE[e];
          const cw = cwE[e];
          // σ and wake radius
          let sigma = 0;
          let wr = 0;
          let live = true;
          if (defKind === defNoj) {
            wr = kFix * dw + R;
          } else if (defKind === defTurbo) {
            if (turboBound && turbKind === turbNone) {
              const sm = sigMaxE[e];
              const cwNear = mirror ? (cw < cwImgE[e] ? cw : cwImgE[e]) : cw;
              if (overlap ? cwNear - R > overlapCull * sm : cwNear * cwNear > cull2 * sm * sm) live = false;
            }
            if (live) {
              const u = tAlpha + (tBeta * dw) / D;
              const t1 = Math.sqrt(u * u + 1);
              sigma = tFac * (t1 - tT2 - Math.log(((t1 + 1) * tAlpha) / (tT2p1 * (tAlpha + (tBeta * Math.abs(dw)) / D)))) + epsD;
              wr = 2 * sigma;
            }
          } else {
            sigma = (dw > dwSigma ? kExp * dw : 0) + epsD;
            wr = 2 * sigma;
          }
          if (live && dw > dwWake) {
            let def = 0;
            if (defKind === defNoj) {
              if (dw > 0 && cw < wr + R) {
                const ratio = R / wr;
                def = a2noj * wsRef * ratio * ratio * lens(wr, R, cw);
              }
            } else {
              const sigma2 = sigma * sigma;
              const near = overlap ? cw - R <= overlapCull * sigma : cw * cw <= cull2 * sigma2;
              const nearImg = mirror && (overlap ? cwImgE[e] - R <= overlapCull * sigma : cwImgE[e] * cwImgE[e] <= cull2 * sigma2);
              if (near || nearImg) {
                // One division per pair: 1/σ (GaussianOverlap's R/σ, cw/σ) or 1/σ² (the centre
                // Gaussian), the rest products; generalLoops.ts computes in the same order.
                const inv = overlap ? 1 / sigma : 0;
                const inv2 = overlap ? inv * inv : 1 / sigma2;
                let centre: number;
                if (defKind === defIea37) {
                  const sd = sigma / D;
                  centre = wsRef * (1 - Math.sqrt(1 - ct / (8 * (sd * sd))));
                } else {
                  const xArg = ctD2over8 * inv2;
                  const a2 = 2 * (mom1d ? momentum(xArg) : madsen(xArg));
                  centre = wsRef * (a2 < 1 ? a2 : 1);
                }
                // eNeg: exp(−t) to ≤ 2 ulp for t ≤ 32 (the cull keeps t ≤ 30)
                if (near) def = centre * (overlap ? overlapF(R * inv, cw * inv, table) : eNeg((0.5 * (cw * cw)) * inv2));
                if (nearImg) {
                  const ci = cwImgE[e];
                  const img = centre * (overlap ? overlapF(R * inv, ci * inv, table) : eNeg((0.5 * (ci * ci)) * inv2));
                  def = linear ? def + img : Math.sqrt(def * def + img * img);
                }
              }
            }
            if (def !== 0) accD[q] += linear ? def : def * def;
          }
          if (turbKind !== turbNone) {
            let added = 0;
            if (turbKind === turbStf2017 || turbKind === turbStf2005) {
              const w = turbAE[e];
              if (w !== 0) {
                let tiAdd = turbKind === turbStf2017 ? stf17(tcA, tcB * turbBE[e] * invSqrtCt) : stf05(tcA, tcB, tcC * turbBE[e] * stf05Sqrt);
                if (Number.isNaN(tiAdd)) tiAdd = 0;
                added = fAdded(w, tiAdd, ti);
              }
            } else if (wr > 0 && cw < wr + R && dw > 0) {
              if (defKind === defTurbo && !live) {
                const u = tAlpha + (tBeta * dw) / D;
                const t1 = Math.sqrt(u * u + 1);
                sigma = tFac * (t1 - tT2 - Math.log(((t1 + 1) * tAlpha) / (tT2p1 * (tAlpha + (tBeta * Math.abs(dw)) / D)))) + epsD;
                wr = 2 * sigma;
              }
              if (turbKind === turbCrespo && crespoPref < 0) {
                if (ct !== crespoMemo.ct) {
                  crespoMemo.pref = prefactor(tcA, tcB, crespoMom1d ? momentum(ct) : madsen(ct), tiPowC);
                  crespoMemo.ct = ct;
                }
                crespoPref = crespoMemo.pref;
              }
              added = (turbKind === turbCrespo ? crespoPref * turbAE[e] : gclPref / turbAE[e]) * lens(wr, R, cw);
            }
            if (added !== 0) {
              const t = accT[q];
              accT[q] = sum === sumLinear ? t + added : sum === sumSquared ? t + added * added : added > t ? added : t;
            }
          }
        }
      }
  }
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
