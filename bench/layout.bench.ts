/**
 * Layout studies, one table per case (per seed: smart start, final AEP, gain, wall and CPU
 * time, evaluations, feasibility margins), each against its targets and the published values:
 *
 *   cs1  IEA 37 case study 1: 16, 36, 64 turbines in circles (IEA37 simple Gaussian, 16
 *        directions, 9.8 m/s, spacing 260 m), with the local solve alone as this run's baseline.
 *   cs3  IEA 37 case study 3: 25 × IEA37_10MW in Borssele IIIa, the 20 × 20 rose.
 *   cs4  IEA 37 case study 4: 81 × IEA37_10MW over the five regions, the 360-direction rose.
 *   hr   Horns Rev 1 as a layout problem (examples/cases/hornsrev1-optimize.json: 80 × V80 in
 *        the built-in layout's bounding rectangle, 360 × 23 flow cases, BastankhahGaussian):
 *        AEP against wall time for the default budget and for a long run (WFLO_BENCH_HR_LONG_S,
 *        default 3600 s; 0 skips it), and the share of the long run's gain the default reaches.
 *
 * Smart starts: grid 18, random 30 %, seeds 0–4 (the issue's protocol). Env:
 *   WFLO_BENCH_CASES=cs1,cs3,cs4,hr   which studies (default all: several hours on one core)
 *   WFLO_BENCH_SIZES=16,36,64         cs1 sizes;  WFLO_BENCH_SEEDS=0,1,2,3,4 seeds for all
 *   WFLO_BENCH_OPTIMIZER='{"method":"multistart"}'  optimizer settings for every run
 *   WFLO_BENCH_HR_LONG_S=3600         length of the Horns Rev long run (s)
 *   WFLO_BENCH_HR_SEEDS=0,1,2         Horns Rev seeds (default: the first of the seeds; each
 *                                     costs the long run): the share per seed and summed
 * The machine is shared: wall time is noisy, CPU time (this process) less so.
 */
import { existsSync, readFileSync } from "node:fs";
import {
  builtinSite, builtinTurbine, deficitModel, superpositionModel, windFarmModel,
} from "../src/physics/index.js";
import {
  builtinBoundary, circleBoundary, feasibilityCheck, optimizeLayout, parseLayoutCase,
  type Boundary, type OptimizeLayoutResult, type OptimizerOptions,
} from "../src/layout/index.js";
import { loadLayoutCaseWithOptimizer } from "../src/cli/commands/smart-start.js";

const shared = ["../../shared/reference/", "../../../shared/reference/"]
  .map((p) => new URL(p, import.meta.url)).find((u) => existsSync(u)) ?? new URL("../../shared/reference/", import.meta.url);
const ref = (name: string) => JSON.parse(readFileSync(new URL(name, shared), "utf8"));
const cs1 = ref("iea37_cs1.json");
const cs34 = ref("data/iea37_cs34/iea37_cs34_reference.json");

const cases = (process.env.WFLO_BENCH_CASES ?? "cs1,cs3,cs4,hr").split(",");
const sizes = (process.env.WFLO_BENCH_SIZES ?? "16,36,64").split(",").map(Number);
const seeds = (process.env.WFLO_BENCH_SEEDS ?? "0,1,2,3,4").split(",").map(Number);
const extra: OptimizerOptions = JSON.parse(process.env.WFLO_BENCH_OPTIMIZER ?? "{}");
const f0 = (v: number) => v.toLocaleString("en-US", { maximumFractionDigits: 0 }).padStart(11);
const verdicts: string[] = [];
console.log(`optimizer settings: ${JSON.stringify(extra)} (defaults otherwise); seeds ${seeds.join(",")}`);

