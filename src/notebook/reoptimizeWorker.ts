// Worker side of reoptimize.ts: one configuration of a batch spec, optimized again with
// the batch's own settings, its iterate history sent back (transferred, not copied).
import { parentPort, workerData } from "node:worker_threads";
import { buildBoundary, buildModel, layoutProblem, parseBatchSpec, tryParseKey } from "../batch/index.js";
import { optimizeLayout } from "../layout/index.js";

const { spec: raw, key } = workerData as { spec: unknown; key: string };
try {
  const spec = parseBatchSpec(raw);
  const k = tryParseKey(key);
  if (!k || !spec.farms[k.farmIdx] || !spec.turbines[k.typeIdx]) throw new Error(`${key} is not a configuration of this spec`);
  const r = optimizeLayout(layoutProblem(spec, k, { model: buildModel(spec, k.typeIdx), boundary: buildBoundary(spec, k.farmIdx) }));
  const out = {
    key, aepGWh: r.aepGWh, aepInitialGWh: r.aepInitialGWh, iterations: r.iterations, elapsedS: r.elapsedS,
    history: r.history, hopHistory: r.hopHistory, x: r.x, y: r.y, smartStart: r.smartStart, aepPerTurbineGWh: r.aepPerTurbineGWh,
  };
  parentPort!.postMessage({ ok: true, result: out }, [r.history.buffer, r.hopHistory.buffer] as ArrayBuffer[]);
} catch (e) {
  parentPort!.postMessage({ ok: false, message: (e as Error).message, name: (e as Error).name });
}
