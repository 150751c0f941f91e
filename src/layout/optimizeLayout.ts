/**
 * One configuration end to end, as the batch runs it: candidate grid → smart start →
 * optimize → feasibility verdict. The single entry point for workers and the CLI.
 */
import {
  aepGWh, aepGradient, aepPerTurbineGWh, candidateAepGWh, isGaussian,
  type FlowCaseOptions, type WindFarmModel,
} from "../physics/index.js";
import { InputError } from "../errors.js";
import { type Boundary, boundaryCanHold } from "./boundary.js";
import { feasibilityCheck } from "./constraints.js";
import { candidateGrid } from "./grid.js";
import { type AepWithGradient, optimize, type OptimizerOptions } from "./optimize.js";
import { NoFeasiblePositionError, smartStart, type ValueMap } from "./smartStart.js";

export interface OptimizeLayoutConfig {
  model: WindFarmModel;
  /** Flow cases (a case file's `wd`/`ws`); the site's defaults when absent. */
  flowCases?: FlowCaseOptions;
  boundary: Boundary;
  nTurbines: number;
  minSpacingM: number;
  /** Candidate grid points per side for smart start (TopFarm users: 18). */
  gridSize: number;
  /** Percentage of the best candidates smart start picks from at random. */
  randomPct: number;
  /** Smart-start seed (numpy `np.random.seed`); also seeds the optimizer's moves. */
  seed: number;
  optimizer?: OptimizerOptions;
}

export interface OptimizeLayoutResult {
  x: Float64Array;
  y: Float64Array;
  aepGWh: number;
  aepPerTurbineGWh: Float64Array;
  aepInitialGWh: number;
  smartStart: { x: Float64Array; y: Float64Array };
  iterations: number;
  /** AEP (GWh) of every optimizer iterate. */
  history: Float64Array;
  /** Best feasible AEP (GWh) after the first local solve and after each hop. */
  hopHistory: Float64Array;
  feasible: boolean;
  maxBoundaryViolationM: number;
  /** Smallest pairwise distance in the result (m). */
  minSpacingFoundM: number;
  evaluations: number;
  elapsedS: number;
  smartStartS: number;
}

/** The value map of the smart start: physics' candidateAepGWh over the model's flow cases. */
export function modelValueMap(model: WindFarmModel, flowCases?: FlowCaseOptions): ValueMap {
  return (px, py, cx, cy, out) => candidateAepGWh(model, px, py, cx, cy, out, flowCases);
}

/**
 * AEP gradient for the optimizer: analytic for the Gaussian models; for NOJ (whose top-hat
 * wake has no analytic gradient, but whose partial-overlap AEP is continuous) a central
 * difference with a 0.5 m step.
 */
export function modelAepGradient(model: WindFarmModel, flowCases?: FlowCaseOptions): AepWithGradient {
  if (isGaussian(model.deficit)) return (x, y, gx, gy) => aepGradient(model, x, y, gx, gy, flowCases);
  const h = 0.5;
  return (x, y, gx, gy) => {
    const n = x.length;
    const xs = Float64Array.from(x), ys = Float64Array.from(y);
    for (let i = 0; i < n; i++) {
      xs[i] = x[i] + h; const a = aepGWh(model, xs, ys, flowCases);
      xs[i] = x[i] - h; const b = aepGWh(model, xs, ys, flowCases);
      xs[i] = x[i];
      gx[i] = (a - b) / (2 * h);
      ys[i] = y[i] + h; const c = aepGWh(model, xs, ys, flowCases);
      ys[i] = y[i] - h; const d = aepGWh(model, xs, ys, flowCases);
      ys[i] = y[i];
      gy[i] = (c - d) / (2 * h);
    }
    return aepGWh(model, x, y, flowCases);
  };
}

