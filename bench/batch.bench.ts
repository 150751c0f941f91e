/**
 * Batch throughput, measured in this run:
 *  1. batches of 40 and 100 configs (IEA37-16 with the optimizer's default budget, what a
 *     sweep runs: ~0.8 s of optimization each) with 1 and with 2 workers: the speedup
 *     (target ≥ 1.9× on 2 cores) and the share of time spent committing (target ≤ 1 %).
 *     Baseline, the hardware ceiling: the same configs optimized by one bare process, and by
 *     two bare processes side by side with half each (bench/optimize-configs.ts: no pool, no
 *     store); the batch's speedup divided by that ceiling is what the batch itself costs.
 *  2. 10,000 tiny configs on 2 workers: the process's RSS sampled every 1 % of the configs
 *     (target: flat within 10 % after the first 1,000).
 * The machine may be shared: the process CPU time and the load average are printed beside
 * each wall time, so a reader can tell contention from slowness.
 *
 *   npm run bench -- batch            (BENCH_BATCH_CONFIGS="40,100" / BENCH_RSS_CONFIGS to resize,
 *                                      BENCH_BATCH_ROUNDS=2 alternating rounds, the fastest of each kind kept)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runBatch, type BatchSummary } from "../src/batch/index.js";

const batchSizes = (process.env.BENCH_BATCH_CONFIGS ?? "40,100").split(",").map(Number).filter((n) => n > 0);
const nRss = Number(process.env.BENCH_RSS_CONFIGS ?? 10_000);
const rounds = Math.max(1, Number(process.env.BENCH_BATCH_ROUNDS ?? 2));
const dir = mkdtempSync(join(tmpdir(), "wflo-bench-batch-"));

function spec(seeds: number, farm: { n: number; radius: number }, optimizer: Record<string, number>) {
  return {
    site: "iea37",
    model: { deficit: "IEA37SimpleBastankhahGaussian" },
    turbines: ["IEA37_3.35MW"],
    farms: [{ boundary: { circle: { center: [0, 0], radius: farm.radius } }, n_turbines: farm.n, min_spacing_m: 260 }],
    seeds,
    grid_size: 18,
    random_pct: 30,
    optimizer,
  };
}

interface Timed { s: BatchSummary; wallS: number; cpuS: number; load: number }

async function timed(workers: number, out: string, sp: unknown, nConfigs: number): Promise<Timed> {
  const load0 = loadavg()[0];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await runBatch(sp, { out, workers });
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  if (s.failed || s.done !== nConfigs) throw new Error(`bench batch incomplete: ${JSON.stringify(s)}`);
  return { s, wallS, cpuS: (c.user + c.system) / 1e6, load: (load0 + loadavg()[0]) / 2 };
}

/** Bare processes optimizing [first, first + count) of the spec; resolves with their wall and CPU time. */
function bare(specPath: string, parts: [number, number][]): Promise<{ wallS: number; cpuS: number; aepGWh: number[] }> {
  const t0 = performance.now();
  return Promise.all(parts.map(([first, count]) => new Promise<{ cpuS: number; aepGWh: number[] }>((res, rej) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/optimize-configs.ts", specPath, String(first), String(count)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("close", (code) => (code === 0 ? res(JSON.parse(out)) : rej(new Error(`optimize-configs exited ${code}`))));
  }))).then((rs) => ({ wallS: (performance.now() - t0) / 1000, cpuS: rs.reduce((a, r) => a + r.cpuS, 0), aepGWh: rs.flatMap((r) => r.aepGWh) }));
}

