/**
 * Layout optimizer: maximize AEP subject to "every turbine inside the boundary" and
 * "every pair at least min_spacing apart".
 *
 * Method (see README "## Layout" for why):
 * - Local solve: augmented Lagrangian (Powell–Hestenes–Rockafellar form for inequalities,
 *   Nocedal & Wright §17.4) over the analytic AEP gradient, each subproblem solved by
 *   L-BFGS. Multipliers make the constraints exact without an ill-conditioned penalty.
 * - Global search: monotonic basin hopping. From the best layout so far, a move relocates
 *   the turbines that contribute least (AEP with it minus AEP without it) to the best free
 *   spot of the value map, or shakes the layout; once REPACK_AFTER hops in a row have failed,
 *   half the hops instead repack a cluster (a turbine and its nearest neighbours removed and
 *   placed again one by one). The local solve polishes it; the result is kept only if it is
 *   feasible and better.
 * - Every local result is repaired by projection (violations left are ≪ 1 m) and judged by
 *   `feasibilityCheck`; an infeasible one is never kept, so the result is the best feasible
 *   layout seen, the (feasible) start at worst.
 * - Cheaper stand-ins for the objective (docs/layout.md "Budgets, coarse rose, continuation"):
 *   `coarse` (the same farm on fewer flow cases) carries the search while its share of the
 *   budget lasts, and the full objective then polishes; `continuation` (method "wec": wakes
 *   widened, then narrowed step by step) runs one local solve per relaxed objective before the
 *   search. Every layout handed back is judged on the full objective.
 */
import { type Boundary, boundingBox, signedDistance } from "./boundary.js";
import { feasibilityCheck, repairLayout } from "./constraints.js";
import { latticeStarts } from "./latticeStart.js";
import { lbfgs } from "./lbfgs.js";
import { MT19937 } from "./rng.js";
import type { ValueMap } from "./smartStart.js";

/** AEP (GWh) of the layout; fills ∂AEP/∂x, ∂AEP/∂y (GWh/m). */
export type AepWithGradient = (x: Float64Array, y: Float64Array, dAepDx: Float64Array, dAepDy: Float64Array) => number;
/** AEP (GWh) of the layout. */
export type AepFunction = (x: Float64Array, y: Float64Array) => number;

/**
 * Optimizer methods: basin hopping from the start (default); "multistart": basin hopping from
 * several starts sharing the budget, the best carrying on until the budget is spent; "wec": a
 * wake-expansion continuation before the basin hopping.
 */
export const OPTIMIZER_METHODS = ["basin-hopping", "multistart", "wec"] as const;
export type OptimizerMethod = (typeof OPTIMIZER_METHODS)[number];

/** What `onProgress` receives after the first local solve and after every hop or stage. */
export interface OptimizeProgress {
  /** "continuation" | "coarse" | "middle" | "full" | "done". */
  phase: string;
  /** Best feasible AEP on the full objective so far (GWh). */
  bestAepGWh: number;
  /** Evaluations spent (full-objective equivalents). */
  evaluations: number;
  /** The evaluation budget. */
  maxEvaluations: number;
  elapsedS: number;
}

