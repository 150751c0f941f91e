// A batch output as the notebook's figures: read once (in the store's worker, like every
// HDF5 read), then plain rows for the figure builders. The reading and the best-layout
// figure are the batch report's (src/batch/report.ts), so the notebook and `wflo report`
// draw the same pictures.
import { bestLayoutFigure, readReportData, type ReportData, type ReportRow } from "../batch/report.js";
import type { MimeBundle } from "./bundle.js";
import type { AepRow } from "./figures/aep.js";
import type { PlotlyFigure } from "./figures/types.js";
import { renderable } from "./reports.js";
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

/** The results of an output as a table, best first within each farm and turbine type. */
export function resultsBundle(d: ReportData, opts: { maxRows?: number } = {}): MimeBundle {
  const rows = [...d.rows].sort((a, b) => a.farmIdx - b.farmIdx || a.typeIdx - b.typeIdx || b.aepGWh - a.aepGWh);
  const max = opts.maxRows ?? 40;
  const shown = rows.slice(0, max);
  const caption = `${d.rows.length} results in ${d.path}${d.failures.length ? `, ${d.failures.length} failed` : ""}${d.bad.length ? `, ${d.bad.length} damaged` : ""}`;
  const more = rows.length > max ? `… ${rows.length - max} more` : "";
  return {
    "text/html": htmlTable(shown, rowColumns, { caption }) + (more ? `<div style="color:#555">${more}</div>` : ""),
    "text/plain": textTable(shown, rowColumns, { caption }) + (more ? `\n${more}` : ""),
  };
}

export type RenderableResults = ReportData & { toMimeBundle(): MimeBundle };

/** Reads a batch output's results (layouts, AEP, smart-start AEP, the stored spec). */
export async function results(out: string): Promise<RenderableResults> {
  return renderable(await readReportData(out), (d) => resultsBundle(d));
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

/** Layout figures of the best result of each farm × turbine type (smart start recomputed from the stored spec). */
export function bestLayouts(d: ReportData): PlotlyFigure[] {
  return bestRows(d).map((r) => bestLayoutFigure(d, r));
}
