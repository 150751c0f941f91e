// Worker side of `wflo optimize`: the optimizer runs here so that the main thread stays free
// to take Ctrl-C and SIGTERM (a signal handler cannot run while the optimizer holds the thread)
// and raise the shared stop flag, which the optimizer polls between iterations.
import { parentPort, workerData } from "node:worker_threads";
import { WfloError } from "../errors.js";
import { optimizeLayout, type OptimizeLayoutResult, type OptimizerOptions } from "../layout/index.js";
import { loadLayoutCaseWithOptimizer } from "./commands/smart-start.js";

export interface OptimizeJob {
  path: string;
  start: { gridSize: number; randomPct: number; seed: number };
  /** The case's optimizer section with the command line's settings over it (no functions). */
  optimizer: OptimizerOptions;
  /** `--start`: the layout to start from instead of the smart start. */
  startLayout?: { x: number[]; y: number[] };
  /** Int32Array over a SharedArrayBuffer: element 0 becomes 1 to stop. */
  stop: Int32Array;
}

/** What comes back: the fields `wflo optimize` prints (the histories stay here). */
export type OptimizeWorkerResult = Pick<OptimizeLayoutResult,
  "x" | "y" | "aepGWh" | "aepInitialGWh" | "iterations" | "feasible" | "minSpacingFoundM" | "maxBoundaryViolationM" | "evaluations" | "elapsedS" | "moves">;

const job = workerData as OptimizeJob;
try {
  const { layoutCase: c } = loadLayoutCaseWithOptimizer(job.path);
  const r = optimizeLayout({
    model: c.model, flowCases: { wdDeg: c.wdDeg, ws: c.ws }, boundary: c.boundary,
    nTurbines: c.nTurbines, minSpacingM: c.minSpacingM, ...job.start,
    ...(job.startLayout ? { start: job.startLayout } : {}),
    optimizer: {
      ...job.optimizer,
      shouldStop: () => Atomics.load(job.stop, 0) !== 0,
      onProgress: (p) => parentPort!.postMessage({ type: "progress", progress: p }),
    },
  });
  const result: OptimizeWorkerResult = {
    x: r.x, y: r.y, aepGWh: r.aepGWh, aepInitialGWh: r.aepInitialGWh, iterations: r.iterations, feasible: r.feasible,
    minSpacingFoundM: r.minSpacingFoundM, maxBoundaryViolationM: r.maxBoundaryViolationM, evaluations: r.evaluations, elapsedS: r.elapsedS, moves: r.moves,
  };
  parentPort!.postMessage({ type: "result", result });
} catch (e) {
  // A wflo error keeps its kind and exit code across the thread (the CLI maps them in main.ts).
  const w = e instanceof WfloError ? { kind: e.kind, exitCode: e.exitCode } : {};
  parentPort!.postMessage({ type: "error", message: (e as Error).message, stack: (e as Error).stack, ...w });
}
