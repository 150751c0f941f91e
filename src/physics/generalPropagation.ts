/**
 * Propagate-downwind for every wake model of `WakeModel` (modelSpec.ts), with effective TI
 * propagated like the deficits: per flow case (wd, ws) turbines are visited upstream first; when
 * turbine j is reached, every turbine upstream of it has pushed its deficit and its added TI onto
 * j, so WS_eff_j, TI_eff_j and then Ct_j, P_j are final. Then j pushes onto the turbines after it.
 *
 * Per pair (source i → destination j), with the source's WS_eff, TI_eff, Ct known:
 *   deficit   where dw > −1e-10 (PyWake's wake split), superposed squared or linear;
 *   added TI  by the turbulence model (each masks its own upstream side), combined by its sum rule.
 * This is the plain form every model goes through (no pair lists shared across speeds, no cull):
 * it is the reference the faster per-model paths are checked against, and the path for the models
 * and options those paths do not cover. Geometry as physics.md: θ = rad(90° − wd),
 * dw = −cosθ·Δx − sinθ·Δy, hcw = sinθ·Δx − cosθ·Δy, Δ = dst − src; all turbines at one hub height.
 */
import { bastankhahEpsilon } from "./deficit/bastankhahGaussian.js";
import { ct2aMadsen, ct2aMomentum } from "./deficit/induction.js";
import { overlapFraction } from "./deficit/noj.js";
import { turboSigma } from "./deficit/turboGaussian.js";
import type { WakeModel, Ct2aName } from "./modelSpec.js";
import { gaussianOverlapFactor, gaussianOverlapTable } from "./rotorAverage/gaussianOverlap.js";
import { accumulateTi, crespoCentre, effectiveTi, gclCentre, stf2005Added, stf2017Added } from "./turbulence/index.js";
import { turbinePowerCt, type Turbine } from "./turbine.js";

const DW_WAKE = -1e-10;
const DW_SIGMA = 1e-10;
const SQRT8 = Math.sqrt(8);

export function ct2aOf(name: Ct2aName): (ct: number) => number {
  return name === "mom1d" ? ct2aMomentum : ct2aMadsen;
}

/** Per-turbine tensors [n, wd, ws], flat (i·L + l)·K + k. */
export interface GeneralTensors {
  readonly wsEff: Float64Array;
  readonly tiEff: Float64Array;
  readonly power: Float64Array;
  readonly ct: Float64Array;
}

/** Wake width σ of the Gaussian deficits and the wake radius the top-hat turbulence models use. */
interface PairGeometry { sigma: number; wakeRadius: number }

/**
 * Runs every flow case. `ti` is the ambient TI (uniform); wdDeg, ws the flow cases. Returns the
 * tensors; `out` may be given to reuse storage.
 */
export function propagateGeneral(
  wake: WakeModel, turbine: Turbine, ti: number, x: ArrayLike<number>, y: ArrayLike<number>,
  wdDeg: ArrayLike<number>, ws: ArrayLike<number>, out?: GeneralTensors,
): GeneralTensors {
  const n = x.length;
  const L = wdDeg.length;
  const K = ws.length;
  const size = n * L * K;
  const t: GeneralTensors = out ?? { wsEff: new Float64Array(size), tiEff: new Float64Array(size), power: new Float64Array(size), ct: new Float64Array(size) };
  const D = turbine.diameterM;
  const R = D / 2;
  const h = turbine.hubHeightM;
  const d = wake.deficit;
  const linear = wake.superposition === "linear";
  const turb = wake.turbulence;
  const turbCt2a = turb && turb.kind === "CrespoHernandez" ? ct2aOf(turb.ct2a) : ct2aMadsen;
  const order = new Int32Array(n);
  const key = new Float64Array(n);
  const accD = new Float64Array(n);
  const accT = new Float64Array(n);
  const pc = new Float64Array(4);
  const geo: PairGeometry = { sigma: 0, wakeRadius: 0 };

  /** σ and wake radius of source (ct, tiRef) at dw; false for NOJ (no σ). */
  const geometry = (dw: number, ct: number, tiRef: number): void => {
    switch (d.kind) {
      case "IEA37SimpleBastankhahGaussian":
        geo.sigma = (dw > DW_SIGMA ? d.k * dw : 0) + D / SQRT8;
        geo.wakeRadius = 2 * geo.sigma;
        return;
      case "BastankhahGaussian":
        geo.sigma = (dw > DW_SIGMA ? d.k * dw : 0) + bastankhahEpsilon(ct, d.ceps, d.ctlim) * D;
        geo.wakeRadius = 2 * geo.sigma;
        return;
      case "NiayifarGaussian": {
        const k = d.a[0] * tiRef + d.a[1];
        geo.sigma = (dw > DW_SIGMA ? k * dw : 0) + bastankhahEpsilon(ct, d.ceps, d.ctlim) * D;
        geo.wakeRadius = 2 * geo.sigma;
        return;
      }
      case "TurboGaussian":
        geo.sigma = turboSigma(dw, D, ct, tiRef, d.A, d.cTI[0], d.cTI[1], bastankhahEpsilon(ct, d.ceps, d.ctlim) * D);
        geo.wakeRadius = 2 * geo.sigma;
        return;
      case "NOJ":
        geo.sigma = 0;
        geo.wakeRadius = d.k * dw + R;
        return;
    }
  };

  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let i = 0; i < n; i++) { order[i] = i; key[i] = -c * x[i] - s * y[i]; }
    order.sort((a, b) => key[a] - key[b] || a - b);
    for (let k = 0; k < K; k++) {
      const WS = ws[k];
      accD.fill(0);
      accT.fill(0);
      for (let p = 0; p < n; p++) {
        const i = order[p];
        const wsEff = p === 0 ? WS : WS - (linear ? accD[p] : Math.sqrt(accD[p]));
        const tiEff = p === 0 || !turb ? ti : effectiveTi(turb.sum, ti, accT[p]);
        turbinePowerCt(turbine, wsEff, pc);
        const ct = pc[1];
        const at = (i * L + l) * K + k;
        t.wsEff[at] = wsEff;
        t.tiEff[at] = tiEff;
        t.power[at] = pc[0];
        t.ct[at] = ct;
        if (p === n - 1) break;
        const wsRef = "useEffectiveWs" in d && d.useEffectiveWs ? wsEff : WS;
        const tiRef = "useEffectiveTi" in d && d.useEffectiveTi ? tiEff : ti;
        const xi = x[i];
        const yi = y[i];
        const aTurb = turb && turb.kind === "CrespoHernandez" ? turbCt2a(ct) : 0;
        for (let q = p + 1; q < n; q++) {
          const j = order[q];
          const dx = x[j] - xi;
          const dy = y[j] - yi;
          const dw = -c * dx - s * dy;
          const hcw = s * dx - c * dy;
          const cw = Math.abs(hcw);
          geometry(dw, ct, tiRef);
          if (dw > DW_WAKE) {
            const def = pairDeficit(wake, D, h, ct, wsRef, tiRef, dw, hcw, R);
            accD[q] += linear ? def : def * def;
          }
          if (turb) {
            let added = 0;
            switch (turb.kind) {
              case "STF2017": added = stf2017Added(turb, dw, cw, D, ct, ti); break;
              case "STF2005": added = stf2005Added(turb, dw, cw, D, WS, ti); break;
              case "CrespoHernandez":
                if (geo.wakeRadius > 0) added = crespoCentre(turb, dw, D, aTurb, ti) * overlapFraction(geo.wakeRadius, R, cw);
                break;
              case "GCL":
                if (geo.wakeRadius > 0) added = gclCentre(dw, D, ct) * overlapFraction(geo.wakeRadius, R, cw);
                break;
            }
            accT[q] = accumulateTi(turb.sum, accT[q], added);
          }
        }
      }
    }
  }
  return t;
}

