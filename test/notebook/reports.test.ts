// Reports as tables: validate (damaged files and groups highlighted) and a batch summary;
// the batch's progress counters as the progress display's state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import type { BatchProgress, BatchSummary, FileReport, RecoverFileReport, RecoverReport, ValidateReport } from "../../src/index.js";
import { batchSummaryBundle, commonDir, notebook, recoverReportBundle, recoveryFigure, renderable, validateReportBundle } from "../../src/notebook/index.js";

function file(path: string, status: FileReport["status"], extra: Partial<FileReport> = {}): FileReport {
  return {
    path, status, kind: "python-worker", sizeBytes: 2048, root: {}, rootExtra: {}, groups: [], failures: [],
    groupsOk: 0, groupsBad: 0, errors: [], notes: [], warnings: [], ...extra,
  };
}

const report: ValidateReport = {
  ok: false,
  files: [
    file("/run/a/worker_0.h5", "no-checksum", { groupsOk: 30, groups: [{ key: "farm0_t0_s0", status: "no-checksum", problems: [] }] }),
    file("/run/a/worker_1.h5", "unreadable", {
      groupsOk: 2, groupsBad: 1, errors: ["/run/a/worker_1.h5: /farm0_t0_s3/layout: unreadable: wrong B-tree signature"],
      groups: [{ key: "farm0_t0_s3", status: "unreadable", problems: [{ field: "layout", message: "wrong B-tree signature" }] }],
    }),
    file("/run/b/worker_2.h5", "truncated", { kind: "unknown", errors: ["truncated file: eof = 43, stored_eof = 86728"] }),
  ],
  results: 32, groupsOk: 32, groupsBad: 1, byStatus: { "no-checksum": 1, unreadable: 1, truncated: 1 },
};

test("validate report: one row per file, damaged ones marked, then the damaged groups with their fields", () => {
  const b = validateReportBundle(report);
  const html = b["text/html"] as string;
  assert.match(html, /data-ok="false"/);
  assert.match(html, /2 of 3 files damaged \(1 unreadable, 1 truncated\), 1 intact \(1 no-checksum\): 32 results intact, 1 damaged groups\./);
  assert.equal(html.match(/<tr class="wflo-bad"/g)?.length, 3, "two damaged files and one damaged group");
  assert.equal(html.match(/<tr class="wflo-warn"/g)?.length, 1, "no checksum: valid, but flagged");
  assert.match(html, /<td[^>]*>a\/worker_1\.h5<\/td>/, "paths relative to the common folder /run");
  assert.match(html, /farm0_t0_s3<\/td><td[^>]*>unreadable<\/td><td[^>]*>layout: wrong B-tree signature/);
  const text = b["text/plain"] as string;
  assert.match(text, /^!! a\/worker_1\.h5 +python-worker +unreadable/m);
  assert.match(text, /^!  a\/worker_0\.h5/m);
});

test("an intact set reads as such", () => {
  const ok: ValidateReport = { ok: true, files: [file("/x/o.h5", "ok", { kind: "wflo", groupsOk: 4 })], results: 4, groupsOk: 4, groupsBad: 0, byStatus: { ok: 1 } };
  const b = validateReportBundle(ok);
  assert.match(b["text/plain"] as string, /^All 1 file intact \(1 ok\): 4 results\./);
  assert.doesNotMatch(b["text/html"] as string, /wflo-bad|Damaged groups/);
});

test("renderable: the report keeps its fields, renders on demand and prints as its text table", () => {
  const r = renderable({ ...report }, validateReportBundle);
  assert.deepEqual(Object.keys(r).sort(), Object.keys(report).sort(), "no enumerable additions");
  assert.equal(JSON.stringify(r), JSON.stringify(report));
  assert.equal(r.toMimeBundle()["text/plain"], validateReportBundle(report)["text/plain"]);
  assert.equal(inspect(r), validateReportBundle(report)["text/plain"]);
});

test("commonDir", () => {
  assert.equal(commonDir(["/a/b/c.h5", "/a/b/d/e.h5"]), "/a/b");
  assert.equal(commonDir(["/a/b/c.h5", "/x/y.h5"]), "/");
  assert.equal(commonDir(["/a/b/c.h5"]), "/a/b");
});

const summary: BatchSummary = {
  out: "/o/run.h5", total: 10, done: 6, failed: 1, skipped: 2, missing: 1, elapsedS: 12.34, cancelled: true, abandoned: false,
  failures: [{ key: "farm1_t0_s3", error: "no feasible position for turbine 7\nstack", attempts: 3 }], retries: 2,
  bestAepGWh: 412.5, bestKey: "farm0_t0_s1", meanAepGWh: 400, merged: 6, outputResults: 8, commitS: 0.1, optimizeS: 20, workers: 2,
  warnings: ["merge postponed: lock held"],
};

test("batch summary: counts, state and failures", () => {
  const b = batchSummaryBundle(summary);
  const text = b["text/plain"] as string;
  assert.match(text, /^!! failed +1$/m);
  assert.match(text, /^!  state +cancelled: resumable$/m);
  assert.match(text, /best AEP \(one configuration\) +412\.500 GWh \(farm0_t0_s1\)/);
  assert.match(text, /farm1_t0_s3 +3 +no feasible position for turbine 7$/m, "first line of the error only");
  assert.match(b["text/html"] as string, /data-cancelled="true"/);
  assert.match(b["text/html"] as string, /merge postponed: lock held/);
  // No mean pooled over farms and turbine types: it describes none of them.
  assert.doesNotMatch(text, /mean AEP/i);
  assert.doesNotMatch(text, /400\.000/, "the batch's pooled meanAepGWh is not shown");
  assert.match(text, /best AEP \(one configuration\) +412\.500 GWh/);
  assert.match(text, /AEP per farm and turbine type +nb\.results\(out\)/);
});

