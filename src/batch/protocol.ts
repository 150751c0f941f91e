/**
 * What the main thread and the batch workers say to each other.
 *
 * Workers do the configs (build the model, optimize, commit the part file) and record
 * failures; the main thread only schedules. The other HDF5 work of a batch (the resume
 * scan, merges) runs in the store's own short-lived workers, so no HDF5 ever runs on the
 * caller's thread (a notebook kernel, the CLI) and a crash in WASM cannot take it down.
 *
 * The per-config work is a module implementing `BatchWork` (`./work.ts` by default; tests
 * inject small ones); `./worker.ts` is the thread entry that dispatches to it.
 */

/** Given to every worker once, as `workerData`. Plain data. */
export interface WorkerContext {
  /** The validated batch spec (`BatchSpec`). */
  spec: unknown;
  /** Absolute path of the output file; parts go to `<out>.parts/`. */
  out: string;
  /** Absolute path of the module implementing `BatchWork`. */
  workModule: string;
}

export interface ConfigTask {
  kind: "config";
  key: string;
  index: number;
  farmIdx: number;
  typeIdx: number;
  seed: number;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface ConfigReply {
  key: string;
  aepGWh: number;
  aepInitialGWh: number;
  iterations: number;
  /** Building the model, smart start and optimization (s). */
  optimizeS: number;
  /** commitResult: writing, fsyncing and publishing the part file (s). */
  commitS: number;
  /** "committed", or "unchanged" when the same result was already committed (a retry after a crash). */
  commit: "committed" | "unchanged" | "conflict";
  /** Set when commit is "conflict": where the store kept the differing result. */
  note?: string;
}

/** Record that a config failed after all its attempts (`_failed/<key>` at merge). */
export interface FailTask { kind: "fail"; key: string; error: string; attempts: number }

export type WorkerTask = ConfigTask | FailTask;

/** What a config reports while it optimizes (the optimizer's best so far). Plain data. */
export interface ConfigProgress {
  key: string;
  bestAepGWh: number;
  evaluations: number;
  maxEvaluations: number;
  elapsedS: number;
}

/** A work module: optimizes and commits one config. Runs inside a worker thread. */
export interface BatchWork {
  runConfig(ctx: WorkerContext, task: ConfigTask, report?: (p: ConfigProgress) => void): Promise<ConfigReply>;
}
