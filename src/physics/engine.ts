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
 * the same order. A single speed (IEA 37) skips the pair lists (fused*). Where every deficit is
 * the free-stream speed times a factor of geometry alone (the IEA 37 Gaussian, Ct the same at every
 * speed) one pass over a direction's pairs serves all its speeds (the kernel's speedFree*). The gradient keeps
 * dw, hcw per pair and, per flow case, dE and auxE for its backward pass (backward*).
 * Gaussian factors come from expNeg (≤ 2 ulp from Math.exp) after the cull (GAUSS_CULL).
 *
 * Every loop whose arithmetic depends on the wake model lives in that model's kernel
 * (./kernels/<model>.ts, contract in ./kernels/common.ts); this file keeps flow cases, the
 * downwind sort, the visiting order and the turbine curves, and chooses the kernel once per
 * call (`dispatch`), never per pair. `simulate` runs the very loops of the fast path, with
 * tensors written on the way.
 *
 * Geometry (physics.md): θ = rad(90° − wd), Δ = dst − src, dw = −cosθ·Δx − sinθ·Δy,
 * hcw = sinθ·Δx − cosθ·Δy. A visited source wakes a destination when dw > −1e-10; in σ the
 * k·dw term counts only where dw > 1e-10 (dw⁺); NOJ needs dw > 0.
 */
import { InputError } from "../errors.js";
import { Scratch, kernelFor, type FreeStream, type Resolved, type Tensors, type WindFarmModel } from "./kernels/index.js";
import * as common from "./kernels/common.js";
import { candidateGeneral, isGeneral, runGeneral, wakeModelOf } from "./kernels/general.js";
import { generalAepGradient } from "./generalGradient.js";
import type { TurbulenceModel } from "./turbulence/index.js";
import type { RotorAverageName } from "./modelSpec.js";
import type { DeficitModel } from "./deficit/index.js";
import { flowCaseProbabilities, type Site } from "./site.js";
import type { SuperpositionModel } from "./superposition.js";
import * as turbines from "./turbine.js";

// Module-local copies of what the hot loops call. When the sources run through a CommonJS
// transform (tsx runs tests and benches so), each use of an imported binding is a getter call on
// the exporting module — 12 % of aepGradient's time in a profile of the layout optimizer; a local
// const is read once, and the JIT inlines the function behind it.
const turbinePowerCt = turbines.turbinePowerCt;
const uniformCurve = turbines.uniformCurve;
const flatTop = turbines.flatTop;
const { DW_WAKE, GAUSS_CULL, GWH_PER_W_YEAR, gatherPositions } = common;

export type { WindFarmModel } from "./kernels/index.js";
export { GAUSS_CULL };

/** Optional flow cases overriding the site's defaults. */
export interface FlowCaseOptions {
  readonly wdDeg?: ArrayLike<number>;
  readonly ws?: ArrayLike<number>;
}

export function windFarmModel<D extends DeficitModel>(parts: {
  site: Site; turbine: import("./turbine.js").Turbine; deficit: D; superposition?: SuperpositionModel;
  turbulence?: TurbulenceModel; rotorAverage?: RotorAverageName;
}): WindFarmModel<D> {
  return {
    site: parts.site,
    turbine: parts.turbine,
    deficit: parts.deficit,
    superposition: parts.superposition ?? { kind: "squared" },
    ...(parts.turbulence ? { turbulence: parts.turbulence } : {}),
    ...(parts.rotorAverage && parts.rotorAverage !== "center" ? { rotorAverage: parts.rotorAverage } : {}),
  };
}

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
  // A negative speed has no power and no wake: its AEP would be a silent 0 (case files refuse it too).
  for (let i = 0; i < ws.length; i++) if (ws[i] < 0) throw new InputError(`[${i}] must be ≥ 0 m/s, got ${ws[i]}`, { field: "ws" });
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
// Resolved model constants and the kernel, once per model

const resolvedCache = new WeakMap<WindFarmModel, Resolved>();
let dispatches = 0;

/**
 * The model's constants and kernel: called once per public entry point, so the kernel is
 * chosen once per call (`kernelDispatchCount` counts these choices, for the test that says so).
 */
function dispatch(model: WindFarmModel): Resolved {
  dispatches++;
  return lookup(model);
}

function lookup(model: WindFarmModel): Resolved {
  let r = resolvedCache.get(model);
  if (!r) {
    const D = model.turbine.diameterM;
    const kernel = kernelFor(model);
    const base = {
      linear: model.superposition.kind === "linear", D, R: D / 2, turbine: model.turbine, curve: uniformCurve(model.turbine), flat: flatTop(model.turbine), ceps: 0, ctlim: 0,
      tiAmb: model.site.ti, tiEff: kernel.usesTiEff === true,
    };
    r = kernel.resolve(model, base);
    resolvedCache.set(model, r);
  }
  return r;
}

