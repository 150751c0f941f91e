// nb.convergence: the stored aep_history when the file has it, a retrace (reoptimize in
// workers) for results without it — and the retrace reproduces the stored history exactly.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatch } from "../../src/batch/index.js";
import { convergence, results } from "../../src/notebook/cells.js";
import { smallSpec, tempDir } from "../batch/helpers.js";
import { STORED_HISTORY_POINTS, compactHistory } from "../../src/batch/history.js";

const tmp = tempDir();
after(() => tmp.cleanup());

test("convergence uses the stored aep_history and re-optimizes only results without it, retracing the same path", { timeout: 120_000 }, async () => {
  const out = join(tmp.dir, "conv.h5");
  const s = await runBatch(smallSpec({ seeds: [1] }), { out, workers: 2 });
  assert.equal(s.done, 2);
  const data = await results(out);
  assert.equal(data.rows.length, 2);
  assert.ok(data.rows.every((r) => r.aepHistoryGWh && r.aepHistoryGWh.length > 0));

  const stored = await convergence(data, data.rows);
  assert.deepEqual(stored.map((r) => r.source), ["stored", "stored"]);
  assert.deepEqual(stored.map((r) => r.key), data.rows.map((r) => r.key));
  for (const [i, r] of stored.entries()) assert.equal(r.aepGWh, data.rows[i].aepHistoryGWh);

  // A file written before aep_history existed: the second row has none.
  const old = { ...data, rows: data.rows.map((r, i) => (i === 1 ? { ...r, aepHistoryGWh: undefined } : r)) };
  const mixed = await convergence(old, old.rows);
  assert.deepEqual(mixed.map((r) => r.source), ["stored", "re-optimized"]);
  // The batch stores a min-max decimation of long histories (the lattice starts make even this
  // small run's long): the retrace, decimated the same way, gives the stored values and
  // iteration numbers; a history short enough is stored whole.
  if (mixed[1].aepGWh.length <= STORED_HISTORY_POINTS) assert.deepEqual([...mixed[1].aepGWh], [...data.rows[1].aepHistoryGWh!]);
  const again = compactHistory(mixed[1].aepGWh);
  assert.deepEqual([...again.aepGWh], [...data.rows[1].aepHistoryGWh!]);
  assert.deepEqual([...again.iter], [...data.rows[1].aepHistoryIter!]);
  assert.deepEqual([...stored[1].iteration!], [...data.rows[1].aepHistoryIter!]);
  assert.equal(mixed[1].reoptimizedAepGWh, data.rows[1].aepGWh);

  // Without a usable spec there is nothing to retrace from: an error naming the file.
  await assert.rejects(convergence({ ...old, spec: undefined }, old.rows), (e: Error) => /aep_history/.test(e.message) && e.message.includes("no usable spec"));
});
