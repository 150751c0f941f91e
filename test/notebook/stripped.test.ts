// The notebooks in git carry no outputs: a run's outputs (plotly.js, figures, timings,
// paths of the machine that ran it) would make every save a multi-megabyte diff. Clear
// them with Cell › All Output › Clear (or `jupyter nbconvert --clear-output --inplace`)
// before committing; this test is the CI check that it was done.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../scripts/notebook-env.mjs";

test("notebooks/*.ipynb are committed without outputs and import \"wflo\" by name", () => {
  const dir = join(repoRoot, "notebooks");
  const files = readdirSync(dir).filter((f) => f.endsWith(".ipynb"));
  assert.ok(files.length >= 3);
  for (const f of files) {
    const nb = JSON.parse(readFileSync(join(dir, f), "utf8")) as { cells: { cell_type: string; source: string | string[]; outputs?: unknown[]; execution_count?: number | null }[]; metadata: { kernelspec?: { name: string } } };
    assert.equal(nb.metadata.kernelspec?.name, "wflo", `${f}: the wflo kernel`);
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type !== "code") continue;
      assert.deepEqual(c.outputs, [], `${f} cell ${i} has outputs: clear them before committing`);
      assert.equal(c.execution_count ?? null, null, `${f} cell ${i} has an execution count`);
      const src = [c.source].flat().join("");
      assert.doesNotMatch(src, /from "\.\.\/dist/, `${f} cell ${i} imports ../dist: import "wflo"`);
    }
  }
  const ignored = readFileSync(join(repoRoot, ".gitignore"), "utf8");
  assert.match(ignored, /^\.ipynb_checkpoints\/$/m, ".ipynb_checkpoints/ is ignored");
});
