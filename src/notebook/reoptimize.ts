// Convergence for files written before the batch stored the optimizer's AEP history
// (`aep_history`), and for checking a stored result: optimizing a configuration again with
// the batch's own settings retraces it exactly (smart start and hops are seeded by the
// config), so the iterate history can be plotted, and its final AEP checked against the
// stored one. Runs in a worker: the
// kernel thread does no heavy numerics and stays responsive to interrupts.
import { spawnModuleWorker } from "../util/worker.js";
import { InputError } from "../errors.js";
import { watchInterrupts } from "./interrupt.js";

export interface ReoptimizeResult {
  key: string;
  aepGWh: number;
  aepInitialGWh: number;
  iterations: number;
  elapsedS: number;
  /** AEP (GWh) of every optimizer iterate. */
  history: Float64Array;
  /** Best feasible AEP after the first local solve and after each hop. */
  hopHistory: Float64Array;
  x: Float64Array;
  y: Float64Array;
  smartStart: { x: Float64Array; y: Float64Array };
  aepPerTurbineGWh: Float64Array;
}

function one(spec: unknown, key: string): { promise: Promise<ReoptimizeResult>; cancel: () => void } {
  const url = new URL(import.meta.url.endsWith(".ts") ? "./reoptimizeWorker.ts" : "./reoptimizeWorker.js", import.meta.url);
  const w = spawnModuleWorker(url, { workerData: { spec, key } });
  let cancelled = false;
  const promise = new Promise<ReoptimizeResult>((resolve, reject) => {
    w.once("message", (m: { ok: true; result: ReoptimizeResult } | { ok: false; message: string; name: string }) => {
      if (m.ok) resolve(m.result);
      else reject(m.name === "InputError" ? new InputError(m.message) : new Error(`${key}: ${m.message}`));
      void w.terminate();
    });
    w.once("error", (e) => reject(e));
    w.once("exit", (code) => reject(new Error(cancelled ? `${key}: interrupted` : `${key}: the worker exited (${code}) without a result`)));
  });
  return { promise, cancel: () => ((cancelled = true), void w.terminate()) };
}

/**
 * Optimizes the given configurations of `spec` again, each in its own worker (at most
 * `workers` at a time, default 2). A kernel interrupt terminates them.
 */
export async function reoptimize(spec: unknown, keys: string[], opts: { workers?: number } = {}): Promise<ReoptimizeResult[]> {
  const results: ReoptimizeResult[] = new Array(keys.length);
  const running = new Set<{ cancel: () => void }>();
  let stopped = false;
  const dispose = await watchInterrupts({ stop: () => { stopped = true; for (const r of running) r.cancel(); } });
  try {
    let next = 0;
    const lane = async () => {
      while (next < keys.length && !stopped) {
        const i = next++;
        const job = one(spec, keys[i]);
        running.add(job);
        try {
          results[i] = await job.promise;
        } finally {
          running.delete(job);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.workers ?? 2, keys.length)) }, lane));
    return results;
  } finally {
    dispose();
  }
}
