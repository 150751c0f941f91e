/**
 * `wflo optimize <case.json> --grid 18 --random-pct 30 --seed S [--json] [--hops N]
 * [--method basin-hopping|wec] [--max-evaluations N] [--time-limit-s S] [--quiet]`: smart
 * start, then the layout optimizer (docs/layout.md). Progress (best AEP so far, evaluations,
 * elapsed) goes to stderr every few seconds unless --quiet, also with --json. With --json prints
 * `{"x", "y", "aep_GWh", "aep_initial_GWh", "iterations", "feasible", "min_spacing_m",
 * "max_boundary_violation_m", "elapsed_s", "evaluations", "moves"}`; `min_spacing_m` is the
 * smallest distance between two turbines in the result, `moves` each hop move's tries and
 * improvements (relocate, shake, repack). Exit 1 if no feasible layout came out.
 *
 * The optimizer runs in a worker thread, so signals reach this one: the first Ctrl-C (or a
 * SIGTERM) stops the optimizer at its next check and prints the best feasible layout so far, as
 * a spent budget does, with a note on stderr and exit 130 (143 for SIGTERM); a second Ctrl-C quits
 * at once. Before, a Ctrl-C after minutes of a long run lost them all.
 */
import { feasibilityCheck, OPTIMIZER_METHODS, type OptimizeProgress, type OptimizerMethod, type OptimizerOptions } from "../../layout/index.js";
import { UsageError, WfloError, type WfloErrorKind } from "../../errors.js";
import { spawnModuleWorker } from "../../util/worker.js";
import type { OptimizeJob, OptimizeWorkerResult } from "../optimizeWorker.js";
import { flag, numberOption, option, parseArgs } from "../args.js";
import { loadLayoutCaseWithOptimizer, onePath, START_OPTIONS, startOptions } from "./smart-start.js";
import { layoutOutPath, readLayoutArg, writeLayoutOut } from "../layoutFiles.js";

export const usage = "usage: wflo optimize <case.json> [--grid 18] [--random-pct 30] [--seed S] [--hops N] [--method M] [--max-evaluations N] [--time-limit-s S] [--quiet] [--json] [--out layout.csv] [--start layout.csv]";
export const summary = "smart start + constrained AEP optimization of a case with a boundary";

