// The notebooks in git are source only: no outputs, no execution counts, no trust
// signature (a run adds megabytes and changes on every run). `.ipynb_checkpoints/`, which
// Jupyter writes next to every opened notebook, is ignored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { repoRoot } from "../../scripts/notebook-env.mjs";
import { executionLeftovers, notebookFiles, strip } from "../../scripts/strip-notebooks.mjs";

test("committed notebooks/*.ipynb carry no outputs (fix: node scripts/strip-notebooks.mjs)", () => {
  const files = notebookFiles();
  assert.ok(files.length >= 3, `${files.length} notebooks`);
  for (const f of files) {
    const found = executionLeftovers(JSON.parse(readFileSync(f, "utf8")));
    assert.deepEqual(found, [], `${basename(f)} carries what a run adds: run \`node scripts/strip-notebooks.mjs\``);
  }
});

test("the check finds outputs, counts and signatures, and strip removes exactly those", () => {
  const nb = {
    metadata: { kernelspec: { name: "wflo" }, signature: "sha256:0" },
    cells: [
      { cell_type: "markdown", source: "x", metadata: {} },
      { cell_type: "code", source: "show(f)", execution_count: 3, metadata: { scrolled: true, tags: ["keep"] }, outputs: [{ output_type: "display_data", data: {} }] },
      { cell_type: "code", source: "1", execution_count: null, metadata: {}, outputs: [] },
    ],
  };
  assert.deepEqual(executionLeftovers(nb), ["cell 1: 1 output", "cell 1: execution_count 3", "cell 1: metadata.scrolled", "metadata.signature"]);
  const s = strip(structuredClone(nb));
  assert.deepEqual(executionLeftovers(s), []);
  assert.deepEqual(s.cells[1], { cell_type: "code", source: "show(f)", execution_count: null, metadata: { tags: ["keep"] }, outputs: [] });
  assert.deepEqual(s.metadata, { kernelspec: { name: "wflo" } });
});

test(".ipynb_checkpoints/ is ignored by git", () => {
  const lines = readFileSync(join(repoRoot, ".gitignore"), "utf8").split("\n").map((l) => l.trim());
  assert.ok(lines.includes(".ipynb_checkpoints/") || lines.includes(".ipynb_checkpoints"), ".gitignore names .ipynb_checkpoints/");
});

test("notebooks/*.ipynb run in the wflo kernel and import \"wflo\" by name, not ../dist", () => {
  for (const f of notebookFiles()) {
    const nb = JSON.parse(readFileSync(f, "utf8")) as { cells: { cell_type: string; source: string | string[] }[]; metadata: { kernelspec?: { name: string } } };
    assert.equal(nb.metadata.kernelspec?.name, "wflo", `${basename(f)}: the wflo kernel`);
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type === "code") assert.doesNotMatch([c.source].flat().join(""), /from "\.\.\/dist/, `${basename(f)} cell ${i} imports ../dist: import "wflo"`);
    }
  }
});

test("01-quickstart keeps its batch output between runs: Restart & Run All resumes, it does not delete", () => {
  const f = notebookFiles().find((p) => basename(p).startsWith("01-"));
  assert.ok(f);
  const src = (JSON.parse(readFileSync(f, "utf8")) as { cells: { source: string | string[] }[] }).cells.map((c) => [c.source].flat().join("")).join("\n");
  assert.match(src, /nb\.runBatch\(/);
  assert.doesNotMatch(src, /workDir\([^)]*clean: true/, "the batch's folder is not emptied by running the notebook");
});
