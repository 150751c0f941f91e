/**
 * `wflo optimize <case.json> --grid 18 --random-pct 30 --seed S [--json] [--hops N]
 * [--method basin-hopping|wec] [--max-evaluations N] [--time-limit-s S] [--quiet]`: smart
 * start, then the layout optimizer (docs/layout.md). Progress (best AEP so far, evaluations,
 * elapsed) goes to stderr every few seconds unless --quiet, also with --json. With --json prints
 * `{"x", "y", "aep_GWh", "aep_initial_GWh", "iterations", "feasible", "min_spacing_m",
 * "max_boundary_violation_m", "elapsed_s"}`; `min_spacing_m` is the smallest distance
 * between two turbines in the result. Exit 1 if no feasible layout came out.
 */
import { OPTIMIZER_METHODS, optimizeLayout, type OptimizerMethod, type OptimizerOptions } from "../../layout/index.js";
import { UsageError } from "../../errors.js";
import { flag, numberOption, option, parseArgs } from "../args.js";
import { loadLayoutCaseWithOptimizer, onePath, START_OPTIONS, startOptions } from "./smart-start.js";

export const usage = "usage: wflo optimize <case.json> [--grid 18] [--random-pct 30] [--seed S] [--hops N] [--method M] [--max-evaluations N] [--time-limit-s S] [--quiet] [--json]";
export const summary = "smart start + constrained AEP optimization of a case with a boundary";

/** Seconds between progress lines on stderr. */
const PROGRESS_EVERY_S = 5;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    ...START_OPTIONS, hops: "value", method: "value", "max-evaluations": "value", "time-limit-s": "value", quiet: "flag",
  });
  const path = onePath(args.positional, "optimize");
  const so = startOptions(args, "optimize");
  const hops = numberOption(args, "hops", { integer: true, min: 0 });
  const maxEvaluations = numberOption(args, "max-evaluations", { integer: true, min: 1 });
  const timeLimitS = numberOption(args, "time-limit-s", { min: 0 });
  const method = option(args, "method");
  if (method !== undefined && !(OPTIMIZER_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`--method must be one of ${OPTIMIZER_METHODS.join(", ")}, got "${method}"`);
  }
  const { layoutCase: c, optimizer: fromCase } = loadLayoutCaseWithOptimizer(path);
  const t0 = performance.now();
  let lastLine = -Infinity;
  const quiet = flag(args, "quiet");
  // The case's optimizer section, then the command line's settings over it.
  const optimizer: OptimizerOptions = {
    ...fromCase,
    ...(hops !== undefined ? { hops } : {}),
    ...(maxEvaluations !== undefined ? { maxEvaluations } : {}),
    ...(timeLimitS !== undefined ? { timeLimitS } : {}),
    ...(method !== undefined ? { method: method as OptimizerMethod } : {}),
    ...(quiet ? {} : {
      onProgress: (p) => {
        // A line every few seconds (and the last one): a long run shows it is alive and where it stands.
        const now = (performance.now() - t0) / 1000;
        if (p.phase !== "done" && now - lastLine < PROGRESS_EVERY_S) return;
        lastLine = now;
        const best = Number.isFinite(p.bestAepGWh) ? `${p.bestAepGWh.toFixed(4)} GWh` : "none feasible yet";
        process.stderr.write(`wflo optimize: [${p.phase}] best ${best}, ${Math.round(p.evaluations)}/${p.maxEvaluations} evaluations, ${now.toFixed(1)} s elapsed\n`);
      },
    }),
  };
  if (!quiet) process.stderr.write(`wflo optimize: smart start (${c.nTurbines} turbines, grid ${so.gridSize}) ...\n`);
  const r = optimizeLayout({
    model: c.model, flowCases: { wdDeg: c.wdDeg, ws: c.ws }, boundary: c.boundary,
    nTurbines: c.nTurbines, minSpacingM: c.minSpacingM, ...so, optimizer,
  });
  if (flag(args, "json")) {
    console.log(JSON.stringify({
      x: Array.from(r.x), y: Array.from(r.y),
      aep_GWh: r.aepGWh, aep_initial_GWh: r.aepInitialGWh,
      iterations: r.iterations, feasible: r.feasible,
      min_spacing_m: Number.isFinite(r.minSpacingFoundM) ? r.minSpacingFoundM : null,
      max_boundary_violation_m: r.maxBoundaryViolationM,
      elapsed_s: r.elapsedS,
    }));
  } else {
    const gain = (100 * (r.aepGWh - r.aepInitialGWh)) / r.aepInitialGWh;
    console.log(`${path}: ${c.nTurbines} turbines, ${c.model.deficit.kind}, grid ${so.gridSize}, random ${so.randomPct} %, seed ${so.seed}`);
    console.log(`AEP smart start ${r.aepInitialGWh.toFixed(6)} GWh`);
    console.log(`AEP optimized   ${r.aepGWh.toFixed(6)} GWh  (+${gain.toFixed(3)} %)`);
    console.log(`feasible ${r.feasible}: min spacing ${r.minSpacingFoundM.toFixed(3)} m (required ${c.minSpacingM} m), max outside ${r.maxBoundaryViolationM.toExponential(2)} m`);
    console.log(`${r.iterations} iterations, ${r.evaluations} AEP evaluations, ${r.elapsedS.toFixed(2)} s`);
    for (let i = 0; i < r.x.length; i++) console.log(`${String(i + 1).padStart(4)}  ${r.x[i].toFixed(3).padStart(12)}  ${r.y[i].toFixed(3).padStart(12)}`);
  }
  return r.feasible ? 0 : 1;
}
