/**
 * An offline HTML report of a batch output: counts, the AEP distribution per farm and
 * turbine type, smart start against optimized, the best layout of every farm × turbine
 * type (boundary, the stored smart start — recomputed from the stored spec for files
 * written before it was stored —, optimized turbines coloured
 * by their AEP, wind rose), and tables of results and failures. plotly.js comes from the
 * npm package plotly.js-dist-min and is inlined once: the file opens without a network.
 *
 * The figures come from src/figures, shared with the notebook, so the report and the
 * notebook draw the same pictures. The output is read in the store's short-lived worker.
 */
import { closeSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { smartStartLayout, type Boundary } from "../layout/index.js";
import { inspectFiles } from "../store/sandbox.js";
import type { FileReport } from "../store/read.js";
import { missingOutputMessage } from "../store/parts.js";
import { ensureDirWritable, writeFileAtomically } from "../util/fs.js";
import { aepDistributionFigure, aepGainFigure, layoutFigure, type AepRow, type FigurePolygon, type PlotlyFigure, type PlotlyTrace } from "../figures/index.js";
import { escapeHtml, figureHtml, plotlyJsTag } from "../figures/html.js";
import { windRoseOf } from "../figures/physicsViews.js";
import { farmName, layoutProblem, tryParseKey, turbineName } from "../batch/config.js";
import { buildBoundary, buildModel } from "../batch/build.js";
import { parseBatchSpec, type BatchSpec } from "../batch/spec.js";

export interface ReportRow {
  key: string;
  farmIdx: number;
  typeIdx: number;
  seed: number;
  farm: string;
  turbineType: string;
  aepGWh: number;
  aepInitialGWh?: number;
  iterations?: number;
  elapsedS?: number;
  x: Float64Array;
  y: Float64Array;
  aepPerTurbineGWh?: Float64Array;
  /** The stored smart start (`layout_initial`), absent in older files and the Python tool's. */
  initial?: { x: Float64Array; y: Float64Array };
  /** The stored AEP of optimizer iterates (`aep_history`, GWh), when the file has it. */
  aepHistoryGWh?: Float64Array;
  /** Their iteration numbers (`aep_history_iter`); absent: every iterate, 1..m. */
  aepHistoryIter?: Float64Array;
}

export interface ReportData {
  path: string;
  status: string;
  root: FileReport["root"];
  spec?: BatchSpec;
  /** Why the stored spec could not be used (figures then have no boundaries). */
  specNote?: string;
  rows: ReportRow[];
  failures: { key: string; error: string; attempts: number }[];
  /** Groups that did not validate. */
  bad: { key: string; status: string }[];
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
}

/** Reads an output file (in a short-lived worker) into what the report shows. */
export async function readReportData(path: string): Promise<ReportData> {
  const abs = resolve(path);
  let isDir = false;
  try { isDir = statSync(abs).isDirectory(); } catch {
    // A first run has only parts until its first merge (after 200 results or 2 minutes).
    throw new InputError(missingOutputMessage(path), { file: abs });
  }
  if (isDir) {
    throw new InputError(`is a directory; a report reads one output file (a parts directory: wflo merge ${path} --out <file.h5> first)`, { file: abs });
  }
  const [rep] = await inspectFiles([abs], { withRecords: true });
  if (rep.status === "not-hdf5" || rep.status === "truncated" || rep.status === "unreadable") {
    // Not HDF5 at all is most often another file given by mistake (the spec); recover cannot help that.
    const advice = rep.status === "not-hdf5"
      ? "it is not an HDF5 file: a report reads a run's output (.h5), e.g. wflo report layouts.h5 --out report.html"
      : `try wflo recover ${path} --out <recovered.h5>, then report on that`;
    throw new InputError(`cannot report on it: ${rep.status} (${rep.errors.slice(0, 2).join("; ")}); ${advice}`, { file: abs });
  }
  let spec: BatchSpec | undefined;
  let specNote: string | undefined;
  if (rep.root.spec_json) {
    try { spec = parseBatchSpec(JSON.parse(rep.root.spec_json)); } catch (e) { specNote = `the stored spec_json is not usable: ${(e as Error).message}`; }
  } else specNote = "the file has no spec_json (not written by wflo run)";
  const rows: ReportRow[] = [];
  const bad: ReportData["bad"] = [];
  for (const g of rep.groups) {
    const k = tryParseKey(g.key);
    if (!g.record || !k || (g.status !== "ok" && g.status !== "no-checksum")) { bad.push({ key: g.key, status: g.status }); continue; }
    const r = g.record;
    const n = r.layout.length / 2;
    rows.push({
      key: g.key, farmIdx: k.farmIdx, typeIdx: k.typeIdx, seed: k.seed,
      farm: spec ? farmName(spec, k.farmIdx) : `farm${k.farmIdx}`, turbineType: spec ? turbineName(spec, k.typeIdx) : `turbines[${k.typeIdx}]`,
      aepGWh: r.aepGWh, aepInitialGWh: num(r.attrs.aep_initial), iterations: num(r.attrs.iterations), elapsedS: num(r.attrs.elapsed_s),
      x: r.layout.subarray(0, n), y: r.layout.subarray(n), aepPerTurbineGWh: r.aepPerTurbineGWh,
      ...(r.layoutInitial ? { initial: { x: r.layoutInitial.subarray(0, n), y: r.layoutInitial.subarray(n) } } : {}),
      ...(r.aepHistoryGWh ? { aepHistoryGWh: r.aepHistoryGWh } : {}),
      ...(r.aepHistoryIter ? { aepHistoryIter: r.aepHistoryIter } : {}),
    });
  }
  rows.sort((a, b) => a.farmIdx - b.farmIdx || a.typeIdx - b.typeIdx || a.seed - b.seed);
  const failures = rep.failures.filter((f) => f.record).map((f) => ({ key: f.key, error: f.record!.error, attempts: f.record!.attempts }));
  return { path: abs, status: rep.status, root: rep.root, spec, specNote, rows, failures, bad };
}

function boundaryTraces(b: Boundary): { main?: Parameters<typeof layoutFigure>[0]["boundary"]; extra: PlotlyTrace[]; exclusions: readonly FigurePolygon[] } {
  if (b.kind === "circle") return { main: { centerM: [b.cx, b.cy], radiusM: b.radius }, extra: [], exclusions: [] };
  // Further polygons of a multi-part boundary: the same line as the first, one legend entry.
  const extra: PlotlyTrace[] = b.polygons.slice(1).map((p) => ({
    type: "scatter", mode: "lines", name: "boundary", showlegend: false, hoverinfo: "skip",
    x: [...p.x, p.x[0]], y: [...p.y, p.y[0]], line: { color: "#444444", width: 2 },
  }));
  // The exclusion zones: drawn by layoutFigure, in the legend once.
  return { main: { x: b.polygons[0].x, y: b.polygons[0].y }, extra, exclusions: b.exclusions };
}

/** The best layout of one farm × turbine type with its smart start: the stored one, else recomputed from the spec. */
export function bestLayoutFigure(d: ReportData, best: ReportRow): PlotlyFigure {
  const title = `${best.farm} · ${best.turbineType}: best of ${d.rows.filter((r) => r.farmIdx === best.farmIdx && r.typeIdx === best.typeIdx).length} (${best.key}, ${best.aepGWh.toFixed(2)} GWh)`;
  if (!d.spec || !d.spec.farms[best.farmIdx] || !d.spec.turbines[best.typeIdx]) {
    return layoutFigure({ title, optimized: { x: best.x, y: best.y, aepGWh: best.aepPerTurbineGWh }, initial: best.initial });
  }
  const spec = d.spec;
  const model = buildModel(spec, best.typeIdx);
  const boundary = buildBoundary(spec, best.farmIdx);
  let initial = best.initial;
  if (!initial) {
    try {
      initial = smartStartLayout(layoutProblem(spec, best, { model, boundary }));
    } catch { initial = undefined; }
  }
  const b = boundaryTraces(boundary);
  const fig = layoutFigure({
    title, boundary: b.main,
    optimized: { x: best.x, y: best.y, aepGWh: best.aepPerTurbineGWh },
    initial, rotorDiameterM: model.turbine.diameterM, windRose: windRoseOf(model.site), exclusions: b.exclusions,
  });
  fig.data.splice(1, 0, ...b.extra);
  return fig;
}

function table(head: string[], rows: (string | number)[][], cls = ""): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join("")}</tr>`).join("\n");
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

const f2 = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));

/** The report as one self-contained HTML page. */
export function reportHtml(d: ReportData): string {
  const figs: PlotlyFigure[] = [];
  const aepRows: AepRow[] = d.rows.map((r) => ({ farm: r.farm, turbineType: r.turbineType, aepGWh: r.aepGWh, initialAepGWh: r.aepInitialGWh, key: r.key }));
  if (aepRows.length > 0) figs.push(aepDistributionFigure(aepRows));
  if (aepRows.some((r) => r.initialAepGWh !== undefined)) figs.push(aepGainFigure(aepRows));
  const groups = new Map<string, ReportRow>();
  for (const r of d.rows) {
    const g = `${r.farmIdx}/${r.typeIdx}`;
    const cur = groups.get(g);
    if (!cur || r.aepGWh > cur.aepGWh) groups.set(g, r);
  }
  for (const best of groups.values()) figs.push(bestLayoutFigure(d, best));

  const root = d.root;
  const name = d.spec?.name ?? d.path.split("/").pop() ?? d.path;
  const counts = table(["", ""], [
    ["file", d.path],
    ["status", d.status],
    ["results", `${d.rows.length}${root.total_configs !== undefined ? ` of ${root.total_configs} configs` : ""}`],
    ["failed", d.failures.length],
    ["grid_size / random_pct", `${root.grid_size ?? "–"} / ${root.random_pct ?? "–"}`],
    ["AEP min / mean / max (GWh)", d.rows.length ? `${f2(Math.min(...d.rows.map((r) => r.aepGWh)))} / ${f2(d.rows.reduce((s, r) => s + r.aepGWh, 0) / d.rows.length)} / ${f2(Math.max(...d.rows.map((r) => r.aepGWh)))}` : "–"],
    ["written by", `wflo ${root.wflo_version ?? "?"}, ${root.created_utc ?? ""}`],
  ], "kv");
  const results = table(
    ["key", "farm", "turbine", "seed", "AEP (GWh)", "smart start (GWh)", "gain %", "iterations", "time (s)"],
    d.rows.map((r) => [r.key, r.farm, r.turbineType, r.seed, f2(r.aepGWh, 3), f2(r.aepInitialGWh, 3),
      r.aepInitialGWh ? f2((100 * (r.aepGWh - r.aepInitialGWh)) / r.aepInitialGWh) : "–", r.iterations ?? "–", f2(r.elapsedS, 1)]),
  );
  const failures = d.failures.length
    ? `<h2>Failures</h2>\n${table(["key", "attempts", "error"], d.failures.map((f) => [f.key, f.attempts, f.error]), "failures")}`
    : "";
  const bad = d.bad.length ? `<h2>Groups that did not validate</h2>\n${table(["key", "status"], d.bad.map((b) => [b.key, b.status]), "failures")}` : "";
  const note = d.specNote ? `<p class="note">${escapeHtml(d.specNote)}</p>` : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="${REPORT_GENERATOR}">
<title>wflo report: ${escapeHtml(name)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 24px; font-size: 13px; }
td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f4f4f4; }
td:first-child, th:first-child { text-align: left; }
table.kv td:first-child { font-weight: bold; }
table.failures td { text-align: left; color: #a00; }
.note { color: #a60; }
</style>
${plotlyJsTag()}
</head><body>
<h1>wflo batch report: ${escapeHtml(name)}</h1>
${note}
${counts}
${figs.map((f, i) => figureHtml(f, `report-${i}`)).join("\n")}
${failures}
${bad}
<h2>Results</h2>
${results}
</body></html>
`;
}