/**
 * True when one pass over a direction's wake pairs serves all its speeds (every deficit the
 * free-stream speed times a factor of geometry alone: the IEA 37 simple Gaussian with a turbine
 * whose Ct is the same at every speed). An evaluation then costs about its directions' share,
 * whatever the speeds: fewer speeds save nothing (a coarse rose keeps them all).
 */
export function speedFreeWakes(model: WindFarmModel): boolean {
  if (isGeneral(model)) return false;
  const r = lookup(model);
  return r.kernel.speedFree?.(r) ?? false;
}

/** How many times an entry point has chosen a kernel in this thread (one per call). */
export function kernelDispatchCount(): number {
  return dispatches;
}

/** Internal (flow maps, after their propagation chose the kernel): the model's resolved constants with its kernel. */
export function resolvedModel(model: WindFarmModel): Resolved {
  return lookup(model);
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
 * Fills the pair lists of one direction through the kernel; returns the number of pairs.
 * `geometry`: also keep dw and hcw per pair (the gradient's backward pass needs them).
 */
function buildPairs(
  r: Resolved, sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number, geometry: boolean,
): number {
  gatherPositions(sc, n, x, y);
  const isWakedQ = sc.isWakedQ;
  isWakedQ.fill(0, 0, n);
  const e = r.kernel.pairs(r, sc, n, c, s, geometry);
  sc.pairStartP[n] = e;
  let w = 0;
  for (let q = 0; q < n; q++) if (isWakedQ[q]) sc.wakedW[w++] = q;
  sc.nWaked = w;
  return e;
}

/** freeStream() once per model and flow cases, not per call: the optimizer calls aepGradient thousands of times. */
let lastFree: { r: Resolved; fc: FlowCases; free: FreeStream } | undefined;

function freeStreamOf(r: Resolved, fc: FlowCases, pc: Float64Array): FreeStream {
  if (lastFree && lastFree.r === r && lastFree.fc === fc) return lastFree.free;
  const free = freeStream(r, fc.ws, pc);
  lastFree = { r, fc, free };
  return free;
}

function freeStream(r: Resolved, ws: Float64Array, pc: Float64Array): FreeStream {
  const K = ws.length;
  const f: FreeStream = {
    powerK: new Float64Array(K), ctK: new Float64Array(K), dPowerK: new Float64Array(K), dCtK: new Float64Array(K),
    ctD2over8K: new Float64Array(K), srcK: new Float64Array(K),
  };
  for (let k = 0; k < K; k++) {
    turbinePowerCt(r.turbine, ws[k], pc);
    f.powerK[k] = pc[0]; f.ctK[k] = pc[1]; f.dPowerK[k] = pc[2]; f.dCtK[k] = pc[3];
    f.srcK[k] = r.kernel.sourceFactor(r, pc[1], ws[k], r.tiAmb);
    f.ctD2over8K[k] = pc[1] * ((r.D * r.D) / 8);
  }
  return f;
}

/**
 * One flow case of one direction: visits positions upstream first, fills wsEffQ, ctQ,
 * dPowerQ, dCtQ, tiEffQ when the kernel reads it (and the kernel's dE, auxE when
 * `keepDeficits`); the caller reads powers from `powerQ`.
 */
function propagateCase(
  r: Resolved, sc: Scratch, n: number, WS: number, kIdx: number, free: FreeStream, powerQ: Float64Array, keepDeficits: boolean,
): void {
  const { pairStartP, accQ, wsEffQ, ctQ, dPowerQ, dCtQ, pc } = sc;
  const { linear, turbine, kernel } = r;
  for (let q = 0; q < n; q++) accQ[q] = 0;
  // No turbulence model yet: every source's effective TI is the ambient one.
  if (r.tiEff) sc.tiEffQ.fill(r.tiAmb, 0, n);
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
    kernel.pushSource(r, sc, p, e0, e1, ct, acc, WS, kIdx, free, keepDeficits);
  }
}

// ---------------------------------------------------------------------------------------
// Public entry points

/**
 * The one AEP loop every entry point runs: aepI per turbine; the tensors [n, wd, ws] when
 * given; the AEP per flow case `aepLK` (summed over turbines) when given. Extra outputs only
 * add writes: the additions into aepI are the same, in the same order, with or without them
 * (except that one speed without outputs takes the kernel's fused loop, equal to the bit).
 */
function run(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, fc: FlowCases, aepI: Float64Array,
  tensors?: Tensors, aepLK?: Float64Array,
): void {
  const n = x.length;
  checkLayout(x, y);
  if (isGeneral(model)) {
    // turbulence, GaussianOverlap, TurboGaussian …: the general kernel (./kernels/general.ts)
    dispatches++;
    if (!aepLK) {
      runGeneral(model, x, y, fc.wdDeg, fc.ws, fc.pLK, aepI, tensors);
      return;
    }
    // The general kernel keeps no per-flow-case sums: they come from its power tensor.
    const L = fc.wdDeg.length;
    const K = fc.ws.length;
    const size = n * L * K;
    const t = tensors ?? { wsEffILK: new Float64Array(size), powerILK: new Float64Array(size), ctILK: new Float64Array(size) };
    runGeneral(model, x, y, fc.wdDeg, fc.ws, fc.pLK, aepI, t);
    aepLK.fill(0, 0, L * K);
    for (let i = 0; i < n; i++) {
      for (let lk = 0; lk < L * K; lk++) aepLK[lk] += t.powerILK[i * L * K + lk] * (fc.pLK[lk] * GWH_PER_W_YEAR);
    }
    return;
  }
  const r = dispatch(model);
  const sc = scratch;
  sc.ensure(n);
  const L = fc.wdDeg.length;
  const K = fc.ws.length;
  const free = freeStreamOf(r, fc, sc.pc);
  sc.ensureK(n, K);
  aepI.fill(0, 0, n);
  if (aepLK) aepLK.fill(0, 0, L * K);
  sc.aepLK = aepLK ?? null;
  try {
    directions(r, sc, n, x, y, fc, free, aepI, tensors, aepLK);
  } finally {
    sc.aepLK = null;
  }
}

function directions(
  r: Resolved, sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>, fc: FlowCases, free: FreeStream,
  aepI: Float64Array, tensors: Tensors | undefined, aepLK: Float64Array | undefined,
): void {
  const kernel = r.kernel;
  const { wdDeg, ws, pLK } = fc;
  const L = wdDeg.length;
  const K = ws.length;
  const { orderP } = sc;
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    sortDownwind(orderP, sc.keyI, n, x, y, c, s);
    if (K === 1 && !tensors && !aepLK) {
      gatherPositions(sc, n, x, y);
      kernel.fusedSingleSpeed(r, sc, n, c, s, ws[0], free, pLK[l] * GWH_PER_W_YEAR, aepI);
      continue;
    }
    buildPairs(r, sc, n, x, y, c, s, false);
    // Turbines no wake reaches in this direction make free-stream power at every speed.
    let freeL = 0;
    for (let k = 0; k < K; k++) freeL += free.powerK[k] * (pLK[l * K + k] * GWH_PER_W_YEAR);
    const { isWakedQ } = sc;
    for (let p = 0; p < n; p++) {
      if (isWakedQ[p]) continue;
      const i = orderP[p];
      aepI[i] += freeL;
      if (aepLK) for (let k = 0; k < K; k++) aepLK[l * K + k] += free.powerK[k] * (pLK[l * K + k] * GWH_PER_W_YEAR);
      if (tensors) {
        const at0 = (i * L + l) * K;
        for (let k = 0; k < K; k++) {
          tensors.wsEffILK[at0 + k] = ws[k];
          tensors.powerILK[at0 + k] = free.powerK[k];
          tensors.ctILK[at0 + k] = free.ctK[k];
        }
      }
    }
    kernel.directionAep(r, sc, n, ws, K, free, pLK, l, L, aepI, tensors);
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

/**
 * Internal: the fast path's loops with tensors [n, wd, ws] written on the way, for
 * `simulate`. `into` reuses the caller's buffers when they have the right size.
 */
export function runWithTensors(model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, opts?: FlowCaseOptions, into?: Tensors): {
  fc: FlowCases; aepI: Float64Array; tensors: Tensors;
} {
  const fc = flowCases(model, opts);
  const n = x.length;
  const size = n * fc.wdDeg.length * fc.ws.length;
  const tensors: Tensors = into && into.wsEffILK.length === size
    ? into
    : { wsEffILK: new Float64Array(size), powerILK: new Float64Array(size), ctILK: new Float64Array(size) };
  if (!tensors.tiEffILK || tensors.tiEffILK.length !== size) tensors.tiEffILK = new Float64Array(size);
  const aepI = new Float64Array(n);
  run(model, x, y, fc, aepI, tensors);
  // without a turbulence model the effective TI is the ambient TI
  if (!model.turbulence) tensors.tiEffILK.fill(model.site.ti);
  return { fc, aepI, tensors };
}

/**
 * Internal, for `simulate`: the fast path's loops with the AEP per turbine and per flow case
 * (summed over turbines) kept, no tensors. `aepI` and `aepLK` are the caller's (lengths n, L·K).
 */
export function runWithBreakdown(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, opts: FlowCaseOptions | undefined,
  aepI: Float64Array, aepLK: Float64Array,
): FlowCases {
  const fc = flowCases(model, opts);
  if (aepI.length < x.length || aepLK.length < fc.pLK.length) {
    throw new InputError(`breakdown arrays need lengths ≥ ${x.length} and ${fc.pLK.length}`, { field: "aepI/aepLK" });
  }
  run(model, x, y, fc, aepI, undefined, aepLK);
  return fc;
}

/** The flow cases (and their probabilities) a call with these options runs. */
export function flowCasesOf(model: WindFarmModel, opts?: FlowCaseOptions): FlowCases {
  return flowCases(model, opts);
}

/**
 * AEP (GWh) and its gradient: fills dAepDx, dAepDy (GWh/m) by reverse-mode differentiation
 * through the propagation, with the kernel's backward pass (every built-in kernel has one; a
 * kernel without falls back to central finite differences). The adjoint of each effective
 * speed collects the power slope and, through Ct, the deficits that turbine casts
 * downstream; each pair then passes its share to the positions through dw and cw.
 */
export function aepGradient(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>,
  dAepDx: Float64Array, dAepDy: Float64Array, opts?: FlowCaseOptions,
): number {
  const n = x.length;
  checkLayout(x, y);
  if (dAepDx.length < n || dAepDy.length < n) {
    throw new InputError(`gradient arrays need length ≥ ${n}`, { field: "dAepDx/dAepDy" });
  }
  if (isGeneral(model)) {
    // reverse mode through the general propagation (turbulence, effective TI/WS, GaussianOverlap, Mirror)
    dispatches++;
    const f = flowCases(model, opts);
    return generalAepGradient(wakeModelOf(model), model.turbine, model.site.ti, x, y, f.wdDeg, f.ws, f.pLK, dAepDx, dAepDy);
  }
  const r = dispatch(model);
  const { backward, flatSpeeds, speedFree, speedFreeGradient } = r.kernel;
  if (!backward) return finiteDifferenceGradient(model, x, y, dAepDx, dAepDy, opts);
  const fc = flowCases(model, opts);
  const sc = scratch;
  sc.ensure(n);
  const { wdDeg, ws, pLK } = fc;
  const L = wdDeg.length;
  const K = ws.length;
  // One speed keeps the per-speed loop: its AEP then stays the fused single-speed path's to the bit.
  const allSpeedsAtOnce = K > 1 && speedFree?.(r) ? speedFreeGradient : undefined;
  const free = freeStreamOf(r, fc, sc.pc);
  if (aepScratchI.length < n) aepScratchI = new Float64Array(n);
  const aepI = aepScratchI;
  aepI.fill(0, 0, n);
  dAepDx.fill(0, 0, n);
  dAepDy.fill(0, 0, n);
  const powerQ = sc.powerQ;
  const { orderP, gwQ, ghQ } = sc;
  for (let l = 0; l < L; l++) {
    const theta = (90 - wdDeg[l]) * (Math.PI / 180);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    sortDownwind(orderP, sc.keyI, n, x, y, c, s);
    buildPairs(r, sc, n, x, y, c, s, true);
    gwQ.fill(0, 0, n);
    ghQ.fill(0, 0, n);
    if (allSpeedsAtOnce) {
      allSpeedsAtOnce(r, sc, n, ws, K, free, pLK, l, aepI);
      toPositions(sc, n, c, s, dAepDx, dAepDy);
      continue;
    }
    const kEnd = flatSpeeds ? flatSpeeds(r, sc, n, ws, K) : K;
    for (let kk = 0; kk < kEnd; kk++) {
      const pw = pLK[l * K + kk] * GWH_PER_W_YEAR;
      const WS = ws[kk];
      propagateCase(r, sc, n, WS, kk, free, powerQ, true);
      for (let p = 0; p < n; p++) aepI[orderP[p]] += powerQ[p] * pw;
      if (pw === 0 || !anyPowerSlope(sc, n)) continue;
      backward(r, sc, n, WS, pw);
    }
    // On the flat top every turbine has the flat power (the free-stream row's) and P' = 0, so
    // every adjoint is 0: those speeds add their AEP only, in the same order as before the skip.
    for (let kk = kEnd; kk < K; kk++) {
      const term = free.powerK[kk] * (pLK[l * K + kk] * GWH_PER_W_YEAR);
      for (let p = 0; p < n; p++) aepI[orderP[p]] += term;
    }
    toPositions(sc, n, c, s, dAepDx, dAepDy);
  }
  return sumArray(aepI, n);
}

/** One direction's adjoints of dw and cw² per position back to x and y: dw = −cΔx − sΔy, cw² = (sΔx − cΔy)², Δ = dst − src. */
function toPositions(sc: Scratch, n: number, c: number, s: number, dAepDx: Float64Array, dAepDy: Float64Array): void {
  const { orderP, gwQ, ghQ } = sc;
  for (let p = 0; p < n; p++) {
    const i = orderP[p];
    const gw = gwQ[p];
    const gh = ghQ[p];
    dAepDx[i] += -c * gw + 2 * s * gh;
    dAepDy[i] += -s * gw - 2 * c * gh;
  }
}

/**
 * False when no waked turbine of this flow case sits on a slope of the power curve (below cut-in,
 * on the flat top): every adjoint is then exactly 0 — the most downstream ones are pw·P' = 0, and
 * a source's c̄t only collects its destinations' adjoints — so the backward pass adds nothing.
 * Horns Rev 1 (coarse search's best, seed 0): 402 of the 5,549 flow cases the flat-top bound
 * leaves (of 8,280), the 360 at 3 m/s below the V80's cut-in among them.
 */
function anyPowerSlope(sc: Scratch, n: number): boolean {
  const { accQ, dPowerQ } = sc;
  for (let p = 0; p < n; p++) if (accQ[p] !== 0 && dPowerQ[p] !== 0) return true;
  return false;
}

/** Central differences (h = 1e-3 m) for a kernel without a backward pass. */
function finiteDifferenceGradient(
  model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>,
  dAepDx: Float64Array, dAepDy: Float64Array, opts?: FlowCaseOptions,
): number {
  const n = x.length;
  const h = 1e-3;
  const xs = Float64Array.from(x);
  const ys = Float64Array.from(y);
  for (let i = 0; i < n; i++) {
    const x0 = xs[i];
    xs[i] = x0 + h; const xp = aepGWh(model, xs, ys, opts);
    xs[i] = x0 - h; const xm = aepGWh(model, xs, ys, opts);
    xs[i] = x0;
    dAepDx[i] = (xp - xm) / (2 * h);
    const y0 = ys[i];
    ys[i] = y0 + h; const yp = aepGWh(model, xs, ys, opts);
    ys[i] = y0 - h; const ym = aepGWh(model, xs, ys, opts);
    ys[i] = y0;
    dAepDy[i] = (yp - ym) / (2 * h);
  }
  return aepGWh(model, xs, ys, opts);
}

/**
 * The smart-start value map (TopFarm `aep4smart_start`, physics.md "Smart start" step 1):
 * for each candidate point, the AEP (GWh) a turbine there would make inside the wakes of the
 * placed turbines, its own effect on them ignored. The placed turbines' effective speeds and
 * Ct come from propagating among themselves; every placed turbine with dw > −1e-10 counts
 * (dw = 0 included, so a candidate on a placed turbine's row, column or diagonal is waked
 * from both sides). Deficits at the candidate's rotor centre (the kernel's point deficit, as
 * a flow map takes them), no rotor averaging.
 */
export function candidateAepGWh(
  model: WindFarmModel, placedX: ArrayLike<number>, placedY: ArrayLike<number>,
  candX: ArrayLike<number>, candY: ArrayLike<number>, out: Float64Array, opts?: FlowCaseOptions,
): void {
  checkLayout(placedX, placedY, "placed turbines");
  checkLayout(candX, candY, "candidates");
  const m = candX.length;
  if (out.length < m) throw new InputError(`output needs length ≥ ${m}`, { field: "out" });
  if (isGeneral(model)) {
    dispatches++;
    const f = flowCases(model, opts);
    candidateGeneral(model, placedX, placedY, candX, candY, out, f.wdDeg, f.ws, f.pLK);
    return;
  }
  const r = dispatch(model);
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
  const { linear, turbine, kernel } = r;
  const facQ = sc.epsQ; // the kernel's source factor per placed position for this flow case
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
      const tiEffQ = r.tiEff ? sc.tiEffQ : undefined;
      for (let p = 0; p < n; p++) facQ[p] = kernel.sourceFactor(r, ctQ[p], WS, tiEffQ ? tiEffQ[p] : r.tiAmb);
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
          const d = kernel.pointDeficit(r, ctQ[p], facQ[p], WS, dw, s * dx - c * dy, tiEffQ ? tiEffQ[p] : r.tiAmb);
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
