// SIGKILL at 30+ random instants, periodic merges included (see crash-harness.ts).
// The long version: node --import tsx scripts/stress-store.ts --trials 200
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { crashTrials } from "./crash-harness.js";
import { tempDir } from "./helpers.js";

test("results reported committed survive SIGKILL at 30 random instants, merges included", { timeout: 240_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const r = await crashTrials({
    out: join(dir, "layouts.h5"), trials: 30, minDelayMs: 30, maxDelayMs: 800, mergeEvery: 12,
    log: process.env.WFLO_CRASH_LOG ? (l) => console.log(l) : undefined,
  });
  t.diagnostic(`kills ${r.kills} (${r.killsMidMerge} mid-merge), results reported ${r.reported}, checked ${r.checked}, lost ${r.lost.length}, final ${r.finalResults}, temp files left by kills ${r.leftoverTemps} (cleaned by the final merge), ${(r.elapsedMs / 1000).toFixed(1)} s`);
  assert.equal(r.kills, 30);
  assert.ok(r.reported > 30, `only ${r.reported} results were committed: the kills came too early to test anything`);
  assert.deepEqual(r.lost, []);
  assert.deepEqual(r.damaged, []);
  assert.ok(r.finalValid);
  assert.equal(r.tempsAfterFinalMerge, 0);
  // The last child may have committed one result it had no time to report.
  assert.ok(r.finalResults === r.reported || r.finalResults === r.reported + 1, `${r.finalResults} results for ${r.reported} reported`);
});
