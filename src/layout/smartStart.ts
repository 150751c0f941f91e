/**
 * Smart start with TopFarm2's semantics (`topfarm.utils.smart_start`), so that a seed gives
 * TopFarm's layout, position for position and in the same order:
 * 1. evaluate the value map over the remaining candidates (the AEP one more turbine would
 *    make there, in the wakes of those already placed);
 * 2. n_top = max(1, round_half_even(random_pct/100 · len)); z_min = the n_top-th largest
 *    value; pick uniformly (numpy's legacy `choice`) among all candidates with z ≥ z_min,
 *    ties included, in candidate order;
 * 3. place it and drop every candidate closer than min_space (squared distance < min_space²).
 * random_pct 0 is the greedy start; ties at the maximum are still broken by the generator.
 */
import { InputError, WfloError } from "../errors.js";
import { MT19937 } from "./rng.js";

/**
 * Value map: fills `out[j]` with the value (AEP, GWh) of a turbine at candidate j given the
 * `placedX.length` turbines already placed. Physics' `candidateAepGWh` has this shape.
 */
export type ValueMap = (
  placedX: Float64Array, placedY: Float64Array,
  candX: Float64Array, candY: Float64Array, out: Float64Array,
) => void;

export interface SmartStartOptions {
  candX: Float64Array;
  candY: Float64Array;
  nTurbines: number;
  valueMap: ValueMap;
  /** Percentage (0–100) of the best candidates to pick from at random. */
  randomPct: number;
  /** Seed of numpy's legacy MT19937 (`np.random.seed(seed)`), or a generator to draw from. */
  seed: number | MT19937;
  minSpacingM: number;
}

export interface SmartStartResult {
  /** Turbine positions (m) in placement order. */
  x: Float64Array;
  y: Float64Array;
  /** Index into the candidate list of each placed turbine. */
  candidateIndex: Int32Array;
}

/** numpy's `np.round` for a scalar: halves go to the even neighbour. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export class NoFeasiblePositionError extends WfloError {
  readonly turbine: number;
  constructor(turbine: number, nTurbines: number, minSpacingM: number) {
    super(`smart start: no feasible position for turbine ${turbine} of ${nTurbines} ` +
      `(every remaining candidate is closer than min_spacing_m = ${minSpacingM} m to a placed turbine): ` +
      `use a finer grid, fewer turbines or a smaller spacing`, "no-feasible-position", 1);
    this.name = "NoFeasiblePositionError";
    this.turbine = turbine;
  }
}

/**
 * A warning for a random_pct in (0, 1). It is a percentage, as TopFarm's is, so 0.3 means
 * 0.3 %; when that is under one of the grid's candidates, every pick is the best candidate:
 * the greedy start of random_pct 0, where seeds differ only in how ties are broken. A share written as a fraction (0.3 for 30 %) is valid input
 * that silently drops the spread a sweep over seeds is for, so it is named, not refused.
 */
export function randomPctWarning(randomPct: number, gridSize: number, field = "random_pct"): string | undefined {
  if (!(randomPct > 0 && randomPct < 1)) return undefined;
  const share = (randomPct / 100) * gridSize * gridSize;
  const effect = roundHalfEven(share) <= 1
    ? `it picks among ${share < 0.5 ? "less than one" : "about one"} of the ${gridSize} × ${gridSize} grid's candidates, so each pick is the best candidate, the greedy start of random_pct 0`
    : `it picks among ${roundHalfEven(share)} of the ${gridSize} × ${gridSize} grid's candidates`;
  return `${field} ${randomPct} means ${randomPct} % (a percentage, as TopFarm's): ${effect}; for ${+(randomPct * 100).toFixed(6)} % write ${+(randomPct * 100).toFixed(6)}`;
}

export function smartStart(o: SmartStartOptions): SmartStartResult {
  const { candX, candY, nTurbines: n, valueMap, randomPct, minSpacingM } = o;
  if (candX.length !== candY.length) throw new RangeError("candX and candY differ in length");
  if (!Number.isInteger(n) || n < 1) throw new InputError(`must be an integer ≥ 1, got ${n}`, { field: "n_turbines" });
  if (!(randomPct >= 0 && randomPct <= 100)) throw new InputError(`must be in [0, 100], got ${randomPct}`, { field: "random_pct" });
  if (!(minSpacingM >= 0) || !Number.isFinite(minSpacingM)) throw new InputError(`must be a finite number ≥ 0, got ${minSpacingM}`, { field: "min_spacing_m" });
  const rng = typeof o.seed === "number" ? new MT19937(o.seed) : o.seed;

  // Remaining candidates, compacted in their original order.
  let m = candX.length;
  const remX = Float64Array.from(candX), remY = Float64Array.from(candY);
  const remIdx = new Int32Array(m);
  for (let j = 0; j < m; j++) remIdx[j] = j;
  const z = new Float64Array(m), sorted = new Float64Array(m);
  const top = new Int32Array(m);
  const x = new Float64Array(n), y = new Float64Array(n), chosen = new Int32Array(n);
  const s2 = minSpacingM * minSpacingM;

  for (let k = 0; k < n; k++) {
    if (m === 0) throw new NoFeasiblePositionError(k + 1, n, minSpacingM);
    const zk = z.subarray(0, m);
    valueMap(x.subarray(0, k), y.subarray(0, k), remX.subarray(0, m), remY.subarray(0, m), zk);
    const nTop = Math.max(1, roundHalfEven((randomPct / 100) * m));
    const sk = sorted.subarray(0, m);
    sk.set(zk);
    sk.sort();
    const zMin = sk[m - Math.min(nTop, m)];
    let nt = 0;
    for (let j = 0; j < m; j++) if (zk[j] >= zMin) top[nt++] = j;
    const pick = top[rng.choiceIndex(nt)];
    const px = remX[pick], py = remY[pick];
    x[k] = px; y[k] = py; chosen[k] = remIdx[pick];
    let w = 0;
    for (let j = 0; j < m; j++) {
      const dx = remX[j] - px, dy = remY[j] - py;
      if (j === pick || dx * dx + dy * dy < s2) continue;
      remX[w] = remX[j]; remY[w] = remY[j]; remIdx[w] = remIdx[j]; w++;
    }
    m = w;
  }
  return { x, y, candidateIndex: chosen };
}
