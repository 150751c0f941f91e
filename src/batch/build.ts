/**
 * From a validated spec to the objects one config needs: the wind-farm model of a turbine
 * type and the boundary of a farm. The same functions check the spec up front
 * (`check*`, called by parseBatchSpec on the main thread) and build the pieces in the
 * workers, so nothing a worker builds can fail as bad input.
 */
import { InputError } from "../errors.js";
import {
  aepGWh, parseSite, parseTurbine, parseWakeModel, TURBINE_DIAMETER_RANGE_M, wakeModelLabel, windFarmModelOf,
  type Site, type Turbine, type WindFarmModel,
} from "../physics/index.js";
import { boundaryCanHold, candidateGrid, OPTIMIZER_METHODS, parseBoundary, type Boundary, type OptimizerOptions } from "../layout/index.js";
import type { BatchSpec } from "./specTypes.js";

interface Where { file?: string }

/**
 * The spec's site, carrying the spec's flow cases (`wd`, `ws`) as its defaults when given:
 * the optimizer evaluates AEP over the model's default flow cases.
 */
export function buildSite(spec: BatchSpec, w: Where = {}): Site {
  const site = parseSite(spec.site, "site", w.file);
  if (!spec.wd && !spec.ws) return site;
  return {
    ...site,
    ...(spec.wd ? { defaultWdDeg: Float64Array.from(spec.wd) } : {}),
    ...(spec.ws ? { defaultWs: Float64Array.from(spec.ws) } : {}),
  };
}

export function buildTurbine(spec: BatchSpec, t: number, w: Where = {}): Turbine {
  const def = spec.turbines[t];
  const field = `turbines[${t}]`;
  if ((typeof def === "string" && /\.(ya?ml|json)$/i.test(def)) || (typeof def === "object" && def !== null && "curve" in def)) {
    // parseBatchSpec inlines turbine files; a spec that skipped it must not make workers read files.
    throw new InputError("a turbine file in a spec that parseBatchSpec has not normalised (readBatchSpec reads and inlines it)", { file: w.file, field });
  }
  return parseTurbine(def, field, { file: w.file });
}

/** Site + turbine type t + wake models. */
export function buildModel(spec: BatchSpec, t: number, w: Where = {}): WindFarmModel {
  return windFarmModelOf(buildSite(spec, w), buildTurbine(spec, t, w), parseWakeModel(spec.model, "model", w.file));
}

/** The wake model's name as stored with each result (`wake_model` attribute). */
export function wakeModelName(spec: BatchSpec): string {
  return wakeModelLabel(spec.model);
}

/** A farm's boundary, in the case-file form (layout's `parseBoundary`: circle, polygon, polygons + exclusions). */
export function buildBoundary(spec: BatchSpec, f: number, w: Where = {}): Boundary {
  return parseBoundary(spec.farms[f].boundary, `farms[${f}].boundary`, w.file);
}

/**
 * Farm f's minimum spacing for turbine type t, in metres: `min_spacing_m`, or
 * `min_spacing_D` (one value, or one per type) times type t's rotor diameter.
 */
export function spacingM(spec: BatchSpec, f: number, t: number, w: Where = {}): number {
  const farm = spec.farms[f];
  if (farm.min_spacing_m !== undefined) return farm.min_spacing_m;
  const d = Array.isArray(farm.min_spacing_D) ? farm.min_spacing_D[t] : farm.min_spacing_D;
  if (typeof d !== "number") throw new InputError("has no spacing for this turbine type (give min_spacing_m or min_spacing_D)", { file: w.file, field: `farms[${f}]` });
  return d * buildTurbine(spec, t, w).diameterM;
}

/** How the spacing was given, for messages: "260 m" or "2 D × 130 m = 260 m". */
function spacingText(spec: BatchSpec, f: number, t: number, w: Where): string {
  const farm = spec.farms[f];
  const m = spacingM(spec, f, t, w);
  if (farm.min_spacing_m !== undefined) return `${m} m`;
  const d = Array.isArray(farm.min_spacing_D) ? farm.min_spacing_D[t] : farm.min_spacing_D;
  return `${d} D × ${buildTurbine(spec, t, w).diameterM} m = ${Number(m.toPrecision(6))} m (turbines[${t}])`;
}

