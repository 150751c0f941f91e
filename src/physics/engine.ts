/**
 * The propagate-downwind engine (PyWake's `PropagateDownwind`): for each flow case (wd, ws)
 * turbines are visited upstream first; a turbine's effective speed is the free stream minus
 * the superposed deficits of the turbines already visited, and its Ct and power follow from
 * its curves at that speed. AEP, its analytic gradient and the smart-start value map are
 * computed here, in flat Float64Arrays, without allocating inside the loops.
 *
 * Index names (PyWake's): i source turbine, j destination turbine, l direction, k speed;
 * p, q positions in a direction's upstream-first order (order[p] is a turbine id).
 * Flat arrays carry their index order in the suffix, last index fastest:
 *   pLK[l·K + k]                    probability of flow case (l, k)
 *   wsEffILK[(i·L + l)·K + k]       tensors at the surface, shape [n, wd, ws]
 * Per direction (rebuilt for each l, shared by all its speeds), the in-wake pairs are
 * grouped by source position p: pairs e in [pairStartP[p], pairStartP[p+1]) have destination
 * position pairDstE[e] > p and Ct-free geometry pairAE[e], pairBE[e], pairHcwE[e]:
 *   Gaussian (Bastankhah, Niayifar): A = k·dw⁺ (σ = A + ε(Ct)·D), B = cw²
 *   IEA37 simple Gaussian:           A = exp(−cw²/(2σ²)), B = D²/(8σ²)  (σ is Ct-free)
 *   NOJ:                             A = (R/R_w)²·overlap
 * Per flow case, per position q: accQ (Σd² or Σd), wsEffQ, ctQ, slopes; per pair: dE.
 * The multi-speed AEP paths of Bastankhah/Niayifar and NOJ run speed-minor instead: per
 * position all K speeds, then per pair all K speeds (accQK[q·K + k]), the same arithmetic in
 * the same order. A single speed (IEA 37) skips the pair lists (fused*). The gradient keeps
 * dw, hcw per pair and, per flow case, dE and auxE for its backward pass (backward*).
 * Gaussian factors come from expNeg (≤ 2 ulp from Math.exp) after the cull (GAUSS_CULL).
 *
 * Geometry (physics.md): θ = rad(90° − wd), Δ = dst − src, dw = −cosθ·Δx − sinθ·Δy,
 * hcw = sinθ·Δx − cosθ·Δy. A visited source wakes a destination when dw > −1e-10; in σ the
 * k·dw term counts only where dw > 1e-10 (dw⁺); NOJ needs dw > 0.
 */
import { InputError } from "../errors.js";
import * as bastankhah from "./deficit/bastankhahGaussian.js";
import * as iea37 from "./deficit/iea37SimpleBastankhahGaussian.js";
import * as induction from "./deficit/induction.js";
import type { DeficitModel } from "./deficit/index.js";
import { niayifarK } from "./deficit/niayifarGaussian.js";
import * as nojModel from "./deficit/noj.js";
import * as expNegModule from "./expNeg.js";
import { flowCaseProbabilities, type Site } from "./site.js";
import type { SuperpositionModel } from "./superposition.js";
import * as turbines from "./turbine.js";
import type { Turbine } from "./turbine.js";

// Module-local copies of what the hot loops call. When the sources run through a CommonJS
// transform (tsx runs tests and benches so), each use of an imported binding is a getter call on
// the exporting module — 12 % of aepGradient's time in a profile of the layout optimizer; a local
// const is read once, and the JIT inlines the function behind it.
const { bastankhahCentre, bastankhahEpsilon, dBastankhahEpsilon } = bastankhah;
const iea37Centre = iea37.iea37Centre;
const IEA37_EPSILON = iea37.IEA37_EPSILON;
const ct2aMadsen = induction.ct2aMadsen;
const overlapFraction = nojModel.overlapFraction;
const expNeg = expNegModule.expNeg;
const turbinePowerCt = turbines.turbinePowerCt;

/** Site + turbine + wake models: everything AEP needs except the layout. A plain object. */
export interface WindFarmModel<D extends DeficitModel = DeficitModel> {
  readonly site: Site;
  readonly turbine: Turbine;
  readonly deficit: D;
  readonly superposition: SuperpositionModel;
}

/** Optional flow cases overriding the site's defaults. */
export interface FlowCaseOptions {
  readonly wdDeg?: ArrayLike<number>;
  readonly ws?: ArrayLike<number>;
}

export function windFarmModel<D extends DeficitModel>(parts: {
  site: Site; turbine: Turbine; deficit: D; superposition?: SuperpositionModel;
}): WindFarmModel<D> {
  return {
    site: parts.site,
    turbine: parts.turbine,
    deficit: parts.deficit,
    superposition: parts.superposition ?? { kind: "squared" },
  };
}

/** Watt-hours a year per watt, in GWh: 8760 h · 1e-9. */
const GWH_PER_W_YEAR = 8760 * 1e-9;
/** PyWake's wake split, set slightly upstream against round-off. */
const DW_WAKE = -1e-10;
/** Below this the k·dw term of σ is dropped (PyWake's eps). */
const DW_SIGMA = 1e-10;
/**
 * Gaussian cull: a pair whose exponent cw²/(2σ²) exceeds GAUSS_CULL, with σ at its source's Ct
 * in this flow case, is skipped. Its factor is below e^-30 ≈ 9.4e-14 and the centre factor is
 * ≤ 1, so the deficit dropped is < 1e-13·WS (< 2.5e-12 m/s): with squared sum the effective
 * speed moves by at most that (by d²/(2√Σd²) when other wakes are present), a power by at most
 * |dP/dws|·2.5e-12 m/s (< 1e-6 W on the V80 and IEA 37 curves), so the AEP moves by ~1e-12
 * relative — three orders below the 1e-9 the reference tests ask; the gradient terms dropped are
 * as small (∂d/∂cw = −d·cw/σ², with cw/σ ≈ 7.7 here). The cull compares cw² > 2·30·σ², no
 * division. The pair lists are built with σ at the turbine's largest ε (ε grows with Ct, also
 * in floating point: every step is monotone), a superset of what any flow case keeps.
 */
