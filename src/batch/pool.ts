/**
 * A small pool of worker threads, one task per worker at a time.
 *
 * Why not piscina (it does replace crashed workers and honour
 * `resourceLimits`): on Node 20 a worker does not inherit tsx from `--import tsx`, so a
 * `.ts` task file needs a JS bootstrap in the worker. util's `spawnModuleWorker`
 * already does that (and imports h5wasm natively first: 30 ms instead of 1.3 s through
 * tsx); piscina would need an extra .mjs file outside the TypeScript build. What the batch
 * needs on top of plain workers is small, and here it is explicit:
 *  - a worker that dies (uncaught error, process.exit, out of memory under
 *    `resourceLimits`) rejects its task with that error and is replaced on demand;
 *  - a task whose AbortSignal fires is abandoned: its worker is terminated;
 *  - tasks go only to workers that reported ready, so a worker that dies before that
 *    (its module does not load) breaks the pool: every task rejects with
 *    `PoolStartError`, instead of failing config after config.
 *
 * Worker side: `serveTasks(handler)` in the worker module.
 */
import { parentPort, type ResourceLimits, type Worker } from "node:worker_threads";
import { WfloError } from "../errors.js";
import { spawnModuleWorker } from "../util/worker.js";

type FromWorker =
  | { t: "ready" }
  | { t: "progress"; id: number; value: unknown }
  | { t: "result"; id: number; value: unknown }
  | { t: "error"; id: number; error: { name: string; message: string; code?: string; stack?: string } };

export interface PoolOptions {
  size: number;
  /** The worker module (a .ts file under tsx, .js from dist), which calls `serveTasks`. */
  moduleUrl: URL;
  workerData?: unknown;
  resourceLimits?: ResourceLimits;
  /** Packages the worker imports natively before tsx (e.g. "h5wasm/node"). */
  preload?: string[];
}

/** The pool's workers cannot start (their module fails to load). Not a config's fault. */
export class PoolStartError extends WfloError {
  constructor(message: string) {
    super(message, "worker-start", 1);
    this.name = "PoolStartError";
  }
}

/** A task abandoned through its AbortSignal. */
export class TaskAbortedError extends WfloError {
  readonly code = "ABORT_ERR";
  constructor() {
    super("task abandoned", "aborted", 1);
    this.name = "AbortError";
  }
}

