import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../src/errors.js";
import { LockError, acquireLock } from "../../src/store/lock.js";
import { mergeParts } from "../../src/store/merge.js";
import { validate } from "../../src/store/validate.js";
import { expandConfigs, parseBatchSpec, runBatch, PoolStartError, type BatchProgress } from "../../src/batch/index.js";
import { buildBoundary, buildModel } from "../../src/batch/build.js";
import { bestLayoutFigure, readReportData } from "../../src/report/report.js";
import { smartStartLayout } from "../../src/layout/index.js";
import { fakeWork, partFiles, readOutput, smallSpec, tempDir } from "./helpers.js";
import { STORED_HISTORY_POINTS } from "../../src/batch/history.js";

// Fault injection is read by the workers from their (copied) environment.
process.env.WFLO_TEST_FAULTS = "1";

let tmp: ReturnType<typeof tempDir>;
before(() => { tmp = tempDir(); });
after(() => tmp.cleanup());
let n = 0;
const out = () => join(tmp.dir, `out${++n}.h5`);
const keysOf = (spec: Record<string, unknown>) => expandConfigs(parseBatchSpec(spec)).map((c) => c.key).sort();

test("a batch commits every config, merges, writes the root attributes; a re-run skips everything", async () => {
  const o = out();
  const spec = smallSpec({ seeds: 6 });
  const events: BatchProgress[] = [];
  const s = await runBatch(spec, { out: o, workers: 2, workModule: fakeWork, onProgress: (p) => events.push(p), mergeEvery: 4 });
  assert.equal(s.total, 12);
  assert.equal(s.done, 12);
  assert.equal(s.failed + s.skipped + s.missing, 0);
  assert.equal(s.outputResults, 12);
  assert.ok(s.merged === 12, `merged ${s.merged}`);
  assert.equal(events.at(-1)!.phase, "finished");
  assert.ok(events.some((e) => e.bestAepGWh !== undefined && e.meanAepGWh !== undefined && e.ratePerS > 0));
  assert.deepEqual(partFiles(o), []);
  const r = await readOutput(o);
  assert.equal(r.status, "ok");
  assert.deepEqual(r.groups.map((g) => g.key).sort(), keysOf(spec));
  assert.equal(r.root.grid_size, 10);
  assert.equal(r.root.random_pct, 30);
  assert.equal(r.root.total_configs, 12);
  assert.equal(r.root.successful_configs, 12);
  assert.deepEqual(JSON.parse(r.root.spec_json!).seeds, [0, 1, 2, 3, 4, 5]);
  const again = await runBatch(spec, { out: o, workers: 2, workModule: fakeWork });
  assert.equal(again.skipped, 12);
  assert.equal(again.done, 0);
  assert.equal(again.workers, 0, "no worker is started when nothing is missing");
});

