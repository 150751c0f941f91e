// Reports as tables: validate (damaged files and groups highlighted) and a batch summary;
// the batch's progress counters as the progress display's state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import type { BatchProgress, BatchSummary, FileReport, RecoverFileReport, RecoverReport, ValidateReport } from "../../src/index.js";
import { batchSummaryBundle, commonDir, notebook, recoverReportBundle, recoveryAccountBundle, recoveryAccountText, recoveryFigure, renderable, validateReportBundle } from "../../src/notebook/index.js";
import { recoveryAccount } from "../../src/notebook/reports.js";

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
  // The group's problem in words; HDF5's message in its details.
  assert.match(html, /farm0_t0_s3<\/td><td[^>]*>unreadable<\/td><td[^>]*>layout: its data cannot be read<\/td><td[^>]*><details>.*layout: wrong B-tree signature<\/pre>/);
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

const rf = (path: string, status: RecoverFileReport["status"], salvaged: number, lost: number, errors: string[] = [], extra: Partial<RecoverFileReport> = {}): RecoverFileReport => ({
  path, status, salvaged, lost, metadata: 0, warnings: [], failures: 0, deepSalvaged: 0, keyFromAttributes: [], unlabeledBlocks: 0, unlabeledBytes: 0, kind: "python-worker", sizeBytes: 4096, errors, ...extra,
});

// A crashed run as recover reports it: an intact file, a truncated copy of it (its damaged
// copy of farm0_t0_s5 is intact in worker_0), a bit-flipped file whose farm1_t0_s2 no file
// holds intact, a killed writer's unreadable file, a re-run that disagrees on farm0_t0_s4.
const recoverReport: RecoverReport = {
  out: "/w/recovered.h5", recovered: 20, failuresRecovered: 0, duplicates: 3, written: true, elapsedMs: 1200,
  files: [
    rf("/w/run/worker_0.h5", "ok", 12, 0),
    rf("/w/run/worker_0_trunc93.h5", "truncated-salvaged", 11, 1, ["/w/run/worker_0_trunc93.h5: truncated (36433 of 39176 bytes, 93.0 %): salvaged 11 groups, 1 listed groups lost", "/w/run/worker_0_trunc93.h5: /farm0_t0_s5 lost: its data lie (partly) past the end of the file"], { lostKeys: ["farm0_t0_s5"] }),
    rf("/w/run/worker_1_flip3.h5", "damaged", 7, 1, ["/w/run/worker_1_flip3.h5: /farm1_t0_s2 lost (schema-error): attributes unreadable: attribute farm_idx: incorrect metadata checksum after all read attempts"], { lostKeys: ["farm1_t0_s2"], diagnostics: ["Aborted('HEAP8' was not exported)"] }),
    rf("/w/run/worker_10.h5", "unreadable", 0, 0, ["/w/run/worker_10.h5: bad object header version number"], { kind: "unknown" }),
    rf("/w/run/worker_11.h5", "unreadable", 0, 0, ["/w/run/worker_11.h5: ring type mismatch occurred for cache entry"], { kind: "unknown" }),
  ],
  lostForGood: ["farm1_t0_s2"],
  conflicts: [{ key: "farm0_t0_s4", kept: null, variants: [
    { checksum: "sha256:a", aepGWh: 363.4, nTurbines: 16, sources: ["/w/run/worker_0.h5"], differs: [] },
    { checksum: "sha256:b", aepGWh: 342.8, nTurbines: 16, sources: ["/w/run/worker_0_rerun.h5"], differs: ["layout: 16 of 16 turbines elsewhere (by up to 2492.125 m)", "AEP: 363.400 against 342.800 GWh"] },
  ] }],
};

