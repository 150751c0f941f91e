// Every notebook in notebooks/ runs headless in the wflo kernel (nbclient, per-cell and
// outer timeouts), exports to HTML, and draws every figure in Debian's Chromium with no
// cell in error: scripts/run-notebooks.mjs does it all; this hooks it into `npm test`.
// Needs Debian's Jupyter and Chromium (scripts/setup-system.sh): skipped without them on
// a developer machine, never in CI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notebookTestSkip, repoRoot } from "../../scripts/notebook-env.mjs";

const skip = notebookTestSkip();

test("every notebook executes headless, exports to HTML and draws all its figures in Chromium", { skip, timeout: 600_000 }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), "wflo-nbtest-"));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const child = spawn(process.execPath, [join(repoRoot, "scripts", "run-notebooks.mjs"), "--out", out, "--cell-timeout", "240", "--timeout", "540"], {
    cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  // The runner prints a failing cell's source and stderr: show them with the failure.
  assert.equal(code, 0, `scripts/run-notebooks.mjs failed:\n${log}`);
  const notebooks = readdirSync(join(repoRoot, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  assert.ok(notebooks.length >= 1);
  for (const nb of notebooks) {
    const name = nb.replace(/\.ipynb$/, "");
    assert.match(log, new RegExp(`ok ${name}\\.html in Chromium: \\d+ figures drew`), `${name} was checked in Chromium`);
    const html = readFileSync(join(out, `${name}.html`), "utf8");
    assert.doesNotMatch(html, /<script[^>]+src="https?:/, `${name}.html loads no script from the network`);
    assert.equal(html.match(/<script type="application\/x-wflo-plotly"/g)?.length ?? 0, 1, `${name}.html embeds plotly.js exactly once`);
  }
  const timing = log.split("\n").find((l) => l.startsWith("RESULT "));
  t.diagnostic(`timings: ${timing?.slice(7)}`);
});
