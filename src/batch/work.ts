/**
 * The per-config work of a batch, run inside a worker thread: build the wind-farm model
 * and boundary (cached per turbine type and farm for the life of the worker), smart start
 * and optimize (`optimizeLayout`), then commit the result (with its smart start and the
 * optimizer's AEP history) as its own part file through the store's commit protocol. A layout that is not strictly feasible is never committed.
 */
import { optimizeLayout, type Boundary } from "../layout/index.js";
import type { WindFarmModel } from "../physics/index.js";
import { openResultStore } from "../store/resultStore.js";
import { buildBoundary, buildModel } from "./build.js";
import { layoutProblem, resultAttrs } from "./config.js";
import type { BatchWork, ConfigProgress, ConfigReply, ConfigTask, WorkerContext } from "./protocol.js";
import type { BatchSpec } from "./specTypes.js";
import { compactHistory } from "./history.js";

const models = new Map<number, WindFarmModel>();
const boundaries = new Map<number, Boundary>();

function cached<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) { v = make(); m.set(k, v); }
  return v;
}

/** Seconds between progress reports of one config (the main thread shows the latest). */
const REPORT_EVERY_S = 2;

export async function runConfig(ctx: WorkerContext, t: ConfigTask, report?: (p: ConfigProgress) => void): Promise<ConfigReply> {
  const t0 = performance.now();
  const spec = ctx.spec as BatchSpec;
  const farm = spec.farms[t.farmIdx];
  const model = cached(models, t.typeIdx, () => buildModel(spec, t.typeIdx));
  const boundary = cached(boundaries, t.farmIdx, () => buildBoundary(spec, t.farmIdx));
  let lastReport = -Infinity;
  const problem = layoutProblem(spec, t, { model, boundary });
  const r = optimizeLayout({
    ...problem,
    optimizer: {
      ...problem.optimizer,
      ...(report ? {
        onProgress: (p) => {
          if (p.phase !== "done" && p.elapsedS - lastReport < REPORT_EVERY_S) return;
          lastReport = p.elapsedS;
          report({ key: t.key, bestAepGWh: p.bestAepGWh, evaluations: p.evaluations, maxEvaluations: p.maxEvaluations, elapsedS: p.elapsedS });
        },
      } : {}),
    },
  });
  if (!r.feasible || !(r.aepGWh > 0)) {
    throw new Error(
      `${t.key}: the optimizer returned no usable layout (feasible=${r.feasible}, AEP ${r.aepGWh} GWh, ` +
      `boundary violation ${r.maxBoundaryViolationM} m, closest pair ${r.minSpacingFoundM} m); nothing committed`,
    );
  }
  const n = farm.n_turbines;
  const layout = new Float64Array(2 * n);
  layout.set(r.x, 0);
  layout.set(r.y, n);
  const layoutInitial = new Float64Array(2 * n);
  layoutInitial.set(r.smartStart.x, 0);
  layoutInitial.set(r.smartStart.y, n);
  const t1 = performance.now();
  const c = await openResultStore(ctx.out).commit({
    key: t.key,
    layout,
    aepGWh: r.aepGWh,
    aepPerTurbineGWh: r.aepPerTurbineGWh,
    layoutInitial,
    ...storedHistory(r.history),
    attrs: {
      ...resultAttrs(spec, t),
      aep_initial: r.aepInitialGWh,
      iterations: r.iterations,
      elapsed_s: r.elapsedS,
    },
  }, { onConflict: "report" });
  return {
    key: t.key,
    aepGWh: r.aepGWh,
    aepInitialGWh: r.aepInitialGWh,
    iterations: r.iterations,
    optimizeS: (t1 - t0) / 1000,
    commitS: (performance.now() - t1) / 1000,
    commit: c.status,
    ...(c.status === "conflict" ? { note: `committed before with different data; the new result is kept in ${c.evidencePath}` } : {}),
  };
}

/** The history as stored: min-max decimated to a few hundred iterates (see history.ts). */
function storedHistory(history: Float64Array): { aepHistoryGWh: Float64Array; aepHistoryIter: Float64Array } {
  const h = compactHistory(history);
  return { aepHistoryGWh: h.aepGWh, aepHistoryIter: h.iter };
}

const work: BatchWork = { runConfig };
export default work;