interface Job {
  id: number;
  task: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** Progress the task reports while it runs (a worker's `report(value)`). */
  onProgress?: (value: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  /** The error event that preceded the exit, if any (e.g. ERR_WORKER_OUT_OF_MEMORY). */
  error?: Error;
  dead: boolean;
}

export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private destroyed = false;
  private broken?: PoolStartError;
  /** Workers started in total (replacements included). */
  started = 0;

  constructor(private readonly opts: PoolOptions) {
    for (let i = 0; i < opts.size; i++) this.spawn();
  }

  get size(): number {
    return this.opts.size;
  }

  /** Runs `task` on a free worker; rejects with the worker's error, or TaskAbortedError. */
  run<R>(task: unknown, signal?: AbortSignal, onProgress?: (value: unknown) => void): Promise<R> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.destroyed) return Promise.reject(new Error("the worker pool is closed"));
    if (signal?.aborted) return Promise.reject(new TaskAbortedError());
    return new Promise<R>((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, resolve: resolve as (v: unknown) => void, reject, signal, onProgress };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener("abort", job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Terminates every worker; queued and running tasks reject. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const err = new Error("the worker pool was closed");
    for (const job of this.queue.splice(0)) this.settle(job, err, false);
    const exits: Promise<unknown>[] = [];
    for (const s of this.slots) {
      if (s.job) this.settle(s.job, err, false);
      s.job = undefined;
      s.dead = true;
      exits.push(s.worker.terminate());
    }
    this.slots.clear();
    await Promise.allSettled(exits);
  }

  private spawn(): Slot {
    const worker = spawnModuleWorker(this.opts.moduleUrl, {
      workerData: this.opts.workerData,
      resourceLimits: this.opts.resourceLimits,
      preload: this.opts.preload,
    });
    this.started++;
    const slot: Slot = { worker, ready: false, dead: false };
    this.slots.add(slot);
    worker.on("message", (m: FromWorker) => this.onMessage(slot, m));
    worker.on("error", (e: Error) => { slot.error ??= e; });
    worker.on("exit", (code) => this.onExit(slot, code));
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.t === "ready") {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    if (m.t === "progress") {
      try { job.onProgress?.(m.value); } catch { /* a display error must not fail the task */ }
      return;
    }
    slot.job = undefined;
    if (m.t === "result") this.settle(job, undefined, true, m.value);
    else this.settle(job, rebuild(m.error), false);
    this.dispatch();
  }

  private onExit(slot: Slot, code: number): void {
    if (slot.dead) return; // terminated on purpose (abort, destroy)
    slot.dead = true;
    this.slots.delete(slot);
    const err = slot.error ?? new Error(`worker exited with code ${code}`);
    if (!slot.ready) {
      // Died while loading its module (tasks go only to ready workers): every replacement would too.
      this.broken = new PoolStartError(`batch worker failed to start: ${err.message}`);
      for (const job of this.queue.splice(0)) this.settle(job, this.broken, false);
      for (const s of this.slots) if (s.job) { this.settle(s.job, this.broken, false); s.job = undefined; }
      return;
    }
    if (slot.job) {
      const job = slot.job;
      slot.job = undefined;
      this.settle(job, err, false);
    }
    this.dispatch();
  }

  private abort(job: Job): void {
    const qi = this.queue.indexOf(job);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.settle(job, new TaskAbortedError(), false);
      return;
    }
    for (const s of this.slots) {
      if (s.job !== job) continue;
      s.job = undefined;
      s.dead = true;
      this.slots.delete(s);
      void s.worker.terminate();
      this.settle(job, new TaskAbortedError(), false);
      this.dispatch();
      return;
    }
  }

  private settle(job: Job, err: unknown, ok: boolean, value?: unknown): void {
    if (job.signal && job.onAbort) job.signal.removeEventListener("abort", job.onAbort);
    if (ok) job.resolve(value);
    else job.reject(err);
  }

  private dispatch(): void {
    if (this.destroyed || this.broken) return;
    while (this.queue.length > 0) {
      let free: Slot | undefined;
      for (const s of this.slots) if (s.ready && !s.job && !s.dead) { free = s; break; }
      if (!free) {
        // Replace workers that died; tasks wait for a worker to report ready.
        while (this.slots.size < this.opts.size) this.spawn();
        return;
      }
      const job = this.queue.shift()!;
      free.job = job;
      free.worker.postMessage({ id: job.id, task: job.task });
    }
  }
}

function rebuild(e: { name: string; message: string; code?: string; stack?: string }): Error {
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code) err.code = e.code;
  if (e.stack) err.stack = e.stack;
  return err;
}

/**
 * Worker side: answers each task posted by the pool with `handler(task, report)`'s result or
 * error; `report(value)` sends progress to the task's `onProgress` meanwhile. `init` (e.g. loading the work module) runs first; the worker reports ready after
 * it, so a module that cannot load breaks the pool instead of failing every task.
 */
export function serveTasks(handler: (task: unknown, report: (progress: unknown) => void) => Promise<unknown>, init?: () => Promise<void>): void {
  const port = parentPort;
  if (!port) throw new Error("serveTasks must run in a worker thread");
  const ready = (init ? init() : Promise.resolve()).then(() => port.postMessage({ t: "ready" }));
  ready.catch((e) => { process.nextTick(() => { throw e; }); });
  port.on("message", (m: { id: number; task: unknown }) => {
    ready
      .then(() => handler(m.task, (value) => port.postMessage({ t: "progress", id: m.id, value })))
      .then(
        (value) => port.postMessage({ t: "result", id: m.id, value }),
        (e: unknown) => {
          const x = e as { name?: string; message?: string; code?: string; stack?: string };
          port.postMessage({ t: "error", id: m.id, error: { name: x?.name ?? "Error", message: x?.message ?? String(e), code: typeof x?.code === "string" ? x.code : undefined, stack: x?.stack } });
        },
      );
  });
}
