/**
 * What is in an output, for `wflo inspect` and notebook cells: counts, farms, types,
 * seeds, AEP statistics and failures. Reads in a worker like everything untrusted.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { liveLocks } from "./lock.js";
import { listParts, partsDir } from "./parts.js";
import { isGoodStatus, type FileReport, type FileStatus, type FileKind } from "./read.js";
import { inspectFiles } from "./sandbox.js";
import { parseKey, type RootAttrs } from "./schema.js";

export interface AepStats { n: number; min: number; median: number; max: number; mean: number }

export interface StoreSummary {
  path: string;
  status: FileStatus;
  kind: FileKind;
  root: RootAttrs;
  results: number;
  badGroups: number;
  farms: number[];
  types: number[];
  seeds: number[];
  aepGWh: AepStats | null;
  /** AEP statistics per farm and turbine type ("farm0_t1"). */
  byFarmType: Record<string, AepStats>;
  failures: { key: string; error: string; attempts: number }[];
  /** Parts committed but not merged yet (in `<path>.parts`). */
  pendingParts: number;
  pendingFailures: number;
  /** Whether the output file exists (a first run has only parts until its first merge). */
  outputExists: boolean;
  /** Who holds a lock in the parts directory now ("writer: pid 12 on host since …"): a run still writing, a merge. */
  activeWriters: string[];
  errors: string[];
}

export function aepStats(values: number[]): AepStats | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, min: s[0], median, max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export function summarizeReport(r: FileReport): StoreSummary {
  const farms = new Set<number>(), types = new Set<number>(), seeds = new Set<number>();
  const all: number[] = [];
  const per = new Map<string, number[]>();
  let results = 0;
  for (const g of r.groups) {
    if (!isGoodStatus(g.status) || !g.record) continue;
    results++;
    const k = parseKey(g.key);
    farms.add(k.farmIdx); types.add(k.typeIdx); seeds.add(k.seed);
    all.push(g.record.aepGWh);
    const ft = `farm${k.farmIdx}_t${k.typeIdx}`;
    if (!per.has(ft)) per.set(ft, []);
    per.get(ft)!.push(g.record.aepGWh);
  }
  const byFarmType: Record<string, AepStats> = {};
  for (const [k, v] of [...per].sort()) byFarmType[k] = aepStats(v)!;
  const num = (a: Set<number>) => [...a].sort((x, y) => x - y);
  return {
    path: r.path, status: r.status, kind: r.kind, root: r.root, results,
    badGroups: r.groupsBad, farms: num(farms), types: num(types), seeds: num(seeds),
    aepGWh: aepStats(all), byFarmType,
    failures: r.failures.filter((f) => f.record).map((f) => ({ key: f.key, error: f.record!.error, attempts: f.record!.attempts })),
    pendingParts: 0, pendingFailures: 0, outputExists: true, activeWriters: [], errors: r.errors,
  };
}

/** Summary of one output file (and how many parts wait to be merged into it). */
export async function summarize(path: string): Promise<StoreSummary> {
  const abs = resolve(path);
  const [report] = await inspectFiles([abs], { withRecords: true });
  const s = summarizeReport(report);
  s.outputExists = existsSync(abs);
  const dir = partsDir(abs);
  if (existsSync(dir)) {
    const l = listParts(dir);
    s.pendingParts = l.results.length;
    s.pendingFailures = l.failures.length;
    s.activeWriters = liveLocks(dir).map((l) => `${l.name}: pid ${l.holder.pid} on ${l.holder.host} since ${l.holder.started_utc}`);
  }
  return s;
}

/** Compact runs of integers: [0,1,2,3,7,9,10] → "0–3, 7, 9–10". */
export function formatRanges(xs: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    parts.push(j > i ? `${xs[i]}–${xs[j]}` : `${xs[i]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** The human-readable summary `wflo inspect` prints. */
export function formatSummary(s: StoreSummary): string {
  const f = (v: number) => v.toFixed(3);
  const lines: string[] = [];
  const pending = s.pendingParts + s.pendingFailures > 0;
  // Before a first run's first merge there are only parts: not a damaged output.
  const notYet = !s.outputExists && pending;
  lines.push(notYet
    ? `${s.path}: not written yet (${s.activeWriters.length ? "a run is writing its parts" : "only parts, not merged"})`
    : `${s.path}: ${s.status}${s.kind !== "unknown" ? ` (${s.kind})` : ""}`);
  const r = s.root;
  const rootBits = [
    r.total_configs !== undefined ? `total_configs ${r.total_configs}` : "",
    r.successful_configs !== undefined ? `successful_configs ${r.successful_configs}` : "",
    r.grid_size !== undefined ? `grid_size ${r.grid_size}` : "",
    r.random_pct !== undefined ? `random_pct ${r.random_pct}` : "",
    r.wflo_version ? `wflo ${r.wflo_version}` : "",
    r.created_utc ? `created ${r.created_utc}` : "",
  ].filter(Boolean);
  if (rootBits.length) lines.push(`  ${rootBits.join(", ")}`);
  lines.push(`  results   ${s.results}${s.badGroups ? ` (+${s.badGroups} damaged groups)` : ""}`);
  lines.push(`  farms     ${s.farms.length ? formatRanges(s.farms) : "-"}`);
  lines.push(`  types     ${s.types.length ? formatRanges(s.types) : "-"}`);
  lines.push(`  seeds     ${s.seeds.length ? `${formatRanges(s.seeds)} (${s.seeds.length})` : "-"}`);
  if (s.aepGWh) lines.push(`  AEP GWh   min ${f(s.aepGWh.min)}  median ${f(s.aepGWh.median)}  max ${f(s.aepGWh.max)}`);
  const ft = Object.entries(s.byFarmType);
  if (ft.length > 1) {
    lines.push(`  per farm and type (GWh):`);
    for (const [k, st] of ft) lines.push(`    ${k.padEnd(12)} n ${String(st.n).padStart(5)}  min ${f(st.min)}  median ${f(st.median)}  max ${f(st.max)}`);
  }
  lines.push(`  failures  ${s.failures.length}`);
  for (const x of s.failures.slice(0, 10)) lines.push(`    ${x.key} (${x.attempts} attempts): ${x.error.split("\n")[0]}`);
  if (s.failures.length > 10) lines.push(`    … ${s.failures.length - 10} more`);
  if (pending) {
    const what = `${s.pendingParts} results and ${s.pendingFailures} failures in ${s.path}.parts, not merged yet`;
    lines.push(s.activeWriters.length
      ? `  pending   ${what}: a run merges them as it goes and at its end (${s.activeWriters.join("; ")})`
      : `  pending   ${what}: the same wflo run command resumes and merges them, or wflo merge ${s.path}.parts --out ${s.path}`);
  }
  for (const e of notYet ? [] : s.errors.slice(0, 10)) lines.push(`  error: ${e}`);
  return lines.join("\n");
}
