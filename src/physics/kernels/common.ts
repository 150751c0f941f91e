/**
 * What every wake kernel shares with the engine: the resolved model constants, the scratch
 * buffers (flat, structure-of-arrays, grown on demand and reused across calls), the
 * free-stream rows, PyWake's wake split and the Gaussian cull, and the kernel interface.
 *
 * A kernel (one file per wake model in this folder) owns every loop whose arithmetic
 * depends on its model: pair geometry, the single- and multi-speed AEP loops, a source's
 * push of deficits in one flow case, the gradient's backward pass, and the deficit at an
 * arbitrary point (flow maps, the smart-start value map). The engine (../engine.ts) owns
 * flow cases, the downwind sort, the visiting order and the turbine curves, and picks the
 * kernel once per call (`Resolved.kernel`), never per pair.
 */
import { InputError } from "../../errors.js";
import type { DeficitModel } from "../deficit/index.js";
import type { Site } from "../site.js";
import type { SuperpositionModel } from "../superposition.js";
import type { TurbulenceModel } from "../turbulence/index.js";
import type { RotorAverageName } from "../modelSpec.js";
import * as turbines from "../turbine.js";
import type { FlatTop, Turbine, UniformCurve } from "../turbine.js";

const turbinePowerCt = turbines.turbinePowerCt;
const uniformPowerCt = turbines.uniformPowerCt;

/** Site + turbine + wake models: everything AEP needs except the layout. A plain object. */
export interface WindFarmModel<D extends DeficitModel = DeficitModel> {
  readonly site: Site;
  readonly turbine: Turbine;
  readonly deficit: D;
  readonly superposition: SuperpositionModel;
  /** Wake-added turbulence, propagated downwind as effective TI (none: TI_eff = ambient TI). */
  readonly turbulence?: TurbulenceModel;
  /** Rotor average of the Gaussian deficits (default "center"; NOJ always averages by area overlap). */
  readonly rotorAverage?: RotorAverageName;
}

/** Watt-hours a year per watt, in GWh: 8760 h · 1e-9. */
export const GWH_PER_W_YEAR = 8760 * 1e-9;
/** PyWake's wake split, set slightly upstream against round-off. */
export const DW_WAKE = -1e-10;
/** Below this the k·dw term of σ is dropped (PyWake's eps). */
export const DW_SIGMA = 1e-10;
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
export const GAUSS_CULL2 = 2 * GAUSS_CULL;

/** Model constants, resolved once per model: one object shape for every kernel. */
export interface Resolved {
  kernel: WakeKernel;
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
  /** The turbine's curves with precomputed slopes when its table is evenly spaced (`uniformCurve`), else null. */
  curve: UniformCurve | null;
  /** The flat top of the power curve (`flatTop`): speeds whose every WS_eff provably stays there skip the propagation. */
  flat: FlatTop;
  /** The site's ambient turbulence intensity: every source's effective TI until a turbulence model adds to it. */
  tiAmb: number;
  /** The kernel reads its sources' effective TI (`WakeKernel.usesTiEff`): the engine then fills tiEffQ / tiEffQK. */
  tiEff: boolean;
}

/** Per-speed values of a turbine in free stream, cached because most turbines see it. */
export interface FreeStream {
  powerK: Float64Array; ctK: Float64Array; dPowerK: Float64Array; dCtK: Float64Array;
  /** Ct·D²/8 at each speed's free-stream Ct. */
  ctD2over8K: Float64Array;
  /** The kernel's Ct-dependent source factor at each speed (`WakeKernel.sourceFactor`). */
  srcK: Float64Array;
}