export const GAUSS_CULL = 30;
const GAUSS_CULL2 = 2 * GAUSS_CULL;

// ---------------------------------------------------------------------------------------
// Flow cases

interface FlowCases { readonly wdDeg: Float64Array; readonly ws: Float64Array; readonly pLK: Float64Array }

const defaultCases = new WeakMap<WindFarmModel, FlowCases>();
let lastOverride: { site: Site; wd: ArrayLike<number>; ws: ArrayLike<number>; fc: FlowCases } | undefined;

function flowCases(model: WindFarmModel, opts?: FlowCaseOptions): FlowCases {
  if (!opts || (opts.wdDeg === undefined && opts.ws === undefined)) {
    let fc = defaultCases.get(model);
    if (!fc) {
      const wdDeg = model.site.defaultWdDeg;
      const ws = model.site.defaultWs;
      fc = { wdDeg, ws, pLK: flowCaseProbabilities(model.site, wdDeg, ws) };
      defaultCases.set(model, fc);
    }
    return fc;
  }
  const wd = opts.wdDeg ?? model.site.defaultWdDeg;
  const ws = opts.ws ?? model.site.defaultWs;
  if (lastOverride && lastOverride.site === model.site && lastOverride.wd === wd && lastOverride.ws === ws) {
    return lastOverride.fc;
  }
  checkFinite(wd, "wd");
  checkFinite(ws, "ws");
  const wdDeg = Float64Array.from(wd);
  const wsA = Float64Array.from(ws);
  const fc = { wdDeg, ws: wsA, pLK: flowCaseProbabilities(model.site, wdDeg, wsA) };
  lastOverride = { site: model.site, wd, ws, fc };
  return fc;
}

function checkFinite(a: ArrayLike<number>, field: string): void {
  if (a.length === 0) throw new InputError("needs at least one value", { field });
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new InputError(`[${i}] must be a finite number`, { field });
  }
}

// ---------------------------------------------------------------------------------------
// Resolved model constants (one integer kind so hot loops branch on a loop invariant)

const KIND_IEA37 = 0;
const KIND_BASTANKHAH = 1;
const KIND_NOJ = 2;

interface Resolved {
  kind: number;
  linear: boolean;
  D: number;
  R: number;
  /** Wake expansion. */
  k: number;
  ceps: number;
  ctlim: number;
  /** Largest ε = (σ − k·dw)/D any Ct of this turbine gives (ε grows with Ct): the cull bound. */
  epsMax: number;
  turbine: Turbine;
}

/** The largest Ct the turbine's curve can return (tables clamp, so it is the table's maximum). */
function maxCt(t: Turbine): number {
  if (t.kind === "cubic") return t.ct;
  let m = 0;
  for (let i = 0; i < t.ctTable.length; i++) if (t.ctTable[i] > m) m = t.ctTable[i];
  return m;
}

function resolve(model: WindFarmModel): Resolved {
  const d = model.deficit;
  const ctTop = maxCt(model.turbine);
  const D = model.turbine.diameterM;
  const base = { linear: model.superposition.kind === "linear", D, R: D / 2, turbine: model.turbine, ceps: 0, ctlim: 0 };
  switch (d.kind) {
    case "IEA37SimpleBastankhahGaussian":
      return { ...base, kind: KIND_IEA37, k: d.k, epsMax: IEA37_EPSILON };
    case "BastankhahGaussian":
      return { ...base, kind: KIND_BASTANKHAH, k: d.k, ceps: d.ceps, ctlim: d.ctlim, epsMax: bastankhahEpsilon(ctTop, d.ceps, d.ctlim) };
    case "NiayifarGaussian":
      return {
        ...base, kind: KIND_BASTANKHAH, k: niayifarK(d, model.site.ti), ceps: d.ceps, ctlim: d.ctlim,
        epsMax: bastankhahEpsilon(ctTop, d.ceps, d.ctlim),
      };
    case "NOJ":
      return { ...base, kind: KIND_NOJ, k: d.k, epsMax: 0 };
    default:
      throw new InputError(`unknown deficit model "${(d as { kind: string }).kind}"`, { field: "model.deficit" });
  }
}

// ---------------------------------------------------------------------------------------
// Scratch (grown on demand, reused across calls; one JS thread per module instance)

class Scratch {
  n = -1;
  orderP = new Int32Array(0);
  keyI = new Float64Array(0);
  /** Coordinates in upstream-first order, for the pair loops. */
  xP = new Float64Array(0);
  yP = new Float64Array(0);
  pairStartP = new Int32Array(0);
  pairDstE = new Int32Array(0);
  pairAE = new Float64Array(0);
  pairBE = new Float64Array(0);
  pairHcwE = new Float64Array(0);
  pairDwE = new Float64Array(0);
  dE = new Float64Array(0);
  accQ = new Float64Array(0);
  wsEffQ = new Float64Array(0);
  ctQ = new Float64Array(0);
  dPowerQ = new Float64Array(0);
  dCtQ = new Float64Array(0);
  powerQ = new Float64Array(0);
  epsQ = new Float64Array(0);
  /** Per pair, for the gradient: IEA 37 √(1 − x) of the centre deficit; Bastankhah the Gaussian factor. */
  auxE = new Float64Array(0);
  /** Backward pass: deficit adjoint factor, and the adjoints of dw and hcw·∂/∂cw² per position. */
  adjQ = new Float64Array(0);
  gwQ = new Float64Array(0);
  ghQ = new Float64Array(0);
  /** Positions with at least one incoming pair this direction (the others see free stream at every speed). */
  wakedW = new Int32Array(0);
  nWaked = 0;
  isWakedQ = new Uint8Array(0);
  pc = new Float64Array(4);
  /** Speed-minor tensors of the multi-speed AEP path: accQK[q·K + k], and per-source rows. */
  accQK = new Float64Array(0);
  epsDK = new Float64Array(0);
  ctD2K = new Float64Array(0);