export interface OptimizerOptions {
  /** "basin-hopping" (default) or "wec" (wake-expansion continuation first; optimizeLayout builds its stages). */
  method?: OptimizerMethod;
  /** Basin-hopping rounds after the first local solve (0: local solve only). Default by n. */
  hops?: number;
  /** L-BFGS iterations per augmented-Lagrangian round. */
  innerIterations?: number;
  /** Augmented-Lagrangian rounds per local solve. */
  outerIterations?: number;
  /**
   * The augmented Lagrangian's first penalty weight μ₀ on the scaled constraints (default
   * PENALTY_START; raised tenfold whenever a round leaves more than a quarter of the last one's violation).
   */
  penaltyStart?: number;
  /** Seed of the hop generator (the run's seed by default). */
  seed?: number;
  /**
   * Share of hops that relocate weak turbines (the rest shake the whole layout). Default: drawn
   * by each move's record in this run (see `optimize`).
   */
  relocateShare?: number;
  /** Candidate points per side of the relocation grid. */
  relocationGrid?: number;
  /**
   * Budget of AEP(+gradient) evaluations over the whole run, value maps and finite-difference
   * gradients counted at their price in AEP evaluations (default 60,000: IEA 37 CS1 runs use
   * 20,000–40,000). When it runs out the best feasible layout so far is returned.
   */
  maxEvaluations?: number;
  /**
   * Wall-clock limit (s) over the whole run, checked between iterations. Off by default:
   * with it, results depend on the machine's speed and load.
   */
  timeLimitS?: number;
  /**
   * A caller's stop (Ctrl-C in `wflo optimize`), polled with the budget between iterations:
   * once true the run ends as a spent budget ends it, returning the best feasible layout so far.
   */
  shouldStop?: () => boolean;
  /** Relative-decrease stop of L-BFGS during hops (default 1e-8; the first and last solves use 1e-10). */
  hopFTol?: number;
  /** Share of the budget the coarse objective may use before the full one takes over (default 0.7). */
  coarseShare?: number;
  /**
   * Use the coarse objective when the problem offers one (default true; optimizeLayout offers
   * one when the flow cases are many, see docs/layout.md).
   */
  coarse?: boolean;
  /** optimizeLayout: directions of the coarse rose, about (default 72: 5° on a 1° rose). */
  coarseDirections?: number;
  /**
   * optimizeLayout: speeds of the coarse rose, at most: neighbouring speeds merged into one at
   * their mean (default 8; 0: all of the site's).
   */
  coarseSpeeds?: number;
  /**
   * optimizeLayout: directions (about) of a middle rose on which the coarse search's best is
   * polished before the full rose takes over (default 120: 3° on a 1° rose; 0: none; used only
   * when finer than the coarse rose; docs/layout.md).
   */
  polishDirections?: number;
  /** Share of what the coarse rose leaves that the middle rose's polish may use (default 0.6). */
  polishShare?: number;
  /**
   * optimizeLayout: the smart start's value map on the coarse rose when there is one (default
   * true; false gives TopFarm's smart start on the full rose, what `wflo smart-start` prints).
   */
  coarseSmartStart?: boolean;
  /** Method "multistart": share of the budget the starts split before the best carries on (default 0.5). */
  exploreShare?: number;
  /** Method "multistart": how many starts (optimizeLayout's smart starts; default 4). */
  starts?: number;
  /**
   * Method "basin-hopping": lattice starts local-solved before the search, which then hops from
   * the best of them and the smart start's solve (default 8; 0: from the smart start alone).
   */
  latticeStarts?: number;
  /** Lattice shapes drawn for those starts (default 300, each one AEP evaluation on the search's objective). */
  latticeShapes?: number;
  /**
   * Method "basin-hopping": ring starts (turbines along the outlines, the rest on a lattice
   * inside; as many shapes as lattice shapes) solved with the lattice ones, best raw AEP first
   * (default 0: measured mixed, docs/layout.md "Ring starts").
   */
  ringStarts?: number;
  /** Wake-expansion factors of method "wec", widest first (default [4, 2.5, 1.6, 1.25]). */
  wecFactors?: number[];
  /**
   * Failed hops in a row after which half the hops repack a cluster of turbines instead
   * (`REPACK_AFTER` by default; 0: never).
   */
  repackAfter?: number;
  /** Called after each local solve with the best so far (for progress lines). */
  onProgress?: (p: OptimizeProgress) => void;
}

/** A stand-in objective: the same layout variables, a cheaper or smoother AEP. */
export interface OptimizeObjective {
  aep: AepFunction;
  aepGradient: AepWithGradient;
  /** Price of one `aep` call in full-objective evaluations (default 1). */
  aepCost?: number;
  /** Price of one `aepGradient` call in full-objective evaluations (default: aepCost). */
  gradientCost?: number;
  valueMap?: ValueMap;
}

export interface OptimizeProblem {
  aep: AepFunction;
  aepGradient: AepWithGradient;
  /**
   * AEP evaluations one `aepGradient` call costs, for the evaluation budget: 1 for an
   * analytic gradient (about the price of an AEP), 4n + 1 for central differences.
   */
  gradientCost?: number;
  /** Value map for relocation moves (physics' candidateAepGWh); without it only shakes are used. */
  valueMap?: ValueMap;
  boundary: Boundary;
  minSpacingM: number;
  x0: Float64Array;
  y0: Float64Array;
  /** The same farm on fewer flow cases: the search runs on it first (see OptimizerOptions.coarse). */
  coarse?: OptimizeObjective;
  /** A rose between the coarse and the full one: polishes the coarse search's best (OptimizerOptions.polishDirections). */
  middle?: OptimizeObjective;
  /** Relaxed objectives solved in turn before the search (method "wec": widest wakes first). */
  continuation?: OptimizeObjective[];
  /** Further starting layouts (method "multistart"), feasible ones. */
  starts?: { x: Float64Array; y: Float64Array }[];
}

export interface OptimizeResult {
  x: Float64Array;
  y: Float64Array;
  aepGWh: number;
  aepInitialGWh: number;
  /** L-BFGS iterations over all local solves. */
  iterations: number;
  /** AEP (GWh) of each iterate, in order, over all local solves. */
  history: Float64Array;
  /** Best feasible AEP after the first local solve and after each hop. */
  hopHistory: Float64Array;
  feasible: boolean;
  evaluations: number;
  /** Hops by move: how many were tried and how many improved the search's best (docs/layout.md, the study). */
  moves: {
    relocate: { tried: number; improved: number };
    shake: { tried: number; improved: number };
    repack: { tried: number; improved: number };
  };
}

/** The objective a local solve and the moves use, with its prices. */
interface Obj {
  aep: AepFunction;
  aepGradient: AepWithGradient;
  aepCost: number;
  gradientCost: number;
  valueMap?: ValueMap;
}