/**
 * Lines the engine and every kernel run, in one contract.
 *
 * What a kernel may read about a source turbine besides its Ct and the free-stream WS (the
 * engine fills these before the source casts its wakes):
 *   one flow case (pushSource, backward, candidates):  sc.wsEffQ[p], and sc.tiEffQ[p] when `usesTiEff`
 *   all speeds of a direction (directionAep, for a position it visited with visitSpeeds):
 *                                                      sc.wsEffQK[p·K + k], and sc.tiEffQK[p·K + k] when `usesTiEff`
 * (an unwaked source sees WS and the ambient TI `Resolved.tiAmb`). A kernel with constants of its
 * own returns a subtype of `Resolved` from `resolve` and declares its functions on that subtype
 * (method parameters are bivariant): nothing outside its file needs to know them.
 */
export interface WakeKernel<R extends Resolved = Resolved> {
  /** The deficit models (PyWake names) this kernel computes. */
  readonly deficits: readonly DeficitModel["kind"][];
  /**
   * Optional: claims a model by more than its deficit's name (e.g. a turbulence model or a
   * rotor average); kernels that have it are asked first, in KERNELS order.
   */
  accepts?(model: WindFarmModel): boolean;
  /** The kernel reads its sources' effective TI (sc.tiEffQ / tiEffQK, `tiEff` of sourceFactor and pointDeficit). */
  readonly usesTiEff?: boolean;
  /** Model constants (k, ε bound …) from the model; `base` carries what is model-independent. */
  resolve(model: WindFarmModel, base: ResolvedBase): R;
  /**
   * The factor a source's deficits share, from its Ct, the free-stream WS and its effective TI:
   * ε·D for the Gaussians with Ct-dependent width, NOJ's 2·a(min(Ct, 1))·WS; 0 when there is none.
   */
  sourceFactor(r: R, ct: number, ws: number, tiEff: number): number;
  /** Fills the pair lists of one direction (positions gathered in xP, yP); returns the pair count. */
  pairs(r: R, sc: Scratch, n: number, c: number, s: number, geometry: boolean): number;
  /** One direction at one speed, AEP only, without pair lists (see engine.ts). */
  fusedSingleSpeed(
    r: R, sc: Scratch, n: number, c: number, s: number,
    WS: number, free: FreeStream, pw: number, aepI: Float64Array,
  ): void;
  /**
   * All speeds of one direction, AEP only, speed-minor; when `tensors` is given also writes
   * WS_eff, power and Ct of each waked position into them (l = this direction).
   */
  directionAep(
    r: R, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
    pLK: Float64Array, l: number, L: number, aepI: Float64Array, tensors?: Tensors,
  ): void;
  /** Position p (Ct `ct`, summed deficit `acc`) pushes its deficits over pairs e0..e1 in one flow case. */
  pushSource(
    r: R, sc: Scratch, p: number, e0: number, e1: number, ct: number, acc: number,
    WS: number, kIdx: number, free: FreeStream, keepDeficits: boolean,
  ): void;
  /**
   * Optional: after `pairs`, the first of the trailing speeds of this direction at which every
   * turbine provably stays on the flat top of the power curve (flatSpeedsFrom); K when none.
   */
  flatSpeeds?(r: R, sc: Scratch, n: number, ws: Float64Array, K: number): number;
  /**
   * Optional: every deficit of this model is the free-stream speed times a factor of geometry
   * alone (Ct the same at every speed: the IEA 37 turbines); the kernel then has speedFreeGradient.
   */
  speedFree?(r: R): boolean;
  /**
   * Where `speedFree`: one direction's AEP at every speed and the backward pass of all of them
   * from one pass over its pairs. Called after `pairs` (with geometry) with gwQ, ghQ zeroed; adds
   * every position's AEP of this direction into aepI, in the order `directionAep` adds it.
   */
  speedFreeGradient?(
    r: R, sc: Scratch, n: number, ws: Float64Array, K: number, free: FreeStream,
    pLK: Float64Array, l: number, aepI: Float64Array,
  ): void;
  /** Backward pass of one flow case (adjoints into gwQ, ghQ); absent: no analytic gradient. */
  backward?(r: R, sc: Scratch, n: number, WS: number, pw: number): void;
  /**
   * Deficit at a point (dw, hcw) from a source of Ct `ct` and factor `factor`
   * (`sourceFactor(r, ct, WS)`), PyWake's flow-map rule: rotor centre, a zero-size rotor,
   * the engine's cull; 0 outside the wake. `tiEff` is the source's effective TI.
   */
  pointDeficit(r: R, ct: number, factor: number, WS: number, dw: number, hcw: number, tiEff: number): number;
}