async function speedup(nConfigs: number): Promise<void> {
  const sp = spec(nConfigs, { n: 16, radius: 1300 }, {});
  const specPath = join(dir, `spec-${nConfigs}.json`);
  writeFileSync(specPath, JSON.stringify(sp));
  console.log(`${nConfigs} configs: IEA37-16 circle, default optimizer budget (≈0.8 s CPU each on an idle core)`);
  // The machine's speed drifts (other tenants: steal time of 5-10 % was seen at load 1), so
  // each of the four runs is repeated in alternating rounds and the fastest wall time of each
  // kind is compared; every round's ratio is printed too, so drift shows.
  const half = Math.ceil(nConfigs / 2);
  let one: Timed | undefined, two: Timed | undefined;
  let bare1: Awaited<ReturnType<typeof bare>> | undefined, bare2: typeof bare1;
  const faster = <T extends { wallS: number }>(a: T | undefined, b: T) => (a === undefined || b.wallS < a.wallS ? b : a);
  for (let r = 0; r < rounds; r++) {
    const o = await timed(1, join(dir, `w1-${nConfigs}-${r}.h5`), sp, nConfigs);
    const t = await timed(2, join(dir, `w2-${nConfigs}-${r}.h5`), sp, nConfigs);
    const b1 = await bare(specPath, [[0, nConfigs]]);
    const b2 = await bare(specPath, [[0, half], [half, nConfigs - half]]);
    if (rounds > 1) console.log(`  round ${r + 1}: batch 1 worker ${o.wallS.toFixed(1)} s, 2 workers ${t.wallS.toFixed(1)} s (${(o.wallS / t.wallS).toFixed(2)}×); bare 1 process ${b1.wallS.toFixed(1)} s, 2 processes ${b2.wallS.toFixed(1)} s (${(b1.wallS / b2.wallS).toFixed(2)}×); load avg ${loadavg()[0].toFixed(1)}`);
    one = faster(one, o); two = faster(two, t); bare1 = faster(bare1, b1); bare2 = faster(bare2, b2);
  }
  if (!one || !two || !bare1 || !bare2) throw new Error("bench batch: no rounds");
  if (rounds > 1) console.log(`  fastest of ${rounds} rounds each:`);
  for (const [name, t] of [["1 worker ", one], ["2 workers", two]] as const) {
    const perConfig = t.s.optimizeS + t.s.commitS;
    console.log(
      `  ${name}: wall ${t.wallS.toFixed(1)} s, process CPU ${t.cpuS.toFixed(1)} s (${(t.cpuS / t.wallS).toFixed(2)} cores busy), load avg ${t.load.toFixed(1)}; ` +
      `commit ${((1000 * t.s.commitS) / t.s.done).toFixed(1)} ms/config = ${((100 * t.s.commitS) / perConfig).toFixed(2)} % of worker time ` +
      `(${((100 * t.s.commitS) / (t.wallS * t.s.workers)).toFixed(2)} % of wall × workers)`,
    );
  }
  const ratio = one.wallS / two.wallS;
  const ceiling = bare1.wallS / bare2.wallS;
  console.log(`  bare processes (no batch): 1 process wall ${bare1.wallS.toFixed(1)} s CPU ${bare1.cpuS.toFixed(1)} s; 2 side by side wall ${bare2.wallS.toFixed(1)} s CPU ${bare2.cpuS.toFixed(1)} s: ` +
    `ceiling ${ceiling.toFixed(2)}× (CPU for the same work ${(bare2.cpuS / bare1.cpuS).toFixed(3)}×)`);
  const commitShare = (100 * (one.s.commitS + two.s.commitS)) / (one.s.optimizeS + one.s.commitS + two.s.optimizeS + two.s.commitS);
  console.log(`  speedup 2 vs 1 worker: ${ratio.toFixed(2)}× (target ≥ 1.9×)${ratio >= 1.9 ? "" : "  BELOW TARGET"}; ` +
    `of the hardware ceiling measured just now: ${(100 * ratio / ceiling).toFixed(1)} %`);
  // On a shared machine the wall ratio mostly measures the neighbours; the CPU the batch
  // needed for the same work with 1 and 2 workers shows what parallelism itself costs.
  console.log(`  CPU for the same ${nConfigs} configs, 2 workers / 1 worker: ${(two.cpuS / one.cpuS).toFixed(3)} ` +
    `(1.000 = parallelism costs nothing; 2 × ${(one.cpuS / two.cpuS).toFixed(3)} = ${((2 * one.cpuS) / two.cpuS).toFixed(2)}× is the speedup on two idle cores, start-up aside)`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

async function rss(): Promise<void> {
  console.log(`${nRss} tiny configs (3 turbines, no hops) on 2 workers: RSS of the whole process (main + workers,`);
  console.log("and the short-lived merge workers while they run)");
  const tiny = { ...spec(nRss, { n: 3, radius: 600 }, { hops: 0, outer_iterations: 2, inner_iterations: 10 }), grid_size: 8 };
  // Sampled at every finished config (~150 a second), not every 1 %: RSS is a sawtooth (merge
  // workers come and go), and ten samples a window let a window's median land on either side
  // of a merge by chance; a thousand give the level the process holds between merges.
  const samples: { done: number; rssMB: number; heapMB: number }[] = [];
  const t0 = performance.now();
  const s = await runBatch(tiny, {
    out: join(dir, "rss.h5"), workers: 2, progressIntervalMs: 0,
    onProgress: (p) => {
      const m = process.memoryUsage();
      samples.push({ done: p.done, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20 });
    },
  });
  const wall = (performance.now() - t0) / 1000;
  console.log(`  ${s.done} done in ${wall.toFixed(1)} s (${(s.done / wall).toFixed(1)} configs/s), ${s.merged} merged, output ${s.outputResults} results`);
  // RSS is a sawtooth (merge workers come and go), so compare medians of windows, not two
  // samples. The first 1,000 configs are warm-up: worker heaps and the h5wasm memory grow to
  // their working size (WebAssembly memory never shrinks), then stay.
  const windows = 10;
  console.log("  configs          RSS MB median / max   main heap MB median");
  const meds: { from: number; med: number; max: number }[] = [];
  for (let w = 0; w < windows; w++) {
    const lo = (w * nRss) / windows, hi = ((w + 1) * nRss) / windows;
    const ws = samples.filter((x) => x.done >= lo && (x.done < hi || (w === windows - 1 && x.done <= hi)));
    if (!ws.length) continue;
    const med = median(ws.map((x) => x.rssMB));
    meds.push({ from: lo, med, max: Math.max(...ws.map((x) => x.rssMB)) });
    console.log(`  ${String(Math.round(lo)).padStart(6)}–${String(Math.round(hi)).padEnd(6)}  ${med.toFixed(0).padStart(6)} / ${Math.max(...ws.map((x) => x.rssMB)).toFixed(0).padEnd(6)}     ${median(ws.map((x) => x.heapMB)).toFixed(1)}`);
  }
  // Judged on what a machine must hold and on the trend: the windows' peaks (a window's median
  // depends on where in a GC or merge sawtooth its samples fall: seen swinging ±8 % with no
  // trend) and the least-squares slope of every sample against configs done.
  const warm = Math.min(1000, nRss / 10);
  const after = meds.filter((m) => m.from >= warm);
  if (after.length >= 2) {
    const lo = Math.min(...after.map((m) => m.max)), hi = Math.max(...after.map((m) => m.max));
    const xs = samples.filter((x) => x.done >= warm);
    const mx = xs.reduce((a, x) => a + x.done, 0) / xs.length, my = xs.reduce((a, x) => a + x.rssMB, 0) / xs.length;
    const slope = xs.reduce((a, x) => a + (x.done - mx) * (x.rssMB - my), 0) / xs.reduce((a, x) => a + (x.done - mx) ** 2, 0);
    const growth = slope * (nRss - warm); // MB over the whole run after warm-up, by the fit
    const flat = hi - lo <= 0.1 * lo && Math.abs(growth) <= 0.1 * my;
    console.log(`  after the first ${Math.round(warm)} configs: window peaks ${lo.toFixed(0)}–${hi.toFixed(0)} MB (spread ${(100 * (hi - lo) / lo).toFixed(1)} %), ` +
      `medians ${Math.min(...after.map((m) => m.med)).toFixed(0)}–${Math.max(...after.map((m) => m.med)).toFixed(0)} MB; fitted trend ${(1000 * slope).toFixed(2)} MB per 1,000 configs ` +
      `(${growth >= 0 ? "+" : ""}${growth.toFixed(0)} MB over the ${nRss - warm}, ${(100 * growth / my).toFixed(1)} % of the mean ${my.toFixed(0)} MB)${flat ? " (flat within 10 %)" : "  NOT FLAT"}`);
  }
}

try {
  for (const n of batchSizes) { await speedup(n); console.log(); } // BENCH_BATCH_CONFIGS=0 skips it
  if (nRss > 0) { console.log(); await rss(); }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
