// A kernel restarted in the middle of notebook.runBatch (Jupyter's "Restart kernel": the
// kernel process is killed outright, its workers and its writer lock with it): running the
// same cells again in the new kernel resumes the batch with no option — the dead kernel's
// lock is judged stale (its pid no longer runs on this host) and broken — and only the
// missing configurations run. Driven through jupyter_client (kernel_client.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuilt, notebookTestSkip } from "../../scripts/notebook-env.mjs";
import { runKernelSteps } from "./kernelSteps.js";

const skip = notebookTestSkip({ chromium: false });

const SEEDS = 10;
// The setup cell as a notebook keeps it: no `clean`, so "Restart & Run All" resumes.
const setup = `import { notebook as nb } from "../dist/index.js";
const spec = {
  site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_3.35MW"],
  farms: [{ boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 16, min_spacing_m: 260 }],
  seeds: ${SEEDS}, grid_size: 18, random_pct: 30, optimizer: { hops: 2 },
};
const dir = nb.workDir("restart");`;
const run = `const summary = await nb.runBatch(spec, { out: dir + "/run.h5", workers: 2 });
console.log(JSON.stringify({ done: summary.done, skipped: summary.skipped, cancelled: summary.cancelled, results: summary.outputResults }));`;

test("a kernel restarted mid-runBatch: the same cells in the new kernel resume it, no option needed", { skip, timeout: 240_000 }, async (t) => {
  ensureBuilt({ quiet: true });
  const work = mkdtempSync(join(tmpdir(), "wflo-restart-"));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const steps = [
    { code: setup, timeout: 60 },
    // Restart once a result is in (the progress display counts "running: k/10" with k ≥ 1).
    { code: run, timeout: 120, restart_when: `running: [1-9]/${SEEDS}` },
    { code: setup, timeout: 60, delay: 1 },
    { code: run, timeout: 150 },
    { code: `const report = await nb.validate(dir + "/run.h5");\nconsole.log(JSON.stringify({ ok: report.ok, results: report.results }));`, timeout: 60 },
  ];
  const res = await runKernelSteps(work, steps, 220);
  const [s0, killed, s2, resumed, validated] = res.steps;
  assert.equal(s0.status, "ok", s0.stderr);
  assert.equal(killed.status, "restarted", `never restarted: ${JSON.stringify(killed)}`);
  assert.equal(s2.status, "ok", s2.stderr);
  assert.equal(resumed.status, "ok", `${resumed.stderr}\n${resumed.stdout}\n${JSON.stringify(resumed.displays)}`);
  const r = JSON.parse(resumed.stdout.trim().split("\n").at(-1)!) as { done: number; skipped: number; cancelled: boolean; results: number };
  assert.equal(r.cancelled, false);
  assert.equal(r.results, SEEDS, "every configuration stored once");
  assert.equal(r.done + r.skipped, SEEDS);
  assert.ok(r.skipped >= 1, `the result committed before the restart is kept (skipped ${r.skipped})`);
  assert.equal(validated.status, "ok", validated.stderr);
  assert.deepEqual(JSON.parse(validated.stdout.trim().split("\n").at(-1)!), { ok: true, results: SEEDS });
  assert.ok(res.alive);
  t.diagnostic(`restarted after ${killed.restarted_at_s} s; resumed in ${resumed.elapsed_s} s: ${r.skipped} kept, ${r.done} run` +
    `${/stale|broke/i.test(resumed.stderr + resumed.stdout) ? "; the dead kernel's lock was broken with a line" : ""}`);
});
