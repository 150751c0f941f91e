/**
 * Entry of a short-lived store worker (see sandbox.ts). workerData = {op, args}; posts
 * WorkerMessage values. Each op is imported on demand so a worker loads only what it runs.
 * Other store modules register ops here (additive: one entry each).
 */
import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { WorkerMessage } from "./sandbox.js";

type Post = (m: WorkerMessage) => void;

/**
 * Everything this worker prints to stderr goes to the parent as {t: "stderr"} messages,
 * in order with its per-file messages (sandbox.ts attaches it to the file's report).
 * Two routes: JS output (console.error, emscripten's "Aborted(…)" and UTF-8 warnings)
 * through process.stderr, and HDF5's own fprintf(stderr) (HDF5-DIAG), which h5wasm's
 * NODERAWFS sends straight to fd 2 with fs.writeSync — measured: it bypasses the
 * worker's stderr stream and would reach the terminal even with `stderr: true`.
 * Sent unbuffered, so a worker that dies has already handed over what it printed.
 */
function captureStderr(post: Post): void {
  const send = (text: string) => { if (text) post({ t: "stderr", text }); };
  const toText = (chunk: unknown, encoding?: unknown) =>
    typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? encoding as BufferEncoding : "utf8");
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    send(toText(chunk, rest[0]));
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    if (cb) queueMicrotask(cb);
    return true;
  }) as typeof process.stderr.write;
  const writeSync = fs.writeSync;
  fs.writeSync = function (fd: number, data: unknown, ...rest: unknown[]): number {
    if (fd !== 2) return (writeSync as (...a: unknown[]) => number).call(fs, fd, data, ...rest);
    if (typeof data === "string") {
      send(data);
      return Buffer.byteLength(data, typeof rest[1] === "string" ? rest[1] as BufferEncoding : "utf8");
    }
    const view = data as ArrayBufferView;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const offset = typeof rest[0] === "number" ? rest[0] : 0;
    const length = typeof rest[1] === "number" ? rest[1] : bytes.length - offset;
    send(Buffer.from(bytes.subarray(offset, offset + length)).toString("utf8"));
    return length;
  } as typeof fs.writeSync;
}

const ops: Record<string, (args: never, post: Post) => Promise<unknown>> = {
  async inspect(args: { paths: string[]; opts: { withRecords?: boolean } }, post: Post) {
    const { inspectFile, isGoodStatus } = await import("./read.js");
    const { h5InstanceHealthy } = await import("./h5.js");
    const { tmpdir } = await import("node:os");
    for (let i = 0; i < args.paths.length; i++) {
      post({ t: "begin", i });
      const report = await inspectFile(args.paths[i], args.opts);
      post({ t: "file", i, report });
      // After a damaged file, check the h5wasm instance before trusting it with the next:
      // if that file broke it (out of memory, abort), stop here and let the parent start a
      // fresh worker for the rest, so one bad file costs only itself.
      if (!isGoodStatus(report.status) && i + 1 < args.paths.length && !(await h5InstanceHealthy(tmpdir()))) return { next: i + 1 };
    }
    return null;
  },
  async "salvage-probe"(args: { jobs: { path: string; keys: string[] }[] }) {
    const { probeKeysHere } = await import("./probe.js");
    return probeKeysHere(args.jobs);
  },
  async "recover-write"(args: { plan: unknown }) {
    const { writeRecoveredHere } = await import("./recover.js");
    return writeRecoveredHere(args.plan as Parameters<typeof writeRecoveredHere>[0]);
  },
  async merge(args: { out: string; opts: unknown }) {
    const { mergePartsHere } = await import("./merge.js");
    return mergePartsHere(args.out, args.opts as Parameters<typeof mergePartsHere>[1]);
  },
};

const post: Post = (m) => parentPort!.postMessage(m);
captureStderr(post);
const { op, args } = workerData as { op: string; args: unknown };
try {
  const fn = ops[op];
  if (!fn) throw new Error(`unknown store worker op "${op}"`);
  post({ t: "done", result: await fn(args as never, post) });
} catch (err) {
  const e = err as Error & { field?: string; file?: string };
  post({ t: "error", name: e?.name ?? "Error", message: e?.message ?? String(err), stack: e?.stack, field: e?.field, file: e?.file });
}