test("the real work: optimized layouts are committed with their config attributes and validate", async () => {
  const o = out();
  const spec = smallSpec({ seeds: [0, 5] });
  const s = await runBatch(spec, { out: o, workers: 2 });
  assert.equal(s.done, 4);
  const r = await readOutput(o);
  assert.equal(r.status, "ok");
  const g = r.groups.find((x) => x.key === "farm1_t0_s5")!;
  const rec = g.record!;
  assert.equal(rec.layout.length, 2 * 4);
  assert.equal(rec.aepPerTurbineGWh!.length, 4);
  assert.ok(rec.aepGWh > 0 && Number(rec.attrs.aep_initial) > 0 && rec.aepGWh >= Number(rec.attrs.aep_initial) - 1e-9);
  assert.equal(Number(rec.attrs.farm_idx), 1);
  assert.equal(Number(rec.attrs.ss_seed), 5);
  assert.equal(Number(rec.attrs.n_turbines), 4);
  assert.equal(rec.attrs.wake_model, "IEA37SimpleBastankhahGaussian+squared");
  assert.equal(rec.attrs.turbine, "IEA37_3.35MW");
  // The smart start and the optimizer's AEP history are stored: the smart start is the one
  // the spec gives (recomputed here), the history has one AEP per iteration.
  const parsed = parseBatchSpec(spec);
  const ss = smartStartLayout({
    model: buildModel(parsed, 0), boundary: buildBoundary(parsed, 1), nTurbines: 4, minSpacingM: 300,
    gridSize: parsed.grid_size, randomPct: parsed.random_pct, seed: 5,
  });
  assert.deepEqual([...rec.layoutInitial!], [...ss.x, ...ss.y]);
  assert.ok(Math.abs(ss.aepGWh - Number(rec.attrs.aep_initial)) <= 1e-9 * ss.aepGWh, `${ss.aepGWh} vs ${rec.attrs.aep_initial}`);
  // every iteration up to STORED_HISTORY_POINTS, else the min-max decimation: ends kept, numbered
  const iterations = Number(rec.attrs.iterations);
  const kept = rec.aepHistoryGWh!.length;
  if (iterations <= STORED_HISTORY_POINTS) assert.equal(kept, iterations);
  else assert.ok(kept > STORED_HISTORY_POINTS / 2 && kept <= STORED_HISTORY_POINTS, `${kept} of ${iterations} iterates kept`);
  assert.equal(rec.aepHistoryIter![0], 1);
  assert.equal(rec.aepHistoryIter![kept - 1], iterations);
  assert.ok(rec.aepHistoryGWh!.every((v) => Number.isFinite(v) && v > 0));
  assert.ok((await validate(o)).ok);
  // The report draws the stored smart start (and carries the history) instead of recomputing.
  const d = await readReportData(o);
  const row = d.rows.find((x) => x.key === "farm1_t0_s5")!;
  assert.deepEqual([...row.initial!.x, ...row.initial!.y], [...rec.layoutInitial!]);
  assert.deepEqual([...row.aepHistoryGWh!], [...rec.aepHistoryGWh!]);
  const planted = { ...row, initial: { x: row.initial!.x.map((v) => v + 1), y: row.initial!.y.map((v) => v - 1) } };
  const trace = bestLayoutFigure(d, planted).data.find((t) => t.name === "smart start")!;
  assert.deepEqual(trace.x, [...planted.initial.x]);
  assert.deepEqual(trace.y, [...planted.initial.y]);
});

test("a config that throws once is retried and succeeds; one that always throws is recorded as failed and the batch goes on", async () => {
  const o = out();
  const spec = smallSpec({ _fault: { farm0_t0_s1: { kind: "throw", attempts: 1 }, farm1_t0_s2: { kind: "throw" } } });
  const s = await runBatch(spec, { out: o, workers: 2, workModule: fakeWork });
  assert.equal(s.done, 5);
  assert.equal(s.failed, 1);
  assert.equal(s.retries, 1 + 2);
  assert.deepEqual(s.failures.map((f) => [f.key, f.attempts]), [["farm1_t0_s2", 3]]);
  assert.match(s.failures[0].error, /injected fault: throw in farm1_t0_s2 \(attempt 3\)/);
  const r = await readOutput(o);
  assert.equal(r.status, "ok");
  assert.equal(r.groups.length, 5);
  assert.deepEqual(r.failures.map((f) => [f.key, f.record?.attempts]), [["farm1_t0_s2", 3]]);
  assert.match(r.failures[0].record!.error, /injected fault/);
  assert.equal(r.root.successful_configs, 5);
  assert.equal(r.root.failed_configs, 1);
  // Resume retries the failed config (the fault is gone) and the failure record goes.
  const fixed = await runBatch(smallSpec(), { out: o, workers: 2, workModule: fakeWork });
  assert.equal(fixed.done, 1);
  assert.equal(fixed.skipped, 5);
  const r2 = await readOutput(o);
  assert.equal(r2.groups.length, 6);
  assert.equal(r2.failures.length, 0);
});