test("recover report: one vocabulary (recovered / held back / lost for good / unknown), the same counts everywhere", () => {
  const b = recoverReportBundle(recoverReport);
  const text = b["text/plain"] as string;
  const headline = text.split("\n")[0];
  assert.equal(headline, "Recovered: 20 configurations into recovered.h5. Held back: 1 configuration in conflict (different data in different files; neither written, both stay in the inputs). " +
    "Lost for good: 1 (1 named in a damaged file and intact in none). Unknown: what 2 files held (nothing in them can be read). " +
    "(1 damaged copy of results read intact elsewhere was replaced by that copy; 3 duplicate copies merged.)");
  // Per file no word says "lost" or "salvaged": a damaged copy may be intact elsewhere.
  assert.doesNotMatch(text, /\bsalvaged\b|\blost\b(?! for good)/i, "only the account's words");
  assert.match(text, /^ +file +kind +status +size +read intact +damaged copies +what happened$/m);
  assert.match(text, /^!  worker_0_trunc93\.h5 +python-worker +cut short, partly read .* 11 +1 +cut short at 36,433 of 39,176 bytes \(93 %\): 11 results read from what is left, 1 cut off\.$/m);
  assert.match(text, /^!  worker_1_flip3\.h5 .* 7 +1 +damaged: 7 results read intact, 1 could not be read \(bytes changed on disk \(HDF5's own checksum of its metadata fails\)\)\.$/m);
  // HDF5's and h5wasm's own words are not in the sentences …
  assert.doesNotMatch(text, /object header version|ring type mismatch|HEAP8|incorrect metadata checksum after/);
  assert.match(text, /^!! worker_10\.h5 .* damaged where HDF5 keeps its structure .* so what it held is unknown\.$/m);
  // … but kept, unchanged, in the HTML's details of each file.
  const html = b["text/html"] as string;
  assert.match(html, /<details><summary[^>]*>details<\/summary><pre[^>]*>bad object header version number<\/pre><\/details>/);
  assert.match(html, /<pre[^>]*>\/farm1_t0_s2 lost \(schema-error\): attributes unreadable: attribute farm_idx: incorrect metadata checksum after all read attempts\nAborted\(&#39;HEAP8&#39; was not exported\)<\/pre>/);
  assert.match(html, /data-recovered="20" data-conflicts="1" data-lost-for-good="1"/);
  // A conflict says what differs.
  assert.match(text, /^!  farm0_t0_s4 +2 +342\.800 +layout: 16 of 16 turbines elsewhere \(by up to 2492\.125 m\); AEP: 363\.400 against 342\.800 GWh +worker_0_rerun\.h5/m);
  assert.match(text, /none of these variants was written; they stay in the input files/);
});

test("recovery account: writers' reports turn unknown files into counted losses; the report and the account agree", () => {
  const reportedWritten = [{ file: "worker_10.h5", results: 6 }, { file: "/w/run/worker_1_flip3.h5", results: 9 }];
  const a = recoveryAccount(recoverReport, { reportedWritten });
  // worker_10: 6 written, none readable; worker_1_flip3: 9 written, 7 read, 1 named and lost for good → 1 unnamed.
  assert.equal(a.lostUnnamed, 7);
  assert.deepEqual(a.lostForGood, ["farm1_t0_s2"]);
  assert.deepEqual(a.unknownFiles, ["/w/run/worker_11.h5"]);
  assert.equal(a.replacedCopies, 1);
  assert.deepEqual(a.heldBack, [{ key: "farm0_t0_s4", variants: 2, differs: ["layout: 16 of 16 turbines elsewhere (by up to 2492.125 m)", "AEP: 363.400 against 342.800 GWh"] }]);
  const text = recoveryAccountText(a);
  assert.match(text, /Lost for good: 8 \(1 named in a damaged file and intact in none; 7 reported written by their writer, but nothing in its file names them any more\)\./);
  assert.match(text, /Unknown: what 1 file held \(nothing in it can be read\)\./);
  // The report given the same writers' reports says exactly the same.
  assert.equal((recoverReportBundle(recoverReport, { reportedWritten })["text/plain"] as string).split("\n")[0], text);
  const table = recoveryAccountBundle(a)["text/plain"] as string;
  assert.match(table, /^   recovered +20 +in recovered\.h5$/m);
  assert.match(table, /^!  held back \(conflicts\) +1 +farm0_t0_s4 \(layout, AEP\)$/m);
  assert.match(table, /^!! lost for good +8 +farm1_t0_s2; 7 that nothing names$/m);
  assert.match(table, /^!  unknown +1 files +worker_11\.h5 \(nothing readable\)$/m);
  // Nothing lost, nothing unknown: said as such, never "0 lost" beside a count of losses.
  const clean = recoveryAccountText(recoveryAccount({ ...recoverReport, files: [recoverReport.files[0]], conflicts: [], lostForGood: [], duplicates: 0 }));
  assert.equal(clean, "Recovered: 20 configurations into recovered.h5. Held back: 0 configurations in conflict (different data in different files; neither written, both stay in the inputs). Lost for good: 0. Unknown: nothing.");
});

test("validate report: a sentence per file instead of HDF5's messages, which stay in the details", () => {
  const r: ValidateReport = {
    ok: false, results: 0, groupsOk: 0, groupsBad: 0, byStatus: { truncated: 1, unreadable: 1, "not-hdf5": 1 },
    files: [
      file("/r/w_trunc.h5", "truncated", { kind: "unknown", errors: ["/r/w_trunc.h5: truncated file: eof = 19588, sblock->base_addr = 0, stored_eof = 39176"] }),
      file("/r/w_10.h5", "unreadable", { kind: "unknown", errors: ["/r/w_10.h5: bad object header version number"] }),
      file("/r/w_empty.h5", "not-hdf5", { kind: "unknown", sizeBytes: 0, errors: ["/r/w_empty.h5: file signature not found"] }),
    ],
  };
  const b = validateReportBundle(r);
  const text = b["text/plain"] as string;
  assert.match(text, /w_trunc\.h5 .* cut short at 19,588 of 39,176 bytes \(50 %\): needs recover to read what is left$/m);
  assert.match(text, /w_10\.h5 .* damaged where HDF5 keeps its structure: it cannot be opened \(recover may still find results in it\)$/m);
  assert.match(text, /w_empty\.h5 .* empty \(0 bytes\)$/m);
  assert.doesNotMatch(text, /stored_eof|object header|signature not found/);
  assert.match(b["text/html"] as string, /<details>.*truncated file: eof = 19588, sblock-&gt;base_addr = 0, stored_eof = 39176/);
});

test("recovery figure: read intact and damaged copies stacked per file, legend below", () => {
  const fig = recoveryFigure([{ file: "a.h5", salvaged: 3, lost: 1, status: "damaged" }, { file: "b.h5", salvaged: 0, lost: 0 }]);
  assert.equal(fig.layout.barmode, "stack");
  assert.deepEqual(fig.data.map((d) => [d.name, d.y]), [["read intact", [3, 0]], ["damaged copies", [1, 0]]]);
  assert.ok((fig.layout.legend as { y: number }).y < 0);
  assert.deepEqual(fig.data[0].x, ["a.h5", "b.h5"]);
});
