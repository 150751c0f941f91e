// Validate and recover reports as tables: one row per file, damaged files highlighted,
// then the damaged groups with the field each problem names.
import { inspect } from "node:util";
import { basename, dirname, relative } from "node:path";
import { isGoodStatus, type FileReport, type RecoverFileReport, type RecoverFileStatus, type RecoverReport, type ValidateReport } from "../store/index.js";
import type { BatchSummary } from "../batch/index.js";
import type { MimeBundle } from "./bundle.js";
import { escapeHtml } from "../figures/html.js";
import { htmlTable, textTable, type Column, type RowMark } from "./table.js";
import { plainGroupProblem, rawDetailsHtml, recoverFileStory, recoverStatusWords, validateFileStory, withoutPath } from "./plain.js";

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
    { header: "what is wrong", value: (f) => validateFileStory(f) },
    // The store's own messages (HDF5's words), unchanged, for whoever needs them.
    { header: "details", value: () => "", htmlOnly: true, html: (f) => rawDetailsHtml([...f.errors.map((e) => withoutPath(e, f.path)), ...(f.diagnostics ?? [])]) },
  ];
}

interface BadGroupRow { file: string; key: string; status: string; problems: string; raw: string[] }

function badGroups(files: FileReport[], base: string): BadGroupRow[] {
  const rows: BadGroupRow[] = [];
  for (const f of files) {
    for (const g of f.groups) {
      if (isGoodStatus(g.status)) continue;
      rows.push({
        file: base ? relative(base, f.path) : basename(f.path),
        key: g.key,
        status: g.status,
        problems: [...new Set(g.problems.map((p) => `${p.field}: ${plainGroupProblem(p.message)}`))].join("; "),
        raw: g.problems.map((p) => `${p.field}: ${withoutPath(p.message, f.path)}`),
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
  { header: "details", value: () => "", htmlOnly: true, html: (r) => rawDetailsHtml(r.raw) },
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

/**
 * Where every configuration of a recovery ended up, in one vocabulary used by every line
 * of the report and the notebook:
 *   recovered      an intact copy is in the new output;
 *   held back      a conflict: files hold different data for it, neither is written
 *                  (both stay in the inputs), and `differs` says how they differ;
 *   lost for good  some file names it, no file holds it intact (`lostForGood`), or a
 *                  writer reported it written and nothing in its file names it any more;
 *   unknown        what files that cannot be read at all held (they cannot be counted).
 * A damaged copy of a result read intact from another file is none of these: it was
 * replaced, and counted apart (`replacedCopies`).
 */
export interface RecoveryAccount {
  written: boolean;
  out: string;
  recovered: number;
  failuresRecovered: number;
  heldBack: { key: string; variants: number; differs: string[] }[];
  lostForGood: string[];
  /** Results writers reported written that no readable structure names (keys unknown). */
  lostUnnamed: number;
  /** Files nothing could be read from and no writer's report accounts for. */
  unknownFiles: string[];
  /** Files read in part whose other content cannot be counted (a damaged index, data nothing names). */
  partlyUnknownFiles: string[];
  replacedCopies: number;
  duplicates: number;
}

const UNREADABLE: ReadonlySet<RecoverFileStatus> = new Set(["unreadable", "truncated", "not-hdf5"]);

/**
 * The account of a recovery. `reportedWritten`: what the writers of some files said they
 * had written (e.g. a job log, the corpus manifest), by file name or path; a file so
 * described is no longer unknown: what of it was not read is lost for good.
 */
export function recoveryAccount(r: RecoverReport, opts: { reportedWritten?: { file: string; results: number }[] } = {}): RecoveryAccount {
  const lostForGood = r.lostForGood ?? [];
  const gone = new Set(lostForGood);
  const reported = new Map((opts.reportedWritten ?? []).map((w) => [w.file, w.results]));
  const reportedOf = (f: RecoverFileReport) => reported.get(f.path) ?? reported.get(basename(f.path));
  let lostUnnamed = 0;
  let replacedCopies = 0;
  const unknownFiles: string[] = [];
  const partlyUnknownFiles: string[] = [];
  for (const f of r.files) {
    const keys = f.lostKeys ?? [];
    replacedCopies += keys.filter((k) => !gone.has(k)).length;
    const n = reportedOf(f);
    if (n !== undefined) {
      // Read intact, or named and counted as lost for good already: the rest is unnamed.
      lostUnnamed += Math.max(0, n - f.salvaged - keys.filter((k) => gone.has(k)).length);
      continue;
    }
    if (UNREADABLE.has(f.status) && f.salvaged === 0 && !(f.status === "not-hdf5" && f.sizeBytes === 0)) unknownFiles.push(f.path);
    else if (f.unlabeledBlocks > 0 || (f.attributeKeysRefused ?? 0) > 0 || f.errors.some((e) => /group index is unreadable|cannot list groups/.test(e))) partlyUnknownFiles.push(f.path);
  }
  return {
    written: r.written, out: r.out, recovered: r.recovered, failuresRecovered: r.failuresRecovered,
    heldBack: r.conflicts.map((c) => ({ key: c.key, variants: c.variants.length, differs: [...new Set(c.variants.flatMap((v) => v.differs ?? []))] })),
    lostForGood, lostUnnamed, unknownFiles, partlyUnknownFiles, replacedCopies, duplicates: r.duplicates,
  };
}

/** The account in one paragraph: the four words, each with its count, in the same order always. */
export function recoveryAccountText(a: RecoveryAccount): string {
  const lost = a.lostForGood.length + a.lostUnnamed;
  const parts = [
    `${a.written ? "Recovered" : "Would recover"}: ${plural(a.recovered, "configuration")}${a.failuresRecovered ? ` (and ${plural(a.failuresRecovered, "failure record")})` : ""}${a.written && a.out ? ` into ${basename(a.out)}` : ""}.`,
    `Held back: ${plural(a.heldBack.length, "configuration")} in conflict (different data in different files; neither written, both stay in the inputs).`,
    `Lost for good: ${lost}` + (lost === 0 ? "." : ` (${[
      a.lostForGood.length ? `${a.lostForGood.length} named in a damaged file and intact in none` : "",
      a.lostUnnamed ? `${a.lostUnnamed} reported written by their writer, but nothing in its file names them any more` : "",
    ].filter(Boolean).join("; ")}).`),
    `Unknown: ` + (a.unknownFiles.length === 0 && a.partlyUnknownFiles.length === 0 ? "nothing." : [
      a.unknownFiles.length ? `what ${plural(a.unknownFiles.length, "file")} held (nothing in ${a.unknownFiles.length === 1 ? "it" : "them"} can be read)` : "",
      a.partlyUnknownFiles.length ? `whether ${plural(a.partlyUnknownFiles.length, "partly read file")} held more` : "",
    ].filter(Boolean).join("; ") + "."),
  ];
  const more = [
    a.replacedCopies ? `${plural(a.replacedCopies, "damaged copy", "damaged copies")} of results read intact elsewhere ${a.replacedCopies === 1 ? "was" : "were"} replaced by ${a.replacedCopies === 1 ? "that copy" : "those copies"}` : "",
    a.duplicates ? `${plural(a.duplicates, "duplicate copy", "duplicate copies")} merged` : "",
  ].filter(Boolean);
  return parts.join(" ") + (more.length ? ` (${more.join("; ")}.)` : "");
}

/** The account as a four-row table (and its paragraph): show(nb.recoveryAccountBundle(…)). */
export function recoveryAccountBundle(a: RecoveryAccount): MimeBundle {
  const name = (p: string) => basename(p);
  // Counts: configurations for the first three, files for "unknown".
  const rows: [string, number, string][] = [
    ["recovered", a.recovered, a.written ? `in ${name(a.out)}` : "(dry run: nothing written)"],
    // Which fields differ, by name (the conflicts table of the report gives the values).
    ["held back (conflicts)", a.heldBack.length, a.heldBack.map((c) => `${c.key} (${[...new Set(c.differs.map((d) => d.replace(/:.*$/, "").replace(/^\d+ more attributes differ.*/, "attributes")))].join(", ") || "different data"})`).join("; ")],
    ["lost for good", a.lostForGood.length + a.lostUnnamed, [a.lostForGood.join(", "), a.lostUnnamed ? `${a.lostUnnamed} that nothing names` : ""].filter(Boolean).join("; ")],
    ["unknown", a.unknownFiles.length + a.partlyUnknownFiles.length, [...a.unknownFiles.map((p) => `${name(p)} (nothing readable)`), ...a.partlyUnknownFiles.map((p) => `${name(p)} (partly read)`)].join(", ")],
  ];
  const cols: Column<[string, number, string]>[] = [
    { header: "", value: (r) => r[0] },
    { header: "count", value: (r) => (r[0] === "unknown" ? `${r[1]} files` : r[1]), align: "right" },
    { header: "which", value: (r) => r[2] },
  ];
  const mark = (r: [string, number, string]): RowMark => (r[1] === 0 || r[0] === "recovered" ? undefined : r[0] === "lost for good" ? "bad" : "warn");
  const text = recoveryAccountText(a);
  return {
    "text/html": `<div class="wflo-report wflo-recovery-account"><div style="margin:4px 0">${escapeHtml(text)}</div>${htmlTable(rows, cols, { caption: "Where every configuration ended up", mark })}</div>`,
    "text/plain": [text, textTable(rows, cols, { caption: "Where every configuration ended up", mark })].join("\n"),
  };
}

function plural(n: number, one: string, many = one + "s"): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function recoverHeadline(r: RecoverReport, opts: { reportedWritten?: { file: string; results: number }[] } = {}): string {
  return recoveryAccountText(recoveryAccount(r, opts));
}

/** The recover report: the account, every input file in plain words, and the conflicts with what differs. */
export function recoverReportBundle(r: RecoverReport, opts: { reportedWritten?: { file: string; results: number }[] } = {}): MimeBundle {
  const base = commonDir(r.files.map((f) => f.path));
  const name = (p: string) => (base ? relative(base, p) : basename(p));
  const cols: Column<RecoverFileReport>[] = [
    { header: "file", value: (f) => name(f.path) },
    { header: "kind", value: (f) => f.kind },
    { header: "status", value: (f) => recoverStatusWords(f.status) },
    { header: "size", value: (f) => fmtBytes(f.sizeBytes), align: "right" },
    { header: "read intact", value: (f) => f.salvaged, align: "right" },
    { header: "damaged copies", value: (f) => f.lost, align: "right" },
    { header: "what happened", value: (f) => recoverFileStory(f) },
    // The store's messages (HDF5's and h5wasm's words) unchanged, folded away.
    { header: "details", value: () => "", htmlOnly: true, html: (f) => rawDetailsHtml([...f.errors.map((e) => withoutPath(e, f.path)), ...f.warnings.map((e) => withoutPath(e, f.path)), ...(f.diagnostics ?? [])]) },
  ];
  const mark = (f: RecoverFileReport) => recoverMark(f.status);
  interface ConflictRow { key: string; variant: number; aep: number; sources: string; differs: string; kept: string }
  const conflictRows: ConflictRow[] = r.conflicts.flatMap((c) => c.variants.map((v, i) => ({
    key: c.key, variant: i + 1, aep: v.aepGWh, sources: v.sources.map(name).join(", "),
    differs: i === 0 ? "(compared against)" : (v.differs ?? []).join("; ") || "different data",
    kept: c.kept === v.checksum ? "kept" : "",
  })));
  const ccols: Column<ConflictRow>[] = [
    { header: "configuration", value: (c) => c.key },
    { header: "variant", value: (c) => c.variant, align: "right" },
    { header: "AEP (GWh)", value: (c) => c.aep.toFixed(3), align: "right" },
    { header: "what differs from variant 1", value: (c) => c.differs },
    { header: "in files", value: (c) => c.sources },
    { header: "", value: (c) => c.kept },
  ];
  const headline = recoverHeadline(r, opts);
  const conflictNote = "Held back: the same configuration with different data in different files. recover does not pick one, so none of these variants was written; they stay in the input files.";
  const html = `<div class="wflo-report wflo-recover" data-recovered="${r.recovered}" data-conflicts="${r.conflicts.length}" data-lost-for-good="${r.lostForGood?.length ?? 0}">` +
    `<div style="font-weight:bold;margin:4px 0">${escapeHtml(headline)}</div>` +
    (base ? `<div style="color:#555;font-size:12px">inputs in ${escapeHtml(base)}</div>` : "") +
    htmlTable(r.files, cols, { mark }) +
    (conflictRows.length ? htmlTable(conflictRows, ccols, { caption: `Held back: ${r.conflicts.length} conflicts`, mark: () => "warn" }) +
      `<div style="color:#6b4e00;font-size:12px">${escapeHtml(conflictNote)}</div>` : "") +
    `</div>`;
  const text = [headline, textTable(r.files, cols, { mark }),
    ...(conflictRows.length ? ["", textTable(conflictRows, ccols, { caption: `Held back: ${r.conflicts.length} conflicts`, mark: () => "warn" }), conflictNote] : [])].join("\n");
  return { "text/html": html, "text/plain": text };
}
