// The public surface (src/index.ts) lists what users call; internals stay in wflo/internal.
// Checked from the paths users walk: every wflo.X the notebooks and docs call exists.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as wflo from "../src/index.js";
import * as internal from "../src/internal.js";

const root = resolve(import.meta.dirname, "..");

test("internals are not exported from wflo, only from wflo/internal", () => {
  for (const name of ["lookup3", "parseSuperblock", "WorkerPool", "faultsEnabled", "acquireLock", "sweepLeakedStreams", "ProgressTracker", "writeFileAtomically"]) {
    assert.ok(!(name in wflo), `${name} is exported from wflo`);
    assert.ok(name in internal, `${name} is missing from wflo/internal`);
  }
  const n = Object.keys(wflo).length;
  assert.ok(n < Object.keys(internal).length / 2, `wflo exports ${n} values: curate, do not re-export areas whole`);
});

test("what the notebooks and docs call on wflo and nb exists", () => {
  const texts = [
    ...readdirSync(join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).map((f) => readFileSync(join(root, "notebooks", f), "utf8")),
    ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => readFileSync(join(root, "docs", f), "utf8")),
    readFileSync(join(root, "README.md"), "utf8"),
  ].join("\n");
  const called = new Set([...texts.matchAll(/\bwflo\.([A-Za-z_]\w*)\s*[(.[]/g)].map((m) => m[1]));
  assert.ok(called.size >= 10, `found only ${called.size} wflo.X calls`);
  for (const name of called) {
    if (/^[A-Z][a-z]\w*$/.test(name)) continue; // a type (wflo.SpacingSeries[]): not a runtime value
    assert.ok(name in wflo, `wflo.${name} is used in the notebooks or docs but not exported`);
  }
  const nbCalls = new Set([...texts.matchAll(/\bnb\.([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]));
  for (const name of nbCalls) assert.ok(name in wflo.notebook, `nb.${name} is used but wflo.notebook lacks it`);
  // Names imported from "wflo" in code examples.
  for (const m of texts.matchAll(/import\s*\{([^}]*)\}\s*from\s*"wflo"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim().replace(/^type\s+/, "").replace(/\s+as\s+\w+$/, "")).filter(Boolean)) {
      if (/^[A-Z]\w*$/.test(name) && !(name in wflo)) continue; // a type: not a runtime value
      assert.ok(name in wflo, `import { ${name} } from "wflo" in the docs, but wflo does not export it`);
    }
  }
});

test("a model is one line: literature presets and the notebook namespace", () => {
  assert.equal(typeof wflo.literature.iea37CaseStudy1, "function");
  assert.equal(wflo.iea37CaseStudy1().deficit.kind, "IEA37SimpleBastankhahGaussian");
  assert.equal(typeof wflo.notebook.runBatch, "function");
});
