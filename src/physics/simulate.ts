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
    tiEff: ndarray(tensors.tiEffILK as Float64Array, shape),
    aep() {
      if (total === undefined) { total = 0; for (let i = 0; i < n; i++) total += aepI[i]; }
      return total;
    },
    aepPerTurbine: () => ndarray(Float64Array.from(aepI), [n]),
    aepPerDirection: () => ndarray(perDirection(tensors.powerILK, pLK, n, L, K), [L]),
    aepPerSpeed: () => ndarray(perSpeed(tensors.powerILK, pLK, n, L, K), [K]),
    aepTensor: () => ndarray(Float64Array.from(aepILK()), shape),
    aepNoWake() { const a = noWake(); let s = 0; for (let i = 0; i < n; i++) s += a[i]; return s; },
    aepNoWakePerTurbine: () => ndarray(noWake(), [n]),
  };
}

/**
 * AEP per direction (summed over turbines and speeds) and per speed (over turbines and
 * directions) from the power tensor [n, L, K] and P(wd, ws): within each turbine first, then
 * over turbines, one order of additions for both; each term power·P·8760e-9 as the AEP
 * tensor holds it, computed on the way instead of materialising that tensor.
 */
function perDirection(powerILK: Float64Array, pLK: Float64Array, n: number, L: number, K: number): Float64Array {
  const out = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    let sm = 0;
    for (let i = 0; i < n; i++) {
      const at = (i * L + l) * K;
      let si = 0;
      for (let k = 0; k < K; k++) si += powerILK[at + k] * pLK[l * K + k] * GWH_PER_W_YEAR;
      sm += si;
    }
    out[l] = sm;
  }
  return out;
}

function perSpeed(powerILK: Float64Array, pLK: Float64Array, n: number, L: number, K: number): Float64Array {
  const out = new Float64Array(K);
  const si = new Float64Array(K);
  // Turbine-major so each turbine's [L, K] block is read once; per speed the additions run
  // over directions within a turbine, then over turbines, as in perDirection.
  for (let i = 0; i < n; i++) {
    si.fill(0);
    const base = i * L * K;
    for (let l = 0; l < L; l++) {
      const at = base + l * K;
      for (let k = 0; k < K; k++) si[k] += powerILK[at + k] * pLK[l * K + k] * GWH_PER_W_YEAR;
    }
    for (let k = 0; k < K; k++) out[k] += si[k];
  }
  return out;
}
