// A report never destroys data: not the HDF5 file it is made from (by name, relative path or
// hard link), not a directory, not an existing file that is not an earlier wflo report; the
// checks come before any work, so `wflo run --out r.h5 --report r.h5` runs nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitResult, mergeParts, validate } from "../../src/store/index.js";
import { record, tempDir } from "../store/helpers.js";
import { repoRoot, smallSpec } from "../batch/helpers.js";

function wflo(args: string[], cwd = repoRoot) {
  // tsx by URL: the relative-path case runs from a folder without node_modules.
  return spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(repoRoot, "src/cli/dev.ts"), ...args], { cwd, encoding: "utf8", timeout: 120_000 });
}

test("wflo report never writes over its input, a directory or a file that is not a wflo report", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const h5 = join(dir, "x.h5");
  await commitResult(h5, record(1));
  await mergeParts(h5);
  const before = readFileSync(h5);

  const same = wflo(["report", h5, "--out", h5]);
  assert.equal(same.status, 2, same.stderr);
  assert.match(same.stderr, /--out .*x\.h5 is the HDF5 file the report is made from/);
  const rel = wflo(["report", "x.h5", "--out", "./x.h5"], dir);
  assert.equal(rel.status, 2, rel.stderr);
  linkSync(h5, join(dir, "alias.html"));
  const linked = wflo(["report", h5, "--out", join(dir, "alias.html")]);
  assert.equal(linked.status, 2, linked.stderr);
  assert.match(linked.stderr, /same file by another name/);
  assert.deepEqual(readFileSync(h5), before, "the results are untouched");
  assert.ok((await validate(h5)).ok);

  mkdirSync(join(dir, "reports"));
  const isDir = wflo(["report", h5, "--out", join(dir, "reports")]);
  assert.equal(isDir.status, 2);
  assert.match(isDir.stderr, /reports is a directory; give the report's file name/);
  assert.doesNotMatch(isDir.stderr, /EISDIR|\n\s+at /);
  // and a directory as the input (a parts directory): which command makes the file it reads
  const fromDir = wflo(["report", join(dir, "reports"), "--out", join(dir, "p.html")]);
  assert.equal(fromDir.status, 2);
  assert.match(fromDir.stderr, /reports: is a directory; a report reads one output file \(a parts directory: wflo merge .* --out <file\.h5> first\)/);
  assert.doesNotMatch(fromDir.stderr, /try wflo recover/);
  // the spec given where the output goes: not HDF5 at all, which recover cannot mend
  const specJson = join(dir, "spec.json");
  writeFileSync(specJson, "{}");
  const fromSpec = wflo(["report", specJson, "--out", join(dir, "s.html")]);
  assert.equal(fromSpec.status, 2);
  assert.match(fromSpec.stderr, /spec\.json: cannot report on it: not-hdf5 .*it is not an HDF5 file: a report reads a run's output \(\.h5\)/);
  assert.doesNotMatch(fromSpec.stderr, /recover/);
  // a cut output: recover is the advice, with the command
  const cut = join(dir, "cut.h5");
  writeFileSync(cut, readFileSync(h5).subarray(0, 3000));
  const fromCut = wflo(["report", cut, "--out", join(dir, "c.html")]);
  assert.equal(fromCut.status, 2);
  assert.match(fromCut.stderr, /try wflo recover .*cut\.h5 --out <recovered\.h5>, then report on that/);

  const notes = join(dir, "notes.html");
  writeFileSync(notes, "<html>my notes</html>");
  const foreign = wflo(["report", h5, "--out", notes]);
  assert.equal(foreign.status, 2);
  assert.match(foreign.stderr, /notes\.html exists and is a file that is not a wflo report/);
  assert.equal(readFileSync(notes, "utf8"), "<html>my notes</html>");

  const report = join(dir, "r.html");
  assert.equal(wflo(["report", h5, "--out", report]).status, 0);
  const again = wflo(["report", h5, "--out", report]);
  assert.equal(again.status, 0, "an earlier wflo report is replaced: rerunning is fine");
});

test("wflo run --report naming the output itself is refused before any work", { timeout: 120_000 }, (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 1 })));
  const out = join(dir, "r.h5");
  const r = wflo(["run", spec, "--out", out, "--report", out]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out .*r\.h5 is the HDF5 file the report is made from/);
  assert.ok(!existsSync(out) && !existsSync(`${out}.parts`), "nothing ran, nothing written");
});

test("a report into a folder that does not exist yet is written there, by wflo report and by wflo run --report", { timeout: 120_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const h5 = join(dir, "x.h5");
  await commitResult(h5, record(1));
  await mergeParts(h5);
  const nested = join(dir, "reports", "2026", "x.html");
  const r = wflo(["report", h5, "--out", nested]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(nested, "utf8"), /^<!DOCTYPE html>/i);

  // Before: the batch ran, then the report failed with ENOENT on its temp file.
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 1 })));
  const out = join(dir, "r.h5");
  const later = join(dir, "new-folder", "r.html");
  const run = wflo(["run", spec, "--out", out, "--report", later]);
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /ENOENT/);
  assert.ok(existsSync(later));
});