/** What `resolve` receives: the model-independent constants. */
export type ResolvedBase = Omit<Resolved, "kernel" | "k" | "epsMax">;

/** Tensors [n, wd, ws] a `simulate` keeps; absent in the fast AEP path. */
export interface Tensors {
  wsEffILK: Float64Array; powerILK: Float64Array; ctILK: Float64Array;
  /** Effective TI; written by the general kernel (turbulence models), else the ambient TI by the engine. */
  tiEffILK?: Float64Array;
}

/** The largest Ct the turbine's curve can return (tables clamp, so it is the table's maximum). */
export function maxCt(t: Turbine): number {
  if (t.kind === "cubic") return t.ct;
  let m = 0;
  for (let i = 0; i < t.ctTable.length; i++) if (t.ctTable[i] > m) m = t.ctTable[i];
  return m;
}

export function unknownDeficit(d: { kind: string }): never {
  throw new InputError(`unknown deficit model "${d.kind}"`, { field: "model.deficit" });
}

// ---------------------------------------------------------------------------------------
// Scratch (grown on demand, reused across calls; one JS thread per module instance)

/** Below this many turbines the plain all-pairs scan is as fast as the window. */
export const WINDOW_MIN_N = 24;

export class Scratch {
  n = -1;
  orderP = new Int32Array(0);
  keyI = new Float64Array(0);
  /** Coordinates in upstream-first order, for the pair loops. */
  xP = new Float64Array(0);
  yP = new Float64Array(0);
  /** Crosswind coordinate by turbine, turbines in crosswind order (kept across directions as a warm start), rank by turbine, position by turbine, candidate targets. */
  cwI = new Float64Array(0);
  cwOrdI = new Int32Array(0);
  cwRankI = new Int32Array(0);
  pOfI = new Int32Array(0);
  candQ = new Int32Array(0);
  /** crosswindCandidates' half width (a typed slot: see there). */
  halfWidthF = new Float64Array(1);
  markQ = new Uint8Array(0);
  /** Per target, the superposed bound of its relative deficits at flat-top speeds (flatSpeedsFrom). */
  flatQ = new Float64Array(0);
  /** Turbine count from which the pair loops scan a crosswind window (tests set it high to compare with the plain scan). */
  windowMinN = WINDOW_MIN_N;
  pairStartP = new Int32Array(0);
  pairDstE = new Int32Array(0);
  pairAE = new Float64Array(0);
  pairBE = new Float64Array(0);
  pairHcwE = new Float64Array(0);
  pairDwE = new Float64Array(0);
  dE = new Float64Array(0);
  accQ = new Float64Array(0);
  /** Per position in one flow case: effective speed, and effective TI when the kernel reads it. */
  wsEffQ = new Float64Array(0);
  tiEffQ = new Float64Array(0);
  ctQ = new Float64Array(0);
  dPowerQ = new Float64Array(0);
  dCtQ = new Float64Array(0);
  powerQ = new Float64Array(0);
  epsQ = new Float64Array(0);
  /** Per pair, for the gradient: IEA 37 √(1 − x) of the centre deficit; Bastankhah the Gaussian factor; NOJ ∂(geometry)/∂rw. */
  auxE = new Float64Array(0);
  /** Per pair, for NOJ's gradient: ∂(geometry)/∂cw. */
  aux2E = new Float64Array(0);
  /** Backward pass: deficit adjoint factor, and the adjoints of dw and hcw·∂/∂cw² per position. */
  adjQ = new Float64Array(0);
  gwQ = new Float64Array(0);
  ghQ = new Float64Array(0);
  /** Positions with at least one incoming pair this direction (the others see free stream at every speed). */
  wakedW = new Int32Array(0);
  nWaked = 0;
  isWakedQ = new Uint8Array(0);
  pc = new Float64Array(4);
  /**
   * AEP per flow case (GWh), [l·K + k], summed over turbines on the way when a caller asked
   * for the breakdowns (simulate), else null: visitSpeeds and the engine add each term there too.
   */
  aepLK: Float64Array | null = null;
  /** Speed-minor tensors of the multi-speed AEP path: accQK[q·K + k], and per-source rows. */
  accQK = new Float64Array(0);
  /** Speed-minor effective TI of each position visitSpeeds visited ([p·K + k]). */
  tiEffQK = new Float64Array(0);
  epsDK = new Float64Array(0);
  ctD2K = new Float64Array(0);