test("results: each farm × turbine type's own mean, min, max and spread before the rows", () => {
  const row = (farmIdx: number, typeIdx: number, seed: number, aepGWh: number) => ({
    key: `farm${farmIdx}_t${typeIdx}_s${seed}`, farmIdx, typeIdx, seed, farm: ["circle", "L"][farmIdx], turbineType: ["IEA37", "V80"][typeIdx], aepGWh,
    x: new Float64Array(0), y: new Float64Array(0),
  });
  const d = { path: "/o/r.h5", status: "ok", root: {}, rows: [row(0, 0, 0, 360), row(0, 0, 1, 362), row(1, 1, 0, 45), row(1, 1, 1, 45.5)], failures: [], bad: [] };
  const text = notebook.resultsBundle(d)["text/plain"] as string;
  assert.match(text, /^AEP per farm and turbine type \(over seeds\)/);
  assert.match(text, /^ *circle +IEA37 +2 +361\.000 +360\.000 +362\.000 +0\.55 %$/m);
  assert.match(text, /^ *L +V80 +2 +45\.250 +45\.000 +45\.500 +1\.10 %$/m);
  assert.doesNotMatch(text, /203\.125/, "no mean over both groups");
});

test("batch progress as display state", () => {
  const p: BatchProgress = {
    phase: "running", total: 10, skipped: 2, done: 3, failed: 1, inFlight: 2, retries: 1, remaining: 4, elapsedS: 5,
    ratePerS: 0.8, etaS: 5, bestAepGWh: 410.123, bestKey: "farm0_t0_s4", meanAepGWh: 405, lastKey: "farm1_t0_s2", lastError: "boom\nstack", merged: 0,
  };
  assert.deepEqual(notebook.batchProgressState(p), {
    phase: "running", total: 10, done: 3, failed: 1, skipped: 2, running: 2, elapsedS: 5, etaS: 5,
    detail: "best 410.12 GWh (farm0_t0_s4)", message: "last failure farm1_t0_s2: boom",
  });
});

test("recover report: files with what was salvaged and lost, conflicts with their sources", () => {
  const f = (path: string, status: RecoverFileReport["status"], salvaged: number, lost: number, errors: string[] = []): RecoverFileReport => ({
    path, status, salvaged, lost, metadata: 0, warnings: [], failures: 0, deepSalvaged: 0, keyFromAttributes: [], unlabeledBlocks: 0, unlabeledBytes: 0, kind: "python-worker", sizeBytes: 4096, errors,
  });
  const r: RecoverReport = {
    out: "/w/recovered.h5", recovered: 20, failuresRecovered: 0, duplicates: 3, written: true, elapsedMs: 1200,
    files: [
      f("/w/run/worker_0.h5", "ok", 12, 0),
      f("/w/run/worker_0_trunc93.h5", "truncated-salvaged", 11, 1, ["/w/run/worker_0_trunc93.h5: truncated (93 %): salvaged 11 groups"]),
      f("/w/run/worker_10.h5", "unreadable", 0, 0, ["/w/run/worker_10.h5: bad object header version number"]),
    ],
    conflicts: [{ key: "farm0_t0_s4", kept: null, variants: [
      { checksum: "sha256:a", aepGWh: 363.4, nTurbines: 16, sources: ["/w/run/worker_0.h5"] },
      { checksum: "sha256:b", aepGWh: 342.8, nTurbines: 16, sources: ["/w/run/worker_0_rerun.h5"] },
    ] }],
  };
  const b = recoverReportBundle(r);
  const text = b["text/plain"] as string;
  assert.match(text, /^Recovered 20 results from 3 files \(2 damaged, 1 known results lost, 3 duplicate copies merged, 1 conflicts left out\) into \/w\/recovered\.h5\./);
  assert.match(text, /^   worker_0\.h5 .* ok .* 12 +0$/m);
  assert.match(text, /^!  worker_0_trunc93\.h5 .* truncated-salvaged .* 11 +1 +truncated \(93 %\): salvaged 11 groups$/m, "partial salvage: warn, path stripped");
  assert.match(text, /^!! worker_10\.h5 .* unreadable .* bad object header version number$/m);
  assert.match(text, /^!  farm0_t0_s4 +2 +342\.800 +worker_0_rerun\.h5/m);
  const html = b["text/html"] as string;
  assert.match(html, /data-recovered="20" data-conflicts="1"/);
  assert.equal(html.match(/class="wflo-bad"/g)?.length, 1);
  assert.match(html, /recover does not pick one; none of these variants was written/);
});

test("recovery figure: salvaged and lost stacked per file", () => {
  const fig = recoveryFigure([{ file: "a.h5", salvaged: 3, lost: 1, status: "damaged" }, { file: "b.h5", salvaged: 0, lost: 0 }]);
  assert.equal(fig.layout.barmode, "stack");
  assert.deepEqual(fig.data.map((d) => [d.name, d.y]), [["salvaged", [3, 0]], ["lost", [1, 0]]]);
  assert.deepEqual(fig.data[0].x, ["a.h5", "b.h5"]);
});
