// Validate and recover reports as tables: one row per file, damaged files highlighted,
// then the damaged groups with the field each problem names.
import { inspect } from "node:util";
import { basename, dirname, relative } from "node:path";
import { isGoodStatus, type FileReport, type RecoverFileReport, type RecoverFileStatus, type RecoverReport, type ValidateReport } from "../store/index.js";
import type { BatchSummary } from "../batch/index.js";
import type { MimeBundle } from "./bundle.js";
import { escapeHtml } from "../figures/html.js";
import { htmlTable, textTable, type Column, type RowMark } from "./table.js";

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The deepest folder holding every path, so the table shows short names. */
export function commonDir(paths: string[]): string {
  if (paths.length === 0) return "";
  let dir = dirname(paths[0]);
  for (const p of paths) {
    while (dir !== "/" && dir !== "." && !(p === dir || p.startsWith(dir.endsWith("/") ? dir : dir + "/"))) dir = dirname(dir);
  }
  return dir;
}

export const fileMark = (status: string): RowMark => (isGoodStatus(status as FileReport["status"]) ? (status === "no-checksum" || status === "metadata" ? "warn" : undefined) : "bad");

function fileColumns(base: string): Column<FileReport>[] {
  return [
    { header: "file", value: (f) => (base ? relative(base, f.path) : basename(f.path)) },
    { header: "kind", value: (f) => f.kind },
    { header: "status", value: (f) => f.status },
    { header: "size", value: (f) => fmtBytes(f.sizeBytes), align: "right" },
    { header: "groups ok", value: (f) => f.groupsOk, align: "right" },
    { header: "damaged", value: (f) => f.groupsBad, align: "right" },
    { header: "what is wrong", value: (f) => [...f.errors.slice(0, 2).map((e) => e.replace(f.path + ": ", "")), ...(f.errors.length > 2 ? [`… ${f.errors.length - 2} more`] : [])].join("; ") },
  ];
}

interface BadGroupRow { file: string; key: string; status: string; problems: string }

function badGroups(files: FileReport[], base: string): BadGroupRow[] {
  const rows: BadGroupRow[] = [];
  for (const f of files) {
    for (const g of f.groups) {
      if (isGoodStatus(g.status)) continue;
      rows.push({
        file: base ? relative(base, f.path) : basename(f.path),
        key: g.key,
        status: g.status,
        problems: g.problems.map((p) => `${p.field}: ${p.message.replace(f.path + ": ", "")}`).join("; "),
      });
    }
  }
  return rows;
}

const groupColumns: Column<BadGroupRow>[] = [
  { header: "file", value: (r) => r.file },
  { header: "group", value: (r) => r.key },
  { header: "status", value: (r) => r.status },
  { header: "problems", value: (r) => r.problems },
];

export function validateHeadline(r: ValidateReport): string {
  const bad = r.files.filter((f) => !isGoodStatus(f.status)).length;
  const entries = Object.entries(r.byStatus) as [FileReport["status"], number][];
  const list = (good: boolean): string =>
    entries.filter(([s]) => isGoodStatus(s) === good).map(([s, n]) => `${n} ${s}`).join(", ");
  if (r.ok) return `All ${r.files.length} file${r.files.length === 1 ? "" : "s"} intact (${list(true)}): ${r.results} results.`;
  // no-checksum files (the Python tool's) are intact: they are listed apart from the damage.
  const intact = r.files.length - bad;
  return `${bad} of ${r.files.length} files damaged (${list(false)})` +
    (intact ? `, ${intact} intact (${list(true)})` : "") +
    `: ${r.results} results intact, ${r.groupsBad} damaged groups.`;
}