  /** Sizes the speed-minor arrays for n positions × K speeds. */
  ensureK(n: number, K: number): void {
    if (this.accQK.length < n * K) {
      this.accQK = new Float64Array(n * K);
      this.tiEffQK = new Float64Array(n * K);
    }
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
      if (n <= this.n) for (let i = 0; i < n; i++) { this.orderP[i] = i; this.cwOrdI[i] = i; }
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
    this.cwI = new Float64Array(m);
    this.cwOrdI = new Int32Array(m);
    for (let i = 0; i < m; i++) this.cwOrdI[i] = i;
    this.cwRankI = new Int32Array(m);
    this.pOfI = new Int32Array(m);
    this.candQ = new Int32Array(m);
    this.markQ = new Uint8Array(m);
    this.flatQ = new Float64Array(m);
    this.pairStartP = new Int32Array(m + 1);
    this.pairDstE = new Int32Array(pairs);
    this.pairAE = new Float64Array(pairs);
    this.pairBE = new Float64Array(pairs);
    this.pairHcwE = new Float64Array(pairs);
    this.pairDwE = new Float64Array(pairs);
    this.dE = new Float64Array(pairs);
    this.auxE = new Float64Array(pairs);
    this.aux2E = new Float64Array(pairs);
    this.adjQ = new Float64Array(m);
    this.gwQ = new Float64Array(m);
    this.ghQ = new Float64Array(m);
    this.accQ = new Float64Array(m);
    this.wsEffQ = new Float64Array(m);
    this.tiEffQ = new Float64Array(m);
    this.ctQ = new Float64Array(m);
    this.dPowerQ = new Float64Array(m);
    this.dCtQ = new Float64Array(m);
    this.powerQ = new Float64Array(m);
    this.epsQ = new Float64Array(m);
    this.wakedW = new Int32Array(m);
    this.isWakedQ = new Uint8Array(m);
  }
}

/** Power into aepI and Ct of position p at one speed (free stream when nothing reached it); fused paths read no effective TI. */
export function visitSingleSpeed(r: Resolved, sc: Scratch, p: number, WS: number, free: FreeStream, pw: number, aepI: Float64Array): number {
  const acc = sc.accQ[p];
  const i = sc.orderP[p];
  if (acc === 0) {
    aepI[i] += free.powerK[0] * pw;
    return free.ctK[0];
  }
  const pc = sc.pc;
  const wsEff = WS - (r.linear ? acc : Math.sqrt(acc));
  if (r.curve) uniformPowerCt(r.curve, wsEff, pc);
  else turbinePowerCt(r.turbine, wsEff, pc);
  aepI[i] += pc[0] * pw;
  return pc[1];
}

