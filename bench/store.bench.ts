/**
 * Store speed: commit time per result, merge time per 1,000 results (fresh, appended to
 * a larger output, full rewrite), validate time per 1,000 results (one output; 1,000
 * part files). Results have 16 turbines (IEA37-16 sized).
 *
 * Baselines measured in the same run:
 *  - commit vs the unsafe way (every group into one open file, no fsync: the Python
 *    tool's way, which a SIGKILL destroys whole) — the price of crash safety;
 *  - validate vs a bare h5wasm read of the same groups (no checksum, no worker).
 * DESIGN.md's budget: ≈ 5 ms a commit. Shared 2-core machine: numbers are noisy.
 */
import { mkdtempSync, rmSync, openSync, fsyncSync, closeSync, writeFileSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  commitResult, h5, mergeParts, partsDir, validate, withFile, writeResultGroup, type H5Group, type ResultRecord,
} from "../src/store/index.js";
import { compactHistory, STORED_HISTORY_POINTS } from "../src/batch/history.js";

function rec(s: number, n = 16): ResultRecord {
  const layout = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) layout[i] = Math.sin(s * 7.1 + i) * 1300;
  const per = new Float64Array(n).map((_, i) => 20 + Math.cos(s + i));
  return {
    key: `farm${s % 3}_t${s % 2}_s${s}`, layout, aepGWh: per.reduce((a, b) => a + b, 0), aepPerTurbineGWh: per,
    attrs: { wake_model: "BastankhahGaussian", aep_initial: 300, iterations: 40, elapsed_s: 2.5, min_spacing_m: 260, turbine: "IEA37 3.35MW" },
  };
}

const ms = (t: number) => `${t.toFixed(1)} ms`;
const dir = mkdtempSync(join(tmpdir(), "wflo-bench-store-"));
try {
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} (2 cores shared)`);
  const lib = await h5();

  // --- commit
  const N = 300;
  const out = join(dir, "layouts.h5");
  await commitResult(out, rec(1_000_000)); // warm-up (h5wasm, parts dir)
  let t = performance.now();
  for (let s = 0; s < N; s++) await commitResult(out, rec(s));
  const commitMs = (performance.now() - t) / N;
  t = performance.now();
  const unsafe = new lib.File(join(dir, "unsafe.h5"), "w");
  for (let s = 0; s < N; s++) writeResultGroup(unsafe, rec(s));
  unsafe.close();
  const unsafeMs = (performance.now() - t) / N;
  t = performance.now();
  for (let i = 0; i < 100; i++) {
    writeFileSync(join(dir, "f"), "x");
    const fd = openSync(join(dir, "f"), "r+"); fsyncSync(fd); closeSync(fd);
  }
  const fsyncMs = (performance.now() - t) / 100;
  console.log(`commit: ${ms(commitMs)} a result (${N} results) — unsafe one-file write ${ms(unsafeMs)}, ratio ${(commitMs / unsafeMs).toFixed(1)}×; one fsync here ${ms(fsyncMs)}; budget ≈ 5 ms`);

  // --- merge: 1,000 parts into a fresh output, then 1,000 more appended to it, then 1,000 onto 4,000
  const m = join(dir, "merge.h5");
  const commitMany = async (from: number, count: number) => { for (let s = from; s < from + count; s++) await commitResult(m, rec(s)); };
  await commitMany(0, 1000);
  t = performance.now();
  const m1 = await mergeParts(m);
  const fresh = performance.now() - t;
  await commitMany(1000, 1000);
  t = performance.now();
  const m2 = await mergeParts(m);
  const append2k = performance.now() - t;
  await commitMany(2000, 2000);
  await mergeParts(m);
  await commitMany(4000, 1000);
  t = performance.now();
  const m3 = await mergeParts(m);
  const append5k = performance.now() - t;
  await commitMany(5000, 1);
  t = performance.now();
  const m4 = await mergeParts(m, { rewrite: true });
  const rewrite = performance.now() - t;
  console.log(`merge of 1,000 parts: into a new output ${ms(fresh)} (${m1.mode}); appended to 1,000 ${ms(append2k)} (${m2.mode}); appended to 4,000 ${ms(append5k)} (${m3.mode}); ` +
    `full rewrite of ${m4.results} ${ms(rewrite)} = ${ms(rewrite / m4.results * 1000)} per 1,000 (each includes a worker start)`);
  console.log(`  periodic merges stay linear in the new parts: 1,000 onto 4,000 / 1,000 onto 1,000 = ${(append5k / append2k).toFixed(2)}× (a full rewrite each time would be ~${(5 / 2).toFixed(1)}×)`);

  // --- validate: the 5,001-result output, and 1,000 part files
  t = performance.now();
  const v = await validate(m);
  const vOut = performance.now() - t;
  if (!v.ok) throw new Error("bench output does not validate");
  t = performance.now();
  await withFile(m, "r", (f) => {
    for (const k of f.keys()) {
      if (!k.startsWith("farm")) continue;
      const g = f.get(k) as H5Group;
      (g.get("layout") as unknown as { value: unknown }).value;
      (g.get("aep") as unknown as { value: unknown }).value;
      (g.get("aep_per_turbine") as unknown as { value: unknown }).value;
      for (const a of Object.values(g.attrs)) a.value;
    }
  });
  const bare = performance.now() - t;
  const p = join(dir, "parts-only.h5");
  for (let s = 0; s < 1000; s++) await commitResult(p, rec(s));
  t = performance.now();
  const vp = await validate(partsDir(p));
  const vParts = performance.now() - t;
  console.log(`validate: ${ms(vOut / v.results * 1000)} per 1,000 results in one output (${v.results} results, ${ms(vOut)} incl. worker start); ` +
    `bare h5wasm read ${ms(bare / v.results * 1000)} per 1,000, ratio ${(vOut / bare).toFixed(2)}×`);
  console.log(`validate: 1,000 part files ${ms(vParts)} (${vp.results} results)`);

  // --- bytes per result: a 16-turbine result as the batch writes it (smart start, the
  // optimizer's history of ~10,000 iterates), history stored whole (before) vs decimated (now).
  const sized = async (name: string, history: (h: Float64Array) => Partial<ResultRecord>) => {
    const file = join(dir, name);
    const K = 200;
    for (let s = 0; s < K; s++) {
      const r = rec(s);
      const full = new Float64Array(10_000).map((_, i) => r.aepGWh - 30 / (1 + i / 50) + 0.2 * Math.sin(i * 1.7 + s));
      await commitResult(file, { ...r, layoutInitial: (r.layout as Float64Array).map((v) => v * 0.9), ...history(full) });
    }
    await mergeParts(file);
    return statSync(file).size / K;
  };
  const whole = await sized("history-whole.h5", (h) => ({ aepHistoryGWh: h }));
  const compact = await sized("history-compact.h5", (h) => { const c = compactHistory(h); return { aepHistoryGWh: c.aepGWh, aepHistoryIter: c.iter }; });
  const none = await sized("history-none.h5", () => ({}));
  console.log(`bytes per 16-turbine result (200 merged): history of 10,000 iterates stored whole ${(whole / 1024).toFixed(1)} KB, ` +
    `min-max decimated to ≤ ${STORED_HISTORY_POINTS} iterates (as the batch stores it) ${(compact / 1024).toFixed(1)} KB (target ≤ 8 KB), ` +
    `no history ${(none / 1024).toFixed(1)} KB; whole / decimated = ${(whole / compact).toFixed(1)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
