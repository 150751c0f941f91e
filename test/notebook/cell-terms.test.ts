// Inside a cell, the library's advice speaks the cell helpers' options, not the CLI's
// flags: a held lock says { breakStaleLock: true }, a damaged output says nb.recover(…).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notebook as nb } from "../../src/notebook/index.js";
import { LockError } from "../../src/store/lock.js";
import { InputError } from "../../src/errors.js";

test("CLI hints become cell options", () => {
  assert.equal(nb.inCellTerms("lock x is unreadable (3 bytes); if no wflo run uses it, rerun with --break-lock"),
    "lock x is unreadable (3 bytes); if no wflo run uses it, run the cell again with the option { breakStaleLock: true }");
  assert.match(nb.inCellTerms("if that run is gone, rerun with --break-lock --force"), /run the cell again with the option \{ breakStaleLock: true, forceLock: true \}$/);
  assert.equal(nb.inCellTerms("nothing was run. Salvage it with: wflo recover /d/out.h5 --out <new.h5>"),
    'nothing was run. Salvage it with: await nb.recover("/d/out.h5", "<new.h5>")');
  assert.doesNotMatch(nb.inCellTerms("parts kept; they are merged by the next run or wflo merge"), /wflo merge/);
  assert.equal(nb.inCellTerms("no CLI words here"), "no CLI words here");
});

test("nb.runBatch on an output whose lock is unreadable: the error names the cell option, and stays a LockError", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-cellterms-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "run.h5");
  mkdirSync(`${out}.parts`);
  writeFileSync(join(`${out}.parts`, "writer.lock"), "{{");
  const spec = {
    site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_3.35MW"],
    farms: [{ boundary: { circle: { center: [0, 0], radius: 500 } }, n_turbines: 3, min_spacing_D: 2 }], seeds: 1, grid_size: 6, random_pct: 0,
  };
  await assert.rejects(nb.runBatch(spec, { out, workers: 1 }), (e: unknown) => {
    assert.ok(e instanceof LockError, String(e));
    assert.match((e as Error).message, /run the cell again with the option \{ breakStaleLock: true \}/);
    assert.doesNotMatch((e as Error).message, /--break-lock/);
    return true;
  });
});

test("CLI flags of recover and of a changed spec become cell options", () => {
  assert.equal(nb.inCellTerms("r.h5: already exists; give it as an input too to fold its results in, or --force to replace it (its old content is kept in quarantine)"),
    "r.h5: already exists; give it as an input too to fold its results in, or run the cell again with the option { force: true } to replace it (its old content is kept in quarantine)");
  assert.match(nb.inCellTerms("Only the seeds may change between runs on one output; write this batch to a new output (--out other.h5)."),
    /new output \(nb\.runBatch\(spec, \{ out: "other\.h5" \}\)\)\.$/);
});

// The recover cell of notebooks/02-recovery run a second time: without `force` the error
// speaks the cell's option (and stays an InputError); with it the output is replaced and
// the first run's copy kept in quarantine.
test("nb.recover run twice on one output: the cell's words, then { force: true } replaces it", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-cellterms-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = join(dir, "run.h5");
  const spec = {
    site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_3.35MW"],
    farms: [{ boundary: { circle: { center: [0, 0], radius: 500 } }, n_turbines: 3, min_spacing_D: 2 }], seeds: 2, grid_size: 6, random_pct: 0,
  };
  await nb.runBatch(spec, { out: run, workers: 1 });
  const out = join(dir, "rec.h5");
  const first = await nb.recover([run], out);
  assert.equal(first.recovered, 2);
  await assert.rejects(nb.recover([run], out), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match((e as Error).message, /run the cell again with the option \{ force: true \} to replace it/);
    assert.doesNotMatch((e as Error).message, /--force/);
    return true;
  });
  const again = await nb.recover([run], out, { force: true });
  assert.equal(again.recovered, 2);
  assert.ok(again.previousOutKeptAs && existsSync(again.previousOutKeptAs), `the first run's output kept in quarantine: ${again.previousOutKeptAs}`);
  const checked = await nb.validate(out);
  assert.equal(checked.results, 2);
  // a changed spec on the same output: the advice names runBatch's out
  await assert.rejects(nb.runBatch({ ...spec, grid_size: 7 }, { out: run, workers: 1 }), /nb\.runBatch\(spec, \{ out: "other\.h5" \}\)/);
});

// A kernel killed before its batch's first merge leaves the results in <out>.parts and no
// <out>: nb.validate and nb.results say so, and that the same cell resumes.
test("an output not merged yet: nb.validate and nb.results name the nb.runBatch cell", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-cellterms-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "run.h5");
  mkdirSync(`${out}.parts`);
  const checked = await nb.validate(out);
  assert.equal(checked.results, 0);
  const errors = checked.files.flatMap((f) => f.errors).join("\n");
  assert.match(errors, /still in .*run\.h5\.parts .*the same nb\.runBatch cell again, or in a terminal wflo merge/);
  assert.doesNotMatch(errors, /wflo run command/);
  await assert.rejects(nb.results(out), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match((e as Error).message, /the same nb\.runBatch cell again/);
    return true;
  });
});