/**
 * Speed-minor visit of waked position p in one direction: adds its AEP over the K speeds to
 * aepI, and writes per speed its Ct into ctOutK (−1: free stream), its effective TI into
 * sc.tiEffQK when the kernel reads it, and its WS_eff, power and Ct into the tensors when given.
 * The kernel then derives its source factors from ctOutK. Speeds from kEnd on are on the flat
 * top (flatSpeedsFrom: nothing was propagated there); only their AEP is needed, so ctOutK is
 * left unwritten there when the AEP alone is asked for.
 */
export function visitSpeeds(
  r: Resolved, sc: Scratch, p: number, ws: Float64Array, K: number, free: FreeStream,
  pLK: Float64Array, l: number, L: number, aepI: Float64Array, ctOutK: Float64Array, tensors: Tensors | undefined,
  kEnd: number,
): void {
  const { orderP, accQK, pc } = sc;
  const { linear, turbine, curve } = r;
  const i = orderP[p];
  const qK = p * K;
  const lK = l * K;
  const at0 = (i * L + l) * K;
  let a = aepI[i];
  // No turbulence model yet: the effective TI is the ambient one (where added TI will combine).
  if (r.tiEff) sc.tiEffQK.fill(r.tiAmb, qK, qK + K);
  const aepLK = sc.aepLK;
  if (curve && !tensors && !aepLK) {
    visitSpeedsUniform(curve, linear, accQK, qK, ws, K, kEnd, free.powerK, pLK, lK, ctOutK, aepI, i);
    return;
  }
  for (let k = 0; k < K; k++) {
    const acc = accQK[qK + k];
    const pw = pLK[lK + k] * GWH_PER_W_YEAR;
    if (acc === 0) {
      const term = free.powerK[k] * pw;
      a += term;
      if (aepLK) aepLK[lK + k] += term;
      ctOutK[k] = -1; // free stream: the kernel takes the free-stream row
      if (tensors) {
        tensors.wsEffILK[at0 + k] = ws[k];
        tensors.powerILK[at0 + k] = free.powerK[k];
        tensors.ctILK[at0 + k] = free.ctK[k];
      }
    } else {
      const wsEff = ws[k] - (linear ? acc : Math.sqrt(acc));
      if (curve) uniformPowerCt(curve, wsEff, pc);
      else turbinePowerCt(turbine, wsEff, pc);
      const term = pc[0] * pw;
      a += term;
      if (aepLK) aepLK[lK + k] += term;
      ctOutK[k] = pc[1];
      if (tensors) {
        tensors.wsEffILK[at0 + k] = wsEff;
        tensors.powerILK[at0 + k] = pc[0];
        tensors.ctILK[at0 + k] = pc[1];
      }
    }
  }
  aepI[i] = a;
}

/**
 * visitSpeeds' loop when nothing but the AEP is kept and the turbine's table is evenly spaced:
 * `uniformPowerCt` written out with its arrays in locals (the per-visit property reads and the
 * out-array round trip were most of a Horns Rev NOJ call). Same segment, same expressions,
 * same order of additions: the same bits as the general loop.
 */
