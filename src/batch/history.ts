/**
 * The optimizer's AEP history sized for storage. A run makes thousands of iterates (every
 * L-BFGS step of every basin hop: ~10,000 for 16 turbines, 80 KB as float64), while the
 * convergence figure is a line a few hundred pixels wide. Min-max decimation keeps, for each
 * of `maxPoints / 2` equal runs of iterates, the lowest and the highest value in their
 * iteration order (plus the first and the last iterate): drawn as a line, that is the same
 * band and the same envelope as the full series at any plot width up to about that many
 * pixels (the M4 argument of Jugel et al., VLDB 2014, with first/last per bucket replaced by
 * the series' ends). Every kept value is an exact iterate's AEP with its iteration number,
 * so nothing is interpolated or rounded.
 */
export const STORED_HISTORY_POINTS = 200;

export interface CompactHistory {
  /** AEP (GWh) of the kept iterates. */
  aepGWh: Float64Array;
  /** Their iteration numbers, 1-based (history[i] is the AEP after iteration i + 1). */
  iter: Float64Array;
}

export function compactHistory(history: Float64Array, maxPoints = STORED_HISTORY_POINTS): CompactHistory {
  const m = history.length;
  if (maxPoints < 4) throw new RangeError(`compactHistory: maxPoints must be ≥ 4, got ${maxPoints}`);
  if (m <= maxPoints) {
    const iter = new Float64Array(m);
    for (let i = 0; i < m; i++) iter[i] = i + 1;
    return { aepGWh: history.slice(), iter };
  }
  // Two per bucket, and the two ends: buckets = (maxPoints - 2) / 2 keeps the total ≤ maxPoints.
  const buckets = Math.floor((maxPoints - 2) / 2);
  const keep: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * m) / buckets), hi = Math.floor(((b + 1) * m) / buckets);
    let iMin = lo, iMax = lo;
    for (let i = lo + 1; i < hi; i++) {
      if (history[i] < history[iMin]) iMin = i;
      if (history[i] > history[iMax]) iMax = i;
    }
    const a = Math.min(iMin, iMax), c = Math.max(iMin, iMax);
    if (a > keep[keep.length - 1]) keep.push(a);
    if (c > keep[keep.length - 1]) keep.push(c);
  }
  if (keep[keep.length - 1] !== m - 1) keep.push(m - 1);
  const aepGWh = new Float64Array(keep.length), iter = new Float64Array(keep.length);
  keep.forEach((i, k) => { aepGWh[k] = history[i]; iter[k] = i + 1; });
  return { aepGWh, iter };
}
