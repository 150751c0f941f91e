// A batch output as the notebook's figures: read once (in the store's worker, like every
// HDF5 read), then plain rows for the figure builders. The reading and the best-layout
// figure are the batch report's (src/report/report.ts), so the notebook and `wflo report`
// draw the same pictures.
import { bestLayoutFigure, readReportData, type ReportData, type ReportRow } from "../report/report.js";
import { InputError } from "../errors.js";
import type { MimeBundle } from "./bundle.js";
import { aepGroupStats, type AepGroupStats, type AepRow } from "../figures/aep.js";
import type { PlotlyFigure } from "../figures/types.js";
import { inCell } from "./cellTerms.js";
import { renderable } from "./reports.js";
import { reoptimize, type ReoptimizeResult } from "./reoptimize.js";
import { htmlTable, textTable, type Column } from "./table.js";

export type { ReportData, ReportRow };

const f = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));

const rowColumns: Column<ReportRow>[] = [
  { header: "configuration", value: (r) => r.key },
  { header: "farm", value: (r) => r.farm },
  { header: "turbine", value: (r) => r.turbineType },
  { header: "seed", value: (r) => r.seed, align: "right" },
  { header: "AEP (GWh)", value: (r) => f(r.aepGWh, 3), align: "right" },
  { header: "smart start (GWh)", value: (r) => f(r.aepInitialGWh, 3), align: "right" },
  { header: "gain", value: (r) => (r.aepInitialGWh ? `${f((100 * (r.aepGWh - r.aepInitialGWh)) / r.aepInitialGWh)} %` : "–"), align: "right" },
  { header: "iterations", value: (r) => r.iterations ?? "–", align: "right" },
];

const groupColumns: Column<AepGroupStats>[] = [
  { header: "farm", value: (g) => g.farm },
  { header: "turbine", value: (g) => g.turbineType },
  { header: "results", value: (g) => g.n, align: "right" },
  { header: "mean AEP (GWh)", value: (g) => f(g.meanAepGWh, 3), align: "right" },
  { header: "min (GWh)", value: (g) => f(g.minAepGWh, 3), align: "right" },
  { header: "max (GWh)", value: (g) => f(g.maxAepGWh, 3), align: "right" },
  { header: "spread", value: (g) => `${f(g.spreadPct)} %`, align: "right" },
];

/**
 * The results of an output: first each farm × turbine type's AEP (mean, min, max, spread
 * over its seeds; never a mean across groups), then every result, best first within its group.
 */
export function resultsBundle(d: ReportData, opts: { maxRows?: number } = {}): MimeBundle {
  const rows = [...d.rows].sort((a, b) => a.farmIdx - b.farmIdx || a.typeIdx - b.typeIdx || b.aepGWh - a.aepGWh);
  const max = opts.maxRows ?? 40;
  const shown = rows.slice(0, max);
  const caption = `${d.rows.length} results in ${d.path}${d.failures.length ? `, ${d.failures.length} failed` : ""}${d.bad.length ? `, ${d.bad.length} damaged` : ""}`;
  const more = rows.length > max ? `… ${rows.length - max} more` : "";
  const groups = aepGroupStats(aepRows({ ...d, rows }));
  const gCaption = "AEP per farm and turbine type (over seeds)";
  return {
    "text/html": (groups.length ? htmlTable(groups, groupColumns, { caption: gCaption }) : "") +
      htmlTable(shown, rowColumns, { caption }) + (more ? `<div style="color:#555">${more}</div>` : ""),
    "text/plain": (groups.length ? textTable(groups, groupColumns, { caption: gCaption }) + "\n\n" : "") +
      textTable(shown, rowColumns, { caption }) + (more ? `\n${more}` : ""),
  };
}

export type RenderableResults = ReportData & { toMimeBundle(): MimeBundle };

/** Reads a batch output's results (layouts, AEP, smart-start AEP, the stored spec). */
export async function results(out: string): Promise<RenderableResults> {
  try {
    return renderable(await readReportData(out), (d) => resultsBundle(d));
  } catch (err) {
    throw inCell(err);
  }
}

/** One row per result for aepDistributionFigure / aepGainFigure. */
export function aepRows(d: ReportData): AepRow[] {
  return d.rows.map((r) => ({ farm: r.farm, turbineType: r.turbineType, aepGWh: r.aepGWh, initialAepGWh: r.aepInitialGWh, key: r.key }));
}

/** The best result of each farm × turbine type. */
export function bestRows(d: ReportData): ReportRow[] {
  const best = new Map<string, ReportRow>();
  for (const r of d.rows) {
    const g = `${r.farmIdx}/${r.typeIdx}`;
    const cur = best.get(g);
    if (!cur || r.aepGWh > cur.aepGWh) best.set(g, r);
  }
  return [...best.values()].sort((a, b) => a.farmIdx - b.farmIdx || a.typeIdx - b.typeIdx);
}

/** Layout figures of the best result of each farm × turbine type (with the stored smart start, or one recomputed from the stored spec). */
export function bestLayouts(d: ReportData): PlotlyFigure[] {
  return bestRows(d).map((r) => bestLayoutFigure(d, r));
}

/** One optimizer run's AEP per iterate, for convergenceFigure. */
export interface ConvergenceRun {
  key: string;
  name: string;
  /** AEP (GWh) of optimizer iterates: all of them, or the stored decimation. */
  aepGWh: Float64Array;
  /** Iteration number of each value (stored decimated histories); absent: 1..m. */
  iteration?: Float64Array;
  /** AEP (GWh) of the smart start the run began from (the file's `aep_initial`). */
  startAepGWh?: number;
  /** "stored": the file's `aep_history`; "re-optimized": retraced for a file without it. */
  source: "stored" | "re-optimized";
  /** The final AEP the retrace reached (re-optimized runs only), to compare with the stored one. */
  reoptimizedAepGWh?: number;
}

/**
 * The AEP history of each row: the stored `aep_history` when the file has it; rows of a
 * file written before it was stored are optimized again from the stored spec (in worker
 * threads, see reoptimize), which retraces the same path because every step is seeded.
 */
export async function convergence(d: ReportData, rows: ReportRow[], opts: { workers?: number } = {}): Promise<ConvergenceRun[]> {
  const name = (r: ReportRow) => `${r.farm} · ${r.turbineType} (${r.key})`;
  const missing = rows.filter((r) => !r.aepHistoryGWh);
  let again: ReoptimizeResult[] = [];
  if (missing.length > 0) {
    if (!d.spec) throw new InputError(`${missing.length} results have no stored aep_history and ${d.specNote ?? "the file has no usable spec"}: cannot retrace them`, { file: d.path });
    again = await reoptimize(d.spec, missing.map((r) => r.key), opts);
  }
  const byKey = new Map(again.filter(Boolean).map((r) => [r.key, r]));
  return rows.flatMap((r): ConvergenceRun[] => {
    const start = r.aepInitialGWh === undefined ? {} : { startAepGWh: r.aepInitialGWh };
    if (r.aepHistoryGWh) {
      const iteration = r.aepHistoryIter ? { iteration: r.aepHistoryIter } : {};
      return [{ key: r.key, name: name(r), aepGWh: r.aepHistoryGWh, ...iteration, ...start, source: "stored" }];
    }
    const a = byKey.get(r.key);
    return a ? [{ key: r.key, name: name(r), aepGWh: a.history, ...start, source: "re-optimized", reoptimizedAepGWh: a.aepGWh }] : [];
  });
}
