/**
 * One configuration end to end, as the batch runs it: candidate grid → smart start →
 * optimize → feasibility verdict. The single entry point for workers and the CLI.
 */
import {
  aepGWh, aepGradient, aepPerTurbineGWh, candidateAepGWh, flowCaseProbabilities, speedFreeWakes, tableSite, wdBinWidthDeg,
  type DeficitModel, type FlowCaseOptions, type WindFarmModel,
} from "../physics/index.js";
import { InputError } from "../errors.js";
import { type Boundary, boundaryCanHold } from "./boundary.js";
import { feasibilityCheck } from "./constraints.js";
import { candidateGrid } from "./grid.js";
import { type AepWithGradient, optimize, type OptimizeObjective, type OptimizeResult, type OptimizerOptions } from "./optimize.js";
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
  /**
   * A layout to start from instead of the smart start: a stopped run's best, a published
   * layout. Lattice starts are then off unless the optimizer options ask for them (they would
   * compete with it); an infeasible start is repaired by the first solve.
   */
  start?: { x: ArrayLike<number>; y: ArrayLike<number> };
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
  /** Hops by move (relocate / shake): tried and improved. */
  moves: OptimizeResult["moves"];
  elapsedS: number;
  smartStartS: number;
}

/** The value map of the smart start: physics' candidateAepGWh over the model's flow cases. */
export function modelValueMap(model: WindFarmModel, flowCases?: FlowCaseOptions): ValueMap {
  return (px, py, cx, cy, out) => candidateAepGWh(model, px, py, cx, cy, out, flowCases);
}

/**
 * AEP gradient for the optimizer: analytic for every built-in model (NOJ's top hat included:
 * its overlap slopes are closed form, one-sided at the wake edges); the engine falls back to
 * central differences for a kernel without a backward pass.
 */
export function modelAepGradient(model: WindFarmModel, flowCases?: FlowCaseOptions): AepWithGradient {
  return (x, y, gx, gy) => aepGradient(model, x, y, gx, gy, flowCases);
}

/**
 * The model with the flow cases as its site's defaults, so every call runs without an
 * override: the engine caches its per-flow-case tables per model, and the optimizer switches
 * between objectives on different flow cases many times.
 */
function withFlowCases(model: WindFarmModel, fc?: FlowCaseOptions): WindFarmModel {
  if (!fc || (fc.wdDeg === undefined && fc.ws === undefined)) return model;
  return {
    ...model,
    site: {
      ...model.site,
      ...(fc.wdDeg !== undefined ? { defaultWdDeg: Float64Array.from(fc.wdDeg) } : {}),
      ...(fc.ws !== undefined ? { defaultWs: Float64Array.from(fc.ws) } : {}),
    },
  } as WindFarmModel;
}

/** Directions at or above this count get a coarse rose for the search (every s-th direction). */
export const COARSE_ROSE_MIN_DIRECTIONS = 72;
/**
 * Directions the coarse rose keeps (about): 5° steps on a 1° rose. 36 (10°) misranked layouts
 * (a solve on it leans into the gaps between its directions); from 72 on the ranking is right
 * (docs/layout.md, "Coarse rose of 72 directions and 8 speeds").
 */
export const COARSE_ROSE_DIRECTIONS = 72;
/**
 * Speeds the coarse rose keeps, at most: merging neighbours shifts every layout's AEP by about
 * the same amount and leaves the ranking (Horns Rev 1: 23 → 8 speeds, the offset the same within
 * 0.1 GWh over seven layouts), so 72 directions × 8 speeds cost less than 36 × 23. Not where the
 * wakes are speed-free (`speedFreeWakes`: IEA 37 case studies 3 and 4): there fewer speeds save
 * nothing and drift the search (case study 4's 72 × 7 rose read its cubic curve 2 % low), so the
 * coarse rose keeps every speed unless told otherwise.
 */
export const COARSE_ROSE_SPEEDS = 8;
/** Directions of the middle rose that polishes the coarse search's best (about): 3° steps on a 1° rose. */
export const POLISH_ROSE_DIRECTIONS = 120;