  /** Sizes the speed-minor arrays for n positions × K speeds. */
  ensureK(n: number, K: number): void {
    if (this.accQK.length < n * K) this.accQK = new Float64Array(n * K);
    if (this.epsDK.length < K) {
      this.epsDK = new Float64Array(K);
      this.ctD2K = new Float64Array(K);
    }
  }

  /** Turbine count the current `orderP` holds a permutation of. */
  orderN = -1;

  /** Sizes the arrays for n turbines; keeps the last order as a warm start when n is unchanged. */
  ensure(n: number): void {
    if (n !== this.orderN) {
      this.orderN = n;
      if (n <= this.n) for (let i = 0; i < n; i++) this.orderP[i] = i;
    }
    if (n <= this.n) return;
    const m = Math.max(n, 1);
    const pairs = (m * (m - 1)) / 2 + 1;
    this.n = n;
    this.orderP = new Int32Array(m);
    for (let i = 0; i < m; i++) this.orderP[i] = i;
    this.keyI = new Float64Array(m);
    this.xP = new Float64Array(m);
    this.yP = new Float64Array(m);
    this.pairStartP = new Int32Array(m + 1);
    this.pairDstE = new Int32Array(pairs);
    this.pairAE = new Float64Array(pairs);
    this.pairBE = new Float64Array(pairs);
    this.pairHcwE = new Float64Array(pairs);
    this.pairDwE = new Float64Array(pairs);
    this.dE = new Float64Array(pairs);
    this.auxE = new Float64Array(pairs);
    this.adjQ = new Float64Array(m);
    this.gwQ = new Float64Array(m);
    this.ghQ = new Float64Array(m);
    this.accQ = new Float64Array(m);
    this.wsEffQ = new Float64Array(m);
    this.ctQ = new Float64Array(m);
    this.dPowerQ = new Float64Array(m);
    this.dCtQ = new Float64Array(m);
    this.powerQ = new Float64Array(m);
    this.epsQ = new Float64Array(m);
    this.wakedW = new Int32Array(m);
    this.isWakedQ = new Uint8Array(m);
  }
}

const scratch = new Scratch();

function checkLayout(x: ArrayLike<number>, y: ArrayLike<number>, what = "layout"): void {
  if (x.length !== y.length) {
    throw new InputError(`x has ${x.length} values but y has ${y.length}`, { field: what });
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new InputError(`turbine ${i} has a non-finite coordinate`, { field: what });
    }
  }
}

/**
 * Upstream-first order for one direction: ascending s = −cosθ·x − sinθ·y, ties by turbine id.
 * Insertion sort starting from the previous direction's order, which is nearly sorted when
 * directions come in small steps.
 */
function sortDownwind(orderP: Int32Array, keyI: Float64Array, n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number): void {
  for (let i = 0; i < n; i++) keyI[i] = -c * x[i] - s * y[i];
  for (let p = 1; p < n; p++) {
    const id = orderP[p];
    const key = keyI[id];
    let q = p - 1;
    while (q >= 0) {
      const o = orderP[q];
      const ko = keyI[o];
      if (ko > key || (ko === key && o > id)) { orderP[q + 1] = o; q--; } else break;
    }
    orderP[q + 1] = id;
  }
}

/**
 * Fills the pair lists of one direction; returns the number of pairs. `geometry`: also keep dw
 * and hcw per pair (the gradient's backward pass needs them). One builder per model so each
 * loop is monomorphic; coordinates are first gathered in upstream-first order (xP, yP).
 */
function buildPairs(
  r: Resolved, sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number, geometry: boolean,
): number {
  gatherPositions(sc, n, x, y);
  const isWakedQ = sc.isWakedQ;
  isWakedQ.fill(0, 0, n);
  const e = r.kind === KIND_IEA37 ? pairsIea37(r, sc, n, c, s, geometry)
    : r.kind === KIND_BASTANKHAH ? pairsBastankhah(r, sc, n, c, s, geometry)
    : pairsNoj(r, sc, n, c, s, geometry);
  sc.pairStartP[n] = e;
  let w = 0;
  for (let q = 0; q < n; q++) if (isWakedQ[q]) sc.wakedW[w++] = q;
  sc.nWaked = w;
  return e;
}

/** xP, yP: the coordinates in upstream-first order (typed, contiguous, whatever x and y are). */
function gatherPositions(sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>): void {
  const { orderP, xP, yP } = sc;
  for (let p = 0; p < n; p++) {
    const i = orderP[p];
    xP[p] = x[i];
    yP[p] = y[i];
  }
}