interface Ctx {
  p: OptimizeProblem;
  obj: Obj;
  n: number;
  L: number;
  cx: number;
  cy: number;
  A0: number;
  history: number[];
  iterations: number;
  evaluations: number;
  /** AEP of the last evaluated point: in L-BFGS the accepted point is the last one tried. */
  lastAep: number;
  inner: number;
  outer: number;
  mu0: number;
  fTol: number;
  /** True once the evaluation or time budget is spent. */
  stop: () => boolean;
  // scratch
  x: Float64Array; y: Float64Array; gx: Float64Array; gy: Float64Array;
  sd: Float64Array; bgx: Float64Array; bgy: Float64Array;
  lamB: Float64Array; lamS: Float64Array;
}

/**
 * First penalty weight of the augmented Lagrangian. The objective (−AEP/AEP₀ over positions in
 * spacings) is flat — Horns Rev 1's gradient is ~1e-4 per turbine — and the penalty acts on every
 * violated constraint whatever its multiplier, so μ₀ = 100 made each of the ~40 turbines pressed
 * against an edge a stiff valley that L-BFGS crawled along: every round hit its 300 iterations
 * and stopped on a crawl short of the optimum. μ₀ = PENALTY_START leaves violations of order
 * gradient / μ (under 2 cm there) in the first round, which the multipliers then remove
 * (docs/layout.md, "The first penalty weight").
 */
export const PENALTY_START = 1;

/**
 * Failed hops in a row after which half the hops repack (docs/layout.md, "Repacks after a
 * stall"): every case-study-4 search stalled for 10,000–26,000 of its 33,000 coarse evaluations
 * with single relocations, which a cluster re-placed together escapes.
 */
export const REPACK_AFTER = 8;

/** Share of the budget (and of the time limit) kept for the final tight local solve when hops run until it is spent. */
const POLISH_RESERVE = 0.05;

/**
 * Chance of a relocation for the next hop, from each move's record in this run (successes + 1
 * over tries + 2, so an untried move counts as even). At an even draw, case study 4's
 * relocations improved 36 of 49 hops and its shakes 2 of 46; IEA 37 CS1 (64 turbines) 10 of 82
 * and 2 of 61. Bounded to [0.2, 0.9] so that neither move dies out.
 */
export function adaptiveRelocateShare(moves: Pick<OptimizeResult["moves"], "relocate" | "shake">): number {
  const r = (moves.relocate.improved + 1) / (moves.relocate.tried + 2);
  const sh = (moves.shake.improved + 1) / (moves.shake.tried + 2);
  return Math.min(0.9, Math.max(0.2, r / (r + sh)));
}

function defaultHops(n: number): number {
  // Up to 20 turbines the best layout of IEA 37 CS1 is found within 60 hops. Above, a fixed
  // count stopped the runs at half their budget with the AEP still rising (36 and 64 turbines:
  // 40 and 25 hops ended near 30,000 of 60,000 evaluations; spending the rest gained up to
  // 0.6 % and 1.0 %, docs/layout.md "Why 36 and 64 stopped short"): hop until the budget is spent.
  return n <= 20 ? 60 : Infinity;
}

/** Local solve from (x, y), in place: the final iterate, not yet repaired. */
function localSolve(c: Ctx, x0: Float64Array, y0: Float64Array): void {
  const { n, L, cx, cy, p } = c;
  const s = p.minSpacingM, s2 = s * s;
  const z = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { z[i] = (x0[i] - cx) / L; z[n + i] = (y0[i] - cy) / L; }
  c.lamB.fill(0); c.lamS.fill(0);
  let mu = c.mu0;
  const { x, y, gx, gy, sd, bgx, bgy, lamB, lamS } = c;
  const F = (zz: Float64Array, g: Float64Array): number => {
    for (let i = 0; i < n; i++) { x[i] = cx + L * zz[i]; y[i] = cy + L * zz[n + i]; }
    const a = c.obj.aepGradient(x, y, gx, gy);
    c.lastAep = a;
    c.evaluations += c.obj.gradientCost;
    let f = -a / c.A0;
    const k = L / c.A0;
    for (let i = 0; i < n; i++) { g[i] = -gx[i] * k; g[n + i] = -gy[i] * k; }
    signedDistance(p.boundary, x, y, sd, bgx, bgy);
    for (let i = 0; i < n; i++) {
      const gi = sd[i] / L;
      const t = lamB[i] - mu * gi;
      if (t > 0) {
        f += (t * t - lamB[i] * lamB[i]) / (2 * mu);
        g[i] -= t * bgx[i]; g[n + i] -= t * bgy[i];
      } else f -= (lamB[i] * lamB[i]) / (2 * mu);
    }
    if (s > 0) {
      const q = L / s2;
      for (let i = 0, pk = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++, pk++) {
          const dx = x[j] - x[i], dy = y[j] - y[i];
          const gij = (dx * dx + dy * dy - s2) / s2;
          const lam = lamS[pk];
          const t = lam - mu * gij;
          if (t > 0) {
            f += (t * t - lam * lam) / (2 * mu);
            const ex = 2 * dx * q * t, ey = 2 * dy * q * t;
            g[j] -= ex; g[n + j] -= ey; g[i] += ex; g[n + i] += ey;
          } else if (lam > 0) f -= (lam * lam) / (2 * mu);
        }
      }
    }
    return f;
  };
  let prevViol = Infinity;
  for (let outer = 0; outer < c.outer; outer++) {
    const r = lbfgs(F, z, {
      maxIterations: c.inner, maxStep: 0.25, gradTol: 1e-9, fTol: c.fTol,
      onIteration: () => { c.history.push(c.lastAep); },
      shouldStop: c.stop,
    });
    c.iterations += r.iterations;
    // Constraint values at z; multiplier update λ ← max(0, λ − μ g).
    for (let i = 0; i < n; i++) { x[i] = cx + L * z[i]; y[i] = cy + L * z[n + i]; }
    signedDistance(p.boundary, x, y, sd);
    let viol = 0;
    for (let i = 0; i < n; i++) {
      const gi = sd[i] / L;
      lamB[i] = Math.max(0, lamB[i] - mu * gi);
      viol = Math.max(viol, -gi);
    }
    for (let i = 0, pk = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, pk++) {
        const dx = x[j] - x[i], dy = y[j] - y[i];
        const gij = s > 0 ? (dx * dx + dy * dy - s2) / s2 : 0;
        lamS[pk] = Math.max(0, lamS[pk] - mu * gij);
        viol = Math.max(viol, -gij);
      }
    }
    if ((viol < 1e-9 && r.iterations < c.inner) || c.stop()) break;
    if (viol > 0.25 * prevViol) mu = Math.min(mu * 10, 1e7);
    prevViol = viol;
  }
  for (let i = 0; i < n; i++) { x0[i] = cx + L * z[i]; y0[i] = cy + L * z[n + i]; }
}

