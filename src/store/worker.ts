/**
 * Entry of a short-lived store worker (see sandbox.ts). workerData = {op, args}; posts
 * WorkerMessage values. Each op is imported on demand so a worker loads only what it runs.
 * Other store modules register ops here (additive: one entry each).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { WorkerMessage } from "./sandbox.js";

type Post = (m: WorkerMessage) => void;

const ops: Record<string, (args: never, post: Post) => Promise<unknown>> = {
  async inspect(args: { paths: string[]; opts: { withRecords?: boolean } }, post: Post) {
    const { inspectFile } = await import("./read.js");
    for (let i = 0; i < args.paths.length; i++) {
      post({ t: "begin", i });
      post({ t: "file", i, report: await inspectFile(args.paths[i], args.opts) });
    }
    return null;
  },
  async "salvage-probe"(args: { jobs: { path: string; keys: string[] }[] }) {
    const { probeKeysHere } = await import("./salvage.js");
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
const { op, args } = workerData as { op: string; args: unknown };
try {
  const fn = ops[op];
  if (!fn) throw new Error(`unknown store worker op "${op}"`);
  post({ t: "done", result: await fn(args as never, post) });
} catch (err) {
  const e = err as Error & { field?: string; file?: string };
  post({ t: "error", name: e?.name ?? "Error", message: e?.message ?? String(err), stack: e?.stack, field: e?.field, file: e?.file });
}
