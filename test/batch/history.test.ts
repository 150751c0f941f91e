import { test } from "node:test";
import assert from "node:assert/strict";
import { compactHistory, STORED_HISTORY_POINTS } from "../../src/batch/history.js";
import { MT19937 } from "../../src/layout/index.js";

/** A basin-hopping-like history: climbs that restart lower, with noise. */
function syntheticHistory(m: number, seed: number): Float64Array {
  const rng = new MT19937(seed);
  const h = new Float64Array(m);
  let best = 400;
  for (let i = 0; i < m; i++) {
    const phase = (i % 150) / 150;
    h[i] = best - 8 * (1 - phase) ** 2 + 0.3 * (rng.nextDouble() - 0.5);
    if (i % 150 === 149) best += rng.nextDouble() * 0.5;
  }
  return h;
}

test("a short history is kept whole, numbered 1..m", () => {
  const h = syntheticHistory(120, 1);
  const c = compactHistory(h);
  assert.deepEqual([...c.aepGWh], [...h]);
  assert.deepEqual([...c.iter], Array.from({ length: 120 }, (_, i) => i + 1));
});

test("a long history keeps ≤ the point budget, exact iterates, both ends, and every bucket's extremes", () => {
  for (const m of [201, 1000, 9524, 13138]) {
    const h = syntheticHistory(m, m);
    const c = compactHistory(h);
    assert.ok(c.aepGWh.length <= STORED_HISTORY_POINTS, `${m}: kept ${c.aepGWh.length}`);
    assert.equal(c.iter[0], 1);
    assert.equal(c.iter[c.iter.length - 1], m);
    for (let k = 0; k < c.iter.length; k++) {
      assert.equal(c.aepGWh[k], h[c.iter[k] - 1], "a kept value is the AEP of its iterate, bit for bit");
      if (k > 0) assert.ok(c.iter[k] > c.iter[k - 1]);
    }
    // The band a plot draws: in every run of iterates the decimation used, min and max survive.
    const buckets = Math.floor((STORED_HISTORY_POINTS - 2) / 2);
    for (let b = 0; b < buckets; b++) {
      const lo = Math.floor((b * m) / buckets), hi = Math.floor(((b + 1) * m) / buckets);
      let mn = Infinity, mx = -Infinity;
      for (let i = lo; i < hi; i++) { mn = Math.min(mn, h[i]); mx = Math.max(mx, h[i]); }
      const kept = [...c.iter].map((it, k) => [it - 1, c.aepGWh[k]]).filter(([i]) => i >= lo && i < hi).map(([, v]) => v);
      assert.ok(kept.includes(mn) && kept.includes(mx), `${m}: bucket ${b} lost its extremes`);
    }
    assert.equal(Math.max(...c.aepGWh), Math.max(...h), "the best iterate is kept");
  }
});

test("compactHistory rejects a budget too small to hold the ends", () => {
  assert.throws(() => compactHistory(new Float64Array(10), 3), /maxPoints/);
});
