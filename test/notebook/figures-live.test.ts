// Figures that survive what users do to notebooks, on a real Jupyter Notebook 6 server
// driven by Chromium (scripts/notebook-figures-live.mjs): a notebook of 10 figures is run,
// its plotly.js-carrying cell rerun, Run All twice, saved (exactly one plotly.js carrier
// left, in the first figure output), reopened, reopened after plotly.js was taken out of
// the file (the kernelspec's copy is used, the next save restores one), exported through the server and opened
// offline, and executed by nbconvert and opened untrusted (static images and the hint).
// A cell showing four figures stays unfolded (no Notebook 6 scroll box) throughout.
// And a kernel restarted mid-runBatch: the display says it stopped, the rerun resumes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { notebookTestSkip } from "../../scripts/notebook-env.mjs";
import { FIGURES, figuresLiveCheck } from "../../scripts/notebook-figures-live.mjs";

const skip = notebookTestSkip();

test("10 figures draw after run, rerun, Run All twice, save, reopen, offline export; untrusted shows static images", { skip, timeout: 240_000 }, async (t) => {
  const lines: string[] = [];
  const r = await figuresLiveCheck({ batch: false, log: (l: string) => lines.push(l) });
  t.diagnostic(lines.join("\n"));
  t.diagnostic(`measured: ${JSON.stringify(r.measured)}`);
  const byName = Object.fromEntries(r.steps.map((s) => [s.name, s]));
  for (const name of ["run all", "rerun the carrier cell", "Run All twice", "reopen", "reopen without plotly.js in the notebook", "export opened offline"]) {
    assert.equal(byName[name].drawn, FIGURES, name);
  }
  assert.equal(byName["untrusted (nbconvert --execute)"].staticShown, FIGURES);
  assert.equal(byName["untrusted (nbconvert --execute)"].drawn, 0);
  for (const name of ["run all", "Run All twice", "reopen"]) assert.equal(byName[name].scrollBoxes, 0, `${name}: a figure output folded into a scroll box`);
  // In the live notebook plotly.js comes from the kernelspec's URL (cacheable, so the
  // browser keeps its compiled code across page loads), not from the carrier's blob.
  assert.deepEqual([r.measured.livePlotlyVia, r.measured.reopenPlotlyVia, r.measured.reopen2PlotlyVia], ["kernelspec", "kernelspec", "kernelspec"]);
  // One compressed plotly.js (2.0 MB) plus ten figures with their static SVGs.
  assert.ok(r.measured.savedBytes < 3_500_000, `saved notebook ${r.measured.savedBytes} bytes`);
});

test("a kernel restarted mid-runBatch in the browser: the display says so, the same cells resume and finish", { skip, timeout: 240_000 }, async (t) => {
  const lines: string[] = [];
  const r = await figuresLiveCheck({ figures: false, log: (l: string) => lines.push(l) });
  t.diagnostic(lines.join("\n"));
  assert.equal(r.measured.batchResume.ok, true);
  assert.ok(r.measured.batchResume.skipped >= 1, "results committed before the restart are kept");
});