/** IEA 37: σ is Ct-free, so A = G = exp(−cw²/(2σ²)) and B = D²/(8σ²) per pair. */
function pairsIea37(r: Resolved, sc: Scratch, n: number, c: number, s: number, geometry: boolean): number {
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

/** Bastankhah, Niayifar: A = k·dw⁺, B = cw²; culled at the turbine's largest σ. */
function pairsBastankhah(r: Resolved, sc: Scratch, n: number, c: number, s: number, geometry: boolean): number {
  const { xP, yP, pairStartP, pairDstE, pairAE, pairBE, pairHcwE, pairDwE, isWakedQ } = sc;
  const { k, D } = r;
  const epsMaxD = r.epsMax * D;
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

/** NOJ: A = (R/R_w)²·overlap, Ct-free. */
function pairsNoj(r: Resolved, sc: Scratch, n: number, c: number, s: number, geometry: boolean): number {
  const { xP, yP, pairStartP, pairDstE, pairAE, pairHcwE, pairDwE, isWakedQ } = sc;
  const { k, R } = r;
  let e = 0;
  for (let p = 0; p < n; p++) {
    pairStartP[p] = e;
    const xi = xP[p];
    const yi = yP[p];
    for (let q = p + 1; q < n; q++) {
      const dx = xP[q] - xi;
      const dy = yP[q] - yi;
      const dw = -c * dx - s * dy;
      if (!(dw > 0)) continue;
      const hcw = s * dx - c * dy;
      const rw = k * dw + R;
      const cw = Math.abs(hcw);
      if (!(cw < rw + R)) continue;
      const ratio = R / rw;
      pairAE[e] = ratio * ratio * overlapFraction(rw, R, cw);
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

/**
 * One direction at one speed, AEP only (the IEA 37 case): with nothing to share across speeds
 * the pair lists are skipped — each source pushes its deficits as soon as its own effective
 * speed is known. Same pairs, same cull and the same expressions as buildPairs + propagateCase,
 * so the numbers are identical to the last bit. One function per deficit model, so each hot
 * loop is monomorphic and calls nothing but Math.
 */
function fusedSingleSpeed(
  r: Resolved, sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number,
  WS: number, free: FreeStream, pw: number, aepI: Float64Array,
): void {
  if (r.kind === KIND_IEA37) fusedIea37(r, sc, n, x, y, c, s, WS, free, pw, aepI);
  else if (r.kind === KIND_BASTANKHAH) fusedBastankhah(r, sc, n, x, y, c, s, WS, free, pw, aepI);
  else fusedNoj(r, sc, n, x, y, c, s, WS, free, pw, aepI);
}

/** Power into aepI and Ct of position p at one speed (free stream when nothing reached it). */
function visitSingleSpeed(r: Resolved, sc: Scratch, p: number, WS: number, free: FreeStream, pw: number, aepI: Float64Array): number {
  const acc = sc.accQ[p];
  const i = sc.orderP[p];
  if (acc === 0) {
    aepI[i] += free.powerK[0] * pw;
    return free.ctK[0];
  }
  const pc = sc.pc;
  turbinePowerCt(r.turbine, WS - (r.linear ? acc : Math.sqrt(acc)), pc);
  aepI[i] += pc[0] * pw;
  return pc[1];
}

function fusedIea37(
  r: Resolved, sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number,
  WS: number, free: FreeStream, pw: number, aepI: Float64Array,
): void {
  const { xP, yP, accQ } = sc;
  gatherPositions(sc, n, x, y);
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
      // iea37Centre(Ct·D²/(8σ²)) inlined
      const d = WS * (1 - Math.sqrt(1 - ct * (D2over8 * inv2))) * expNeg(0.5 * cw2 * inv2);
      accQ[q] += linear ? d : d * d;
    }
  }
}

function fusedBastankhah(
  r: Resolved, sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number,
  WS: number, free: FreeStream, pw: number, aepI: Float64Array,
): void {
  const { xP, yP, accQ } = sc;
  gatherPositions(sc, n, x, y);
  const { linear, k, D } = r;
  const D2over8 = (D * D) / 8;
  accQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    const ct = visitSingleSpeed(r, sc, p, WS, free, pw, aepI);
    if (ct === 0 || p === n - 1) continue; // a(0) = 0: no deficit
    const epsD = accQ[p] === 0 ? free.epsDK[0] : bastankhahEpsilon(ct, r.ceps, r.ctlim) * D;
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
      let cen = 2 * xc * (0.246 + xc * (0.0586 + 0.0883 * xc)); // bastankhahCentre, inlined
      if (cen > 1) cen = 1;
      const d = WS * cen * expNeg(0.5 * cw2 * inv2);
      accQ[q] += linear ? d : d * d;
    }
  }
}

function fusedNoj(
  r: Resolved, sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number,
  WS: number, free: FreeStream, pw: number, aepI: Float64Array,
): void {
  const { xP, yP, accQ } = sc;
  gatherPositions(sc, n, x, y);
  const { linear, k, R } = r;
  accQ.fill(0, 0, n);
  for (let p = 0; p < n; p++) {
    const ct = visitSingleSpeed(r, sc, p, WS, free, pw, aepI);
    if (p === n - 1) break;
    const f = 2 * ct2aMadsen(ct < 1 ? ct : 1) * WS;
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
 * resolve() and freeStream() once per model and flow cases, not per call: the layout optimizer
 * calls aepGradient thousands of times with the same model (models are plain readonly objects).
 */
const resolvedCache = new WeakMap<WindFarmModel, Resolved>();
let lastFree: { r: Resolved; fc: FlowCases; free: FreeStream } | undefined;

function resolved(model: WindFarmModel): Resolved {
  let r = resolvedCache.get(model);
  if (!r) {
    r = resolve(model);
    resolvedCache.set(model, r);
  }
  return r;
}

function freeStreamOf(r: Resolved, fc: FlowCases, pc: Float64Array): FreeStream {
  if (lastFree && lastFree.r === r && lastFree.fc === fc) return lastFree.free;
  const free = freeStream(r, fc.ws, pc);
  lastFree = { r, fc, free };
  return free;
}

/** Per-speed values of a turbine in free stream, cached because most turbines see it. */
interface FreeStream {
  powerK: Float64Array; ctK: Float64Array; dPowerK: Float64Array; dCtK: Float64Array; epsDK: Float64Array;
  /** Ct·D²/8 at each speed's free-stream Ct. */
  ctD2over8K: Float64Array;
  /** NOJ's f = 2·a(min(Ct, 1))·WS at each speed's free-stream Ct. */
  nojFK: Float64Array;
}

function freeStream(r: Resolved, ws: Float64Array, pc: Float64Array): FreeStream {
  const K = ws.length;
  const f = {
    powerK: new Float64Array(K), ctK: new Float64Array(K), dPowerK: new Float64Array(K), dCtK: new Float64Array(K),
    epsDK: new Float64Array(K), ctD2over8K: new Float64Array(K), nojFK: new Float64Array(K),
  };
  for (let k = 0; k < K; k++) {
    turbinePowerCt(r.turbine, ws[k], pc);
    f.powerK[k] = pc[0]; f.ctK[k] = pc[1]; f.dPowerK[k] = pc[2]; f.dCtK[k] = pc[3];
    f.epsDK[k] = r.kind === KIND_BASTANKHAH ? bastankhahEpsilon(pc[1], r.ceps, r.ctlim) * r.D : 0;
    f.ctD2over8K[k] = pc[1] * ((r.D * r.D) / 8);
    f.nojFK[k] = 2 * ct2aMadsen(pc[1] < 1 ? pc[1] : 1) * ws[k];
  }
  return f;
}

/**
 * All speeds of one direction, AEP only, for Bastankhah and Niayifar: positions upstream first,
 * and for each position all its speeds at once (speed-minor: accQK[q·K + k]), then each of its
 * pairs over all speeds. Loop order changes nothing in the arithmetic: every deficit, sum and
 * AEP term is the same expression, added in the same order, as propagateCase's; the pair's
 * geometry is loaded once for K speeds and the inner loop runs over contiguous memory.
 * Positions no wake reaches in this direction are free stream at every speed: their AEP is added
 * by the caller; here they only cast their wakes (ε and Ct·D²/8 from the free-stream rows).
 */
function directionBastankhahAep(
  r: Resolved, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, aepI: Float64Array,
): void {
  const { orderP, pairStartP, pairDstE, pairAE: kdwE, pairBE: cw2E, isWakedQ, accQK, epsDK, ctD2K, pc } = sc;
  const { linear, D, turbine, ceps, ctlim } = r;
  const freeEpsDK = free.epsDK;
  const freeCtD2K = free.ctD2over8K;
  const D2over8 = (D * D) / 8;
  const lK = l * K;
  accQK.fill(0, 0, n * K);
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    let eK = freeEpsDK;
    let cK = freeCtD2K;
    if (isWakedQ[p]) {
      const i = orderP[p];
      const qK = p * K;
      let a = aepI[i];
      for (let k = 0; k < K; k++) {
        const acc = accQK[qK + k];
        const pw = pLK[lK + k] * GWH_PER_W_YEAR;
        if (acc === 0) {
          a += free.powerK[k] * pw;
          epsDK[k] = freeEpsDK[k];
          ctD2K[k] = freeCtD2K[k];
        } else {
          turbinePowerCt(turbine, ws[k] - (linear ? acc : Math.sqrt(acc)), pc);
          a += pc[0] * pw;
          const ct = pc[1];
          ctD2K[k] = ct * D2over8;
          epsDK[k] = ct === 0 ? 0 : bastankhahEpsilon(ct, ceps, ctlim) * D;
        }
      }
      aepI[i] = a;
      eK = epsDK;
      cK = ctD2K;
    }
    if (e0 === e1) continue;
    let epsMaxD = 0;
    for (let k = 0; k < K; k++) if (cK[k] !== 0 && eK[k] > epsMaxD) epsMaxD = eK[k];
    if (epsMaxD === 0) continue; // Ct = 0 at every speed: no deficit
    for (let e = e0; e < e1; e++) {
      const kdw = kdwE[e];
      const cw2 = cw2E[e];
      const sMax = kdw + epsMaxD;
      if (cw2 > GAUSS_CULL2 * (sMax * sMax)) continue; // beyond the cull at every speed
      const dK = pairDstE[e] * K;
      for (let k = 0; k < K; k++) {
        const ctD2over8 = cK[k];
        if (ctD2over8 === 0) continue; // a(0) = 0: no deficit
        const sigma = kdw + eK[k];
        const sigma2 = sigma * sigma;
        if (cw2 > GAUSS_CULL2 * sigma2) continue; // beyond the cull at this Ct's σ: no exp
        const inv2 = 1 / sigma2;
        const x = ctD2over8 * inv2;
        let cen = 2 * x * (0.246 + x * (0.0586 + 0.0883 * x)); // bastankhahCentre, inlined
        if (cen > 1) cen = 1;
        const d = ws[k] * cen * expNeg(0.5 * cw2 * inv2);
        accQK[dK + k] += linear ? d : d * d;
      }
    }
  }
}

/**
 * All speeds of one direction, AEP only, for NOJ: as directionBastankhahAep, with the Ct-free
 * geometry factor A of each pair scaled by f = 2·a(min(Ct, 1))·WS of its source at each speed.
 * Same expressions, same order of additions as propagateCase + scaledSquaredSum.
 */
function directionNojAep(
  r: Resolved, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, aepI: Float64Array,
): void {
  const { orderP, pairStartP, pairDstE, pairAE: geomE, isWakedQ, accQK, ctD2K: fK, pc } = sc;
  const { linear, turbine } = r;
  const freeFK = free.nojFK;
  const lK = l * K;
  accQK.fill(0, 0, n * K);
  for (let p = 0; p < n; p++) {
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    let f = freeFK;
    if (isWakedQ[p]) {
      const i = orderP[p];
      const qK = p * K;
      let a = aepI[i];
      for (let k = 0; k < K; k++) {
        const acc = accQK[qK + k];
        const pw = pLK[lK + k] * GWH_PER_W_YEAR;
        if (acc === 0) {
          a += free.powerK[k] * pw;
          fK[k] = freeFK[k];
        } else {
          turbinePowerCt(turbine, ws[k] - (linear ? acc : Math.sqrt(acc)), pc);
          a += pc[0] * pw;
          const ct = pc[1];
          fK[k] = 2 * ct2aMadsen(ct < 1 ? ct : 1) * ws[k];
        }
      }
      aepI[i] = a;
      f = fK;
    }
    for (let e = e0; e < e1; e++) {
      const g = geomE[e];
      const dK = pairDstE[e] * K;
      for (let k = 0; k < K; k++) {
        const d = f[k] * g;
        accQK[dK + k] += linear ? d : d * d;
      }
    }
  }
}

/**
 * One flow case of one direction: visits positions upstream first, fills wsEffQ, ctQ,
 * dPowerQ, dCtQ (and dE when `keepDeficits`), returns nothing; the caller reads powers
 * from `powerQ`.
 */
function propagateCase(
  r: Resolved, sc: Scratch, n: number, WS: number, kIdx: number, free: FreeStream, powerQ: Float64Array, keepDeficits: boolean,
): void {
  const { pairStartP, pairDstE, pairAE, pairBE, dE, auxE, accQ, wsEffQ, ctQ, dPowerQ, dCtQ, pc } = sc;
  const { kind, linear, D, turbine } = r;
  const D2over8 = (D * D) / 8;
  for (let q = 0; q < n; q++) accQ[q] = 0;
  for (let p = 0; p < n; p++) {
    const acc = accQ[p];
    let ct: number;
    if (acc === 0) {
      wsEffQ[p] = WS;
      powerQ[p] = free.powerK[kIdx];
      ct = free.ctK[kIdx];
      dPowerQ[p] = free.dPowerK[kIdx];
      dCtQ[p] = free.dCtK[kIdx];
    } else {
      const wsEff = WS - (linear ? acc : Math.sqrt(acc));
      wsEffQ[p] = wsEff;
      turbinePowerCt(turbine, wsEff, pc);
      powerQ[p] = pc[0];
      ct = pc[1];
      dPowerQ[p] = pc[2];
      dCtQ[p] = pc[3];
    }
    ctQ[p] = ct;
    const e0 = pairStartP[p];
    const e1 = pairStartP[p + 1];
    if (e0 === e1) continue;
    if (kind === KIND_IEA37) {
      for (let e = e0; e < e1; e++) {
        const root = Math.sqrt(1 - ct * pairBE[e]); // iea37Centre = 1 − root, inlined
        const d = WS * (1 - root) * pairAE[e];
        if (keepDeficits) { dE[e] = d; auxE[e] = root; }
        accQ[pairDstE[e]] += linear ? d : d * d;
      }
    } else if (kind === KIND_BASTANKHAH) {
      if (ct === 0) { // a(0) = 0: no deficit
        if (keepDeficits) for (let e = e0; e < e1; e++) dE[e] = 0;
        continue;
      }
      // an unwaked source has the free-stream Ct, whose ε is computed once per speed
      const epsD = acc === 0 ? free.epsDK[kIdx] : bastankhahEpsilon(ct, r.ceps, r.ctlim) * D;
      const ctD2over8 = ct * D2over8;
      if (!keepDeficits && !linear) {
        gaussianSquaredSum(e0, e1, epsD, ctD2over8, WS, pairAE, pairBE, pairDstE, accQ);
        continue;
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
    } else {
      const f = 2 * ct2aMadsen(ct < 1 ? ct : 1) * WS;
      if (!keepDeficits && !linear) {
        if (f !== 0) scaledSquaredSum(e0, e1, f, pairAE, pairDstE, accQ);
        continue;
      }
      for (let e = e0; e < e1; e++) {
        const d = f * pairAE[e];
        if (keepDeficits) dE[e] = d;
        accQ[pairDstE[e]] += linear ? d : d * d;
      }
    }
  }
}

/**
 * The hot loop of Bastankhah/Niayifar AEP (squared sum, no deficits kept): one source's
 * deficits pushed onto its destinations. Kept small and monomorphic so the JIT compiles it
 * tightly; the Gaussian factor is most of its cost.
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
    const x = ctD2over8 * inv2;
    let c = 2 * x * (0.246 + x * (0.0586 + 0.0883 * x)); // bastankhahCentre, inlined
    if (c > 1) c = 1;
    const d = WS * c * expNeg(0.5 * cw2 * inv2);
    accQ[dstE[e]] += d * d;
  }
}

/** NOJ's hot loop: d = f·(Ct-free geometry factor), squared sum. */
function scaledSquaredSum(e0: number, e1: number, f: number, geomE: Float64Array, dstE: Int32Array, accQ: Float64Array): void {
  for (let e = e0; e < e1; e++) {
    const d = f * geomE[e];
    accQ[dstE[e]] += d * d;
  }
}

// ---------------------------------------------------------------------------------------
// Public entry points

/** Tensors [n, wd, ws] a `simulate` keeps; absent in the fast AEP path. */
interface Tensors { wsEffILK: Float64Array; powerILK: Float64Array; ctILK: Float64Array }

function run(model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, fc: FlowCases, aepI: Float64Array, tensors?: Tensors): void {
  const n = x.length;
  checkLayout(x, y);
  const r = resolved(model);
  const sc = scratch;
  sc.ensure(n);
  const { wdDeg, ws, pLK } = fc;
  const L = wdDeg.length;
  const K = ws.length;
  const free = freeStreamOf(r, fc, sc.pc);
  const powerQ = sc.powerQ;
  sc.ensureK(n, K);
  aepI.fill(0, 0, n);
  const { orderP } = sc;
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    sortDownwind(orderP, sc.keyI, n, x, y, c, s);
    if (K === 1 && !tensors) {
      fusedSingleSpeed(r, sc, n, x, y, c, s, ws[0], free, pLK[l] * GWH_PER_W_YEAR, aepI);
      continue;
    }
    buildPairs(r, sc, n, x, y, c, s, false);
    if (tensors) {
      for (let k = 0; k < K; k++) {
        const pw = pLK[l * K + k] * GWH_PER_W_YEAR;
        propagateCase(r, sc, n, ws[k], k, free, powerQ, false);
        for (let p = 0; p < n; p++) {
          const i = orderP[p];
          aepI[i] += powerQ[p] * pw;
          const at = (i * L + l) * K + k;
          tensors.wsEffILK[at] = sc.wsEffQ[p];
          tensors.powerILK[at] = powerQ[p];
          tensors.ctILK[at] = sc.ctQ[p];
        }
      }
      continue;
    }
    // Turbines no wake reaches in this direction make free-stream power at every speed.
    let freeL = 0;
    for (let k = 0; k < K; k++) freeL += free.powerK[k] * (pLK[l * K + k] * GWH_PER_W_YEAR);
    const { isWakedQ, wakedW } = sc;
    for (let p = 0; p < n; p++) if (!isWakedQ[p]) aepI[orderP[p]] += freeL;
    if (r.kind === KIND_BASTANKHAH) {
      directionBastankhahAep(r, sc, n, ws, K, free, pLK, l, aepI);
      continue;
    }
    if (r.kind === KIND_NOJ) {
      directionNojAep(r, sc, n, ws, K, free, pLK, l, aepI);
      continue;
    }
    const nW = sc.nWaked;
    for (let k = 0; k < K; k++) {
      const pw = pLK[l * K + k] * GWH_PER_W_YEAR;
      propagateCase(r, sc, n, ws[k], k, free, powerQ, false);
      for (let w = 0; w < nW; w++) {
        const p = wakedW[w];
        aepI[orderP[p]] += powerQ[p] * pw;
      }
    }
  }
}

function sumArray(a: Float64Array, n = a.length): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i];
  return t;
}