function timed<T>(fn: () => T): { r: T; wallS: number; cpuS: number } {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const r = fn();
  const c = process.cpuUsage(c0);
  return { r, wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
}

interface Row { seed: number; startMWh: number; mwh: number; feasible: boolean; wallS: number; cpuS: number }

const HEADER = "seed  smart start (MWh)   final (MWh)  gain %   wall s    cpu s  evaluations  max outside m  min spacing m  feasible";
function row(seed: number, r: OptimizeLayoutResult, b: Boundary, s: number, t: { wallS: number; cpuS: number }, more = ""): Row {
  const f = feasibilityCheck(b, r.x, r.y, s, 0);
  const mwh = r.aepGWh * 1000, start = r.aepInitialGWh * 1000;
  console.log(`${String(seed).padStart(4)}  ${f0(start)}        ${f0(mwh)}  ${(100 * (mwh / start - 1)).toFixed(2).padStart(6)}  ${t.wallS.toFixed(1).padStart(7)}  ${t.cpuS.toFixed(1).padStart(7)}  ${String(Math.round(r.evaluations)).padStart(11)}  ${f.maxBoundaryViolationM.toExponential(1).padStart(13)}  ${f.minSpacingM.toFixed(3).padStart(13)}  ${String(f.feasible && r.feasible).padEnd(8)}${more}`);
  return { seed, startMWh: start, mwh: f.feasible ? mwh : -Infinity, feasible: f.feasible, ...t };
}

function summary(name: string, rows: Row[], targets: { best?: number; every?: number; what: string }): void {
  const best = Math.max(...rows.map((r) => r.mwh)), worst = Math.min(...rows.map((r) => r.mwh));
  const walls = rows.map((r) => r.wallS), cpus = rows.map((r) => r.cpuS);
  console.log(`best ${f0(best).trim()} MWh, worst ${f0(worst).trim()} MWh over seeds ${rows.map((r) => r.seed).join(",")}; ` +
    `wall ${Math.min(...walls).toFixed(0)}–${Math.max(...walls).toFixed(0)} s, CPU ${Math.min(...cpus).toFixed(0)}–${Math.max(...cpus).toFixed(0)} s per configuration`);
  const parts: string[] = [];
  if (targets.best !== undefined) parts.push(`best ≥ ${targets.best}: ${best >= targets.best ? "MET" : "NOT MET"} (${(100 * (best / targets.best - 1)).toFixed(2)} %)`);
  if (targets.every !== undefined) parts.push(`every seed ≥ ${targets.every}: ${worst >= targets.every ? "MET" : "NOT MET"}`);
  verdicts.push(`${name}: ${parts.join("; ")} — ${targets.what}${seeds.length < 5 ? ` [${seeds.length} seed(s), not the 5 the protocol asks]` : ""}`);
}

if (cases.includes("cs1")) {
  const model = windFarmModel({
    site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"),
    deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared"),
  });
  const radius: Record<number, number> = { 16: 1300, 36: 2000, 64: 3000 };
  // Issue 16 targets (MWh): SNOPT + WEC, best of 200 starts (Thomas et al.) for 36 and 64.
  const targets: Record<number, { every?: number; best?: number; what: string }> = {
    16: { every: 415000, what: "issue 16: every seed ≥ 415,000" },
    36: { best: 863676, what: "SNOPT+WEC best of 200 starts 863,676; best published 882,383" },
    64: { best: 1513311, what: "SNOPT+WEC best of 200 starts 1,513,311; best published 1,526,475" },
  };
  for (const n of sizes) {
    const boundary = circleBoundary([0, 0], radius[n]);
    const pub = Object.values(cs1.participants as Record<string, { n_wt: number; published_aep_MWh: number }>)
      .filter((p) => p.n_wt === n).map((p) => p.published_aep_MWh).sort((a, b) => a - b);
    console.log(`\n## IEA 37 case study 1, ${n} turbines (circle R ${radius[n]} m, spacing 260 m); published best ${f0(pub[pub.length - 1]).trim()} MWh`);
    console.log(HEADER + "   local solve only (MWh)");
    const rows: Row[] = [];
    for (const seed of seeds) {
      const cfg = { model, boundary, nTurbines: n, minSpacingM: 260, gridSize: 18, randomPct: 30, seed };
      const local = optimizeLayout({ ...cfg, optimizer: { hops: 0 } });
      const t = timed(() => optimizeLayout({ ...cfg, optimizer: extra }));
      rows.push(row(seed, t.r, boundary, 260, t, `   ${f0(local.aepGWh * 1000)}`));
    }
    summary(`case study 1, ${n} turbines`, rows, targets[n]);
  }
}

function caseStudy(name: string, site: "iea37-cs3" | "iea37-cs4", b: "iea37-cs3" | "iea37-cs4", n: number, targets: { best?: number; every?: number; what: string }, published: string, budget: OptimizerOptions = {}): void {
  const model = windFarmModel({
    site: builtinSite(site), turbine: builtinTurbine("IEA37_10MW"),
    deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared"),
  });
  const boundary = builtinBoundary(b);
  console.log(`\n## ${name}: ${n} × IEA37_10MW, boundary ${b}, site ${site} (${model.site.defaultWdDeg.length} directions × ${model.site.defaultWs.length} speeds), spacing 396 m`);
  console.log(published);
  console.log(HEADER);
  const rows: Row[] = [];
  for (const seed of seeds) {
    const t = timed(() => optimizeLayout({ model, boundary, nTurbines: n, minSpacingM: 396, gridSize: 18, randomPct: 30, seed, optimizer: { ...budget, ...extra } }));
    rows.push(row(seed, t.r, boundary, 396, t));
  }
  summary(name, rows, targets);
}

if (cases.includes("cs3")) {
  caseStudy("IEA 37 case study 3", "iea37-cs3", "iea37-cs3", 25,
    { best: 977444.0, what: "TU Delft (Tilli + Quaeghebeur), the best public layout, 977,444.0" },
    `baseline ${f0(cs34.baseline.cs3.recomputed_aep_MWh).trim()} MWh; best public layout ${f0(cs34.best_available.cs3_official_20dir.aep_MWh).trim()} MWh (${cs34.best_available.cs3_official_20dir.layout})`);
}
/** The optimizer section examples/cases/iea37-cs4.json carries, read as `wflo optimize` reads it (budget, coarse rose). */
function cs4CaseOptimizer(): OptimizerOptions {
  return loadLayoutCaseWithOptimizer(new URL("../examples/cases/iea37-cs4.json", import.meta.url).pathname).optimizer;
}

if (cases.includes("cs4")) {
  caseStudy("IEA 37 case study 4", "iea37-cs4", "iea37-cs4", 81,
    { best: 2913220.6, every: 2905646, what: "IFPEN DEBO 2,913,220.6 best of the eight (Thomas et al. 2023); the lowest of the eight 2,905,646" },
    `baseline ${f0(cs34.baseline.cs4.recomputed_aep_MWh_360dir).trim()} MWh (360 directions); best re-run layout recomputed ${f0(cs34.best_available.cs4_360dir_iea37_model.best_recomputed.aep_MWh_360dir).trim()} MWh; budget: examples/cases/iea37-cs4.json's optimizer section`,
    cs4CaseOptimizer());
}

if (cases.includes("hr")) {
  const file = new URL("../examples/cases/hornsrev1-optimize.json", import.meta.url).pathname;
  const c = parseLayoutCase(JSON.parse(readFileSync(file, "utf8")), file);
  const longS = Number(process.env.WFLO_BENCH_HR_LONG_S ?? 3600);
  // One seed's share is a draw (docs/layout.md, "Three seeds": 83.0 – 99.5 %), so more can be asked for.
  const hrSeeds = (process.env.WFLO_BENCH_HR_SEEDS ?? String(seeds[0])).split(",").map(Number);
  const run = (seed: number, label: string, opt: OptimizerOptions) => {
    const trace: [number, number, number][] = [];
    const t0 = performance.now();
    const t = timed(() => optimizeLayout({
      model: c.model, boundary: c.boundary, nTurbines: c.nTurbines, minSpacingM: c.minSpacingM, gridSize: 18, randomPct: 30, seed,
      optimizer: { ...extra, ...opt, onProgress: (p) => trace.push([(performance.now() - t0) / 1000, p.bestAepGWh, p.evaluations]) },
    }));
    console.log(`\n### ${label}`);
    console.log(HEADER);
    row(seed, t.r, c.boundary, c.minSpacingM, t);
    console.log(`smart start ${t.r.smartStartS.toFixed(0)} s of it. AEP against wall time (best feasible so far, GWh; the optimizer starts after the smart start):`);
    let next = 0;
    for (const [s, a, e] of trace) {
      if (s >= next) { console.log(`  ${s.toFixed(0).padStart(6)} s  ${a.toFixed(3)} GWh  ${Math.round(e)} evaluations`); next = s + Math.max(30, t.wallS / 20); }
    }
    const last = trace[trace.length - 1];
    if (last) console.log(`  ${last[0].toFixed(0).padStart(6)} s  ${last[1].toFixed(3)} GWh  ${Math.round(last[2])} evaluations (end)`);
    return t;
  };
  let sumDef = 0, sumLong = 0;
  for (const seed of hrSeeds) {
    console.log(`\n## Horns Rev 1: ${c.nTurbines} × V80 in its layout's bounding rectangle, ${c.wdDeg.length} × ${c.ws.length} flow cases, ${c.model.deficit.kind}, spacing ${c.minSpacingM} m, seed ${seed}`);
    const def = run(seed, "default budget", {});
    const gainDef = def.r.aepGWh - def.r.aepInitialGWh;
    verdicts.push(`Horns Rev 1, seed ${seed}, default budget: ${def.wallS.toFixed(0)} s wall (${def.cpuS.toFixed(0)} s CPU): ends within 10 minutes: ${def.wallS <= 600 ? "MET" : `NOT MET on this run's wall clock`}`);
    if (longS > 0) {
      // The long run: the same method with time as its only limit (the coarse rose keeps 70 % of it).
      const long = run(seed, `long run: ${longS} s (time_limit_s, unbounded evaluations and hops)`, { timeLimitS: Math.max(1, longS - def.r.smartStartS), maxEvaluations: 1e12, hops: 1e9 });
      const gainLong = long.r.aepGWh - long.r.aepInitialGWh;
      sumDef += gainDef; sumLong += gainLong;
      const share = gainDef / gainLong;
      verdicts.push(`Horns Rev 1, seed ${seed}: the default budget reaches ${(100 * share).toFixed(1)} % of the ${longS} s run's gain over the smart start (${(gainDef * 1000).toFixed(0)} vs ${(gainLong * 1000).toFixed(0)} MWh): ≥ 99 %: ${share >= 0.99 ? "MET" : "NOT MET"}`);
    }
  }
  if (longS > 0 && hrSeeds.length > 1) {
    verdicts.push(`Horns Rev 1, seeds ${hrSeeds.join(",")} summed: ${(100 * sumDef / sumLong).toFixed(1)} % of the long runs' gain (${(sumDef * 1000).toFixed(0)} vs ${(sumLong * 1000).toFixed(0)} MWh)`);
  }
}
console.log(`\n## targets (issue 16)\n${verdicts.join("\n")}`);