function checkConfig(c: OptimizeLayoutConfig): void {
  if (!Number.isInteger(c.nTurbines) || c.nTurbines < 1) throw new InputError(`must be an integer ≥ 1, got ${c.nTurbines}`, { field: "n_turbines" });
  if (!(Number.isFinite(c.minSpacingM) && c.minSpacingM >= 0)) throw new InputError(`must be a finite number ≥ 0 (m), got ${c.minSpacingM}`, { field: "min_spacing_m" });
  if (!Number.isInteger(c.gridSize) || c.gridSize < 2) throw new InputError(`must be an integer ≥ 2, got ${c.gridSize}`, { field: "grid_size" });
  if (!(c.randomPct >= 0 && c.randomPct <= 100)) throw new InputError(`must be in [0, 100], got ${c.randomPct}`, { field: "random_pct" });
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) throw new InputError(`must be an integer in [0, 2^32 − 1], got ${c.seed}`, { field: "seed" });
  const cap = boundaryCanHold(c.boundary, c.nTurbines, c.minSpacingM);
  if (!cap.possible) {
    throw new InputError(`cannot hold ${c.nTurbines} turbines ${c.minSpacingM} m apart: at most ${cap.maxTurbines} fit (${cap.bound})`, { field: "boundary" });
  }
}

/** Smart start only (what `wflo smart-start` prints). */
export function smartStartLayout(c: Omit<OptimizeLayoutConfig, "optimizer">): { x: Float64Array; y: Float64Array; aepGWh: number } {
  checkConfig(c);
  const grid = candidateGrid(c.boundary, c.gridSize);
  const ss = smartStartOrInputError(c, grid.x, grid.y);
  return { x: ss.x, y: ss.y, aepGWh: aepGWh(c.model, ss.x, ss.y, c.flowCases) };
}

function smartStartOrInputError(c: Omit<OptimizeLayoutConfig, "optimizer">, gx: Float64Array, gy: Float64Array) {
  try {
    return smartStart({
      candX: gx, candY: gy, nTurbines: c.nTurbines, valueMap: modelValueMap(c.model, c.flowCases),
      randomPct: c.randomPct, seed: c.seed, minSpacingM: c.minSpacingM,
    });
  } catch (e) {
    if (e instanceof NoFeasiblePositionError) throw new InputError(e.message, { field: "grid_size" });
    throw e;
  }
}

export function optimizeLayout(c: OptimizeLayoutConfig): OptimizeLayoutResult {
  const t0 = performance.now();
  checkConfig(c);
  const grid = candidateGrid(c.boundary, c.gridSize);
  const ss = smartStartOrInputError(c, grid.x, grid.y);
  const t1 = performance.now();
  const r = optimize({
    aep: (x, y) => aepGWh(c.model, x, y, c.flowCases),
    aepGradient: modelAepGradient(c.model, c.flowCases),
    gradientCost: isGaussian(c.model.deficit) ? 1 : 4 * c.nTurbines + 1,
    valueMap: modelValueMap(c.model, c.flowCases),
    boundary: c.boundary,
    minSpacingM: c.minSpacingM,
    x0: ss.x, y0: ss.y,
  }, { seed: c.seed, ...c.optimizer });
  const perTurbine = new Float64Array(c.nTurbines);
  const total = aepPerTurbineGWh(c.model, r.x, r.y, perTurbine, c.flowCases);
  const fin = feasibilityCheck(c.boundary, r.x, r.y, c.minSpacingM);
  return {
    x: r.x, y: r.y, aepGWh: total, aepPerTurbineGWh: perTurbine, aepInitialGWh: r.aepInitialGWh,
    smartStart: { x: ss.x, y: ss.y },
    iterations: r.iterations, history: r.history, hopHistory: r.hopHistory,
    feasible: fin.feasible && r.feasible,
    maxBoundaryViolationM: fin.maxBoundaryViolationM,
    minSpacingFoundM: fin.minSpacingM,
    evaluations: r.evaluations,
    elapsedS: (performance.now() - t0) / 1000,
    smartStartS: (t1 - t0) / 1000,
  };
}
