// The notebook runner fails, and says why, when a cell throws, hangs, or writes to
// stderr: the checks in notebooks.test.ts could not fail otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notebookTestSkip, repoRoot } from "../../scripts/notebook-env.mjs";

const skip = notebookTestSkip();

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((src, i) => ({ cell_type: "code", id: `c${i}`, execution_count: null, metadata: {}, outputs: [], source: src })),
    metadata: { kernelspec: { display_name: "wflo", language: "typescript", name: "wflo" } },
    nbformat: 4, nbformat_minor: 5,
  });
}

async function runner(cells: string[], extra: string[] = []): Promise<{ code: number | null; log: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), "wflo-runner-"));
  try {
    writeFileSync(join(dir, "bad.ipynb"), notebook(cells));
    const t0 = Date.now();
    const child = spawn(process.execPath, [join(repoRoot, "scripts", "run-notebooks.mjs"), "--dir", dir, "--out", join(dir, "out"), ...extra], {
      cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    return { code, log, ms: Date.now() - t0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a cell that throws fails the run, and the runner prints the cell and its stderr", { skip, timeout: 120_000 }, async () => {
  const r = await runner(['console.log("fine");', 'const n: number = 7;\nthrow new Error("boom-" + n);', 'console.log("never");']);
  assert.equal(r.code, 1, r.log);
  assert.match(r.log, /FAILED bad: cell 1: CellExecutionError/);
  assert.match(r.log, /--- cell 1 ---\nconst n: number = 7;\nthrow new Error\("boom-" \+ n\);/);
  assert.match(r.log, /\[stderr\] .*Error: boom-7/s, "tslab's stack trace, which nbclient's message lacks");
  assert.doesNotMatch(r.log, /never/);
  assert.doesNotMatch(r.log, /in Chromium/, "no browser check after a failed execution");
});

test("a cell over the per-cell timeout fails the run without waiting for it", { skip, timeout: 120_000 }, async () => {
  const r = await runner(["await new Promise((resolve) => setTimeout(resolve, 120000));"], ["--cell-timeout", "3"]);
  assert.equal(r.code, 1, r.log);
  assert.match(r.log, /FAILED bad: cell 0: CellTimeoutError/);
  assert.ok(r.ms < 60_000, `took ${r.ms} ms`);
});

test("a cell that writes to stderr fails the run: notebooks must run clean", { skip, timeout: 120_000 }, async () => {
  const r = await runner(['console.error("a warning nobody reads");']);
  assert.equal(r.code, 1, r.log);
  assert.match(r.log, /FAILED bad: cell 0: wrote to stderr/);
  assert.match(r.log, /\[stderr\] a warning nobody reads/);
});