/** Repairs in place; returns the AEP on the current objective when feasible, −Infinity otherwise. */
function finish(c: Ctx, x: Float64Array, y: Float64Array): number {
  const { p } = c;
  if (!repairLayout(p.boundary, x, y, p.minSpacingM)) return -Infinity;
  if (!feasibilityCheck(p.boundary, x, y, p.minSpacingM, 0).feasible) return -Infinity;
  const a = c.obj.aep(x, y);
  c.evaluations += c.obj.aepCost;
  return Number.isFinite(a) ? a : -Infinity;
}

function objective(o: OptimizeObjective): Obj {
  const aepCost = o.aepCost ?? 1;
  return { aep: o.aep, aepGradient: o.aepGradient, aepCost, gradientCost: o.gradientCost ?? aepCost, valueMap: o.valueMap };
}

export function optimize(p: OptimizeProblem, o: OptimizerOptions = {}): OptimizeResult {
  const n = p.x0.length;
  if (p.y0.length !== n) throw new RangeError("x0 and y0 differ in length");
  const t0 = performance.now();
  const bb = boundingBox(p.boundary);
  const x0 = Float64Array.from(p.x0), y0 = Float64Array.from(p.y0);
  const start = feasibilityCheck(p.boundary, x0, y0, p.minSpacingM);
  const aepInitial = p.aep(x0, y0);
  const full: Obj = { aep: p.aep, aepGradient: p.aepGradient, aepCost: 1, gradientCost: p.gradientCost ?? 1, valueMap: p.valueMap };
  const c: Ctx = {
    p, n, obj: full,
    L: p.minSpacingM > 0 ? p.minSpacingM : Math.max(1, Math.hypot(bb.xmax - bb.xmin, bb.ymax - bb.ymin) / Math.sqrt(Math.max(1, n))),
    cx: (bb.xmin + bb.xmax) / 2, cy: (bb.ymin + bb.ymax) / 2,
    A0: aepInitial > 0 ? aepInitial : 1,
    history: [], iterations: 0, evaluations: 1, lastAep: 0,
    inner: o.innerIterations ?? 300, outer: o.outerIterations ?? 12, mu0: o.penaltyStart ?? PENALTY_START, fTol: 1e-10, stop: () => false,
    x: new Float64Array(n), y: new Float64Array(n), gx: new Float64Array(n), gy: new Float64Array(n),
    sd: new Float64Array(n), bgx: new Float64Array(n), bgy: new Float64Array(n),
    lamB: new Float64Array(n), lamS: new Float64Array((n * (n - 1)) / 2),
  };

  const maxEval = o.maxEvaluations ?? 60000;
  const deadline = o.timeLimitS === undefined ? Infinity : t0 + o.timeLimitS * 1000;
  const outOfBudget = () => c.evaluations >= maxEval || (deadline !== Infinity && performance.now() > deadline) || (o.shouldStop?.() ?? false);
  c.stop = outOfBudget;
  /** Runs `f` with the stop rule narrowed to `evalEnd` evaluations and `timeEnd` (ms; Infinity: none), then restores it. */
  const bounded = <T>(evalEnd: number, timeEnd: number, f: () => T): T => {
    const prevStop = c.stop;
    c.stop = () => prevStop() || c.evaluations >= evalEnd || (timeEnd !== Infinity && performance.now() > timeEnd);
    try { return f(); } finally { c.stop = prevStop; }
  };

  // Best feasible layout on the full objective: what is returned.
  let bestX = Float64Array.from(x0), bestY = Float64Array.from(y0);
  let best = start.feasible ? aepInitial : -Infinity;
  const hopHistory: number[] = [];
  const moves = { relocate: { tried: 0, improved: 0 }, shake: { tried: 0, improved: 0 }, repack: { tried: 0, improved: 0 } };
  let phase = "full";
  const progress = () => o.onProgress?.({
    phase, bestAepGWh: best, evaluations: c.evaluations, maxEvaluations: maxEval, elapsedS: (performance.now() - t0) / 1000,
  });
  /** Judges a feasible layout on the full objective (one evaluation unless it is the current one). */
  const offerFull = (x: Float64Array, y: Float64Array, aepFull?: number): void => {
    let a = aepFull;
    if (a === undefined) { a = p.aep(x, y); c.evaluations++; }
    if (Number.isFinite(a) && a > best) { best = a; bestX = Float64Array.from(x); bestY = Float64Array.from(y); }
  };

  // Basin hopping on the current objective from (sx, sy): returns its best (feasible) layout.
  const rng = new MT19937(((o.seed ?? 0) ^ 0x5bd1e995) >>> 0);
  const relocGrid = o.relocationGrid ?? 40;
  const spots = relocationSpots(p.boundary, relocGrid);
  const relocateShare = () => o.relocateShare ?? adaptiveRelocateShare(moves);
  const search = (sx: Float64Array, sy: Float64Array, hops: number, budgetEnd: number, timeEnd: number, polish: boolean): { x: Float64Array; y: Float64Array; a: number } => {
    const onFull = c.obj === full;
    let sBest = -Infinity, sX = sx, sY = sy;
    // Relocations tried from the incumbent (victim × spot): a deterministic move repeated gives the same solve.
    const tried = new Set<number>();
    const tryFrom = (x: Float64Array, y: Float64Array): boolean => {
      localSolve(c, x, y);
      const a = finish(c, x, y);
      if (a > sBest) {
        sBest = a; sX = Float64Array.from(x); sY = Float64Array.from(y);
        tried.clear();
        offerFull(x, y, onFull ? a : undefined);
        return true;
      }
      return false;
    };
    return bounded(budgetEnd, timeEnd, () => {
      c.fTol = 1e-10;
      tryFrom(Float64Array.from(sx), Float64Array.from(sy));
      hopHistory.push(best);
      progress();
      c.fTol = o.hopFTol ?? 1e-8;
      // Hops bounded by the budget leave it a slice for the tight polish at the end.
      const evalEnd = Math.min(budgetEnd, maxEval), tEnd = Math.min(timeEnd, deadline);
      const hopEvalEnd = polish ? evalEnd - POLISH_RESERVE * maxEval : Infinity;
      const hopTimeEnd = polish && tEnd !== Infinity ? tEnd - POLISH_RESERVE * (deadline - t0) : Infinity;
      const hopsLeft = () => c.evaluations < hopEvalEnd && (hopTimeEnd === Infinity || performance.now() < hopTimeEnd);
      let fails = 0;
      const stallHops = o.repackAfter === 0 ? Infinity : o.repackAfter ?? REPACK_AFTER;
      for (let h = 0; h < hops && Number.isFinite(sBest) && !c.stop() && hopsLeft(); h++) {
        const x = Float64Array.from(sX), y = Float64Array.from(sY);
        let move: { tried: number; improved: number };
        // The repack's draw only once stalled: a search that still climbs keeps its path.
        if (c.obj.valueMap && fails >= stallHops && rng.nextDouble() < 0.5) {
          move = moves.repack;
          repack(c, x, y, spots, rng);
        } else if (rng.nextDouble() < relocateShare() && c.obj.valueMap) { // drawn with or without a map: the same sequence either way
          move = moves.relocate;
          const k = 1 + (rng.nextDouble() < 0.3 ? 1 : 0);
          relocate(c, x, y, spots, k, rng, tried);
        } else {
          move = moves.shake;
          shake(c, x, y, rng);
        }
        move.tried++;
        if (tryFrom(x, y)) { move.improved++; fails = 0; } else fails++;
        hopHistory.push(best);
        progress();
      }
      if (polish && hops > 0 && Number.isFinite(sBest) && !c.stop()) {
        // Polish the best layout with the tight tolerance (hops stop early to save time).
        c.fTol = 1e-10;
        tryFrom(Float64Array.from(sX), Float64Array.from(sY));
        hopHistory[hopHistory.length - 1] = best;
      }
      return { x: sX, y: sY, a: sBest };
    });
  };

  let sx = Float64Array.from(x0), sy = Float64Array.from(y0);
  const hops = o.hops ?? defaultHops(n);

  // A stage: one local solve from (sx, sy) on the current objective; its (repaired) result is
  // the next start, kept even if it is worse on the full objective.
  const stage = (): void => {
    const x = Float64Array.from(sx), y = Float64Array.from(sy);
    localSolve(c, x, y);
    if (Number.isFinite(finish(c, x, y))) { sx = x; sy = y; offerFull(x, y); }
    hopHistory.push(best);
    progress();
  };

  // Continuation (method "wec"): a stage per relaxed objective, widest first.
  if (o.method === "wec" && p.continuation?.length) {
    phase = "continuation";
    c.fTol = 1e-8;
    for (const st of p.continuation) {
      if (c.stop()) break;
      c.obj = objective(st);
      stage();
    }
  }

  const useCoarse = p.coarse !== undefined && (o.coarse ?? true) && hops > 0;
  // The coarse rose's share applies to the time limit too, so a run cut by time still polishes on the full rose.
  const coarseShare = useCoarse ? o.coarseShare ?? 0.7 : 1;
  const timeAt = (share: number) => (deadline === Infinity ? Infinity : t0 + share * (deadline - t0));
  c.obj = useCoarse ? objective(p.coarse!) : full;
  phase = useCoarse ? "coarse" : "full";

  // Method "multistart": every start gets an equal slice of the exploration share, then the
  // best of them carries on with the rest (hops bounded by the budget alone).
  const starts = o.method === "multistart" ? [{ x: sx, y: sy }, ...(p.starts ?? [])] : [];
  if (starts.length > 1 && hops > 0) {
    const explore = (o.exploreShare ?? 0.5) * coarseShare;
    const per = (explore * maxEval - c.evaluations) / starts.length;
    let bestK = -Infinity;
    for (let k = 0; k < starts.length && !c.stop(); k++) {
      const end = Math.min(explore * maxEval, c.evaluations + per);
      const r = search(Float64Array.from(starts[k].x), Float64Array.from(starts[k].y), Infinity, end, timeAt((explore * (k + 1)) / starts.length), false);
      if (r.a > bestK) { bestK = r.a; sx = r.x; sy = r.y; }
    }
  }
  // Lattice starts (default method): rows of turbines on a sheared lattice, which basin hopping
  // from a smart start does not reach one turbine at a time (docs/layout.md, "Lattice starts").
  // Each is solved once on the search's objective; the best solve, smart start's included, seeds the search.
  const startsHere = (o.method ?? "basin-hopping") === "basin-hopping" && hops > 0;
  const nLattice = startsHere ? o.latticeStarts ?? 8 : 0;
  const nRing = startsHere ? o.ringStarts ?? 0 : 0;
  // The shapes take at most a tenth of the budget.
  const nShapes = Math.min(o.latticeShapes ?? 300, Math.floor((0.1 * maxEval) / c.obj.aepCost));
  if (nLattice + nRing > 0 && n > 1 && nShapes >= 10) {
    phase = useCoarse ? "coarse" : "full";
    const L = latticeStarts({
      boundary: p.boundary, nTurbines: n, minSpacingM: p.minSpacingM, aep: c.obj.aep, shapes: nShapes, keep: nLattice,
      ringShapes: nShapes, ringKeep: nRing, seed: o.seed ?? 0,
    });
    c.evaluations += L.evaluations * c.obj.aepCost;
    // The starts may use at most a third of what the search phase has.
    const end = (useCoarse ? coarseShare : 1) * maxEval / 3;
    bounded(end, Infinity, () => {
      c.fTol = 1e-8;
      let bestA = -Infinity, bx = sx, by = sy;
      // Best raw AEP first, whichever family: the cap may cut the last ones (case study 4: the
      // ring starts, 2,843–2,851 GWh raw, against 2,734–2,759 for the lattices).
      const ordered = [...L.starts].sort((a, b) => b.aepGWh - a.aepGWh);
      for (const st of [{ x: sx, y: sy }, ...ordered]) {
        if (c.stop()) break;
        const x = Float64Array.from(st.x), y = Float64Array.from(st.y);
        localSolve(c, x, y);
        const a = finish(c, x, y);
        if (a > bestA) { bestA = a; bx = x; by = y; }
        // A progress report per solve: on a big farm they take minutes (Horns Rev 1: ~140 s).
        progress();
      }
      if (Number.isFinite(bestA)) { sx = bx; sy = by; }
    });
  }
  const searchHops = o.method === "multistart" ? (o.hops ?? Infinity) : hops;
  if (useCoarse) {
    // The search runs on the coarse rose while its share lasts; the middle rose, if any, and
    // then the full objective polish its best, and the full one spends what is left on hops.
    const middle = p.middle ? objective(p.middle) : undefined;
    // With a middle rose the coarse search needs no tight polish of its own: the middle one
    // polishes instead, at a fraction of the full rose's price, out of the coarse rose's gaps.
    const r = search(sx, sy, searchHops, coarseShare * maxEval, timeAt(coarseShare), !middle);
    if (Number.isFinite(r.a)) { sx = r.x; sy = r.y; }
    if (middle && !c.stop()) {
      c.obj = middle;
      phase = "middle";
      const share = coarseShare + (o.polishShare ?? 0.6) * (1 - coarseShare);
      c.fTol = 1e-10;
      bounded(share * maxEval, timeAt(share), stage);
    }
    c.obj = full;
    phase = "full";
  }
  search(sx, sy, searchHops, Infinity, Infinity, true);
  phase = "done";
  progress();

  let feasible = Number.isFinite(best);
  let outX = bestX, outY = bestY, outAep = best;
  if (!feasible) {
    // No feasible layout at all (the start was infeasible and nothing repaired it).
    outX = x0; outY = y0; outAep = aepInitial;
  }
  const fin = feasibilityCheck(p.boundary, outX, outY, p.minSpacingM);
  feasible = fin.feasible;
  return {
    x: outX, y: outY, aepGWh: outAep, aepInitialGWh: aepInitial,
    iterations: c.iterations, history: Float64Array.from(c.history), hopHistory: Float64Array.from(hopHistory),
    feasible, evaluations: c.evaluations, moves,
  };
}