// ---------------------------------------------------------------------------------------
// up-front checks (main thread, before any work)

export function checkSite(spec: BatchSpec, w: Where): void {
  buildSite(spec, w);
}

export function checkModel(spec: BatchSpec, w: Where): void {
  parseWakeModel(spec.model, "model", w.file);
}

/**
 * The turbine type parses, has a plausible rotor, and makes energy at this site: a lone
 * turbine's AEP over the spec's flow cases is > 0. Otherwise every configuration of the type
 * would fail at run time (speeds outside its power curve, all-zero sector probabilities).
 */
export function checkTurbine(spec: BatchSpec, t: number, w: Where): void {
  const turbine = buildTurbine(spec, t, w);
  const d = turbine.diameterM;
  if (!(d >= TURBINE_DIAMETER_RANGE_M[0] && d <= TURBINE_DIAMETER_RANGE_M[1])) {
    throw new InputError(`rotor diameter ${d} m is outside [${TURBINE_DIAMETER_RANGE_M.join(", ")}] m (the largest turbines built are ~260 m)`, { file: w.file, field: `turbines[${t}]` });
  }
  const alone = aepGWh(buildModel(spec, t, w), new Float64Array([0]), new Float64Array([0]));
  if (!(alone > 0)) {
    throw new InputError(
      `produces no energy at this site: a lone turbine's AEP over the spec's flow cases is ${alone} GWh ` +
      `(are the wind speeds ws inside its power curve, and are the sector probabilities non-zero?)`,
      { file: w.file, field: `turbines[${t}]` },
    );
  }
}

/**
 * The boundary parses, can hold n_turbines at min_spacing_m (a necessary bound: if it
 * says no, no layout exists), and the smart-start grid has at least n candidates inside.
 */
export function checkFarm(spec: BatchSpec, f: number, w: Where): void {
  const farm = spec.farms[f];
  const b = buildBoundary(spec, f, w);
  // With min_spacing_D each turbine type has its own spacing in metres: each must fit.
  const types = farm.min_spacing_m !== undefined ? [0] : spec.turbines.map((_, t) => t);
  for (const t of types) {
    const cap = boundaryCanHold(b, farm.n_turbines, spacingM(spec, f, t, w));
    if (!cap.possible) {
      const which = farm.min_spacing_m !== undefined ? "min_spacing_m" : "min_spacing_D";
      throw new InputError(
        `${farm.n_turbines} turbines at ${spacingText(spec, f, t, w)} spacing cannot fit in farms[${f}].boundary: ` +
        `at most ${cap.maxTurbines} (${cap.bound})${cap.unitsHint}. Lower n_turbines or ${which}, or enlarge the boundary.`,
        { file: w.file, field: `farms[${f}].n_turbines` },
      );
    }
  }
  const grid = candidateGrid(b, spec.grid_size);
  if (grid.x.length < farm.n_turbines) {
    throw new InputError(
      `the ${spec.grid_size}×${spec.grid_size} smart-start grid has only ${grid.x.length} points inside farms[${f}].boundary ` +
      `for ${farm.n_turbines} turbines; raise grid_size`,
      { file: w.file, field: "grid_size" },
    );
  }
}