/**
 * The deficit (m/s) a source of diameter D, hub height h, Ct `ct` causes at (dw, hcw) on a rotor
 * of radius `rDst` (0: a point), with its reference speed and TI already chosen (free or
 * effective, per the model). Zero where dw ≤ −1e-10. The mirrored ground's image deficit is
 * combined with the real one by the model's superposition, as PyWake's `Mirror`.
 */
export function pairDeficit(
  wake: WakeModel, D: number, h: number, ct: number, wsRef: number, tiRef: number, dw: number, hcw: number, rDst: number,
): number {
  if (!(dw > DW_WAKE)) return 0;
  const d = wake.deficit;
  const R = D / 2;
  const cw = Math.abs(hcw);
  const ct2a = ct2aOf("ct2a" in d ? d.ct2a : "madsen");
  if (d.kind === "NOJ") {
    if (!(dw > 0)) return 0;
    const rw = d.k * dw + R;
    const ratio = R / rw;
    return 2 * ct2a(ct) * wsRef * ratio * ratio * overlapFraction(rw, rDst, cw);
  }
  let sigma: number;
  switch (d.kind) {
    case "IEA37SimpleBastankhahGaussian": sigma = (dw > DW_SIGMA ? d.k * dw : 0) + D / SQRT8; break;
    case "BastankhahGaussian": sigma = (dw > DW_SIGMA ? d.k * dw : 0) + bastankhahEpsilon(ct, d.ceps, d.ctlim) * D; break;
    case "NiayifarGaussian": sigma = (dw > DW_SIGMA ? (d.a[0] * tiRef + d.a[1]) * dw : 0) + bastankhahEpsilon(ct, d.ceps, d.ctlim) * D; break;
    case "TurboGaussian": sigma = turboSigma(dw, D, ct, tiRef, d.A, d.cTI[0], d.cTI[1], bastankhahEpsilon(ct, d.ceps, d.ctlim) * D); break;
  }
  const sigma2 = sigma * sigma;
  let centre: number;
  if (d.kind === "IEA37SimpleBastankhahGaussian") {
    const sd = sigma / D;
    centre = wsRef * (1 - Math.sqrt(1 - ct / (8 * (sd * sd))));
  } else {
    const a2 = 2 * ct2a((ct * D * D) / (8 * sigma2));
    centre = wsRef * (a2 < 1 ? a2 : 1);
  }
  const overlap = wake.rotorAverage === "GaussianOverlap";
  const table = overlap ? gaussianOverlapTable() : undefined;
  const factor = (cwAt: number): number => (overlap ? gaussianOverlapFactor(rDst / sigma, cwAt / sigma, table) : Math.exp((-1 / (2 * sigma2)) * (cwAt * cwAt)));
  let def = centre * factor(cw);
  if (d.kind === "TurboGaussian" && d.ground === "Mirror") {
    const img = centre * factor(Math.sqrt(4 * h * h + hcw * hcw));
    def = wake.superposition === "linear" ? def + img : Math.sqrt(def * def + img * img);
  }
  return def;
}