/** Candidate spots for relocation: a grid over the region plus points along its edge. */
function relocationSpots(b: Boundary, g: number): { x: Float64Array; y: Float64Array } {
  const bb = boundingBox(b);
  const xs: number[] = [], ys: number[] = [];
  for (let r = 0; r < g; r++) for (let q = 0; q < g; q++) {
    xs.push(bb.xmin + ((bb.xmax - bb.xmin) * (q + 0.5)) / g);
    ys.push(bb.ymin + ((bb.ymax - bb.ymin) * (r + 0.5)) / g);
  }
  // Edge points: the optimum puts many turbines on the edge, where a grid rarely lands.
  const m = 8 * g;
  const inset = 1e-6 * Math.max(1, bb.xmax - bb.xmin);
  if (b.kind === "circle") {
    for (let i = 0; i < m; i++) {
      const t = (2 * Math.PI * i) / m;
      xs.push(b.cx + (b.radius - inset) * Math.cos(t)); ys.push(b.cy + (b.radius - inset) * Math.sin(t));
    }
  } else {
    for (const poly of [...b.polygons, ...b.exclusions]) {
      const nv = poly.x.length;
      let per = 0;
      for (let i = 0; i < nv; i++) per += Math.hypot(poly.x[(i + 1) % nv] - poly.x[i], poly.y[(i + 1) % nv] - poly.y[i]);
      for (let i = 0; i < nv; i++) {
        const ax = poly.x[i], ay = poly.y[i], bx = poly.x[(i + 1) % nv], by = poly.y[(i + 1) % nv];
        const len = Math.hypot(bx - ax, by - ay);
        const k = Math.max(1, Math.round((m * len) / per));
        for (let q = 0; q < k; q++) { const t = q / k; xs.push(ax + t * (bx - ax)); ys.push(ay + t * (by - ay)); }
      }
    }
  }
  const X = Float64Array.from(xs), Y = Float64Array.from(ys);
  const sd = signedDistance(b, X, Y, new Float64Array(X.length));
  const kx: number[] = [], ky: number[] = [];
  for (let i = 0; i < X.length; i++) if (sd[i] >= -inset * 2) { kx.push(X[i]); ky.push(Y[i]); }
  return { x: Float64Array.from(kx), y: Float64Array.from(ky) };
}

