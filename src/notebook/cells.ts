// What notebook cells call: the store and batch operations with a live display while they
// run and a rendered report when they end. Imported as `notebook` from the package:
//   import { notebook as nb } from "../dist/index.js";
//   const report = await nb.validate("out/run");      // table, damaged files highlighted
// Each returns the same plain report the library function returns, made renderable:
// show(report) draws it again, printing it gives the text table.
import { rmSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  recover as recoverFiles, validate as validateFiles, type RecoverOptions, type RecoverReport, type ValidateOptions, type ValidateReport,
} from "../store/index.js";
import { runBatch as runBatchLib, type BatchProgress, type BatchSummary, type RunBatchOptions } from "../batch/index.js";
import type { MimeBundle } from "./bundle.js";
import { escapeHtml } from "../figures/html.js";
import { watchInterrupts } from "./interrupt.js";
import { DisplayHandle, displayWriter } from "./kernel.js";
import { ProgressDisplay, type ProgressState } from "./progress.js";
import { batchSummaryBundle, recoverReportBundle, recoveryAccount as accountOf, recoveryAccountBundle, renderable, validateReportBundle, type RecoveryAccount } from "./reports.js";
import { show, type Renderable } from "./show.js";
import { htmlTable, textTable, type Column, type RowMark } from "./table.js";
import { makeDirs } from "../util/fs.js";
import { inCell, inCellTerms } from "./cellTerms.js";

export { inCellTerms };

export { show };

/** The package's root folder (the repository when run from a checkout). */
export function packageRoot(): string {
  // dist/notebook/cells.js and src/notebook/cells.ts both sit two levels down.
  return fileURLToPath(new URL("../../", import.meta.url));
}

/**
 * A folder for a notebook's files, `out/<name>` under the kernel's working directory
 * (ignored by git); `clean` empties it first so a notebook run from the top starts fresh.
 */
export function workDir(name: string, opts: { clean?: boolean } = {}): string {
  const dir = resolve("out", name);
  if (opts.clean) rmSync(dir, { recursive: true, force: true });
  makeDirs(dir);
  return dir;
}

/**
 * Rows as a table that renders itself: show(nb.table(rows, columns)) gives HTML in the
 * notebook and aligned text in a terminal or log.
 */
export function table<T>(rows: T[], columns: Column<T>[], opts: { caption?: string; mark?: (row: T) => RowMark } = {}): Renderable {
  return { toMimeBundle: () => ({ "text/html": htmlTable(rows, columns, opts), "text/plain": textTable(rows, columns, opts) }) };
}

/** A one-line status in a display that the final report then replaces. */
function statusBundle(text: string): MimeBundle {
  return { "text/html": `<div class="wflo-status" style="font-family:monospace;font-size:13px;color:#555">${escapeHtml(text)}</div>`, "text/plain": text };
}

/** Calls `f` at most every `ms` (the last call always wins when flushed). */
function throttled<A extends unknown[]>(ms: number, f: (...a: A) => void): (...a: A) => void {
  let last = 0;
  return (...a: A) => {
    const now = Date.now();
    if (now - last >= ms) {
      last = now;
      f(...a);
    }
  };
}

export type RenderableValidateReport = ValidateReport & { toMimeBundle(): MimeBundle };

/**
 * Validates files and folders (every checksum recomputed, damaged files opened only in
 * short-lived workers) while a status line counts files; then the report replaces it.
 */
export async function validate(paths: string | string[], opts: ValidateOptions = {}): Promise<RenderableValidateReport> {
  const display = new DisplayHandle();
  const t0 = Date.now();
  const many = Array.isArray(paths) ? `${paths.length} paths` : basename(paths);
  display.show(statusBundle(`validating ${many} …`));
  const tick = throttled(200, (i: number, total: number, file: string) =>
    display.show(statusBundle(`validating: ${i + 1}/${total} files, ${((Date.now() - t0) / 1000).toFixed(1)} s (${basename(file)})`)));
  // h5wasm's own stderr on damaged files is captured per file by the store's workers
  // (FileReport.diagnostics), so nothing shows as red stderr in the cell.
  const report = await validateFiles(paths, {
    ...opts,
    onFile: (r, i, total) => {
      tick(i, total, r.path);
      opts.onFile?.(r, i, total);
    },
  });
  for (const f of report.files) f.errors = f.errors.map(inCellTerms);
  const view = renderable(report, validateReportBundle);
  display.show(view.toMimeBundle());
  return view;
}


export type RenderableRecoverReport = RecoverReport & { toMimeBundle(): MimeBundle };

export interface RecoverCellOptions {
  /**
   * How many results the writers of some files had written (a job log, a manifest), by file
   * name or path: what of such a file cannot be read counts as lost for good, not unknown.
   */
  reportedWritten?: { file: string; results: number }[];
}

// What a cell told nb.recover about its writers, so the account of the same report agrees.
const writersReports = new WeakMap<RecoverReport, { file: string; results: number }[]>();

/**
 * Recovers every intact result from files and folders (wflo parts and outputs, the Python
 * tool's worker files, damaged or not) into a new validated output `out`; shows the
 * report: every input file with what was salvaged and lost, and the conflicts.
 */