/**
 * The coarse rose: every s-th of L evenly spaced directions (s ≈ L / directions, dividing L, at
 * least 2), each carrying the probability of the s directions around it (speed by speed), as a
 * table site; with `speedsAtMost` (> 0, fewer than the site's; 0: all; by default
 * COARSE_ROSE_SPEEDS, or all where the wakes are speed-free), groups of t neighbouring speeds become
 * one at their probability-weighted mean over the rose, carrying the group's probability. The
 * total probability is kept exactly, and each direction's; without speed groups also each
 * speed's share. Undefined when the rose is small or unevenly spaced. `ratio`: its flow cases
 * over the full rose's (the price of an evaluation on it).
 */
export function coarseModel(model: WindFarmModel, directions = COARSE_ROSE_DIRECTIONS, speedsAtMost?: number): { model: WindFarmModel; ratio: number } | undefined {
  const speeds = speedsAtMost ?? (speedFreeWakes(model) ? 0 : COARSE_ROSE_SPEEDS);
  const site = model.site;
  const wd = Float64Array.from(site.defaultWdDeg).sort();
  const ws = site.defaultWs;
  const L = wd.length, K = ws.length;
  if (L < COARSE_ROSE_MIN_DIRECTIONS) return undefined;
  const step = wdBinWidthDeg(wd);
  if (!(Math.abs(step * L - 360) < 1e-9)) return undefined;
  // s: the largest divisor of L up to L/directions, so the groups partition the circle.
  let s = Math.max(2, Math.round(L / directions));
  while (L % s !== 0) s--;
  if (s < 2) return undefined;
  const pLK = flowCaseProbabilities(site, wd, ws);
  const J = L / s;
  const wdJ: number[] = [], freq: number[] = [], rows: { ws: Float64Array; p: Float64Array }[] = [];
  for (let j = 0; j < J; j++) {
    const pK = new Float64Array(K);
    for (let q = j * s - Math.floor(s / 2); q < j * s + Math.ceil(s / 2); q++) {
      const l = ((q % L) + L) % L;
      for (let k = 0; k < K; k++) pK[k] += pLK[l * K + k];
    }
    let f = 0;
    for (let k = 0; k < K; k++) f += pK[k];
    for (let k = 0; k < K; k++) pK[k] = f > 0 ? pK[k] / f : 0;
    wdJ.push(wd[j * s]); freq.push(f); rows.push({ ws, p: pK });
  }
  let ascending = true;
  for (let k = 1; k < K; k++) if (!(ws[k] > ws[k - 1])) ascending = false;
  const t = speeds > 0 && speeds < K && ascending ? Math.ceil(K / speeds) : 1;
  const G = Math.ceil(K / t);
  let outRows = rows;
  if (t > 1) {
    const wK = new Float64Array(K);
    for (let l = 0; l < L; l++) for (let k = 0; k < K; k++) wK[k] += pLK[l * K + k];
    const wsG = new Float64Array(G);
    for (let g = 0; g < G; g++) {
      let sw = 0, su = 0;
      for (let k = g * t; k < Math.min(K, (g + 1) * t); k++) { sw += wK[k]; su += wK[k] * ws[k]; }
      wsG[g] = sw > 0 ? su / sw : ws[g * t];
    }
    outRows = rows.map((r) => {
      const pG = new Float64Array(G);
      for (let k = 0; k < K; k++) pG[Math.floor(k / t)] += r.p[k];
      return { ws: wsG, p: pG };
    });
  }
  const coarse = tableSite({ wdDeg: wdJ, freq, rows: outRows, ti: site.ti });
  return { model: { ...model, site: coarse }, ratio: (J * G) / (L * K) };
}

/** Default wake-expansion factors of method "wec", widest first. */
export const WEC_FACTORS = [4, 2.5, 1.6, 1.25];

/**
 * The deficit model with its wake expansion scaled by ξ (k, or Niayifar's a = (a₁, a₂) with
 * k = a₁·TI + a₂): wakes widen downstream (and weaken: the deficit keeps its momentum
 * balance), which smooths the AEP landscape. Unlike Thomas et al.'s WEC (ξ on the Gaussian's
 * width alone) it needs nothing from the engine.
 */