function visitSpeedsUniform(
  cv: UniformCurve, linear: boolean, accQK: Float64Array, qK: number,
  ws: Float64Array, K: number, kEnd: number, freePowerK: Float64Array, pLK: Float64Array, lK: number, ctOutK: Float64Array,
  aepI: Float64Array, i: number,
): void {
  // the sum goes back through aepI, not a return value: a double returned from a call that is
  // not inlined is boxed (a heap number per visit, ~0.4 MB of garbage per Horns Rev call)
  let a = aepI[i];
  const xs = cv.ws, P = cv.powerW, C = cv.ct, sP = cv.powerSlope, sC = cv.ctSlope, invStep = cv.invStep;
  const last = xs.length - 1;
  const x0 = xs[0], xLast = xs[last];
  for (let k = 0; k < kEnd; k++) {
    const acc = accQK[qK + k];
    const pw = pLK[lK + k] * GWH_PER_W_YEAR;
    if (acc === 0) {
      a += freePowerK[k] * pw;
      ctOutK[k] = -1;
      continue;
    }
    const wsEff = ws[k] - (linear ? acc : Math.sqrt(acc));
    let power: number, ct: number;
    if (!(wsEff >= x0)) {
      power = P[0]; ct = C[0];
    } else if (wsEff >= xLast) {
      power = P[last]; ct = C[last];
    } else {
      let lo = Math.floor((wsEff - x0) * invStep); // a guess within one row: corrected below
      if (lo > last - 1) lo = last - 1;
      if (xs[lo] > wsEff) lo--;
      else if (xs[lo + 1] <= wsEff) lo++;
      power = sP[lo] * (wsEff - xs[lo]) + P[lo];
      ct = sC[lo] * (wsEff - xs[lo]) + C[lo];
    }
    a += power * pw;
    ctOutK[k] = ct;
  }
  // the flat top: free-stream power (nothing propagated), added in the same order
  for (let k = kEnd; k < K; k++) a += freePowerK[k] * (pLK[lK + k] * GWH_PER_W_YEAR);
  aepI[i] = a;
}

/**
 * The pair loops' crosswind window. A wake reaches only targets whose crosswind distance is
 * below a bound that grows with the downwind distance (NOJ: k·dw + 2R; Gaussian: the cull's
 * √(2·30)·σ), so with the turbines sorted crosswind (insertion sort warm-started from the last
 * direction: a few swaps a degree) a source scans only the targets inside the bound at the
 * farm's largest dw instead of all n. Horns Rev 1, NOJ: 3,160 candidate pairs a direction
 * become ~400. The candidates are handed back in ascending position order and every kept pair
 * is tested with the same exact expressions as before: the same pair lists, bit for bit.
 * Returns the largest dw of the direction (last position's downwind coordinate minus the
 * first's), for the caller's bound.
 */
export function prepareCrosswind(sc: Scratch, n: number, c: number, s: number): number {
  const { orderP, xP, yP, cwI, cwOrdI, cwRankI, pOfI } = sc;
  for (let p = 0; p < n; p++) {
    const i = orderP[p];
    pOfI[i] = p;
    cwI[i] = s * xP[p] - c * yP[p];
  }
  for (let r = 1; r < n; r++) {
    const id = cwOrdI[r];
    const key = cwI[id];
    let q = r - 1;
    while (q >= 0 && cwI[cwOrdI[q]] > key) { cwOrdI[q + 1] = cwOrdI[q]; q--; }
    cwOrdI[q + 1] = id;
  }
  for (let r = 0; r < n; r++) cwRankI[cwOrdI[r]] = r;
  return (-c * xP[n - 1] - s * yP[n - 1]) - (-c * xP[0] - s * yP[0]);
}

/**
 * Positions q > p whose crosswind coordinate lies within sc.halfWidthF[0] of p's into sc.candQ;
 * returns their count. Ascending when `ordered` (the gradient sums each source's pairs in
 * order); the AEP alone does not care (each target takes one term from a source), so it skips
 * the sort: a twelfth of a Horns Rev NOJ call. The half width comes through a typed slot, not an
 * argument: a double passed to a call that is not inlined is boxed (a heap number per source and
 * direction, 0.46 MB of garbage per Horns Rev NOJ call). The caller's half width carries a margin
 * over its exact bound (the crosswind coordinates here round differently from the pair's own s·dx − c·dy).
 */