/** The spots at least the spacing from every placed turbine (undefined: none), with their indices. */
function freeSpots(spots: { x: Float64Array; y: Float64Array }, ox: Float64Array, oy: Float64Array, minSpacingM: number): { FX: Float64Array; FY: Float64Array; fi: number[] } | undefined {
  const s2 = minSpacingM * minSpacingM;
  const fx: number[] = [], fy: number[] = [], fi: number[] = [];
  for (let q = 0; q < spots.x.length; q++) {
    let ok = true;
    for (let j = 0; j < ox.length && ok; j++) {
      const dx = spots.x[q] - ox[j], dy = spots.y[q] - oy[j];
      if (dx * dx + dy * dy < s2) ok = false;
    }
    if (ok) { fx.push(spots.x[q]); fy.push(spots.y[q]); fi.push(q); }
  }
  return fx.length === 0 ? undefined : { FX: Float64Array.from(fx), FY: Float64Array.from(fy), fi };
}

/** The value map at the spots beside the placed turbines, at its price. */
function valueOfSpots(c: Ctx, ox: Float64Array, oy: Float64Array, FX: Float64Array, FY: Float64Array): Float64Array {
  const z = new Float64Array(FX.length);
  c.obj.valueMap!(ox, oy, FX, FY, z);
  // A map over m spots with n − 1 placed turbines costs about m/n AEP evaluations.
  c.evaluations += Math.ceil(FX.length / c.n) * c.obj.aepCost;
  return z;
}

