/**
 * What is committed for an output: its intact groups plus every valid part, and what is
 * damaged or recorded as failed — what a run resumes from and `wflo status` counts.
 */
import { existsSync, statSync } from "node:fs";
import { listParts, partsDir } from "./parts.js";
import { isGoodStatus, type FileReport } from "./read.js";
import { inspectFiles } from "./sandbox.js";

export interface StoreState {
  /** Keys with a valid result in the output or in a valid part. */
  results: Set<string>;
  /** Keys recorded as failed and without a result. */
  failed: Set<string>;
  output: FileReport | null;
  /** Part files that did not validate (left in place; merge quarantines them). */
  damagedParts: FileReport[];
  validParts: number;
}

/**
 * What is committed for `out`: the output's intact groups plus every valid part, read in
 * a short-lived worker (parts may be damaged; the caller's thread never opens them).
 */
export async function storeState(out: string, opts: { partsDir?: string } = {}): Promise<StoreState> {
  const dir = opts.partsDir ?? partsDir(out);
  const listing = listParts(dir);
  const paths = [...listing.results.map((p) => p.path), ...listing.failures.map((p) => p.path)];
  const hasOut = existsSync(out) && statSync(out).isFile();
  const reports = await inspectFiles(hasOut ? [out, ...paths] : paths);
  const state: StoreState = { results: new Set(), failed: new Set(), output: null, damagedParts: [], validParts: 0 };
  const failed = new Set<string>();
  let i = 0;
  if (hasOut) {
    const r = reports[i++];
    state.output = r;
    for (const g of r.groups) if (isGoodStatus(g.status)) state.results.add(g.key);
    for (const f of r.failures) if (f.record) failed.add(f.key);
  }
  for (; i < reports.length; i++) {
    const r = reports[i];
    const isFailurePart = r.path.endsWith(".failed.h5");
    const ok = isGoodStatus(r.status) && (isFailurePart ? r.failures.length === 1 && r.failures[0].record : r.groups.length === 1);
    if (!ok) { state.damagedParts.push(r); continue; }
    state.validParts++;
    if (isFailurePart) failed.add(r.failures[0].key);
    else state.results.add(r.groups[0].key);
  }
  for (const k of failed) if (!state.results.has(k)) state.failed.add(k);
  return state;
}

/** Keys committed for `out` = keys in the output ∪ keys in valid parts (what resume skips). */
export async function committedKeys(out: string, opts: { partsDir?: string } = {}): Promise<Set<string>> {
  return (await storeState(out, opts)).results;
}
