// A user runs a cell, edits nothing, and runs it again (Shift-Enter twice, or "Run All" after
// a look): every code cell of every notebook in notebooks/, each run twice in a row in one
// kernel, must end "ok" both times with nothing on stderr. (notebooks/02-recovery's recover
// cell refused its own output the second time until its cell passed { force: true }.)
// Driven through jupyter_client (kernel_client.py), one fresh kernel per notebook.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuilt, notebookTestSkip, repoRoot } from "../../scripts/notebook-env.mjs";
import { runKernelSteps } from "./kernelSteps.js";

const skip = notebookTestSkip({ chromium: false });
const notebooksDir = join(repoRoot, "notebooks");

for (const file of readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort()) {
  test(`${file}: every code cell run twice in a row`, { skip, timeout: 600_000 }, async (t) => {
    ensureBuilt({ quiet: true });
    const work = mkdtempSync(join(tmpdir(), "wflo-twice-"));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    const nb = JSON.parse(readFileSync(join(notebooksDir, file), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
    const cells = nb.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
    assert.ok(cells.length >= 1);
    // tslab drops requests within 200 ms of a failed cell: the delay keeps a failure from hiding the next step's
    const steps = cells.flatMap((code) => [{ code, timeout: 240, delay: 0.3 }, { code, timeout: 240, delay: 0.3 }]);
    const res = await runKernelSteps(work, steps, 580, join(notebooksDir, "data"));
    res.steps.forEach((s, k) => {
      const where = `${file} cell ${Math.floor(k / 2) + 1} of ${cells.length}, ${k % 2 === 0 ? "first" : "second"} run`;
      assert.equal(s.status, "ok", `${where}: ${s.status}\n${s.stderr}\n${cells[Math.floor(k / 2)]}`);
      assert.equal(s.stderr, "", `${where} wrote to stderr:\n${s.stderr}`);
    });
    assert.equal(res.alive, true);
  });
}