let aepScratchI = new Float64Array(0);

/** AEP (GWh) of a layout: the fast path (no tensors kept). */
export function aepGWh(model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, opts?: FlowCaseOptions): number {
  const n = x.length;
  if (aepScratchI.length < n) aepScratchI = new Float64Array(n);
  run(model, x, y, flowCases(model, opts), aepScratchI);
  return sumArray(aepScratchI, n);
}

/** AEP (GWh) per turbine into `out` (length n); returns the total. */
export function aepPerTurbineGWh(model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, out: Float64Array, opts?: FlowCaseOptions): number {
  run(model, x, y, flowCases(model, opts), out);
  return sumArray(out, x.length);
}

/** Internal: full tensors for `simulate`. */
export function runWithTensors(model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, opts?: FlowCaseOptions): {
  fc: FlowCases; aepI: Float64Array; tensors: Tensors;
} {
  const fc = flowCases(model, opts);
  const n = x.length;
  const size = n * fc.wdDeg.length * fc.ws.length;
  const tensors = { wsEffILK: new Float64Array(size), powerILK: new Float64Array(size), ctILK: new Float64Array(size) };
  const aepI = new Float64Array(n);
  run(model, x, y, fc, aepI, tensors);
  return { fc, aepI, tensors };
}

/**
 * AEP (GWh) and its analytic gradient: fills dAepDx, dAepDy (GWh/m) by reverse-mode
 * differentiation through the propagation (Gaussian deficits only: NOJ's top hat is not
 * differentiable). The adjoint of each effective speed collects the power slope and, through
 * Ct, the deficits that turbine casts downstream; each pair then passes its share to the
 * positions through dw, cw² and σ.
 */