test("a worker that calls process.exit, throws outside its task, or runs out of memory is replaced and its config retried", async () => {
  const o = out();
  const spec = smallSpec({
    seeds: 4,
    _fault: {
      farm0_t0_s0: { kind: "exit", attempts: 2 }, // succeeds on the 3rd attempt
      farm0_t0_s1: { kind: "uncaught" }, // always: recorded as failed
      farm1_t0_s0: { kind: "oom", attempts: 1 },
      farm1_t0_s3: { kind: "oom" },
    },
  });
  const s = await runBatch(spec, { out: o, workers: 2, workModule: fakeWork, memoryLimitMb: 96 });
  assert.equal(s.total, 8);
  assert.equal(s.done, 6);
  assert.equal(s.failed, 2);
  const byKey = new Map(s.failures.map((f) => [f.key, f.error]));
  assert.match(byKey.get("farm0_t0_s1")!, /injected fault: uncaught/);
  assert.match(byKey.get("farm1_t0_s3")!, /ERR_WORKER_OUT_OF_MEMORY|memory limit/);
  const r = await readOutput(o);
  assert.deepEqual(r.groups.map((g) => g.key).sort(), ["farm0_t0_s0", "farm0_t0_s2", "farm0_t0_s3", "farm1_t0_s0", "farm1_t0_s1", "farm1_t0_s2"]);
  assert.deepEqual(r.failures.map((f) => f.key).sort(), ["farm0_t0_s1", "farm1_t0_s3"]);
  assert.ok((await validate(o)).ok);
});

test("faults are inert without WFLO_TEST_FAULTS=1", async () => {
  const o = out();
  process.env.WFLO_TEST_FAULTS = "0";
  try {
    const s = await runBatch(smallSpec({ seeds: 1, _fault: { "*": { kind: "exit" } } }), { out: o, workers: 1, workModule: fakeWork });
    assert.equal(s.done, 2);
    assert.equal(s.failed, 0);
  } finally {
    process.env.WFLO_TEST_FAULTS = "1";
  }
});

test("stop: in-flight configs finish and are committed, nothing new starts, and a re-run completes the batch", async () => {
  const o = out();
  const spec = smallSpec({ seeds: 10, _fault: { "*": { kind: "sleep", ms: 60 } } });
  const stop = new AbortController();
  const s = await runBatch(spec, {
    out: o, workers: 2, workModule: fakeWork, signal: stop.signal,
    onProgress: (p) => { if (p.done >= 3) stop.abort(); },
  });
  assert.ok(s.cancelled);
  assert.ok(!s.abandoned);
  assert.ok(s.done >= 3 && s.done <= 5, `done ${s.done}`);
  assert.equal(s.missing, 20 - s.done);
  assert.equal((await readOutput(o)).groups.length, s.done, "everything finished was merged");
  const rest = await runBatch(spec, { out: o, workers: 2, workModule: fakeWork });
  assert.equal(rest.skipped, s.done);
  assert.equal(rest.done, 20 - s.done);
  const r = await readOutput(o);
  assert.deepEqual(r.groups.map((g) => g.key).sort(), keysOf(spec));
});

test("abandon: running configs are dropped at once and stay missing", async () => {
  const o = out();
  const spec = smallSpec({ seeds: 2, _fault: { "*": { kind: "sleep", ms: 30_000 } } });
  const abandon = new AbortController();
  const t0 = performance.now();
  setTimeout(() => abandon.abort(), 1500);
  const s = await runBatch(spec, { out: o, workers: 2, workModule: fakeWork, abandonSignal: abandon.signal });
  assert.ok(performance.now() - t0 < 10_000);
  assert.ok(s.abandoned && s.cancelled);
  assert.equal(s.done + s.failed, 0);
  assert.equal(s.missing, 4);
});

test("shards share one parts directory without merging; wflo merge's mergeParts then joins them", async () => {
  const o = out();
  const spec = smallSpec({ seeds: 5 });
  const a = await runBatch(spec, { out: o, workers: 1, workModule: fakeWork, shard: { index: 0, count: 2 } });
  const b = await runBatch(spec, { out: o, workers: 1, workModule: fakeWork, shard: { index: 1, count: 2 } });
  assert.equal(a.total + b.total, 10);
  assert.equal(a.done + b.done, 10);
  assert.equal(a.outputResults, undefined);
  assert.ok(!existsSync(o), "a shard never writes the output");
  assert.equal(partFiles(o).length, 10);
  assert.ok(existsSync(`${o}.parts/spec.json`));
  await mergeParts(o);
  const r = await readOutput(o);
  assert.deepEqual(r.groups.map((g) => g.key).sort(), keysOf(spec));
});

