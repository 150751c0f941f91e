// A kernel interrupt during notebook.runBatch: the batch stops cleanly (configurations in
// flight finish and are committed), the display ends in "cancelled", the kernel lives on,
// and running the cell again resumes: only the missing configurations run. Driven through
// jupyter_client (kernel_client.py), which can interrupt a cell while it runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuilt, notebookTestSkip } from "../../scripts/notebook-env.mjs";
import { runKernelSteps } from "./kernelSteps.js";

const skip = notebookTestSkip({ chromium: false });

const SEEDS = 10;
const setup = `import { notebook as nb } from "../dist/index.js";
const spec = {
  site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_3.35MW"],
  farms: [{ boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 16, min_spacing_m: 260 }],
  seeds: ${SEEDS}, grid_size: 18, random_pct: 30, optimizer: { hops: 2 },
};
const dir = nb.workDir("interrupt", { clean: true });`;
const run = `const summary = await nb.runBatch(spec, { out: dir + "/run.h5", workers: 2 });
console.log(JSON.stringify({ done: summary.done, skipped: summary.skipped, cancelled: summary.cancelled, results: summary.outputResults }));`;

test("a kernel interrupt stops runBatch cleanly and a re-run resumes it", { skip, timeout: 240_000 }, async (t) => {
  ensureBuilt({ quiet: true });
  const work = mkdtempSync(join(tmpdir(), "wflo-interrupt-"));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const steps = [
    { code: setup, timeout: 60 },
    // Interrupt once the first result is in (the display counts "running: k/10" with k ≥ 1).
    { code: run, timeout: 120, interrupt_when: `running: [1-9]/${SEEDS}`, linger: 30, linger_until: "run the cell again to resume$" },
    { code: run, timeout: 120, delay: 1 },
    { code: `const report = await nb.validate(dir + "/run.h5");\nconsole.log(JSON.stringify({ ok: report.ok, results: report.results }));`, timeout: 60 },
  ];
  const res = await runKernelSteps(work, steps, 200);
  const [s0, interrupted, resumed, validated] = res.steps;
  assert.equal(s0.status, "ok", s0.stderr);

  // The interrupted cell ends at once (tslab), the batch winds down behind it.
  assert.notEqual(interrupted.interrupted_at_s, null, `never interrupted: ${JSON.stringify(interrupted)}`);
  assert.equal(interrupted.status, "error");
  // A clean stop is not an error trace: no red "Error: Interrupted asynchronously" (#13.5).
  assert.doesNotMatch(interrupted.stderr, /Interrupted asynchronously/, `stderr: ${interrupted.stderr}`);
  assert.match(interrupted.stdout, /^interrupted \(the cell's display says what was kept; run the cell again to resume\)$/m);
  const progress = Object.values(interrupted.displays)[0];
  const m = /^cancelled: (\d+)\/10 .*\nstopped by a kernel interrupt: (\d+) stored, (\d+) to go; run the cell again to resume$/s.exec(progress);
  assert.ok(m, `final progress state: ${progress}`);
  const stored = Number(m[2]);
  assert.ok(stored >= 1 && stored < SEEDS, `${stored} stored before the stop`);
  assert.equal(stored + Number(m[3]), SEEDS);
  assert.match(Object.values(interrupted.html)[0], /data-phase="cancelled"/);

  // Same kernel, same cell again: only what was missing runs.
  assert.equal(resumed.status, "ok", resumed.stderr);
  assert.deepEqual(JSON.parse(resumed.stdout), { done: SEEDS - stored, skipped: stored, cancelled: false, results: SEEDS });
  const final = Object.values(resumed.displays).find((d) => d.startsWith("finished:"));
  assert.ok(final, `no finished progress display: ${JSON.stringify(resumed.displays)}`);
  assert.match(final, new RegExp(`^finished: ${SEEDS}/${SEEDS} \\(100 %\\) · ${SEEDS - stored} ok · ${stored} already stored`));
  assert.ok(Object.values(resumed.displays).some((d) => /Batch summary[\s\S]*state\s+finished/.test(d)), "a summary table follows");

  assert.equal(validated.status, "ok", validated.stderr);
  assert.deepEqual(JSON.parse(validated.stdout.trim().split("\n").at(-1)!), { ok: true, results: SEEDS });
  assert.ok(res.alive, "the kernel survived the interrupt");
  t.diagnostic(`kernel start ${res.startup_s} s; interrupted after ${interrupted.interrupted_at_s} s with ${stored} stored; resume ${resumed.elapsed_s} s`);
});
