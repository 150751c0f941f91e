/**
 * `simulate(model, x, y)`: PyWake's `wfm(x, y)` with its accessors (`sim.aep()`,
 * `sim.aepPerTurbine()`, …), computed by the very loops of the fast path (`aepGWh`): the total
 * and per-turbine AEP are its numbers to the bit; per direction and per speed come from the
 * AEP per flow case the same loops add up on the way. The tensors [n, wd, ws] (`wsEff`,
 * `powerW`, `ct`, `aepTensor()`) are computed on first read only. Sums are hierarchical
 * (physics.md "Summing"): per turbine over its flow cases first, then over turbines.
 */
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { flowCasesOf, runWithBreakdown, runWithTensors, type FlowCaseOptions, type WindFarmModel } from "./engine.js";
import type { Tensors } from "./kernels/index.js";
import { turbinePowerCt } from "./turbine.js";

const GWH_PER_W_YEAR = 8760 * 1e-9;

export interface SimulationResult {
  readonly model: WindFarmModel;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly wdDeg: Float64Array;
  readonly ws: Float64Array;
  /** P(wd, ws), shape [wd, ws]. */
  readonly probability: NdArray<Float64Array>;
  /** Effective hub-height wind speed (m/s), shape [n, wd, ws]. */
  readonly wsEff: NdArray<Float64Array>;
  /** Power (W), shape [n, wd, ws]. */
  readonly powerW: NdArray<Float64Array>;
  /** Thrust coefficient, shape [n, wd, ws]. */
  readonly ct: NdArray<Float64Array>;
  /** Effective turbulence intensity, shape [n, wd, ws]: the ambient TI plus the wake-added TI of the model's turbulence model (the ambient TI without one). */
  readonly tiEff: NdArray<Float64Array>;
  /** Total AEP (GWh). */
  aep(): number;
  /** AEP per turbine (GWh), shape [n]. */
  aepPerTurbine(): NdArray<Float64Array>;
  /** AEP per direction (GWh), shape [wd]. */
  aepPerDirection(): NdArray<Float64Array>;
  /** AEP per wind speed (GWh), shape [ws]. */
  aepPerSpeed(): NdArray<Float64Array>;
  /** AEP per turbine, direction and speed (GWh), shape [n, wd, ws]. */
  aepTensor(): NdArray<Float64Array>;
  /** Total AEP without wakes (GWh). */
  aepNoWake(): number;
  /** AEP without wakes per turbine (GWh), shape [n]. */
  aepNoWakePerTurbine(): NdArray<Float64Array>;
}

export function simulate(model: WindFarmModel, x: ArrayLike<number>, y: ArrayLike<number>, opts?: FlowCaseOptions): SimulationResult {
  const xs = Float64Array.from(x);
  const ys = Float64Array.from(y);
  const n = xs.length;
  const fc0 = flowCasesOf(model, opts);
  const aepI = new Float64Array(n);
  const aepLK = new Float64Array(fc0.pLK.length);
  // The fast path's loops, with each AEP term also added to its flow case's sum: aep() is
  // aepGWh's number to the bit, the breakdowns cost L·K additions more, no [n, wd, ws] tensor.
  const fc = runWithBreakdown(model, xs, ys, opts, aepI, aepLK);
  const L = fc.wdDeg.length;
  const K = fc.ws.length;
  const pLK = fc.pLK;
  const shape = [n, L, K];
  let total: number | undefined;
  // WS_eff, power and Ct [n, wd, ws] only when one of them is read: the same loops again with
  // the tensors written on the way (so they hold the very values the AEP above summed).
  let tensors: Tensors | undefined;
  const tensorsOf = (): Tensors => (tensors ??= runWithTensors(model, xs, ys, opts).tensors);
  const noWake = (): Float64Array => {
    const pc = new Float64Array(4);
    const perCase = new Float64Array(K);
    for (let k = 0; k < K; k++) { turbinePowerCt(model.turbine, fc.ws[k], pc); perCase[k] = pc[0]; }
    let one = 0;
    for (let l = 0; l < L; l++) for (let k = 0; k < K; k++) one += perCase[k] * pLK[l * K + k] * GWH_PER_W_YEAR;
    return new Float64Array(n).fill(one);
  };
  return {
    model, x: xs, y: ys, wdDeg: fc.wdDeg, ws: fc.ws,
    probability: ndarray(Float64Array.from(pLK), [L, K]),
    get wsEff() { return ndarray(tensorsOf().wsEffILK, shape); },
    get powerW() { return ndarray(tensorsOf().powerILK, shape); },
    get ct() { return ndarray(tensorsOf().ctILK, shape); },
    get tiEff() { return ndarray(tensorsOf().tiEffILK as Float64Array, shape); },
    aep() {
      if (total === undefined) { total = 0; for (let i = 0; i < n; i++) total += aepI[i]; }
      return total;
    },
    aepPerTurbine: () => ndarray(Float64Array.from(aepI), [n]),
    aepPerDirection: () => ndarray(perDirection(aepLK, L, K), [L]),
    aepPerSpeed: () => ndarray(perSpeed(aepLK, L, K), [K]),
    aepTensor: () => ndarray(aepILK(tensorsOf().powerILK, pLK, n, L * K), shape),
    aepNoWake() { const a = noWake(); let s = 0; for (let i = 0; i < n; i++) s += a[i]; return s; },
    aepNoWakePerTurbine: () => ndarray(noWake(), [n]),
  };
}

/** power·P·8760e-9 per turbine and flow case, the terms the engine sums. */
function aepILK(powerILK: Float64Array, pLK: Float64Array, n: number, LK: number): Float64Array {
  const out = new Float64Array(n * LK);
  for (let i = 0; i < n; i++) {
    for (let lk = 0; lk < LK; lk++) out[i * LK + lk] = powerILK[i * LK + lk] * pLK[lk] * GWH_PER_W_YEAR;
  }
  return out;
}

/**
 * AEP per direction and per speed from the AEP per flow case, which the engine summed over
 * turbines first (physics.md "Summing": short sums before long ones, never one running sum
 * over all n·L·K terms).
 */
function perDirection(aepLK: Float64Array, L: number, K: number): Float64Array {
  const out = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    let sm = 0;
    for (let k = 0; k < K; k++) sm += aepLK[l * K + k];
    out[l] = sm;
  }
  return out;
}

function perSpeed(aepLK: Float64Array, L: number, K: number): Float64Array {
  const out = new Float64Array(K);
  for (let l = 0; l < L; l++) for (let k = 0; k < K; k++) out[k] += aepLK[l * K + k];
  return out;
}