export function validateReportBundle(r: ValidateReport, opts: { maxGroupRows?: number } = {}): MimeBundle {
  const base = commonDir(r.files.map((f) => f.path));
  const cols = fileColumns(base);
  const mark = (f: FileReport) => fileMark(f.status);
  const groups = badGroups(r.files, base);
  const maxRows = opts.maxGroupRows ?? 50;
  const shown = groups.slice(0, maxRows);
  const more = groups.length > maxRows ? `… and ${groups.length - maxRows} more damaged groups` : "";
  const headline = validateHeadline(r);
  const html = `<div class="wflo-report wflo-validate" data-ok="${r.ok}">` +
    `<div style="font-weight:bold;margin:4px 0;color:${r.ok ? "#2ca02c" : "#d62728"}">${escapeHtml(headline)}</div>` +
    (base ? `<div style="color:#555;font-size:12px">in ${escapeHtml(base)}</div>` : "") +
    htmlTable(r.files, cols, { mark }) +
    (shown.length ? htmlTable(shown, groupColumns, { caption: "Damaged groups", mark: () => "bad" }) : "") +
    (more ? `<div style="color:#555">${escapeHtml(more)}</div>` : "") +
    `</div>`;
  const text = [headline, textTable(r.files, cols, { mark }), ...(shown.length ? ["", textTable(shown, groupColumns, { caption: "Damaged groups", mark: () => "bad" })] : []), ...(more ? [more] : [])].join("\n");
  return { "text/html": html, "text/plain": text };
}

/**
 * Makes a report render itself: `toMimeBundle()` for show(), and a text table when it is
 * printed (a cell's last expression is printed with console.log). The report's own fields
 * stay as they are and enumerable; the two methods are not.
 */
export function renderable<T extends object>(report: T, bundle: (r: T) => MimeBundle): T & { toMimeBundle(): MimeBundle } {
  Object.defineProperty(report, "toMimeBundle", { value: () => bundle(report), enumerable: false });
  Object.defineProperty(report, inspect.custom, { value: () => String(bundle(report)["text/plain"]), enumerable: false });
  return report as T & { toMimeBundle(): MimeBundle };
}

/**
 * The summary of a batch run: counts, the best AEP (one configuration), failures and
 * warnings. No mean AEP: the batch's mean pools farms and turbine types of any size, a
 * number that describes none of them; each group's own mean is in nb.results(out).
 */
export function batchSummaryBundle(s: BatchSummary): MimeBundle {
  const rows: [string, string][] = [
    ["output", s.out],
    ["configurations", `${s.total}${s.shard ? ` (shard ${s.shard.index}/${s.shard.count})` : ""}`],
    ["done by this run", String(s.done)],
    ["already stored", String(s.skipped)],
    ["failed", String(s.failed)],
    ["still to do", String(s.missing)],
    ["state", s.cancelled ? `cancelled${s.abandoned ? " (in-flight work abandoned)" : ""}: resumable` : "finished"],
    ["time", `${s.elapsedS.toFixed(1)} s on ${s.workers} worker${s.workers === 1 ? "" : "s"}`],
  ];
  if (s.bestAepGWh !== undefined) rows.push(["best AEP (one configuration)", `${s.bestAepGWh.toFixed(3)} GWh (${s.bestKey})`]);
  if (s.done + s.skipped > 0) rows.push(["AEP per farm and turbine type", "nb.results(out): mean, min, max and spread of each"]);
  if (s.outputResults !== undefined) rows.push(["results in the output", String(s.outputResults)]);
  const cols: Column<[string, string]>[] = [{ header: "", value: (r) => r[0] }, { header: "", value: (r) => r[1] }];
  const mark = (r: [string, string]): RowMark => (r[0] === "failed" && s.failed > 0 ? "bad" : r[0] === "state" && s.cancelled ? "warn" : undefined);
  const failCols: Column<BatchSummary["failures"][number]>[] = [
    { header: "configuration", value: (f) => f.key },
    { header: "attempts", value: (f) => f.attempts, align: "right" },
    { header: "error", value: (f) => f.error.split("\n")[0] },
  ];
  const html = `<div class="wflo-report wflo-batch-summary" data-cancelled="${s.cancelled}">` +
    htmlTable(rows, cols, { caption: "Batch summary", mark }) +
    (s.failures.length ? htmlTable(s.failures, failCols, { caption: "Failures", mark: () => "bad" }) : "") +
    (s.warnings.length ? `<div style="color:#6b4e00">${s.warnings.map((w) => escapeHtml(w)).join("<br>")}</div>` : "") +
    `</div>`;
  const text = [textTable(rows, cols, { caption: "Batch summary", mark }),
    ...(s.failures.length ? [textTable(s.failures, failCols, { caption: "Failures", mark: () => "bad" })] : []),
    ...s.warnings].join("\n");
  return { "text/html": html, "text/plain": text };
}

