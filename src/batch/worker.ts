/**
 * Entry of a batch worker thread (started by ./pool.ts). Loads the work module named in
 * `workerData` once, then serves tasks: configs go to the work module, failures are
 * recorded through the store's commit protocol.
 *
 * Runs from source under tsx (the pool bootstraps tsx in the worker) and compiled from
 * dist/ (CLI, notebook); the pool finds it by absolute path next to run.ts / run.js.
 */
import { workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { openResultStore } from "../store/resultStore.js";
import type { BatchWork, ConfigProgress, WorkerContext, WorkerTask } from "./protocol.js";
import { injectFault, type FaultTable } from "./faults.js";
import { serveTasks } from "./pool.js";

const ctx = workerData as WorkerContext;
let work: Promise<BatchWork> | undefined;

function loadWork(): Promise<BatchWork> {
  work ??= import(pathToFileURL(ctx.workModule).href).then((m: { default?: BatchWork } & BatchWork) => m.default ?? m);
  return work;
}

async function handle(task: WorkerTask, report: (p: ConfigProgress) => void): Promise<unknown> {
  switch (task.kind) {
    case "config": {
      const w = await loadWork();
      await injectFault((ctx.spec as { _fault?: FaultTable })._fault, task.key, task.attempt);
      return w.runConfig(ctx, task, report);
    }
    case "fail":
      await openResultStore(ctx.out).commitFailure(task.key, task.error, task.attempts);
      return null;
  }
}

serveTasks((t, report) => handle(t as WorkerTask, report), async () => { await loadWork(); });
