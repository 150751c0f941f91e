/**
 * The AEP gradient of every `WakeModel` (modelSpec.ts) by reverse-mode differentiation through
 * the propagate-downwind of generalPropagation.ts: the same flow cases, the same visiting order,
 * the same per-pair formulas, each with its partial derivatives written out.
 *
 * Per flow case (wd, ws), forward: positions p upstream first; WS_eff_p, TI_eff_p, Ct_p, P_p;
 * each pair (p → q > p) adds its deficit d_pq (superposed squared or linear) and its added TI
 * t_pq (by the turbulence model's sum rule). Backward, positions in reverse: when p is reached
 * every q > p already holds ∂AEP/∂WS_eff_q and ∂AEP/∂TI_eff_q, so each pair passes
 *   ḡ(d_pq) = ∂AEP/∂acc_q · ∂acc_q/∂d_pq,  ḡ(t_pq) likewise (SqrMaxSum/MaxSum: only the argmax)
 * to its source's Ct, reference speed (use_effective_ws) and reference TI (use_effective_ti:
 * Niayifar's k = a0·TI_eff + a1 — the effective TI of upstream turbines moves downstream wakes),
 * and to both positions through dw and hcw. Then
 *   ∂AEP/∂WS_eff_p = w·P′(WS_eff_p) + Ct′(WS_eff_p)·ḡ(Ct_p) + [effective ws] ḡ(WS_ref_p).
 *
 * Where the model is not differentiable the slope is one-sided, as the forward arithmetic
 * chooses: the top hats' edges (NOJ, Crespo–Hernández, GCL), Frandsen's cone edge (STF weight
 * jumps from e^-1 to 0), the Ct table's rows, SqrMaxSum's ties, and the GaussianOverlap table's
 * grid lines (PyWake queries it bilinearly on a 0.01 grid, so F has a kink every 0.01·σ).
 */
import { bastankhahEpsilon, dBastankhahEpsilon } from "./deficit/bastankhahGaussian.js";
import { ct2aMadsen, ct2aMomentum, dCt2aMadsen } from "./deficit/induction.js";
import { overlapFraction } from "./deficit/noj.js";
import { turboSigma } from "./deficit/turboGaussian.js";
import type { Ct2aName, WakeModel } from "./modelSpec.js";
import { gaussianOverlapFactor, gaussianOverlapTable } from "./rotorAverage/gaussianOverlap.js";
import { accumulateTi, crespoCentre, effectiveTi, gclCentre, stf2005Added, stf2017Added } from "./turbulence/index.js";
import { turbinePowerCt, type Turbine } from "./turbine.js";

const DW_WAKE = -1e-10;
const DW_SIGMA = 1e-10;
const SQRT8 = Math.sqrt(8);
const GWH_PER_W_YEAR = 8760 * 1e-9;
const RAD2DEG = 180 / Math.PI;
/** arccos clip of noj.ts's `arccosLim` (PyWake's ±(1 − 2ε)). */
const ACOS_LIM = 1 - 2 * Number.EPSILON;
const EPS2 = 2 * Number.EPSILON;

// The bilinear grid of rotorAverage/gaussianOverlap.ts (R/σ 0..20, cw/σ 0..10, step 0.01).
const GO_STEP = 0.01;
const GO_PER_UNIT = 100; // 1 / GO_STEP, as gaussianOverlapFactor indexes
const GO_NR = 2001;
const GO_NC = 1001;

/** Induction a(ct) and its slope, by name. */
function ct2a(name: Ct2aName, ct: number): number {
  return name === "mom1d" ? ct2aMomentum(ct) : ct2aMadsen(ct);
}
function dCt2a(name: Ct2aName, ct: number): number {
  if (name === "madsen") return dCt2aMadsen(ct);
  return ct < 1 ? 0.25 / Math.sqrt(1 - ct) : 0;
}

/**
 * F(R/σ, cw/σ) of the GaussianOverlap table and its slopes ∂F/∂(R/σ), ∂F/∂(cw/σ) into out[0..2]:
 * the bilinear cell's slopes (0 along a clamped axis), the cell being the one the forward
 * lookup uses (right-hand slope on a grid line).
 */