export function aepGradient(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>,
  dAepDx: Float64Array, dAepDy: Float64Array, opts?: FlowCaseOptions,
): number {
  const r = resolved(model);
  if (r.kind === KIND_NOJ) {
    throw new InputError(`aepGradient needs a Gaussian deficit model; ${model.deficit.kind} has no gradient (its top-hat wake is not differentiable)`, { field: "model.deficit" });
  }
  const n = x.length;
  checkLayout(x, y);
  if (dAepDx.length < n || dAepDy.length < n) {
    throw new InputError(`gradient arrays need length ≥ ${n}`, { field: "dAepDx/dAepDy" });
  }
  const fc = flowCases(model, opts);
  const sc = scratch;
  sc.ensure(n);
  const { wdDeg, ws, pLK } = fc;
  const L = wdDeg.length;
  const K = ws.length;
  const free = freeStreamOf(r, fc, sc.pc);
  if (aepScratchI.length < n) aepScratchI = new Float64Array(n);
  const aepI = aepScratchI;
  aepI.fill(0, 0, n);
  dAepDx.fill(0, 0, n);
  dAepDy.fill(0, 0, n);
  const powerQ = sc.powerQ;
  const { orderP, gwQ, ghQ } = sc;
  const kind = r.kind;
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    sortDownwind(orderP, sc.keyI, n, x, y, c, s);
    buildPairs(r, sc, n, x, y, c, s, true);
    gwQ.fill(0, 0, n);
    ghQ.fill(0, 0, n);
    for (let kk = 0; kk < K; kk++) {
      const pw = pLK[l * K + kk] * GWH_PER_W_YEAR;
      const WS = ws[kk];
      propagateCase(r, sc, n, WS, kk, free, powerQ, true);
      for (let p = 0; p < n; p++) aepI[orderP[p]] += powerQ[p] * pw;
      if (pw === 0) continue;
      if (kind === KIND_IEA37) backwardIea37(r, sc, n, WS, pw);
      else backwardBastankhah(r, sc, n, WS, pw);
    }
    // dw = −cΔx − sΔy and cw² = (sΔx − cΔy)² with Δ = dst − src: back to x and y
    for (let p = 0; p < n; p++) {
      const i = orderP[p];
      const gw = gwQ[p];
      const gh = ghQ[p];
      dAepDx[i] += -c * gw + 2 * s * gh;
      dAepDy[i] += -s * gw - 2 * c * gh;
    }
  }
  return sumArray(aepI, n);
}