/** Spec `optimizer` keys (snake_case, as the rest of the spec) → layout's OptimizerOptions. */
const OPTIMIZER_KEYS = {
  hops: { name: "hops", min: 0, integer: true, what: "basin-hopping rounds after the first local solve (0: local solve only)" },
  inner_iterations: { name: "innerIterations", min: 1, integer: true, what: "L-BFGS iterations per augmented-Lagrangian round" },
  outer_iterations: { name: "outerIterations", min: 1, integer: true, what: "augmented-Lagrangian rounds per local solve" },
  penalty_start: { name: "penaltyStart", min: 1e-6, max: 1e7, integer: false, what: "first penalty weight of the augmented Lagrangian" },
  relocate_share: { name: "relocateShare", min: 0, max: 1, integer: false, what: "share of hops that relocate weak turbines (default: by each move's record)" },
  repack_after: { name: "repackAfter", min: 0, max: 1e9, integer: true, what: "failed hops in a row after which half the hops repack a cluster of turbines (default 8; 0: never)" },
  relocation_grid: { name: "relocationGrid", min: 2, max: 400, integer: true, what: "candidate points per side of the relocation grid" },
  max_evaluations: { name: "maxEvaluations", min: 1, integer: true, what: "budget of AEP evaluations over the run" },
  time_limit_s: { name: "timeLimitS", min: 0, integer: false, what: "wall-clock limit per config (s); results then depend on the machine's load" },
  hop_ftol: { name: "hopFTol", min: 0, integer: false, what: "relative-decrease stop of L-BFGS during hops" },
  ring_starts: { name: "ringStarts", min: 0, integer: true, what: "ring starts (turbines along the outlines) solved before the search" },
  coarse_speeds: { name: "coarseSpeeds", min: 0, integer: true, what: "speeds of the coarse rose, at most (neighbours merged; 0: all)" },
  coarse_directions: { name: "coarseDirections", min: 2, integer: true, what: "directions of the coarse rose (about)" },
  polish_directions: { name: "polishDirections", min: 0, integer: true, what: "directions of the middle rose that polishes the coarse search's best (about; 0: none)" },
  polish_share: { name: "polishShare", min: 0, max: 1, integer: false, what: "share of what the coarse rose leaves that the middle rose's polish may use" },
  coarse_share: { name: "coarseShare", min: 0, max: 1, integer: false, what: "share of the budget the coarse rose may use" },
  explore_share: { name: "exploreShare", min: 0, max: 1, integer: false, what: "method multistart: share of the budget the starts split" },
  starts: { name: "starts", min: 1, max: 64, integer: true, what: "method multistart: how many smart starts" },
} as const satisfies Record<string, { name: keyof OptimizerOptions; min: number; max?: number; integer: boolean; what: string }>;

/** The spec's optimizer settings as layout's OptimizerOptions (validated). */
export function optimizerOptions(spec: BatchSpec, w: Where = {}): OptimizerOptions {
  const out: Record<string, unknown> = {};
  const known = [...Object.keys(OPTIMIZER_KEYS), "method", "coarse", "wec_factors"];
  for (const [k, v] of Object.entries(spec.optimizer ?? {})) {
    if (k === "method") {
      if (typeof v !== "string" || !(OPTIMIZER_METHODS as readonly string[]).includes(v)) {
        throw new InputError(`must be one of ${OPTIMIZER_METHODS.map((m) => JSON.stringify(m)).join(", ")}, got ${JSON.stringify(v)}`, { file: w.file, field: "optimizer.method" });
      }
      out.method = v;
      continue;
    }
    if (k === "coarse") {
      if (typeof v !== "boolean") throw new InputError(`must be true or false (search on a coarse rose first when the rose is large), got ${JSON.stringify(v)}`, { file: w.file, field: "optimizer.coarse" });
      out.coarse = v;
      continue;
    }
    if (k === "wec_factors") {
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 1)) {
        throw new InputError(`must be a non-empty list of wake-expansion factors ≥ 1, widest first, got ${JSON.stringify(v)}`, { file: w.file, field: "optimizer.wec_factors" });
      }
      out.wecFactors = (v as number[]).slice();
      continue;
    }
    const d = (OPTIMIZER_KEYS as Record<string, { name: string; min: number; max?: number; integer: boolean; what: string }>)[k];
    if (!d) {
      throw new InputError(`unknown optimizer setting; known: ${known.join(", ")} (the seed is the config's)`, { file: w.file, field: `optimizer.${k}` });
    }
    const max = d.max ?? Infinity;
    if (typeof v !== "number" || !Number.isFinite(v) || v < d.min || v > max || (d.integer && !Number.isInteger(v))) {
      const range = max < Infinity ? `in [${d.min}, ${max}]` : `≥ ${d.min}`;
      throw new InputError(`must be ${d.integer ? "an integer" : "a number"} ${range} (${d.what}), got ${JSON.stringify(v)}`, { file: w.file, field: `optimizer.${k}` });
    }
    out[d.name] = v;
  }
  return out as OptimizerOptions;
}

export function checkOptimizer(spec: BatchSpec, w: Where): void {
  optimizerOptions(spec, w);
}