test("a second run on the same output, or on the same shard, is refused while the first holds the lock", async () => {
  const o = out();
  const spec = smallSpec({ seeds: 2, _fault: { "*": { kind: "sleep", ms: 400 } } });
  const first = runBatch(spec, { out: o, workers: 1, workModule: fakeWork });
  await new Promise((r) => setTimeout(r, 200));
  await assert.rejects(runBatch(spec, { out: o, workers: 1, workModule: fakeWork }), (e: unknown) => e instanceof LockError && e.state === "held" && /another wflo run is using this output/.test(e.message));
  assert.equal((await first).done, 4);
  // Shards: a different shard is fine while one runs; the same shard is refused.
  const held = acquireLock(`${o}.parts`, "shard-0-of-2");
  try {
    await assert.rejects(runBatch(spec, { out: o, workers: 1, workModule: fakeWork, shard: { index: 0, count: 2 } }), LockError);
    const other = await runBatch(spec, { out: o, workers: 1, workModule: fakeWork, shard: { index: 1, count: 2 } });
    assert.equal(other.skipped, 2);
  } finally {
    held.release();
  }
});

test("the final merge waits for another process's merge (wflo merge by hand) instead of leaving the parts and failing", async () => {
  const o = out();
  const spec = smallSpec({ seeds: 2 });
  const held = acquireLock(`${o}.parts`, "merge");
  let releasedAt = Infinity;
  setTimeout(() => { releasedAt = performance.now(); held.release(); }, 1500);
  const s = await runBatch(spec, { out: o, workers: 1, workModule: fakeWork });
  assert.ok(performance.now() >= releasedAt, "the run ended after the other merge let go");
  assert.equal(s.mergeError, undefined, s.warnings.join("\n"));
  assert.equal(s.outputResults, 4);
  assert.deepEqual(partFiles(o), []);
});

test("a spec that differs from the output's in anything but seeds is refused before any work; new seeds extend the output", async () => {
  const o = out();
  const spec = smallSpec({ seeds: 2 });
  await runBatch(spec, { out: o, workers: 1, workModule: fakeWork });
  await assert.rejects(runBatch({ ...spec, grid_size: 12 }, { out: o, workers: 1, workModule: fakeWork }),
    (e: unknown) => e instanceof InputError && e.field === "grid_size" && /new output/.test(e.message));
  const more = await runBatch({ ...spec, seeds: [1, 2, 3] }, { out: o, workers: 2, workModule: fakeWork });
  assert.equal(more.skipped, 2);
  assert.equal(more.done, 4);
  const r = await readOutput(o);
  assert.equal(r.groups.length, 8);
  assert.deepEqual(JSON.parse(r.root.spec_json!).seeds, [0, 1, 2, 3]);
  assert.equal(r.root.total_configs, 8);
});

test("a bad spec is rejected before anything is created", async () => {
  const o = out();
  const spec = smallSpec();
  (spec.farms as { n_turbines: number }[])[0].n_turbines = 500;
  await assert.rejects(runBatch(spec, { out: o, workers: 1, workModule: fakeWork }), (e: unknown) => e instanceof InputError && e.field === "farms[0].n_turbines");
  assert.ok(!existsSync(`${o}.parts`));
});

test("a work module that cannot load stops the batch instead of failing every config", async () => {
  const o = out();
  const broken = join(tmp.dir, "broken-work.mjs");
  writeFileSync(broken, "throw new Error('cannot load me');\n");
  await assert.rejects(runBatch(smallSpec(), { out: o, workers: 2, workModule: broken }), (e: unknown) => e instanceof PoolStartError && /cannot load me/.test((e as Error).message));
  assert.deepEqual(partFiles(o), []);
  assert.ok(!readFileSync(`${o}.parts/spec.json`, "utf8").includes("_fault"));
});
