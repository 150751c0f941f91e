// `wflo merge` reads part files only; other .h5 files in the directory (a Python tool's worker
// files, a copied output) are named on stderr, left as they were, and make the exit 1 — not a
// silent "nothing new" with exit 0 — and the message points to `wflo recover`, which reads them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { smallSpec, tempDir, wfloCli as wflo } from "../batch/helpers.js";

test("merge names .h5 files that are not parts, leaves them, exits 1 and points to recover", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 1 })));
  const first = join(dir, "first.h5");
  const r = wflo(["run", spec, "--out", first, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const workers = join(dir, "workers");
  mkdirSync(workers);
  const foreign = join(workers, "worker_0.h5");
  copyFileSync(first, foreign);
  const bytes = readFileSync(foreign);
  const out = join(dir, "all.h5");

  const m = wflo(["merge", workers, "--out", out]);
  assert.equal(m.status, 1, m.stderr);
  assert.match(m.stderr, /an \.h5 file in .*workers is not a part \(farm\{f\}_t\{t\}_s\{s\}\.h5\), not merged: .*worker_0\.h5/);
  assert.match(m.stderr, /wflo recover .*workers --out <file\.h5>/);
  assert.ok(readFileSync(foreign).equals(bytes), "the foreign file is untouched");
  const j = wflo(["merge", workers, "--out", out, "--json"]);
  assert.equal(j.status, 1, j.stderr);
  assert.deepEqual(JSON.parse(j.stdout).not_parts, [foreign]);

  // What the message says to do gathers both results.
  const rec = wflo(["recover", workers, "--out", out, "--json"]);
  assert.equal(rec.status, 0, rec.stderr);
  assert.ok(existsSync(out));
  const v = wflo(["validate", out, "--json"]);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(JSON.parse(v.stdout).results, 2);

  // Output files named where the parts directory goes (two runs to be combined): the message
  // gives the recover command for those very files, which then combines them.
  const both = join(dir, "both.h5");
  const f = wflo(["merge", first, foreign, "--out", both]);
  assert.equal(f.status, 2, f.stderr);
  assert.match(f.stderr, /first\.h5, .*worker_0\.h5: are files; wflo merge folds a run's parts directory .*use wflo recover .*first\.h5 .*worker_0\.h5 --out <all\.h5>/);
  assert.equal(existsSync(both), false);
  assert.equal(wflo(["recover", first, foreign, "--out", both]).status, 0);
  assert.equal(JSON.parse(wflo(["validate", both, "--json"]).stdout).results, 2);
});

test("merge of a run's own parts directory with nothing foreign in it exits 0", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 1 })));
  const out = join(dir, "o.h5");
  assert.equal(wflo(["run", spec, "--out", out]).status, 0);
  mkdirSync(`${out}.parts`, { recursive: true });
  const m = wflo(["merge", `${out}.parts`, "--out", out]);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(m.stderr, "");
});