/** Writes the report of output `h5Path` to `htmlPath` (atomically). */
/** Marks a file as a wflo report: the only kind of existing file a report may replace. */
const REPORT_GENERATOR = "wflo report";

/**
 * Refuses, before any work, a report path that would destroy data: the HDF5 file the report
 * is made from (or its parts directory), a directory, or an existing file that is not an
 * earlier wflo report. Same file is judged by device and inode, so links and relative paths
 * cannot slip through.
 */
export function checkReportTarget(h5Path: string, htmlPath: string): void {
  const out = resolve(htmlPath);
  const src = resolve(h5Path);
  const field = "--out";
  if (out === src || out === resolve(`${src}.parts`)) {
    throw new InputError(`${field} ${htmlPath} is the HDF5 file the report is made from; choose another path (nothing was written)`, { field, file: htmlPath });
  }
  try {
    if (lstatSync(out).isSymbolicLink()) throw new InputError(`${field} ${htmlPath} is a symbolic link; give the real path (a report is replaced atomically, which would replace the link)`, { field, file: htmlPath });
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
  let st;
  try { st = statSync(out); } catch {
    // A new file: its folder is made now, as `--out`'s is, so that `wflo run --report` into a
    // folder that does not exist (or cannot be made) is settled before the batch, not after it.
    ensureDirWritable(dirname(out));
    return;
  }
  if (st.isDirectory()) throw new InputError(`${field} ${htmlPath} is a directory; give the report's file name (e.g. ${join(htmlPath, "report.html")})`, { field, file: htmlPath });
  try {
    const s = statSync(src);
    if (s.dev === st.dev && s.ino === st.ino) {
      throw new InputError(`${field} ${htmlPath} is the HDF5 file the report is made from (the same file by another name); choose another path (nothing was written)`, { field, file: htmlPath });
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
  if (!st.isFile()) throw new InputError(`${field} ${htmlPath} is not a regular file; refusing to replace it`, { field, file: htmlPath });
  const head = Buffer.alloc(512);
  let n = 0;
  const fd = openSync(out, "r");
  try { n = readSync(fd, head, 0, head.length, 0); } finally { closeSync(fd); }
  if (!head.subarray(0, n).toString("latin1").includes(`<meta name="generator" content="${REPORT_GENERATOR}">`)) {
    const what = head.subarray(0, 8).equals(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])) ? "an HDF5 file" : "a file that is not a wflo report";
    throw new InputError(`${field} ${htmlPath} exists and is ${what}; a report replaces only an earlier wflo report: choose another path (nothing was written)`, { field, file: htmlPath });
  }
}

export async function writeReport(h5Path: string, htmlPath: string): Promise<{ path: string; results: number; failures: number; bytes: number }> {
  checkReportTarget(h5Path, htmlPath);
  const data = await readReportData(h5Path);
  const html = reportHtml(data);
  const out = resolve(htmlPath);
  writeFileAtomically(out, html);
  return { path: out, results: data.rows.length, failures: data.failures.length, bytes: Buffer.byteLength(html) };
}
