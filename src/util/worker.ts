/**
 * Worker threads for every area (the store's sandbox, the batch pool, the notebook's
 * re-optimization). Measured on Node 20.20 + tsx 4: a worker does NOT get tsx's hooks from
 * an inherited `--import tsx` ("Unknown file extension .ts"), so a .ts worker is started
 * through a bootstrap that registers tsx's ESM API in the worker, then imports it.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

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