/** The shortlisted spot whose turbine, added to the placed ones, gives the most AEP. */
function bestByMarginal(c: Ctx, ox: Float64Array, oy: Float64Array, FX: Float64Array, FY: Float64Array, idx: number[]): number {
  const k = ox.length;
  const tx = new Float64Array(k + 1), ty = new Float64Array(k + 1);
  tx.set(ox); ty.set(oy);
  let bestQ = idx[0], bestA = -Infinity;
  for (const q of idx) {
    tx[k] = FX[q]; ty[k] = FY[q];
    const a = c.obj.aep(tx, ty);
    if (a > bestA) { bestA = a; bestQ = q; }
  }
  c.evaluations += idx.length * c.obj.aepCost;
  return bestQ;
}

/** Moves the k turbines that add least to AEP to the best free spots (exact marginal AEP on a shortlist). */
function relocate(c: Ctx, x: Float64Array, y: Float64Array, spots: { x: Float64Array; y: Float64Array }, k: number, rng: MT19937, tried: Set<number>): void {
  const { n, p } = c;
  for (let r = 0; r < k; r++) {
    const total = c.obj.aep(x, y);
    const ox = new Float64Array(n - 1), oy = new Float64Array(n - 1);
    const contrib = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0, w = 0; j < n; j++) if (j !== i) { ox[w] = x[j]; oy[w] = y[j]; w++; }
      contrib[i] = total - c.obj.aep(ox, oy);
    }
    c.evaluations += (n + 1) * c.obj.aepCost;
    // One of the three weakest, at random: always taking the weakest cycles.
    const order = Array.from(contrib.keys()).sort((a, b) => contrib[a] - contrib[b]);
    // Moves already tried from this incumbent widen the pool (repeating one gives the same solve).
    const pool = 3 + Math.floor(tried.size / 2);
    const victim = order[Math.min(n - 1, Math.floor(rng.nextDouble() * Math.min(pool, n)))];
    for (let j = 0, w = 0; j < n; j++) if (j !== victim) { ox[w] = x[j]; oy[w] = y[j]; w++; }
    const free = freeSpots(spots, ox, oy, p.minSpacingM);
    if (!free) { shake(c, x, y, rng); return; }
    const { FX, FY, fi } = free;
    const z = valueOfSpots(c, ox, oy, FX, FY);
    const key = (q: number) => victim * spots.x.length + fi[q];
    const sorted = Array.from(z.keys()).sort((a, b) => z[b] - z[a]);
    const fresh = sorted.filter((q) => !tried.has(key(q)));
    // Exact marginal value of the shortlisted spots: a spot upstream of the farm makes a
    // lot itself but takes it from the others.
    const bestQ = bestByMarginal(c, ox, oy, FX, FY, (fresh.length > 0 ? fresh : sorted).slice(0, 8));
    x[victim] = FX[bestQ]; y[victim] = FY[bestQ];
    tried.add(key(bestQ));
  }
}