export const recoverMark = (status: RecoverFileStatus): RowMark =>
  status === "ok" ? undefined : status === "damaged" || status === "truncated-salvaged" ? "warn" : "bad";

export function recoverHeadline(r: RecoverReport): string {
  const bad = r.files.filter((f) => f.status !== "ok").length;
  const lost = r.files.reduce((s, f) => s + f.lost, 0);
  return `${r.written ? "Recovered" : "Would recover"} ${r.recovered} results${r.failuresRecovered ? ` and ${r.failuresRecovered} failure records` : ""} from ${r.files.length} files` +
    ` (${bad} damaged, ${lost} known results lost, ${r.duplicates} duplicate copies merged, ${r.conflicts.length} conflicts left out)` +
    (r.written ? ` into ${r.out}` : "") + ".";
}

/** The recover report: files (damaged highlighted) and the conflicts nothing was written for. */
export function recoverReportBundle(r: RecoverReport): MimeBundle {
  const base = commonDir(r.files.map((f) => f.path));
  const name = (p: string) => (base ? relative(base, p) : basename(p));
  const cols: Column<RecoverFileReport>[] = [
    { header: "file", value: (f) => name(f.path) },
    { header: "kind", value: (f) => f.kind },
    { header: "status", value: (f) => f.status },
    { header: "size", value: (f) => fmtBytes(f.sizeBytes), align: "right" },
    { header: "metadata warnings", value: (f) => f.metadata, align: "right" },
    { header: "salvaged", value: (f) => f.salvaged, align: "right" },
    { header: "lost", value: (f) => f.lost, align: "right" },
    { header: "what happened", value: (f) => f.errors.slice(0, 1).map((e) => e.replace(f.path + ": ", "")).join("") + (f.errors.length > 1 ? ` (+${f.errors.length - 1} more)` : "") },
  ];
  const mark = (f: RecoverFileReport) => recoverMark(f.status);
  interface ConflictRow { key: string; variant: number; aep: number; sources: string; kept: string }
  const conflictRows: ConflictRow[] = r.conflicts.flatMap((c) => c.variants.map((v, i) => ({
    key: c.key, variant: i + 1, aep: v.aepGWh, sources: v.sources.map(name).join(", "),
    kept: c.kept === v.checksum ? "kept" : "",
  })));
  const ccols: Column<ConflictRow>[] = [
    { header: "configuration", value: (c) => c.key },
    { header: "variant", value: (c) => c.variant, align: "right" },
    { header: "AEP (GWh)", value: (c) => c.aep.toFixed(3), align: "right" },
    { header: "in files", value: (c) => c.sources },
    { header: "", value: (c) => c.kept },
  ];
  const headline = recoverHeadline(r);
  const conflictNote = "Same configuration, different data: recover does not pick one; none of these variants was written.";
  const html = `<div class="wflo-report wflo-recover" data-recovered="${r.recovered}" data-conflicts="${r.conflicts.length}">` +
    `<div style="font-weight:bold;margin:4px 0">${escapeHtml(headline)}</div>` +
    (base ? `<div style="color:#555;font-size:12px">inputs in ${escapeHtml(base)}</div>` : "") +
    htmlTable(r.files, cols, { mark }) +
    (conflictRows.length ? htmlTable(conflictRows, ccols, { caption: `Conflicts (${r.conflicts.length})`, mark: () => "warn" }) +
      `<div style="color:#6b4e00;font-size:12px">${escapeHtml(conflictNote)}</div>` : "") +
    `</div>`;
  const text = [headline, textTable(r.files, cols, { mark }),
    ...(conflictRows.length ? ["", textTable(conflictRows, ccols, { caption: `Conflicts (${r.conflicts.length})`, mark: () => "warn" }), conflictNote] : [])].join("\n");
  return { "text/html": html, "text/plain": text };
}
