// What differs between two variants of one configuration that recover found in different
// files (a conflict): said in words a researcher can check, so "same key, different
// data" is never a bare checksum. Used by recover.ts; pure, on records already read.
import type { AttrValue, StoredResult } from "./schema.js";

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(3) : v.toPrecision(6);
}

function attrText(v: AttrValue | undefined): string {
  if (v === undefined) return "absent";
  const s = typeof v === "string" ? JSON.stringify(v) : typeof v === "number" ? fmt(v) : String(v);
  return s.length > 40 ? s.slice(0, 37) + "…" : s;
}

function sameAttr(a: AttrValue | undefined, b: AttrValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return typeof a === "bigint" || typeof b === "bigint" ? typeof a === typeof b && String(a) === String(b) : Object.is(a, b);
}

/** Values that differ between two equally long arrays: count and largest difference. */
function arrayDiff(a: Float64Array, b: Float64Array): { n: number; max: number } {
  let n = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    n++;
    const d = Math.abs(a[i] - b[i]);
    if (d > max || Number.isNaN(d)) max = Number.isNaN(d) ? NaN : Math.max(max, d);
  }
  return { n, max };
}

function optional(name: string, a: Float64Array | undefined, b: Float64Array | undefined, unit: string, out: string[]): void {
  if (!a && !b) return;
  if (!a || !b) return void out.push(`${name}: only in ${a ? "the first" : "this"} variant`);
  if (a.length !== b.length) return void out.push(`${name}: ${a.length} values against ${b.length}`);
  const d = arrayDiff(a, b);
  if (d.n > 0) out.push(`${name}: ${d.n} of ${a.length} values differ (by up to ${fmt(d.max)}${unit})`);
}

/**
 * How `b` differs from `a`, one phrase per field: the layout (turbines moved, by how far),
 * the AEP, the per-turbine AEP, the smart start, the AEP history, and each attribute by
 * name with both values. Empty when the data and attributes are equal (which a conflict
 * never is: recover compares checksums).
 */
export function describeDifference(a: StoredResult, b: StoredResult, ignoreAttrs: readonly string[] = []): string[] {
  const out: string[] = [];
  const n = a.layout.length / 2;
  if (a.layout.length !== b.layout.length) out.push(`layout: ${n} turbines against ${b.layout.length / 2}`);
  else {
    let moved = 0;
    let far = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.hypot(a.layout[i] - b.layout[i], a.layout[n + i] - b.layout[n + i]);
      if (d > 0 || Number.isNaN(d)) (moved++), (far = Number.isNaN(d) ? NaN : Math.max(far, d));
    }
    if (moved > 0) out.push(`layout: ${moved} of ${n} turbines elsewhere (by up to ${fmt(far)} m)`);
  }
  if (!Object.is(a.aepGWh, b.aepGWh)) out.push(`AEP: ${fmt(a.aepGWh)} against ${fmt(b.aepGWh)} GWh`);
  optional("AEP per turbine", a.aepPerTurbineGWh, b.aepPerTurbineGWh, " GWh", out);
  optional("smart start", a.layoutInitial, b.layoutInitial, " m", out);
  optional("AEP history", a.aepHistoryGWh, b.aepHistoryGWh, " GWh", out);
  // Attributes the caller names (recover's provenance: where a copy came from, not what it is).
  const skip = new Set(ignoreAttrs);
  const names = [...new Set([...Object.keys(a.attrs), ...Object.keys(b.attrs)])].filter((k) => !skip.has(k)).sort();
  const differing = names.filter((k) => !sameAttr(a.attrs[k], b.attrs[k]));
  // A few by name with both values; beyond that only their names (a copy that lost its
  // attributes would otherwise list each one).
  for (const k of differing.slice(0, 3)) out.push(`attribute ${k}: ${attrText(a.attrs[k])} against ${attrText(b.attrs[k])}`);
  if (differing.length > 3) out.push(`${differing.length - 3} more attributes differ (${differing.slice(3).join(", ")})`);
  return out;
}