export function widenedDeficit(d: DeficitModel, xi: number): DeficitModel {
  if (d.kind === "NiayifarGaussian") return { ...d, a: [d.a[0] * xi, d.a[1] * xi] };
  // TurbOPark: its growth rate A plays k's part
  if (d.kind === "TurboGaussian") return { ...d, A: d.A * xi };
  return { ...d, k: d.k * xi };
}

/**
 * The evaluation budget when the config sets none: 60,000, or fewer when one evaluation is
 * big — capped at WORK_BUDGET / (n² · flow cases), so the default run's length follows the
 * problem's size rather than the machine's load (Horns Rev 1 full rose: 2,830 evaluations,
 * about 6 minutes on one core of the 2-core VM, inside the 10 its users expect; at 1e11, 1,887
 * evaluations, the last full-rose solve was cut short: 688,821 against 689,506 MWh, seed 0).
 * Deterministic, unlike a time limit.
 */
export const WORK_BUDGET = 1.5e11;
export function defaultMaxEvaluations(n: number, flowCases: number): number {
  return Math.max(200, Math.min(60000, Math.floor(WORK_BUDGET / (n * n * Math.max(1, flowCases)))));
}

function checkConfig(c: OptimizeLayoutConfig): void {
  if (!Number.isInteger(c.nTurbines) || c.nTurbines < 1) throw new InputError(`must be an integer ≥ 1, got ${c.nTurbines}`, { field: "n_turbines" });
  if (!(Number.isFinite(c.minSpacingM) && c.minSpacingM >= 0)) throw new InputError(`must be a finite number ≥ 0 (m), got ${c.minSpacingM}`, { field: "min_spacing_m" });
  if (!Number.isInteger(c.gridSize) || c.gridSize < 2) throw new InputError(`must be an integer ≥ 2, got ${c.gridSize}`, { field: "grid_size" });
  if (!(c.randomPct >= 0 && c.randomPct <= 100)) throw new InputError(`must be in [0, 100], got ${c.randomPct}`, { field: "random_pct" });
  if (!Number.isInteger(c.seed) || c.seed < 0 || c.seed > 0xffffffff) throw new InputError(`must be an integer in [0, 2^32 − 1], got ${c.seed}`, { field: "seed" });
  const cap = boundaryCanHold(c.boundary, c.nTurbines, c.minSpacingM);
  if (!cap.possible) {
    throw new InputError(`cannot hold ${c.nTurbines} turbines ${c.minSpacingM} m apart: at most ${cap.maxTurbines} fit (${cap.bound})${cap.unitsHint}`, { field: "boundary" });
  }
}

function givenStart(start: { x: ArrayLike<number>; y: ArrayLike<number> }, n: number): { x: Float64Array; y: Float64Array } {
  if (start.x.length !== n || start.y.length !== start.x.length) {
    throw new InputError(`has ${start.x.length} turbines (x) and ${start.y.length} (y); the case asks for n_turbines = ${n}`, { field: "start" });
  }
  const x = Float64Array.from(start.x), y = Float64Array.from(start.y);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new InputError(`turbine ${i} is at (${x[i]}, ${y[i]}): not a position`, { field: "start" });
  }
  return { x, y };
}

/** Smart start only (what `wflo smart-start` prints). */
export function smartStartLayout(c: Omit<OptimizeLayoutConfig, "optimizer">): { x: Float64Array; y: Float64Array; aepGWh: number } {
  checkConfig(c);
  const grid = candidateGrid(c.boundary, c.gridSize);
  const ss = smartStartOrInputError(c, grid.x, grid.y);
  return { x: ss.x, y: ss.y, aepGWh: aepGWh(c.model, ss.x, ss.y, c.flowCases) };
}