/**
 * Removes a random turbine and its nearest neighbours and places them again one by one, each at
 * the free spot of best exact marginal AEP among the value map's shortlist.
 */
function repack(c: Ctx, x: Float64Array, y: Float64Array, spots: { x: Float64Array; y: Float64Array }, rng: MT19937): void {
  const { n, p } = c;
  const mMax = Math.max(3, Math.round(n / 10));
  const m = Math.min(n, 3 + Math.floor(rng.nextDouble() * (mMax - 2)));
  const i0 = Math.min(n - 1, Math.floor(rng.nextDouble() * n));
  const d = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = (x[j] - x[i0]) ** 2 + (y[j] - y[i0]) ** 2;
  const order = Array.from(d.keys()).sort((a, b) => d[a] - d[b]);
  const moved = order.slice(0, m);
  const keep = order.slice(m);
  const px = new Float64Array(n), py = new Float64Array(n);
  let k = 0;
  for (const j of keep) { px[k] = x[j]; py[k] = y[j]; k++; }
  for (const j of moved) {
    const ox = px.subarray(0, k), oy = py.subarray(0, k);
    const free = freeSpots(spots, ox, oy, p.minSpacingM);
    if (!free) { shake(c, x, y, rng); return; }
    const { FX, FY } = free;
    const z = valueOfSpots(c, ox, oy, FX, FY);
    const bestQ = bestByMarginal(c, ox, oy, FX, FY, Array.from(z.keys()).sort((a, b) => z[b] - z[a]).slice(0, 8));
    px[k] = FX[bestQ]; py[k] = FY[bestQ]; k++;
    x[j] = FX[bestQ]; y[j] = FY[bestQ];
  }
}

/** Moves every turbine by a random step of up to half the spacing (or of the length scale). */
function shake(c: Ctx, x: Float64Array, y: Float64Array, rng: MT19937): void {
  const amp = 0.5 * c.L;
  for (let i = 0; i < c.n; i++) {
    const r = amp * Math.sqrt(rng.nextDouble()), t = 2 * Math.PI * rng.nextDouble();
    x[i] += r * Math.cos(t); y[i] += r * Math.sin(t);
  }
}