export function gaussianOverlapSlopes(u: number, v: number, table: Float64Array, out: Float64Array): void {
  // the cell gaussianOverlapFactor picks (it multiplies by the points per unit)
  let xi = u * GO_PER_UNIT;
  let yi = v * GO_PER_UNIT;
  let cx = 1;
  let cy = 1;
  if (!(xi > 0)) { xi = 0; cx = u > 0 ? 1 : 0; } else if (xi > GO_NR - 1) { xi = GO_NR - 1; cx = 0; }
  if (!(yi > 0)) { yi = 0; cy = v > 0 ? 1 : 0; } else if (yi > GO_NC - 1) { yi = GO_NC - 1; cy = 0; }
  // At exactly 0 the forward clamp keeps the cell [0, 1]; its right-hand slope is the one a
  // step towards the inside sees, so keep it (cx, cy = 1 there) unless the argument is below 0.
  if (u === 0) cx = 1;
  if (v === 0) cy = 1;
  const i0 = Math.floor(xi);
  const j0 = Math.floor(yi);
  const fx = xi - i0;
  const fy = yi - j0;
  const i1 = i0 + 1 < GO_NR ? i0 + 1 : GO_NR - 1;
  const j1 = j0 + 1 < GO_NC ? j0 + 1 : GO_NC - 1;
  const a = i0 * GO_NC;
  const b = i1 * GO_NC;
  const f00 = table[a + j0], f01 = table[a + j1], f10 = table[b + j0], f11 = table[b + j1];
  out[0] = (1 - fx) * (1 - fy) * f00 + (1 - fx) * fy * f01 + fx * (1 - fy) * f10 + fx * fy * f11;
  out[1] = cx * (((1 - fy) * (f10 - f00) + fy * (f11 - f01)) / GO_STEP);
  out[2] = cy * (((1 - fx) * (f01 - f00) + fx * (f11 - f10)) / GO_STEP);
}

function acosSlope(v: number): number {
  // d acos(v)/dv, 0 where the forward clip holds the angle fixed
  if (v <= -ACOS_LIM || v >= ACOS_LIM) return 0;
  return -1 / Math.sqrt(1 - v * v);
}

/**
 * Slopes of noj.ts's `overlapFraction(r1, r2, dist)` w.r.t. r1 and dist into out[0], out[1],
 * differentiating PyWake's expression term by term (also where the wake is the smaller circle,
 * which Gaussian top hats 2σ < R reach just behind a lightly loaded rotor).
 */
export function overlapFractionSlopesAll(r1: number, r2: number, dist: number, out: Float64Array): void {
  out[0] = 0;
  out[1] = 0;
  if (r2 === 0) return;
  const big = r1 >= r2;
  const rMax = big ? r1 : r2;
  const rMin = big ? r2 : r1;
  if (dist <= rMax - rMin || !(dist < rMin + rMax)) return;
  const den1 = 2 * Math.max(rMax * dist, EPS2);
  const den2 = 2 * Math.max(rMin * dist, EPS2);
  const v1 = (rMax * rMax + dist * dist - rMin * rMin) / den1;
  const v2 = (rMin * rMin + dist * dist - rMax * rMax) / den2;
  const alpha = Math.acos(v1 < -ACOS_LIM ? -ACOS_LIM : v1 > ACOS_LIM ? ACOS_LIM : v1);
  const beta = Math.acos(v2 < -ACOS_LIM ? -ACOS_LIM : v2 > ACOS_LIM ? ACOS_LIM : v2);
  const s1 = acosSlope(v1);
  const s2 = acosSlope(v2);
  // ∂v/∂(rMax, rMin, dist)
  const v1Max = (rMax * rMax - dist * dist + rMin * rMin) / (2 * rMax * rMax * dist);
  const v1Min = -rMin / (rMax * dist);
  const v1D = (dist * dist - rMax * rMax + rMin * rMin) / (2 * rMax * dist * dist);
  const v2Min = (rMin * rMin - dist * dist + rMax * rMax) / (2 * rMin * rMin * dist);
  const v2Max = -rMax / (rMin * dist);
  const v2D = (dist * dist - rMin * rMin + rMax * rMax) / (2 * rMin * dist * dist);
  const aMax = s1 * v1Max, aMin = s1 * v1Min, aD = s1 * v1D;
  const bMax = s2 * v2Max, bMin = s2 * v2Min, bD = s2 * v2D;
  // A = α·rMax² + β·rMin² − sin(α)·r1·dist
  const cosA = Math.cos(alpha);
  const sinA = Math.sin(alpha);
  const AMax = aMax * rMax * rMax + 2 * alpha * rMax + bMax * rMin * rMin - cosA * aMax * r1 * dist;
  const AMin = aMin * rMax * rMax + bMin * rMin * rMin + 2 * beta * rMin - cosA * aMin * r1 * dist;
  const AD = aD * rMax * rMax + bD * rMin * rMin - cosA * aD * r1 * dist - sinA * r1;
  const area = r2 * r2 * Math.PI;
  out[0] = ((big ? AMax : AMin) - sinA * dist) / area;
  out[1] = AD / area;
}

