/**
 * `simulate(model, x, y)`: one run over all flow cases keeping the per-turbine tensors, with
 * PyWake-style accessors (`sim.aep()`, `sim.aepPerTurbine()`, …). Sums are hierarchical
 * (physics.md "Summing"): per turbine over its flow cases first, then over turbines.
 */
import ndarray from "ndarray";
import type { NdArray } from "ndarray";
import { runWithTensors, type FlowCaseOptions, type WindFarmModel } from "./engine.js";
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
  const { fc, aepI, tensors } = runWithTensors(model, xs, ys, opts);
  const n = xs.length;
  const L = fc.wdDeg.length;
  const K = fc.ws.length;
  const pLK = fc.pLK;
  const shape = [n, L, K];
  let total: number | undefined;
  let tensor: Float64Array | undefined;
  const aepILK = (): Float64Array => {
    if (!tensor) {
      tensor = new Float64Array(n * L * K);
      for (let i = 0; i < n; i++) {
        for (let lk = 0; lk < L * K; lk++) tensor[i * L * K + lk] = tensors.powerILK[i * L * K + lk] * pLK[lk] * GWH_PER_W_YEAR;
      }
    }
    return tensor;
  };
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
    wsEff: ndarray(tensors.wsEffILK, shape),
    powerW: ndarray(tensors.powerILK, shape),
    ct: ndarray(tensors.ctILK, shape),
    aep() {
      if (total === undefined) { total = 0; for (let i = 0; i < n; i++) total += aepI[i]; }
      return total;
    },
    aepPerTurbine: () => ndarray(Float64Array.from(aepI), [n]),
    aepPerDirection: () => ndarray(marginal(aepILK(), n, L, K, "direction"), [L]),
    aepPerSpeed: () => ndarray(marginal(aepILK(), n, L, K, "speed"), [K]),
    aepTensor: () => ndarray(Float64Array.from(aepILK()), shape),
    aepNoWake() { const a = noWake(); let s = 0; for (let i = 0; i < n; i++) s += a[i]; return s; },
    aepNoWakePerTurbine: () => ndarray(noWake(), [n]),
  };
}

/**
 * AEP per direction (summed over turbines and speeds) or per speed (over turbines and
 * directions) of the [n, L, K] tensor `t`: within each turbine first, then over turbines,
 * one order of additions for both.
 */
function marginal(t: Float64Array, n: number, L: number, K: number, keep: "direction" | "speed"): Float64Array {
  const M = keep === "direction" ? L : K;
  const inner = keep === "direction" ? K : L;
  const out = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    let sm = 0;
    for (let i = 0; i < n; i++) {
      let si = 0;
      for (let j = 0; j < inner; j++) si += t[keep === "direction" ? (i * L + m) * K + j : (i * L + j) * K + m];
      sm += si;
    }
    out[m] = sm;
  }
  return out;
}
