// Progress of configs while they optimize: a worker's reports reach the main thread's
// BatchProgress (`optimizing`) and the progress line; finished configs drop out of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatch, type BatchProgress } from "../../src/batch/index.js";
import { formatProgressBar, formatProgressLine, ProgressTracker } from "../../src/batch/progress.js";
import { fakeWork, smallSpec, tempDir } from "./helpers.js";

test("a running config's reports show in BatchProgress.optimizing and the progress line, and leave with it", async () => {
  process.env.FAKE_WORK_MS = "400";
  const tmp = tempDir();
  try {
    const events: BatchProgress[] = [];
    const s = await runBatch(smallSpec({ seeds: 1 }), {
      out: join(tmp.dir, "o.h5"), workers: 1, workModule: fakeWork, onProgress: (p) => events.push(p), progressIntervalMs: 50,
    });
    assert.equal(s.done, 2);
    const live = events.filter((e) => e.optimizing?.length);
    assert.ok(live.length > 0, "some snapshot shows a config optimizing");
    const o = live[0].optimizing![0];
    assert.equal(o.bestAepGWh, 99);
    assert.equal(o.evaluations, 50);
    assert.match(formatProgressLine(live[0]), new RegExp(`\\| ${o.key} best 99\\.00 GWh, 50/100 evaluations, \\d+s`));
    assert.equal(events.at(-1)!.optimizing, undefined, "nothing optimizing at the end");
  } finally {
    delete process.env.FAKE_WORK_MS;
    tmp.cleanup();
  }
});

test("ProgressTracker: reports per key, latest wins; success or failure removes it; the bar shows the first", () => {
  const t = new ProgressTracker(3);
  t.start(0);
  t.running({ key: "a", bestAepGWh: 1, evaluations: 1, maxEvaluations: 9, elapsedS: 1 });
  t.running({ key: "b", bestAepGWh: 2, evaluations: 2, maxEvaluations: 9, elapsedS: 2 });
  t.running({ key: "a", bestAepGWh: 3, evaluations: 4, maxEvaluations: 9, elapsedS: 3 });
  assert.deepEqual(t.snapshot().optimizing!.map((o) => [o.key, o.bestAepGWh]), [["a", 3], ["b", 2]]);
  assert.match(formatProgressBar(t.snapshot(), 200), /\| a 3\.00 GWh 4\/9 ev 3s/);
  t.succeeded("a", 3);
  t.failedFinally("b", "x");
  assert.equal(t.snapshot().optimizing, undefined);
});
