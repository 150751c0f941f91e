/**
 * Runs store work that touches untrusted files in a short-lived worker_thread, so a
 * damaged file can neither crash the caller nor leak into its h5wasm instance (each
 * worker has its own). Used by validate, committedKeys, merge and recover; the notebook
 * kernel's thread never opens an HDF5 file itself.
 *
 * The worker module is ./worker.ts under tsx (tests, dev) and ./worker.js from dist.
 * Measured on Node 20.20 + tsx 4: a worker does NOT get tsx's hooks from an inherited
 * `--import tsx` ("Unknown file extension .ts"), so a .ts worker is started through a
 * two-line bootstrap that registers tsx's ESM API in the worker, then imports it.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";
import { InputError, UsageError } from "../errors.js";
import type { FileReport, InspectOptions } from "./read.js";

const IS_TS = import.meta.url.endsWith(".ts");

/**
 * Starts a worker running the ES module at `moduleUrl`, which may be a .ts file when
 * running from source under tsx. workerData, transferList etc. pass through unchanged.
 * Reusable by any area that runs TypeScript workers (batch, notebook).
 */
export function spawnModuleWorker(moduleUrl: URL, options: WorkerOptions & { preload?: string[] } = {}): Worker {
  const { preload = [], ...workerOptions } = options;
  if (!moduleUrl.pathname.endsWith(".ts")) return new Worker(moduleUrl, workerOptions);
  // Plain-JS packages imported before tsx's hooks load natively: measured, h5wasm's 4 MB
  // module takes 1.3 s to import through tsx and 30 ms without (worker start 1.6 s → 0.3 s).
  const pre = preload.map((spec) => `import(${JSON.stringify(import.meta.resolve(spec))})`).join(", ");
  const api = import.meta.resolve("tsx/esm/api");
  const code = `Promise.all([${pre}]).then(() => import(${JSON.stringify(api)}))` +
    `.then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); })` +
    `.catch((e) => { process.nextTick(() => { throw e; }); });`;
  return new Worker(code, { ...workerOptions, eval: true });
}

function workerUrl(): URL {
  return new URL(IS_TS ? "./worker.ts" : "./worker.js", import.meta.url);
}

/** Messages a store worker posts. */
export type WorkerMessage =
  | { t: "begin"; i: number }
  | { t: "file"; i: number; report: FileReport }
  | { t: "done"; result: unknown }
  | { t: "error"; name: string; message: string; stack?: string; field?: string; file?: string };

function startWorker(op: string, args: unknown): Worker {
  return spawnModuleWorker(workerUrl(), { workerData: { op, args }, preload: ["h5wasm/node"] });
}

function rebuildError(m: Extract<WorkerMessage, { t: "error" }>): Error {
  let e: Error;
  if (m.name === "InputError") e = new InputError(m.message);
  else if (m.name === "UsageError") e = new UsageError(m.message);
  else { e = new Error(m.message); e.name = m.name; }
  if (m.stack) e.stack = m.stack;
  return e;
}

/**
 * Runs `op` (a name registered in worker.ts) in a fresh worker and returns its result.
 * Errors thrown in the worker are rethrown here (InputError/UsageError keep their class);
 * a worker that dies is an Error naming the op and its exit code.
 */
export function runInWorker<T>(op: string, args: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
  return new Promise<T>((resolveP, rejectP) => {
    const w = startWorker(op, args);
    let settled = false;
    const timer = opts.timeoutMs ? setTimeout(() => finish(new Error(`store worker "${op}" timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs) : undefined;
    function finish(err: Error | null, value?: unknown) {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      void w.terminate();
      if (err) rejectP(err); else resolveP(value as T);
    }
    w.on("message", (m: WorkerMessage) => {
      if (m.t === "done") finish(null, m.result);
      else if (m.t === "error") finish(rebuildError(m));
    });
    w.on("error", (err) => finish(new Error(`store worker "${op}" failed: ${err.message}`)));
    w.on("exit", (code) => finish(new Error(`store worker "${op}" exited with code ${code} before finishing`)));
  });
}

export interface InspectFilesOptions extends InspectOptions {
  /** A file taking longer than this is reported unreadable and its worker killed. Default 120 s. */
  timeoutMs?: number;
  /** Start a fresh worker after this many files (bounds what one damaged file can leave behind). Default 5000. */
  filesPerWorker?: number;
  /** Called as each file's report arrives (for progress displays). */
  onFile?: (report: FileReport, index: number) => void;
}

/**
 * inspectFile over many paths in short-lived workers. Never throws for a file: a worker
 * that crashes or hangs on one marks that file "unreadable" and a new worker goes on
 * with the rest. Reports come back in the order of `paths`.
 */
export async function inspectFiles(paths: string[], opts: InspectFilesOptions = {}): Promise<FileReport[]> {
  const reports: (FileReport | undefined)[] = new Array(paths.length);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const perWorker = Math.max(1, opts.filesPerWorker ?? 5000);
  let next = 0;
  while (next < paths.length) {
    const start = next;
    const end = Math.min(paths.length, start + perWorker);
    next = await new Promise<number>((resolveP) => {
      const w = startWorker("inspect", { paths: paths.slice(start, end), opts: { withRecords: !!opts.withRecords } });
      let current = start; // index of the file the worker is on
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => fail(`reader timed out after ${timeoutMs} ms`), timeoutMs);
      };
      const done = (resume: number) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        void w.terminate();
        resolveP(resume);
      };
      const fail = (why: string) => {
        if (settled) return;
        if (current < end && !reports[current]) {
          reports[current] = crashedReport(paths[current], why);
          opts.onFile?.(reports[current]!, current);
        }
        done(current + 1);
      };
      arm();
      w.on("message", (m: WorkerMessage) => {
        if (m.t === "begin") { current = start + m.i; arm(); }
        else if (m.t === "file") {
          reports[start + m.i] = m.report;
          opts.onFile?.(m.report, start + m.i);
          current = start + m.i + 1;
          arm();
        } else if (m.t === "done") done(end);
        else if (m.t === "error") fail(`reader failed: ${m.message}`);
      });
      w.on("error", (err) => fail(`reader crashed: ${err.message}`));
      w.on("exit", (code) => fail(`reader exited with code ${code}`));
    });
  }
  return reports.map((r, i) => r ?? crashedReport(paths[i], "not read"));
}

function crashedReport(path: string, why: string): FileReport {
  return {
    path, status: "unreadable", kind: "unknown", sizeBytes: -1, root: {}, rootExtra: {},
    groups: [], failures: [], groupsOk: 0, groupsBad: 0, errors: [`${path}: ${why}`], notes: [],
  };
}