export function crosswindCandidates(sc: Scratch, n: number, p: number, ordered = true): number {
  const { orderP, cwI, cwOrdI, cwRankI, pOfI, candQ } = sc;
  const halfWidth = sc.halfWidthF[0];
  const i = orderP[p];
  const cw = cwI[i];
  const rank = cwRankI[i];
  let m = 0;
  for (let r = rank + 1; r < n; r++) {
    const j = cwOrdI[r];
    if (cwI[j] - cw > halfWidth) break;
    const q = pOfI[j];
    if (q > p) candQ[m++] = q;
  }
  for (let r = rank - 1; r >= 0; r--) {
    const j = cwOrdI[r];
    if (cw - cwI[j] > halfWidth) break;
    const q = pOfI[j];
    if (q > p) candQ[m++] = q;
  }
  if (!ordered) return m;
  if (m <= 12) {
    for (let a = 1; a < m; a++) {
      const v = candQ[a];
      let b = a - 1;
      while (b >= 0 && candQ[b] > v) { candQ[b + 1] = candQ[b]; b--; }
      candQ[b + 1] = v;
    }
    return m;
  }
  // many candidates (wide Gaussian windows): mark them and read them back in order, O(n − p)
  // instead of the insertion sort's O(m²)
  const markQ = sc.markQ;
  for (let a = 0; a < m; a++) markQ[candQ[a]] = 1;
  let w = 0;
  for (let q = p + 1; q < n && w < m; q++) {
    if (markQ[q] === 0) continue;
    markQ[q] = 0;
    candQ[w++] = q;
  }
  return m;
}

/**
 * For the AEP alone: the first of the trailing speeds at which every turbine's WS_eff provably
 * stays on the flat top of the power curve (`flatTop`), K when there are none. The kernel has
 * summed into sc.flatQ, per target, a bound b of each of its pairs' deficit over WS while the
 * source is on the flat top (Ct ≤ ctMax there), superposed like the deficits (Σb² or Σb). By
 * induction in upstream order every source then is on the flat top, and WS_eff ≥ WS·(1 − G_q):
 * the speeds where WS·(1 − max G) ≥ loWs (with margins far above the loops' rounding) give every
 * turbine exactly the flat power, which the free-stream rows already hold. Their propagation is
 * skipped: nothing reaches accQK there, so visitSpeeds takes the free-stream power, the same
 * bits. (Horns Rev V80: flat from 16 m/s.)
 */
export function flatSpeedsFrom(sc: Scratch, n: number, linear: boolean, ws: Float64Array, K: number, loWs: number): number {
  return flatSpeedsFromBound(sc.flatQ, n, linear, ws, K, 0, loWs);
}

/** flatSpeedsFrom on any kernel's per-target bounds (boundQ), never below kFloor. */
export function flatSpeedsFromBound(
  boundQ: Float64Array, n: number, linear: boolean, ws: ArrayLike<number>, K: number, kFloor: number, loWs: number,
): number {
  let gMax = 0;
  for (let q = 0; q < n; q++) {
    const v = linear ? boundQ[q] : Math.sqrt(boundQ[q]);
    if (v > gMax) gMax = v;
  }
  // margins far above the rounding of the loops (expNeg ≤ 2 ulp, sums, √)
  const keep = 1 - gMax * (1 + 1e-9);
  let k = K;
  while (k > kFloor && ws[k - 1] * keep - 1e-9 >= loWs) k--;
  flatSkipped += K - k;
  return k;
}

let flatSkipped = 0;
/** Flow cases (direction × speed) whose propagation the fast kernels skipped on the flat top, in this thread (for tests). */
export function flatSkippedCount(): number {
  return flatSkipped;
}

/** xP, yP: the coordinates in upstream-first order (typed, contiguous, whatever x and y are). */
export function gatherPositions(sc: Scratch, n: number, x: ArrayLike<number>, y: ArrayLike<number>): void {
  const { orderP, xP, yP } = sc;
  for (let p = 0; p < n; p++) {
    const i = orderP[p];
    xP[p] = x[i];
    yP[p] = y[i];
  }
}

/**
 * Adjoint of position p's deficits once its Ct adjoint is complete: w̄ = pw·P' + c̄t·Ct'.
 * WS_eff is WS when unwaked, a constant: its adjoint then feeds nothing upstream.
 */
export function setAdjoint(
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