function smartStartOrInputError(c: Omit<OptimizeLayoutConfig, "optimizer">, gx: Float64Array, gy: Float64Array, valueMap?: ValueMap) {
  try {
    return smartStart({
      candX: gx, candY: gy, nTurbines: c.nTurbines, valueMap: valueMap ?? modelValueMap(c.model, c.flowCases),
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
  const model = withFlowCases(c.model, c.flowCases);
  const cfg = { ...c, model, flowCases: undefined };
  const grid = candidateGrid(c.boundary, c.gridSize);
  const o = c.optimizer ?? {};
  const coarse = coarseModel(model, o.coarseDirections, o.coarseSpeeds);
  // The middle rose only where it lies strictly between the coarse and the full one.
  const polishDirections = o.polishDirections ?? POLISH_ROSE_DIRECTIONS;
  const mid = coarse && polishDirections > 0 ? coarseModel(model, polishDirections, 0) : undefined;
  const middle = mid && mid.ratio > coarse!.ratio ? mid : undefined;
  // With a coarse rose the smart start's value map runs on it too (docs/layout.md, "Coarse
  // rose"): n value maps over the grid are most of a big rose's start-up (Horns Rev 1: minutes),
  // and the start only ranks candidates; the search judges everything on the full rose.
  const ssMap = coarse && (o.coarse ?? true) && (o.coarseSmartStart ?? true) ? modelValueMap(coarse.model) : undefined;
  const ss = c.start ? givenStart(c.start, c.nTurbines) : smartStartOrInputError(cfg, grid.x, grid.y, ssMap);
  const t1 = performance.now();
  const nFlow = model.site.defaultWdDeg.length * model.site.defaultWs.length;
  const objectiveOf = (m: WindFarmModel, cost: number): OptimizeObjective => ({
    aep: (x, y) => aepGWh(m, x, y),
    aepGradient: modelAepGradient(m),
    aepCost: cost,
    gradientCost: cost,
    valueMap: modelValueMap(m),
  });
  const continuation = o.method === "wec"
    ? (o.wecFactors ?? WEC_FACTORS).map((xi) => {
      // Widened wakes on the coarse rose when there is one: the wide wakes cover its gaps.
      const base = coarse ? coarse.model : model;
      return objectiveOf({ ...base, deficit: widenedDeficit(base.deficit, xi) }, coarse ? coarse.ratio : 1);
    })
    : undefined;
  // Method "multistart": further smart starts, their seeds derived from the config's.
  const starts = o.method === "multistart"
    ? Array.from({ length: Math.max(0, (o.starts ?? 4) - 1) }, (_, k) =>
      smartStartOrInputError({ ...cfg, seed: (Math.imul(c.seed + 1, 0x9e3779b1) + k + 1) >>> 0 }, grid.x, grid.y, ssMap))
    : [];
  const r = optimize({
    ...(starts.length ? { starts } : {}),
    aep: (x, y) => aepGWh(model, x, y),
    aepGradient: modelAepGradient(model),
    gradientCost: 1,
    valueMap: modelValueMap(model),
    boundary: c.boundary,
    minSpacingM: c.minSpacingM,
    x0: ss.x, y0: ss.y,
    ...(coarse ? { coarse: objectiveOf(coarse.model, coarse.ratio) } : {}),
    ...(middle ? { middle: objectiveOf(middle.model, middle.ratio) } : {}),
    ...(continuation ? { continuation } : {}),
  }, { seed: c.seed, maxEvaluations: defaultMaxEvaluations(c.nTurbines, nFlow), ...(c.start ? { latticeStarts: 0 } : {}), ...o });
  const perTurbine = new Float64Array(c.nTurbines);
  const total = aepPerTurbineGWh(model, r.x, r.y, perTurbine);
  const fin = feasibilityCheck(c.boundary, r.x, r.y, c.minSpacingM);
  return {
    x: r.x, y: r.y, aepGWh: total, aepPerTurbineGWh: perTurbine, aepInitialGWh: r.aepInitialGWh,
    smartStart: { x: ss.x, y: ss.y },
    iterations: r.iterations, history: r.history, hopHistory: r.hopHistory,
    feasible: fin.feasible && r.feasible,
    maxBoundaryViolationM: fin.maxBoundaryViolationM,
    minSpacingFoundM: fin.minSpacingM,
    evaluations: r.evaluations,
    moves: r.moves,
    elapsedS: (performance.now() - t0) / 1000,
    smartStartS: (t1 - t0) / 1000,
  };
}