/** Seconds between progress lines on stderr. */
const PROGRESS_EVERY_S = 5;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    ...START_OPTIONS, hops: "value", method: "value", "max-evaluations": "value", "time-limit-s": "value", quiet: "flag", out: "value", start: "value",
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
  // Read here first: a bad case fails before a thread starts, naming its file and field.
  const { layoutCase: c, optimizer: fromCase } = loadLayoutCaseWithOptimizer(path);
  const out = layoutOutPath(option(args, "out"));
  const startArg = option(args, "start");
  const startLayout = startArg === undefined ? undefined : readLayoutArg(startArg, "--start");
  if (startLayout && startLayout.x.length !== c.nTurbines) {
    throw new UsageError(`--start ${startArg} has ${startLayout.x.length} turbines; ${path} asks for n_turbines = ${c.nTurbines}`);
  }
  if (startLayout) {
    // A published layout is often a little outside (IEA 37 case study 1's best: 3.5 m): say so, as the result will differ from it.
    const f = feasibilityCheck(c.boundary, startLayout.x, startLayout.y, c.minSpacingM);
    if (!f.feasible) {
      process.stderr.write(`wflo optimize: warning: --start ${startArg} is not feasible for ${path} (${f.outside.length} turbine${f.outside.length === 1 ? "" : "s"} outside, ` +
        `by up to ${f.maxBoundaryViolationM.toFixed(3)} m; smallest spacing ${f.minSpacingM.toFixed(3)} m of ${c.minSpacingM} m): the first solve repairs it\n`);
    }
  }
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
  };
  const onProgress = (p: OptimizeProgress): void => {
    if (quiet) return;
    // A line every few seconds (and the last one): a long run shows it is alive and where it stands.
    const now = (performance.now() - t0) / 1000;
    if (p.phase !== "done" && now - lastLine < PROGRESS_EVERY_S) return;
    lastLine = now;
    const best = Number.isFinite(p.bestAepGWh) ? `${p.bestAepGWh.toFixed(4)} GWh` : "none feasible yet";
    process.stderr.write(`wflo optimize: [${p.phase}] best ${best}, ${Math.round(p.evaluations)}/${p.maxEvaluations} evaluations, ${now.toFixed(1)} s elapsed\n`);
  };
  if (!quiet) process.stderr.write(startArg === undefined ? `wflo optimize: smart start (${c.nTurbines} turbines, grid ${so.gridSize}) ...\n` : `wflo optimize: from ${startArg} (${c.nTurbines} turbines) ...\n`);
  const given = startLayout ? { startLayout: { x: Array.from(startLayout.x), y: Array.from(startLayout.y) } } : {};
  const { result: r, signal } = await optimizeInWorker({ path, start: so, optimizer, ...given }, onProgress);
  if (flag(args, "json")) {
    console.log(JSON.stringify({
      x: Array.from(r.x), y: Array.from(r.y),
      aep_GWh: r.aepGWh, aep_initial_GWh: r.aepInitialGWh,
      iterations: r.iterations, feasible: r.feasible,
      min_spacing_m: Number.isFinite(r.minSpacingFoundM) ? r.minSpacingFoundM : null,
      max_boundary_violation_m: r.maxBoundaryViolationM,
      elapsed_s: r.elapsedS,
      evaluations: Math.round(r.evaluations), moves: r.moves,
    }));
  } else {
    const gain = (100 * (r.aepGWh - r.aepInitialGWh)) / r.aepInitialGWh;
    console.log(startArg === undefined
      ? `${path}: ${c.nTurbines} turbines, ${c.model.deficit.kind}, grid ${so.gridSize}, random ${so.randomPct} %, seed ${so.seed}`
      : `${path}: ${c.nTurbines} turbines, ${c.model.deficit.kind}, from ${startArg}, seed ${so.seed}`);
    console.log(`AEP ${startArg === undefined ? "smart start" : "start      "} ${r.aepInitialGWh.toFixed(6)} GWh`);
    console.log(`AEP optimized   ${r.aepGWh.toFixed(6)} GWh  (+${gain.toFixed(3)} %)`);
    console.log(`feasible ${r.feasible}: min spacing ${r.minSpacingFoundM.toFixed(3)} m (required ${c.minSpacingM} m), max outside ${r.maxBoundaryViolationM.toExponential(2)} m`);
    console.log(`${r.iterations} iterations, ${Math.round(r.evaluations)} AEP evaluations, ${r.elapsedS.toFixed(2)} s`);
    for (let i = 0; i < r.x.length; i++) console.log(`${String(i + 1).padStart(4)}  ${r.x[i].toFixed(3).padStart(12)}  ${r.y[i].toFixed(3).padStart(12)}`);
  }
  if (out !== undefined) {
    if (r.feasible) {
      writeLayoutOut(out, r, [
        `wflo optimize ${path}: ${c.nTurbines} turbines, ${startArg === undefined ? `grid ${so.gridSize}, random ${so.randomPct} %` : `from ${startArg}`}, seed ${so.seed}`,
        `AEP ${r.aepGWh} GWh (${startArg === undefined ? "smart start" : "start"} ${r.aepInitialGWh} GWh), ${Math.round(r.evaluations)} evaluations, ${r.elapsedS.toFixed(1)} s`,
        `feasible: min spacing ${r.minSpacingFoundM} m (required ${c.minSpacingM} m), max outside ${r.maxBoundaryViolationM} m`,
        ...(signal ? [`stopped by ${signal}: the best feasible layout so far, not a finished optimization`] : []),
      ], "optimize");
    } else {
      process.stderr.write(`wflo optimize: no feasible layout came out: nothing written to ${out}\n`);
    }
  }
  if (signal) {
    process.stderr.write(`wflo optimize: stopped by ${signal} after ${Math.round(r.evaluations)} evaluations: the layout above is the best feasible one so far, not a finished optimization\n`);
    return signal === "SIGTERM" ? 143 : 130;
  }
  return r.feasible ? 0 : 1;
}

type WorkerMessage =
  | { type: "progress"; progress: OptimizeProgress }
  | { type: "result"; result: OptimizeWorkerResult }
  | { type: "error"; message: string; stack?: string; kind?: WfloErrorKind; exitCode?: number };

/**
 * Runs the optimizer in a worker thread. The first Ctrl-C (or a SIGTERM, e.g. Slurm's time
 * limit) raises the stop flag: the optimizer ends at its next check and the best feasible layout
 * so far comes back, with the signal's name. A second Ctrl-C ends the process at once.
 */
async function optimizeInWorker(job: Omit<OptimizeJob, "stop">, onProgress: (p: OptimizeProgress) => void): Promise<{ result: OptimizeWorkerResult; signal?: "SIGINT" | "SIGTERM" }> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const url = new URL(import.meta.url.endsWith(".ts") ? "../optimizeWorker.ts" : "../optimizeWorker.js", import.meta.url);
  const worker = spawnModuleWorker(url, { workerData: { ...job, stop } });
  let signal: "SIGINT" | "SIGTERM" | undefined;
  const onSignal = (name: "SIGINT" | "SIGTERM") => () => {
    if (signal === undefined) {
      signal = name;
      Atomics.store(stop, 0, 1);
      process.stderr.write(`wflo optimize: ${name === "SIGINT" ? "Ctrl-C" : name} — stopping at the next check; the best feasible layout so far follows${name === "SIGINT" ? " (Ctrl-C again quits at once)" : ""}\n`);
    } else if (name === "SIGINT") {
      process.stderr.write("wflo optimize: quit; no layout printed\n");
      process.exit(130);
    }
  };
  const onInt = onSignal("SIGINT"), onTerm = onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  try {
    const result = await new Promise<OptimizeWorkerResult>((resolve, reject) => {
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "progress") onProgress(m.progress);
        else if (m.type === "result") resolve(m.result);
        else {
          const e = m.kind !== undefined ? new WfloError(m.message, m.kind, m.exitCode ?? 1) : new Error(m.message);
          if (m.stack) e.stack = m.stack;
          reject(e);
        }
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the optimizer's thread ended (exit ${code}) without a result`)));
    });
    return { result, signal };
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    void worker.terminate();
  }
}