/**
 * Backward pass of one flow case, downstream first: when position p is reached, every turbine
 * its Ct influences (positions > p) already holds its complete adjoint. Each pair's share goes
 * to the positions' adjoints of dw (gwQ) and of hcw·∂/∂(cw²) (ghQ), turned into x and y once per
 * direction. adjQ[q] = ∂AEP/∂d per unit d² (squared sum: −w̄/√Σd², so ∂AEP/∂d = d·adjQ) or per
 * unit d (linear: −w̄), where w̄ = ∂AEP/∂WS_eff(q).
 * d = WS·C(x)·G, x = Ct·D²/(8σ²), G = exp(−cw²/(2σ²)), σ = k·dw⁺ + ε(Ct)·D.
 */
function backwardIea37(r: Resolved, sc: Scratch, n: number, WS: number, pw: number): void {
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

function backwardBastankhah(r: Resolved, sc: Scratch, n: number, WS: number, pw: number): void {
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
        // bastankhahCentre and its slope, inlined: C = min(1, 2a(x))
        const a2 = 2 * (x * (0.246 + x * (0.0586 + 0.0883 * x)));
        const unclipped = a2 < 1;
        const C = unclipped ? a2 : 1;
        const dC = unclipped ? 2 * (0.246 + x * (2 * 0.0586 + 3 * 0.0883 * x)) : 0;
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

/**
 * Adjoint of position p's deficits once its Ct adjoint is complete: w̄ = pw·P' + c̄t·Ct'.
 * WS_eff is WS when unwaked, a constant: its adjoint then feeds nothing upstream.
 */
function setAdjoint(
  p: number, linear: boolean, pw: number, ctbar: number,
  accQ: Float64Array, dPowerQ: Float64Array, dCtQ: Float64Array, adjQ: Float64Array,
): void {
  const acc = accQ[p];
  if (acc === 0) {
    adjQ[p] = 0;
    return;
  }
  const wbar = pw * dPowerQ[p] + ctbar * dCtQ[p];
  adjQ[p] = linear ? -wbar : -wbar / Math.sqrt(acc);
}

/**
 * The smart-start value map (TopFarm `aep4smart_start`, physics.md "Smart start" step 1):
 * for each candidate point, the AEP (GWh) a turbine there would make inside the wakes of the
 * placed turbines, its own effect on them ignored. The placed turbines' effective speeds and
 * Ct come from propagating among themselves; every placed turbine with dw > −1e-10 counts
 * (dw = 0 included, so a candidate on a placed turbine's row, column or diagonal is waked
 * from both sides). Deficits at the candidate's rotor centre, no rotor averaging.
 */
export function candidateAepGWh(
  model: WindFarmModel, placedX: ArrayLike<number>, placedY: ArrayLike<number>,
  candX: ArrayLike<number>, candY: ArrayLike<number>, out: Float64Array, opts?: FlowCaseOptions,
): void {
  checkLayout(placedX, placedY, "placed turbines");
  checkLayout(candX, candY, "candidates");
  const m = candX.length;
  if (out.length < m) throw new InputError(`output needs length ≥ ${m}`, { field: "out" });
  const r = resolved(model);
  const n = placedX.length;
  const fc = flowCases(model, opts);
  const sc = scratch;
  sc.ensure(n);
  const { wdDeg, ws, pLK } = fc;
  const L = wdDeg.length;
  const K = ws.length;
  const free = freeStreamOf(r, fc, sc.pc);
  const powerQ = sc.powerQ;
  const { orderP, ctQ, pc } = sc;
  const { kind, linear, D, R, k: kExp, turbine } = r;
  const D2over8 = (D * D) / 8;
  const epsQ = sc.epsQ; // ε·D per placed position for this flow case
  out.fill(0, 0, m);
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    if (n > 0) {
      sortDownwind(orderP, sc.keyI, n, placedX, placedY, c, s);
      buildPairs(r, sc, n, placedX, placedY, c, s, false);
    }
    for (let kk = 0; kk < K; kk++) {
      const pw = pLK[l * K + kk] * GWH_PER_W_YEAR;
      const WS = ws[kk];
      if (n > 0) propagateCase(r, sc, n, WS, kk, free, powerQ, false);
      for (let p = 0; p < n; p++) {
        epsQ[p] = kind === KIND_BASTANKHAH ? bastankhahEpsilon(ctQ[p], r.ceps, r.ctlim) * D : IEA37_EPSILON * D;
      }
      for (let a = 0; a < m; a++) {
        const xa = candX[a];
        const ya = candY[a];
        let acc = 0;
        for (let p = 0; p < n; p++) {
          const i = orderP[p];
          const dx = xa - placedX[i];
          const dy = ya - placedY[i];
          const dw = -c * dx - s * dy;
          if (!(dw > DW_WAKE)) continue;
          const hcw = s * dx - c * dy;
          const ct = ctQ[p];
          let d: number;
          if (kind === KIND_NOJ) {
            if (!(dw > 0)) continue;
            const rw = kExp * dw + R;
            if (!(rw > Math.abs(hcw))) continue;
            const ratio = R / rw;
            d = 2 * ct2aMadsen(ct < 1 ? ct : 1) * WS * ratio * ratio;
          } else {
            const sigma = (dw > DW_SIGMA ? kExp * dw : 0) + epsQ[p];
            const inv2 = 1 / (sigma * sigma);
            const xArg = ct * D2over8 * inv2;
            const centre = kind === KIND_IEA37 ? iea37Centre(xArg) : bastankhahCentre(xArg);
            d = WS * centre * Math.exp(-0.5 * hcw * hcw * inv2);
          }
          acc += linear ? d : d * d;
        }
        let power: number;
        if (acc === 0) power = free.powerK[kk];
        else {
          turbinePowerCt(turbine, WS - (linear ? acc : Math.sqrt(acc)), pc);
          power = pc[0];
        }
        out[a] += power * pw;
      }
    }
  }
}