/** Per-pair partial derivatives, filled by `pairDeficit` / `pairAdded`. */
interface Partials { v: number; dw: number; hcw: number; ct: number; wsRef: number; tiRef: number }

/**
 * Reverse-mode AEP gradient (GWh/m into dAepDx, dAepDy) of `wake` for the layout (x, y), the flow
 * cases wdDeg × ws with probabilities pLK[l·K + k], ambient TI `ti`; returns the AEP (GWh).
 */
export function generalAepGradient(
  wake: WakeModel, turbine: Turbine, ti: number, x: ArrayLike<number>, y: ArrayLike<number>,
  wdDeg: ArrayLike<number>, ws: ArrayLike<number>, pLK: ArrayLike<number>,
  dAepDx: Float64Array, dAepDy: Float64Array,
): number {
  const n = x.length;
  const L = wdDeg.length;
  const K = ws.length;
  const D = turbine.diameterM;
  const R = D / 2;
  const h = turbine.hubHeightM;
  const d = wake.deficit;
  const linear = wake.superposition === "linear";
  const turb = wake.turbulence;
  const overlap = wake.rotorAverage === "GaussianOverlap";
  const table = overlap ? gaussianOverlapTable() : new Float64Array(0);
  const defCt2a: Ct2aName = "ct2a" in d ? d.ct2a : "madsen";
  const turbCt2a: Ct2aName = turb && turb.kind === "CrespoHernandez" ? turb.ct2a : "madsen";
  const mirror = d.kind === "TurboGaussian" && d.ground === "Mirror";
  const useWsEff = "useEffectiveWs" in d && d.useEffectiveWs;
  const useTiEff = "useEffectiveTi" in d && d.useEffectiveTi;
  const maxRule = turb !== undefined && (turb.sum === "max" || turb.sum === "sqrmax");

  const order = new Int32Array(n);
  const key = new Float64Array(n);
  const accD = new Float64Array(n);
  const accT = new Float64Array(n);
  const argMaxT = new Int32Array(n);
  const wsEffP = new Float64Array(n);
  const tiEffP = new Float64Array(n);
  const ctP = new Float64Array(n);
  const dPowerP = new Float64Array(n);
  const dCtP = new Float64Array(n);
  const gAccD = new Float64Array(n);
  const gAccT = new Float64Array(n);
  const pc = new Float64Array(4);
  const sl = new Float64Array(3);
  const ov = new Float64Array(2);
  const pd: Partials = { v: 0, dw: 0, hcw: 0, ct: 0, wsRef: 0, tiRef: 0 };
  const pt: Partials = { v: 0, dw: 0, hcw: 0, ct: 0, wsRef: 0, tiRef: 0 };
  // σ and its slopes (σ_dw, σ_ct, σ_ti) of the current pair; for NOJ the top-hat radius.
  let sigma = 0, sDw = 0, sCt = 0, sTi = 0;

  const sigmaOf = (dw: number, ct: number, tiRef: number): void => {
    const far = dw > DW_SIGMA;
    switch (d.kind) {
      case "IEA37SimpleBastankhahGaussian":
        sigma = (far ? d.k * dw : 0) + D / SQRT8; sDw = far ? d.k : 0; sCt = 0; sTi = 0;
        return;
      case "BastankhahGaussian":
        sigma = (far ? d.k * dw : 0) + bastankhahEpsilon(ct, d.ceps, d.ctlim) * D;
        sDw = far ? d.k : 0; sCt = dBastankhahEpsilon(ct, d.ceps, d.ctlim) * D; sTi = 0;
        return;
      case "NiayifarGaussian": {
        const k = d.a[0] * tiRef + d.a[1];
        sigma = (far ? k * dw : 0) + bastankhahEpsilon(ct, d.ceps, d.ctlim) * D;
        sDw = far ? k : 0; sCt = dBastankhahEpsilon(ct, d.ceps, d.ctlim) * D; sTi = far ? d.a[0] * dw : 0;
        return;
      }
      case "TurboGaussian": {
        sigma = turboSigma(dw, D, ct, tiRef, d.A, d.cTI[0], d.cTI[1], bastankhahEpsilon(ct, d.ceps, d.ctlim) * D);
        // σ − εD = fac·(G(u) − G(α)), G(u) = √(u² + 1) − ln(√(u² + 1) + 1) + ln u, u = α + β·dw/D
        // (dw ≥ 0 in a wake), α = c0·TI, β = c1·TI/√Ct, fac = A·D·√Ct/c1; G′(u) = u/(√(u² + 1) + 1) + 1/u.
        const C = ct > 1e-20 ? ct : 1e-20;
        const alpha = d.cTI[0] * tiRef;
        const beta = (d.cTI[1] * tiRef) / Math.sqrt(C);
        const fac = (d.A * tiRef * D) / beta;
        const xr = dw / D;
        const u = alpha + beta * xr;
        const t1 = Math.sqrt(u * u + 1);
        const t2 = Math.sqrt(alpha * alpha + 1);
        const G = (t1 - Math.log(t1 + 1) + Math.log(u)) - (t2 - Math.log(t2 + 1) + Math.log(alpha));
        const gu = u / (t1 + 1) + 1 / u;
        const ga = alpha / (t2 + 1) + 1 / alpha;
        sDw = (fac * gu * beta) / D;
        sCt = (ct > 1e-20 ? (fac / (2 * C)) * G - fac * gu * ((beta * xr) / (2 * C)) : 0) + dBastankhahEpsilon(ct, d.ceps, d.ctlim) * D;
        sTi = fac * (gu * (u / tiRef) - ga * d.cTI[0]);
        return;
      }
      case "NOJ":
        sigma = d.k * dw + R; sDw = d.k; sCt = 0; sTi = 0;
        return;
    }
  };

  /** Gaussian factor at crosswind offset c (≥ 0) for the current σ: value, ∂/∂c, ∂/∂σ into sl. */
  const factor = (c: number): void => {
    if (overlap) {
      gaussianOverlapSlopes(R / sigma, c / sigma, table, sl);
      const f = gaussianOverlapFactor(R / sigma, c / sigma, table);
      const fu = sl[1], fv = sl[2];
      sl[0] = f;
      sl[1] = fv / sigma;
      sl[2] = -((R / sigma) * fu + (c / sigma) * fv) / sigma;
    } else {
      const s2 = sigma * sigma;
      const f = Math.exp((-1 / (2 * s2)) * (c * c));
      sl[0] = f;
      sl[1] = (-f * c) / s2;
      sl[2] = (f * c * c) / (s2 * sigma);
    }
  };

  /** The pair's deficit and its partials into pd (after sigmaOf); 0 outside the wake. */
  const pairDeficit = (dw: number, hcw: number, ct: number, wsRef: number): void => {
    pd.v = 0; pd.dw = 0; pd.hcw = 0; pd.ct = 0; pd.wsRef = 0; pd.tiRef = 0;
    if (!(dw > DW_WAKE)) return;
    const cw = Math.abs(hcw);
    const sgn = hcw < 0 ? -1 : 1;
    if (d.kind === "NOJ") {
      if (!(dw > 0)) return;
      const rw = sigma;
      const ratio = R / rw;
      const a2 = 2 * ct2a(defCt2a, ct);
      const of = overlapFraction(rw, R, cw);
      overlapFractionSlopesAll(rw, R, cw, ov);
      const base = a2 * ratio * ratio;
      pd.v = base * wsRef * of;
      pd.wsRef = base * of;
      pd.ct = 2 * dCt2a(defCt2a, ct) * ratio * ratio * wsRef * of;
      pd.dw = wsRef * a2 * ((-2 * ratio * ratio) / rw * of + ratio * ratio * ov[0]) * sDw;
      pd.hcw = wsRef * base * ov[1] * sgn;
      return;
    }
    // centre = WS_ref·c(X), X = Ct·D²/(8σ²); IEA 37: c = 1 − √(1 − X), else min(1, 2a(X))
    const s2 = sigma * sigma;
    const X = (ct * D * D) / (8 * s2);
    let cX: number, dcX: number;
    if (d.kind === "IEA37SimpleBastankhahGaussian") {
      const sdD = sigma / D;
      const r = Math.sqrt(1 - ct / (8 * (sdD * sdD)));
      cX = 1 - r;
      dcX = 0.5 / r;
    } else {
      const a2 = 2 * ct2a(defCt2a, X);
      cX = a2 < 1 ? a2 : 1;
      dcX = a2 < 1 ? 2 * dCt2a(defCt2a, X) : 0;
    }
    const centre = wsRef * cX;
    const cCt = wsRef * dcX * ((D * D) / (8 * s2)); // ∂centre/∂Ct at fixed σ
    const cSig = wsRef * dcX * ((-2 * X) / sigma); // ∂centre/∂σ
    factor(cw);
    let m = sl[0], mH = sl[1] * sgn, mS = sl[2];
    if (mirror) {
      const cwImg = Math.sqrt(4 * h * h + hcw * hcw);
      const f1 = m, f1H = mH, f1S = mS;
      factor(cwImg);
      const f2 = sl[0], f2H = sl[1] * (hcw / cwImg), f2S = sl[2];
      if (linear) { m = f1 + f2; mH = f1H + f2H; mS = f1S + f2S; }
      else {
        m = Math.sqrt(f1 * f1 + f2 * f2);
        mH = m > 0 ? (f1 * f1H + f2 * f2H) / m : 0;
        mS = m > 0 ? (f1 * f1S + f2 * f2S) / m : 0;
      }
    }
    pd.v = centre * m;
    const dSig = cSig * m + centre * mS;
    pd.dw = dSig * sDw;
    pd.hcw = centre * mH;
    pd.ct = cCt * m + dSig * sCt;
    pd.wsRef = cX * m;
    pd.tiRef = dSig * sTi;
  };

  /** The pair's deficit alone (the forward pass): pairDeficit's value without its slopes. */
  const deficitValue = (dw: number, hcw: number, ct: number, wsRef: number): number => {
    const cw = Math.abs(hcw);
    if (d.kind === "NOJ") {
      if (!(dw > 0)) return 0;
      const ratio = R / sigma;
      return 2 * ct2a(defCt2a, ct) * ratio * ratio * wsRef * overlapFraction(sigma, R, cw);
    }
    const s2 = sigma * sigma;
    let cX: number;
    if (d.kind === "IEA37SimpleBastankhahGaussian") {
      const sdD = sigma / D;
      cX = 1 - Math.sqrt(1 - ct / (8 * (sdD * sdD)));
    } else {
      const a2 = 2 * ct2a(defCt2a, (ct * D * D) / (8 * s2));
      cX = a2 < 1 ? a2 : 1;
    }
    const centre = wsRef * cX;
    const f1 = overlap ? gaussianOverlapFactor(R / sigma, cw / sigma, table) : Math.exp((-1 / (2 * s2)) * (cw * cw));
    if (!mirror) return centre * f1;
    const cwImg = Math.sqrt(4 * h * h + hcw * hcw);
    const f2 = overlap ? gaussianOverlapFactor(R / sigma, cwImg / sigma, table) : Math.exp((-1 / (2 * s2)) * (cwImg * cwImg));
    return linear ? centre * (f1 + f2) : centre * Math.sqrt(f1 * f1 + f2 * f2);
  };

  /** The pair's added TI and its partials into pt (after sigmaOf: the top hats use 2σ). */
  const pairAdded = (dw: number, hcw: number, ct: number, WS: number): void => {
    pt.v = 0; pt.dw = 0; pt.hcw = 0; pt.ct = 0; pt.wsRef = 0; pt.tiRef = 0;
    if (!turb) return;
    const cw = Math.abs(hcw);
    const sgn = hcw < 0 ? -1 : 1;
    switch (turb.kind) {
      case "STF2017":
      case "STF2005": {
        const v = turb.kind === "STF2017" ? stf2017Added(turb, dw, cw, D, ct, ti) : stf2005Added(turb, dw, cw, D, WS, ti);
        if (v === 0) return;
        pt.v = v;
        // v = w(θ/θ_w)·(√(I² + TI²) − TI), I the centre-wake added TI
        const hyp2 = dw * dw + cw * cw;
        const hyp = Math.sqrt(hyp2);
        let I: number, IDw: number, ICw: number, ICt: number;
        if (turb.kind === "STF2017") {
          const dist = hyp / D;
          const sq = Math.sqrt(ct);
          I = 1 / (turb.c[0] + (turb.c[1] * dist) / sq);
          const IDist = -I * I * (turb.c[1] / sq);
          IDw = IDist * (dw / (D * hyp));
          ICw = IDist * (cw / (D * hyp));
          ICt = I * I * turb.c[1] * dist * 0.5 / (ct * sq);
        } else {
          const sw = Math.sqrt(WS);
          I = turb.c[0] / (turb.c[1] + turb.c[2] * (dw / D) * sw);
          IDw = -(I * I / turb.c[0]) * turb.c[2] * sw / D;
          ICw = 0;
          ICt = 0;
        }
        const hI = Math.hypot(I, ti);
        const Q = hI - ti;
        const QI = I / hI;
        const thetaW = (RAD2DEG * Math.atan(D / dw) + 10) / 2;
        const theta = RAD2DEG * Math.atan(cw / dw);
        const r = theta / thetaW;
        const w = Math.exp(-(r * r));
        const thDw = (-RAD2DEG * cw) / hyp2;
        const thCw = (RAD2DEG * dw) / hyp2;
        const twDw = 0.5 * RAD2DEG * (-D / (dw * dw + D * D));
        const rDw = (thDw * thetaW - theta * twDw) / (thetaW * thetaW);
        const rCw = thCw / thetaW;
        const wR = -2 * r * w;
        pt.dw = wR * rDw * Q + w * QI * IDw;
        pt.hcw = (wR * rCw * Q + w * QI * ICw) * sgn;
        pt.ct = w * QI * ICt;
        return;
      }
      case "CrespoHernandez":
      case "GCL": {
        const rw = d.kind === "NOJ" ? sigma : 2 * sigma;
        const rwDw = d.kind === "NOJ" ? sDw : 2 * sDw;
        const rwCt = d.kind === "NOJ" ? 0 : 2 * sCt;
        const rwTi = d.kind === "NOJ" ? 0 : 2 * sTi;
        if (!(rw > 0)) return;
        let c: number, cDw: number, cCt: number;
        if (turb.kind === "CrespoHernandez") {
          const a = ct2a(turbCt2a, ct);
          c = crespoCentre(turb, dw, D, a, ti);
          if (c === 0) return;
          cDw = dw > 1e-10 ? (c * turb.c[3]) / dw : 0;
          cCt = a > 1e-10 ? ((c * turb.c[1]) / a) * dCt2a(turbCt2a, ct) : 0;
        } else {
          c = gclCentre(dw, D, ct);
          if (c === 0) return;
          cDw = dw > 1e-10 ? -c / (3 * dw) : 0;
          const s = Math.sqrt(1 - ct);
          const g = Math.sqrt(1 - s);
          cCt = g > 0 && s > 0 ? (c / g) * (1 / (4 * g * s)) : 0;
        }
        const of = overlapFraction(rw, R, cw);
        if (of === 0) return;
        overlapFractionSlopesAll(rw, R, cw, ov);
        pt.v = c * of;
        pt.dw = cDw * of + c * ov[0] * rwDw;
        pt.hcw = c * ov[1] * sgn;
        pt.ct = cCt * of + c * ov[0] * rwCt;
        pt.tiRef = c * ov[0] * rwTi;
        return;
      }
    }
  };

  // Culls, as the general kernel's (the dropped deficit is < e^-30·WS; a culled pair is skipped
  // in the backward pass too, its slopes being as small): centre Gaussian where cw² > 60σ² (the
  // mirror image lies farther out); GaussianOverlap where cw − R > 8σ while R < 2.5σ (beyond
  // cw/σ = 10 PyWake clamps the table, and F(R/σ ≤ 2.5, 10) < e^-28). Turbulence: STF outside
  // Frandsen's cone (weight 0, speed-independent), the top hats beyond wake radius + R.
  const isNoj = d.kind === "NOJ";
  const cullTurb = !turb || turb.kind === "CrespoHernandez" || turb.kind === "GCL";
  const stf = turb !== undefined && (turb.kind === "STF2017" || turb.kind === "STF2005");
  // Per direction: the pairs (position p → q > p) that can matter, grouped by p.
  const maxPairs = (n * (n - 1)) / 2;
  const pairStart = new Int32Array(n + 1);
  const dstE = new Int32Array(maxPairs);
  const dwE = new Float64Array(maxPairs);
  const hcwE = new Float64Array(maxPairs);
  const activeE = new Uint8Array(maxPairs);
  const coneE = new Uint8Array(stf ? maxPairs : 0);

  dAepDx.fill(0, 0, n);
  dAepDy.fill(0, 0, n);
  // per turbine over its flow cases, then over turbines (physics.md "Summing"), as the engine
  const aepI = new Float64Array(n);
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    for (let i = 0; i < n; i++) { order[i] = i; key[i] = -c * x[i] - s * y[i]; }
    order.sort((a, b) => key[a] - key[b] || a - b);
    // Pairs downstream enough for a deficit (dw > −1e-10) or an added TI (every model needs
    // dw > 0, STF also inside its cone); upstream pairs contribute nothing.
    let e = 0;
    for (let p = 0; p < n; p++) {
      pairStart[p] = e;
      const i = order[p];
      for (let q = p + 1; q < n; q++) {
        const j = order[q];
        const dx = x[j] - x[i];
        const dy = y[j] - y[i];
        const dw = -c * dx - s * dy;
        if (!(dw > DW_WAKE)) continue;
        const hcw = s * dx - c * dy;
        if (stf) {
          // Frandsen's cone depends on geometry only: θ < θ_w as stf.ts evaluates it
          const cw = hcw < 0 ? -hcw : hcw;
          coneE[e] = dw > 1e-10 && RAD2DEG * Math.atan(cw / dw) < (RAD2DEG * Math.atan(1 / (dw / D)) + 10) / 2 ? 1 : 0;
        }
        dstE[e] = q; dwE[e] = dw; hcwE[e] = hcw; e++;
      }
    }
    pairStart[n] = e;
    for (let k = 0; k < K; k++) {
      const WS = ws[k];
      const w = pLK[l * K + k] * GWH_PER_W_YEAR;
      accD.fill(0);
      accT.fill(0);
      argMaxT.fill(-1);
      // forward, as propagateGeneral
      for (let p = 0; p < n; p++) {
        const i = order[p];
        const wsEff = p === 0 ? WS : WS - (linear ? accD[p] : Math.sqrt(accD[p]));
        const tiEff = p === 0 || !turb ? ti : effectiveTi(turb.sum, ti, accT[p]);
        turbinePowerCt(turbine, wsEff, pc);
        wsEffP[p] = wsEff; tiEffP[p] = tiEff; ctP[p] = pc[1]; dPowerP[p] = pc[2]; dCtP[p] = pc[3];
        aepI[i] += pc[0] * w;
        const ct = pc[1];
        const wsRef = useWsEff ? wsEff : WS;
        const tiRef = useTiEff ? tiEff : ti;
        for (let ee = pairStart[p]; ee < pairStart[p + 1]; ee++) {
          const q = dstE[ee];
          const dw = dwE[ee];
          const hcw = hcwE[ee];
          const cw = hcw < 0 ? -hcw : hcw;
          sigmaOf(dw, ct, tiRef);
          let active = 0;
          const culled = isNoj ? false : overlap ? cw - R > 8 * sigma && R < 2.5 * sigma : cw * cw > 60 * sigma * sigma;
          if (!culled) {
            const v = deficitValue(dw, hcw, ct, wsRef);
            if (v !== 0 || isNoj) active = 1;
            accD[q] += linear ? v : v * v;
          }
          if (turb && dw > 0) {
            const rw = isNoj ? sigma : 2 * sigma;
            if (stf ? coneE[ee] === 1 : !(cw >= rw + R)) {
              pairAdded(dw, hcw, ct, WS);
              if (pt.v !== 0) active = 1;
              const before = accT[q];
              accT[q] = accumulateTi(turb.sum, before, pt.v);
              if (maxRule && pt.v > before) argMaxT[q] = p;
            }
          }
          activeE[ee] = active;
        }
      }
      if (w === 0) continue;
      // backward
      for (let p = n - 1; p >= 0; p--) {
        const i = order[p];
        const ct = ctP[p];
        const wsRef = useWsEff ? wsEffP[p] : WS;
        const tiRef = useTiEff ? tiEffP[p] : ti;
        let gCt = 0, gWsRef = 0, gTiRef = 0;
        for (let ee = pairStart[p]; ee < pairStart[p + 1]; ee++) {
          if (!activeE[ee]) continue;
          const q = dstE[ee];
          const gd = gAccD[q];
          const gt = gAccT[q];
          if (gd === 0 && gt === 0) continue;
          const j = order[q];
          const dw = dwE[ee];
          const hcw = hcwE[ee];
          sigmaOf(dw, ct, tiRef);
          let gDw = 0, gHcw = 0;
          if (gd !== 0) {
            pairDeficit(dw, hcw, ct, wsRef);
            const gDef = gd * (linear ? 1 : 2 * pd.v);
            gDw += gDef * pd.dw; gHcw += gDef * pd.hcw;
            gCt += gDef * pd.ct; gWsRef += gDef * pd.wsRef; gTiRef += gDef * pd.tiRef;
          }
          if (gt !== 0 && dw > 0) {
            pairAdded(dw, hcw, ct, WS);
            const turbSum = turb!.sum;
            const gAdd = turbSum === "linear" ? gt : turbSum === "squared" ? gt * 2 * pt.v : argMaxT[q] === p ? gt : 0;
            gDw += gAdd * pt.dw; gHcw += gAdd * pt.hcw;
            gCt += gAdd * pt.ct; gTiRef += gAdd * pt.tiRef;
          }
          // dw = −cΔx − sΔy, hcw = sΔx − cΔy, Δ = dst − src
          const gx = -c * gDw + s * gHcw;
          const gy = -s * gDw - c * gHcw;
          dAepDx[j] += gx; dAepDy[j] += gy;
          dAepDx[i] -= gx; dAepDy[i] -= gy;
        }
        const gWs = w * dPowerP[p] + dCtP[p] * gCt + (useWsEff ? gWsRef : 0);
        const gTi = useTiEff ? gTiRef : 0;
        const a = accD[p];
        gAccD[p] = p === 0 ? 0 : linear ? -gWs : a > 0 ? -gWs / (2 * Math.sqrt(a)) : 0;
        let gT = 0;
        if (turb && p > 0 && gTi !== 0) {
          const at = accT[p];
          switch (turb.sum) {
            case "linear": case "max": gT = gTi; break;
            case "squared": gT = at > 0 ? gTi / (2 * Math.sqrt(at)) : 0; break;
            case "sqrmax": gT = gTi * (at / Math.sqrt(ti * ti + at * at)); break;
          }
        }
        gAccT[p] = gT;
      }
    }
  }
  let aep = 0;
  for (let i = 0; i < n; i++) aep += aepI[i];
  return aep;
}