export async function recover(inputs: string | string[], out: string, opts: RecoverOptions & RecoverCellOptions = {}): Promise<RenderableRecoverReport> {
  const display = new DisplayHandle();
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const t0 = Date.now();
  display.show(statusBundle(`recovering from ${list.map((p) => basename(p)).join(", ")} …`));
  const timer = setInterval(() => display.show(statusBundle(`recovering from ${list.map((p) => basename(p)).join(", ")} … ${((Date.now() - t0) / 1000).toFixed(0)} s`)), 1000);
  try {
    const { reportedWritten, ...libOpts } = opts;
    const report = await recoverFiles(list, out, libOpts);
    if (reportedWritten) writersReports.set(report, reportedWritten);
    const view = renderable(report, (r) => recoverReportBundle(r, { reportedWritten }));
    display.show(view.toMimeBundle());
    return view;
  } catch (err) {
    inCell(err);
    display.show(statusBundle(`recover failed: ${(err as Error).message}`));
    throw err;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Where every configuration of a recovery ended up, in the report's one vocabulary:
 * recovered, held back (conflicts, with what differs), lost for good, unknown; the same
 * numbers as the report's headline (the `reportedWritten` given to nb.recover are used
 * unless given here). Renders as a paragraph and a four-row table.
 */
export function recoveryAccount(report: RecoverReport, opts: RecoverCellOptions = {}): RecoveryAccount & { toMimeBundle(): MimeBundle } {
  const reportedWritten = opts.reportedWritten ?? writersReports.get(report);
  return renderable(accountOf(report, { reportedWritten }), recoveryAccountBundle);
}

/** BatchProgress (the batch's own counters) as the progress display's state. */
export function batchProgressState(p: BatchProgress): ProgressState {
  const detail = p.bestAepGWh !== undefined ? `best ${p.bestAepGWh.toFixed(2)} GWh (${p.bestKey})` : undefined;
  const last = p.lastError ? `last failure ${p.lastKey}: ${p.lastError.split("\n")[0]}` : undefined;
  return {
    phase: p.phase, total: p.total, done: p.done, failed: p.failed, skipped: p.skipped, running: p.inFlight,
    elapsedS: p.elapsedS, etaS: p.etaS, detail, message: last,
  };
}

export type RenderableBatchSummary = BatchSummary & { toMimeBundle(): MimeBundle };

// A batch still finishing after an interrupt (its cell has already ended): the next
// runBatch waits for it, so it does not meet its lock.
let running: Promise<unknown> | undefined;

/**
 * runBatch for a cell: a progress display updated in place while the batch runs, ending
 * in "finished" or "cancelled", then a summary table. A kernel interrupt (■) stops the
 * batch: no new configuration starts, those in flight finish and are committed; a second
 * interrupt abandons them. Either way the output stays resumable: run the cell again.
 * Resolves with the batch's summary (renderable); rejects like runBatch for bad input or
 * a held lock, after showing the error in the display.
 */
export async function runBatch(spec: unknown, opts: RunBatchOptions): Promise<RenderableBatchSummary> {
  if (running) {
    const note = new DisplayHandle();
    note.show(statusBundle("waiting for the previous batch of this kernel to stop …"));
    await running.catch(() => {});
  }
  // This cell's writer: the summary must land here even if the batch ends after the cell.
  const writer = displayWriter();
  const progress = new ProgressDisplay({ phase: "starting" }, 250);
  const stop = new AbortController();
  const abandon = new AbortController();
  let interrupted = 0;
  // What the interrupt did, kept in the display's message while the batch winds down.
  let note: string | undefined;
  const dispose = await watchInterrupts({
    stop: () => {
      interrupted = 1;
      note = "interrupted: no new configuration starts; those running finish and are committed (interrupt again to abandon them)";
      progress.update({ phase: "stopping", message: note });
      stop.abort();
    },
    abandon: () => {
      interrupted = 2;
      note = "interrupted twice: abandoning the configurations in flight";
      progress.update({ phase: "stopping", message: note });
      abandon.abort();
    },
  });
  const userSignal = opts.signal;
  if (userSignal) userSignal.addEventListener("abort", () => stop.abort(), { once: true });
  const work = runBatchLib(spec, {
    ...opts,
    signal: stop.signal,
    abandonSignal: opts.abandonSignal ?? abandon.signal,
    onProgress: (p) => {
      const st = batchProgressState(p);
      if (note) st.message = st.message ? `${note}\n${st.message}` : note;
      progress.update(st);
      opts.onProgress?.(p);
    },
  });
  running = work;
  try {
    const summary = await work;
    summary.warnings = summary.warnings.map(inCellTerms);
    const final = summary.cancelled ? "cancelled" : "finished";
    const resume = summary.cancelled
      ? `stopped${interrupted ? " by a kernel interrupt" : ""}: ${summary.done} stored, ${summary.missing} to go; run the cell again to resume`
      : `${summary.done} results stored in ${summary.out}${summary.failed ? `, ${summary.failed} failed (recorded under _failed)` : ""}`;
    progress.update({
      phase: final, total: summary.total, done: summary.done, failed: summary.failed, skipped: summary.skipped,
      running: 0, elapsedS: summary.elapsedS, message: resume,
    });
    const view = renderable(summary, batchSummaryBundle);
    show(view, writer);
    return view;
  } catch (err) {
    inCell(err);
    progress.update({ phase: "failed", message: (err as Error).message });
    throw err;
  } finally {
    dispose();
    if (running === work) running = undefined;
  }
}

export { reoptimize, type ReoptimizeResult } from "./reoptimize.js";
export { results, aepRows, bestRows, bestLayouts, resultsBundle, convergence, type ConvergenceRun, type RenderableResults, type ReportData, type ReportRow } from "./batchViews.js";
