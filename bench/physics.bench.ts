/**
 * Physics speed and scale (issue 14). Measures through the public API only (`aepGWh`,
 * `aepGradient`, `simulate(...)` and its breakdowns) and the CLI contract (`wflo aep --repeat`),
 * so it runs unchanged before and after the engine's internals move.
 *
 * 1. Horns Rev 1 (80 × V80, 360 × 23 flow cases) with NOJ and with BastankhahGaussian: the fast
 *    path, `simulate(model, x, y).aep()` alone and with every breakdown `wflo aep` prints, and
 *    `wflo aep --repeat` (its own computation-only timing); IEA37-64 AEP and gradient. Median and
 *    minimum wall time over alternating rounds (each round calls every in-process path once, so
 *    a burst of load from other processes hits all of them), the ratio to PyWake's recorded time
 *    (../shared/reference/pywake_timings.json) and the issue's targets beside each.
 * 2. Scale: near-square farms of 80…1,280 turbines at 5 D, Horns Rev site + V80 (360 × 23) with
 *    NOJ and BastankhahGaussian, and the IEA 37 rose + IEA 37 3.35 MW (16 × 1) with the IEA 37
 *    Gaussian: AEP and AEP + gradient time, peak memory, and the fitted exponent of time in n,
 *    beside PyWake's published autograd gradient (9.1 s / 1.3 GB at 80, 342 s / 50 GB at 500).
 * 3. Speed-free wakes: case study 4's baseline (81 × IEA37_10MW, 360 × 20), AEP and AEP + gradient
 *    with the turbine's constant Ct (one pass per direction) against the same curves as a table
 *    (speed by speed), measured in the same run.
 *
 * Environment: PHYSBENCH_ROUNDS (default 9), PHYSBENCH_FULL=1 to time the 1,280-turbine Horns Rev
 * gradient on all 360 directions even when the fit predicts it takes over a minute.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { spawnSync } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  aepGWh, aepGradient, builtinLayout, builtinSite, builtinTurbine, deficitModel, flowCaseProbabilities,
  simulate, superpositionModel, tabularTurbine, turbinePowerCt, windFarmModel, type WindFarmModel,
} from "../src/physics/index.js";

const REF = "../shared/reference/pywake_timings.json";
const timings = JSON.parse(readFileSync(new URL(`../${REF}`, import.meta.url), "utf8")).summary;
const root = new URL("..", import.meta.url).pathname;
const ROUNDS = Math.max(7, Number(process.env.PHYSBENCH_ROUNDS ?? 9));
const benchStart = performance.now();

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const fmt = (s: number) => (!Number.isFinite(s) ? "—" : s >= 0.1 ? `${s.toFixed(3)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(0)} µs`);
const fmtMiB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const median = (a: number[]) => { const s = [...a].sort((p, q) => p - q); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const loadLine = () => loadavg().map((v) => v.toFixed(2)).join(" ");

const load0 = loadavg()[0];
console.log(`node ${process.version}, one thread; ${availableParallelism()} cores; load average ${loadLine()} at start`);
if (load0 > 1) {
  console.log(`LOADED MACHINE (1-min load ${load0.toFixed(1)} > 1): other processes share these cores, wall times include waiting for one;`);
  console.log("the CPU column (this process's user + system time) is less affected. Rerun on a quiet machine for the ≤ 1.5 median/min target.");
}

// ---------------------------------------------------------------------------------------
// 1. Horns Rev 1 and IEA37-64 against PyWake

interface Series { wall: number[]; cpu: number[] }
const newSeries = (): Series => ({ wall: [], cpu: [] });
function timeOnce(s: Series, f: () => void): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  s.wall.push((t1 - t0) / 1e3);
  s.cpu.push((c1.user + c1.system) / 1e6);
}

/** Straightforward propagate-downwind: all pairs per flow case, formulas inline, no sharing — an independent check of the value. */
function plainAep(model: WindFarmModel, x: Float64Array, y: Float64Array): number {
  const site = model.site;
  const wd = site.defaultWdDeg;
  const ws = site.defaultWs;
  const pLK = flowCaseProbabilities(site, wd, ws);
  const n = x.length;
  const D = model.turbine.diameterM;
  const pc = new Float64Array(4);
  const aepI = new Float64Array(n);
  const ct = new Float64Array(n);
  const kind = model.deficit.kind;
  const a = (t: number) => t * (0.246 + t * (0.0586 + 0.0883 * t));
  for (let l = 0; l < wd.length; l++) {
    const th = (90 - wd[l]) * (Math.PI / 180);
    const c = Math.cos(th);
    const s = Math.sin(th);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (-c * x[a] - s * y[a]) - (-c * x[b] - s * y[b]) || a - b);
    for (let k = 0; k < ws.length; k++) {
      const WS = ws[k];
      for (let p = 0; p < n; p++) {
        const j = order[p];
        let sum = 0;
        for (let q = 0; q < p; q++) {
          const i = order[q];
          const dx = x[j] - x[i];
          const dy = y[j] - y[i];
          const dw = -c * dx - s * dy;
          if (!(dw > -1e-10)) continue;
          const cw = Math.abs(s * dx - c * dy);
          let d = 0;
          if (kind === "NOJ") {
            if (!(dw > 0)) continue;
            const R = D / 2;
            const rw = 0.1 * dw + R;
            if (cw >= rw + R) continue;
            let ov = 1;
            if (cw > rw - R) {
              const al = Math.acos((rw * rw + cw * cw - R * R) / (2 * rw * cw));
              const be = Math.acos((R * R + cw * cw - rw * rw) / (2 * R * cw));
              ov = (al * rw * rw + be * R * R - Math.sin(al) * rw * cw) / (Math.PI * R * R);
            }
            d = 2 * a(Math.min(ct[i], 1)) * WS * (R / rw) * (R / rw) * ov;
          } else if (kind === "IEA37SimpleBastankhahGaussian") {
            const sg = 0.0324555 * (dw > 1e-10 ? dw : 0) + D / Math.sqrt(8);
            d = WS * (1 - Math.sqrt(1 - ct[i] * D * D / (8 * sg * sg))) * Math.exp(-0.5 * (cw / sg) * (cw / sg));
          } else {
            const r = Math.sqrt(1 - Math.min(0.899, ct[i]));
            const sg = 0.0324555 * (dw > 1e-10 ? dw : 0) + 0.2 * Math.sqrt(0.5 * (1 + r) / r) * D;
            d = WS * Math.min(1, 2 * a(ct[i] * D * D / (8 * sg * sg))) * Math.exp(-(cw * cw) / (2 * sg * sg));
          }
          sum += d * d;
        }
        turbinePowerCt(model.turbine, WS - Math.sqrt(sum), pc);
        ct[j] = pc[1];
        aepI[j] += pc[0] * pLK[l * ws.length + k] * 8760e-9;
      }
    }
  }
  return aepI.reduce((t, v) => t + v, 0);
}

const hrModel = (deficit: "NOJ" | "BastankhahGaussian") => windFarmModel({
  site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"), deficit: deficitModel(deficit), superposition: superpositionModel("squared"),
});
const ieaModel = () => windFarmModel({
  site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared"),
});

interface HrCase {
  deficit: "NOJ" | "BastankhahGaussian"; caseFile: string; model: WindFarmModel;
  /** PyWake: the faster of its two call forms (wfm.aep(x, y) and wfm(x, y).aep().sum()), median of 15. */
  pyKey: string; pywakeS: number; targetCli: number; targetFast: number;
  fast: Series; simAep: Series; simAll: Series;
  value: number; simValue: number; plainValue?: number;
  cli?: { min: number; median: number; runs: number; value: number } | { error: string };
}
const hr = builtinLayout("hornsrev1");
const hrCases: HrCase[] = (["NOJ", "BastankhahGaussian"] as const).map((deficit) => {
  const keys = [`hornsrev1_${deficit}_simres_aep`, `hornsrev1_${deficit}_wfm_aep`];
  const pyKey = keys.reduce((a, b) => (timings[a].median_of_15_s <= timings[b].median_of_15_s ? a : b));
  return {
    deficit, caseFile: `examples/cases/hornsrev1-${deficit === "NOJ" ? "noj" : "bastankhah"}.json`, model: hrModel(deficit),
    pyKey, pywakeS: timings[pyKey].median_of_15_s,
    targetCli: deficit === "NOJ" ? 25 : 15, targetFast: deficit === "NOJ" ? 60 : 25,
    fast: newSeries(), simAep: newSeries(), simAll: newSeries(), value: NaN, simValue: NaN,
  };
});

/** What `wflo aep` computes per repeat: the total and every breakdown it prints. */
function simulateWithBreakdowns(model: WindFarmModel, x: Float64Array, y: Float64Array): number {
  const s = simulate(model, x, y);
  const total = s.aep();
  s.aepNoWake();
  s.aepPerTurbine();
  s.aepPerDirection();
  s.aepPerSpeed();
  return total;
}

// Warm-up (JIT, scratch buffers, flow-case caches), then alternating rounds.
for (const h of hrCases) {
  for (let w = 0; w < 2; w++) {
    h.value = aepGWh(h.model, hr.x, hr.y);
    h.simValue = simulate(h.model, hr.x, hr.y).aep();
    simulateWithBreakdowns(h.model, hr.x, hr.y);
  }
}
for (let r = 0; r < ROUNDS; r++) {
  for (const h of hrCases) {
    timeOnce(h.fast, () => { h.value = aepGWh(h.model, hr.x, hr.y); });
    timeOnce(h.simAep, () => { h.simValue = simulate(h.model, hr.x, hr.y).aep(); });
    timeOnce(h.simAll, () => { simulateWithBreakdowns(h.model, hr.x, hr.y); });
  }
}

// The CLI, one process per model (after the in-process rounds, so the two never compete for
// a core): its own timing of the computation only, over ROUNDS repeats after one warm call.
for (const h of hrCases) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", "aep", h.caseFile, "--json", "--repeat", String(ROUNDS)],
    { cwd: root, encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) { h.cli = { error: `exit ${r.status}: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}` }; continue; }
  const out = JSON.parse(r.stdout);
  h.cli = { min: out.timing_s.min, median: out.timing_s.median, runs: ROUNDS, value: out.aep_GWh };
}
for (const h of hrCases) h.plainValue = plainAep(h.model, hr.x, hr.y);

// IEA37-64: calls of ~0.1–1 ms, timed in batches of 50 so timer granularity does not matter;
// the AEP and the gradient batches alternate.
const iea = ieaModel();
const l64 = builtinLayout("iea37-64");
const ieaAep = newSeries();
const ieaGrad = newSeries();
let ieaValue = NaN;
let ieaGradValue = NaN;
{
  const gx = new Float64Array(64);
  const gy = new Float64Array(64);
  for (let w = 0; w < 200; w++) { aepGWh(iea, l64.x, l64.y); aepGradient(iea, l64.x, l64.y, gx, gy); }
  const B = 50;
  for (let r = 0; r < Math.max(ROUNDS, 15); r++) {
    timeOnce(ieaAep, () => { for (let b = 0; b < B; b++) ieaValue = aepGWh(iea, l64.x, l64.y); });
    timeOnce(ieaGrad, () => { for (let b = 0; b < B; b++) ieaGradValue = aepGradient(iea, l64.x, l64.y, gx, gy); });
  }
  for (const s of [ieaAep, ieaGrad]) { s.wall = s.wall.map((t) => t / B); s.cpu = s.cpu.map((t) => t / B); }
}
const ieaPlain = plainAep(iea, l64.x, l64.y);

interface Row { name: string; wallMed: number; wallMin: number; cpuMed: number; runs: number; pywakeS: number; pyKey: string; target?: number; value: number }
const rows: Row[] = [];
const fromSeries = (s: Series) => ({ wallMed: median(s.wall), wallMin: Math.min(...s.wall), cpuMed: median(s.cpu), runs: s.wall.length });
for (const h of hrCases) {
  const tag = `HR1 ${h.deficit === "NOJ" ? "NOJ" : "Bastankhah"}`;
  rows.push({ name: `${tag} aepGWh (fast path)`, ...fromSeries(h.fast), pywakeS: h.pywakeS, pyKey: h.pyKey, target: h.targetFast, value: h.value });
  rows.push({ name: `${tag} simulate().aep()`, ...fromSeries(h.simAep), pywakeS: h.pywakeS, pyKey: h.pyKey, value: h.simValue });
  rows.push({ name: `${tag} simulate()+breakdowns`, ...fromSeries(h.simAll), pywakeS: h.pywakeS, pyKey: h.pyKey, value: h.simValue });
  if (h.cli && "median" in h.cli) {
    rows.push({ name: `${tag} wflo aep --repeat`, wallMed: h.cli.median, wallMin: h.cli.min, cpuMed: NaN, runs: h.cli.runs, pywakeS: h.pywakeS, pyKey: h.pyKey, target: h.targetCli, value: h.cli.value });
  }
}
rows.push({ name: "IEA37-64 aepGWh (16 dirs)", ...fromSeries(ieaAep), runs: ieaAep.wall.length * 50, pywakeS: timings.iea37_64_wd16.median_of_15_s, pyKey: "iea37_64_wd16", target: 50, value: ieaValue });
rows.push({ name: "IEA37-64 aepGradient", ...fromSeries(ieaGrad), runs: ieaGrad.wall.length * 50, pywakeS: timings.iea37_64_wd16_grad_autograd.median_of_15_s, pyKey: "iea37_64_wd16_grad_autograd", target: 300, value: ieaGradValue });

console.log(`\n## 1. Against PyWake 2.6.7 (recorded in ${REF}: median of 15 calls on this machine class, itself under load 4-6;`);
console.log("##    for Horns Rev the faster of PyWake's wfm.aep(x, y) and wfm(x, y).aep().sum()). Rounds alternate the in-process paths.");
console.log("##    ratio = PyWake median / our wall median; 'med/min' target ≤ 1.5 on a quiet machine; CPU = this process's user+system.\n");
console.log(`${"case".padEnd(34)}${"median".padStart(10)}${"min".padStart(10)}${"med/min".padStart(8)}${"CPU med".padStart(10)}${"runs".padStart(6)}${"PyWake".padStart(10)}${"ratio".padStart(8)}  ${"target".padEnd(16)}AEP GWh`);
for (const r of rows) {
  const ratio = r.pywakeS / r.wallMed;
  const target = r.target === undefined ? "—" : `≥${r.target}× ${ratio >= r.target ? "met" : "MISSED"}`;
  console.log(
    `${r.name.padEnd(34)}${fmt(r.wallMed).padStart(10)}${fmt(r.wallMin).padStart(10)}${(r.wallMed / r.wallMin).toFixed(2).padStart(8)}${fmt(r.cpuMed).padStart(10)}${String(r.runs).padStart(6)}${fmt(r.pywakeS).padStart(10)}${(ratio.toFixed(1) + "×").padStart(8)}  ${target.padEnd(16)}${r.value.toFixed(9)}`,
  );
}
for (const h of hrCases) {
  if (h.cli && "error" in h.cli) console.log(`  ! wflo aep ${h.caseFile} failed: ${h.cli.error}`);
  const vals: [string, number | undefined][] = [["simulate().aep()", h.simValue], ["wflo aep", h.cli && "value" in h.cli ? h.cli.value : undefined], ["plain loop", h.plainValue]];
  for (const [what, v] of vals) {
    if (v === undefined) continue;
    const rel = Math.abs(v - h.value) / h.value;
    if (rel > (what === "plain loop" ? 1e-9 : 1e-14)) console.log(`  ! HR1 ${h.deficit}: ${what} = ${v} differs from aepGWh = ${h.value} (rel ${rel.toExponential(2)})`);
  }
  const bits = h.simValue === h.value ? "bit for bit" : `rel ${(Math.abs(h.simValue - h.value) / h.value).toExponential(2)}`;
  console.log(`  HR1 ${h.deficit}: aepGWh vs simulate().aep() ${bits}; plain all-pairs loop agrees to ${(Math.abs((h.plainValue ?? NaN) - h.value) / h.value).toExponential(1)}; PyWake key ${h.pyKey}`);
}
if (Math.abs(ieaPlain - ieaValue) > 1e-9 * ieaValue) console.log(`  ! IEA37-64: plain loop ${ieaPlain} differs from aepGWh ${ieaValue}`);
console.log(`  wflo aep --repeat: 'src/cli/dev.ts aep <case> --json --repeat ${ROUNDS}', the CLI's own timing_s (computation only: simulate + every breakdown, ${ROUNDS} consecutive repeats after one warm call), no CPU column.`);
console.log(`  load average after section 1: ${loadLine()}; section 1 took ${((performance.now() - benchStart) / 1e3).toFixed(0)} s`);

// ---------------------------------------------------------------------------------------
// 2. Scale

/** n turbines on a near-square grid: ⌈√n⌉ columns, filled row by row, spacing s metres. */
function gridFarm(n: number, spacingM: number): { x: Float64Array; y: Float64Array } {
  const cols = Math.ceil(Math.sqrt(n));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { x[i] = (i % cols) * spacingM; y[i] = Math.floor(i / cols) * spacingM; }
  return { x, y };
}

const hwmKiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]);
interface Measured { s: number; cpuS: number; peakB: number; growthB: number; runs: number }
/** What `timed` returns: wall and CPU seconds (scaled back when reduced) and the table cell. */
interface Timed { t: number; cpu: number; cell: string }
/**
 * One call's time and memory. After a full GC the kernel's peak-RSS mark (VmHWM) is reset to
 * the current RSS (/proc/self/clear_refs "5"), so after the call VmHWM is the process's peak
 * RSS during it — exact, not sampled — and VmHWM − RSS-before is how much the call grew the
 * process. V8's heap is not sampled separately: the engine's buffers are typed arrays, which
 * live outside the V8 heap but inside RSS. Scratch buffers kept from earlier (smaller) calls
 * are in the peak but not in the growth.
 */
function measured(f: () => void, repeatUnderS: number): Measured {
  gc();
  const rss0 = process.memoryUsage.rss();
  let resetOk = true;
  try { writeFileSync("/proc/self/clear_refs", "5"); } catch { resetOk = false; }
  const first = newSeries();
  timeOnce(first, f);
  const peakB = resetOk ? hwmKiB() * 1024 : NaN;
  // A first call at a new size also grows scratch buffers; short calls are repeated (twice, or
  // for ~0.3 s when they take milliseconds, at most 50 times) and the median kept.
  if (first.wall[0] < repeatUnderS) {
    const more = Math.min(50, Math.max(2, Math.ceil(0.3 / Math.max(first.wall[0], 1e-6))));
    for (let r = 0; r < more; r++) timeOnce(first, f);
  }
  return { s: median(first.wall), cpuS: median(first.cpu), peakB, growthB: peakB - rss0, runs: first.wall.length };
}
const fmtMem = (m: Measured) => `${fmtMiB(m.peakB)} (+${(m.growthB / 2 ** 20).toFixed(0)})`;

/** Time of the next size from the last two (power law), 0 when there are fewer than two. */
function predictNext(ns: number[], ts: number[], n: number): number {
  const k = ts.length;
  if (k < 2) return 0;
  return ts[k - 1] * (n / ns[k - 1]) ** (Math.log(ts[k - 1] / ts[k - 2]) / Math.log(ns[k - 1] / ns[k - 2]));
}

function fitExponent(ns: number[], ts: number[]): number {
  const lx = ns.map(Math.log);
  const ly = ts.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) { sxy += (lx[i] - mx) * (ly[i] - my); sxx += (lx[i] - mx) ** 2; }
  return sxy / sxx;
}

const SIZES = [80, 160, 320, 640, 1280];
const FULL = process.env.PHYSBENCH_FULL === "1";
const REDUCE_BY = 10;

/**
 * Whether the model's aepGradient is analytic: a finite-difference gradient costs 2n + 1 AEPs,
 * an adjoint a few. Probed on Horns Rev's 80 turbines with 36 directions (cheap either way).
 */
function gradientIsAnalytic(model: WindFarmModel): { analytic: boolean; ratio: number } {
  const wdDeg = Float64Array.from({ length: 36 }, (_, i) => i * 10);
  const opts = { wdDeg };
  const gx = new Float64Array(hr.x.length);
  const gy = new Float64Array(hr.x.length);
  aepGWh(model, hr.x, hr.y, opts);
  aepGradient(model, hr.x, hr.y, gx, gy, opts);
  const a = newSeries();
  const g = newSeries();
  for (let r = 0; r < 3; r++) { timeOnce(a, () => aepGWh(model, hr.x, hr.y, opts)); timeOnce(g, () => aepGradient(model, hr.x, hr.y, gx, gy, opts)); }
  const ratio = Math.min(...g.cpu.map((v, i) => v / Math.max(a.cpu[i], 1e-6)), median(g.wall) / median(a.wall));
  return { analytic: ratio < 20, ratio };
}

interface ScaleConfig { label: string; model: WindFarmModel; cases: string }
const scaleConfigs: ScaleConfig[] = [
  { label: "Horns Rev site + V80, BastankhahGaussian", model: hrModel("BastankhahGaussian"), cases: "360 × 23" },
  { label: "Horns Rev site + V80, NOJ", model: hrModel("NOJ"), cases: "360 × 23" },
  { label: "IEA 37 rose + IEA37 3.35 MW, IEA37SimpleBastankhahGaussian", model: ieaModel(), cases: "16 × 1" },
];

console.log("\n## 2. Scale: near-square grid (⌈√n⌉ columns, row-major), 5 D spacing. Time: wall (CPU) of one call; under 1 s, the median of 3 or more.");
console.log("##    Peak RSS: the whole process's peak resident memory during the first call at that n (kernel VmHWM, reset via");
console.log("##    /proc/self/clear_refs before the call; not sampled), and in brackets how much the call grew it; typed-array scratch lives");
console.log("##    outside the V8 heap but inside RSS. Exponent: least squares of log time on log n over the five sizes.");
console.log("##    PyWake's published autograd AEP gradient (quoted from issue 14, not measured here): 80 turbines 9.1 s and 1.3 GB;");
console.log("##    500 turbines 342 s and 50 GB.");
gc();
console.log(`##    Process RSS before this section (node + tsx + section 1): ${fmtMiB(process.memoryUsage.rss())}.\n`);

for (const cfg of scaleConfigs) {
  const D = cfg.model.turbine.diameterM;
  const probe = gradientIsAnalytic(cfg.model);
  console.log(`${cfg.label} (${cfg.cases} flow cases, D = ${D} m, spacing ${5 * D} m); gradient ${probe.analytic ? "analytic" : "no analytic gradient"} (AEP+gradient/AEP time ${probe.ratio.toFixed(1)} on the Horns Rev 1 layout, 36 directions; finite differences would be ~${2 * hr.x.length + 1})`);
  console.log(`${"n".padStart(6)}${"AEP".padStart(10)}${"(CPU)".padStart(11)}${"peak RSS (+)".padStart(15)}${"AEP+grad".padStart(10)}${"(CPU)".padStart(11)}${"peak RSS (+)".padStart(15)}  AEP GWh`);
  const aepT: number[] = [];
  const gradT: number[] = [];
  const aepCpu: number[] = [];
  const gradCpu: number[] = [];
  const notes: string[] = [];
  /**
   * Times `call(opts)` on all flow cases, or — when the last two sizes predict over ~60 s
   * (the bench's budget; PHYSBENCH_FULL=1 lifts it) — on every REDUCE_BY-th direction, scaled
   * back by the direction count (the work is linear in directions) and flagged with '*'.
   */
  const timed = (what: string, n: number, prevT: number[], call: (opts?: { wdDeg: Float64Array }) => void): Timed => {
    const predicted = predictNext(SIZES, prevT, n);
    const wd = cfg.model.site.defaultWdDeg;
    if (FULL || predicted <= 60 || wd.length < 2 * REDUCE_BY) {
      const m = measured(() => call(), 1);
      return { t: m.s, cpu: m.cpuS, cell: `${fmt(m.s).padStart(10)}${`(${fmt(m.cpuS)})`.padStart(11)}${fmtMem(m).padStart(15)}` };
    }
    const wdDeg = Float64Array.from({ length: Math.ceil(wd.length / REDUCE_BY) }, (_, i) => wd[i * REDUCE_BY]);
    const m = measured(() => call({ wdDeg }), 1);
    const scale = wd.length / wdDeg.length;
    notes.push(`  * n = ${n} ${what}: predicted ${fmt(predicted)} (> 60 s) from the two previous sizes, so timed on ${wdDeg.length} of ${wd.length} directions (${fmt(m.s)} wall) and scaled ×${scale}; memory is that reduced run's.`);
    return { t: m.s * scale, cpu: m.cpuS * scale, cell: `${`≈${fmt(m.s * scale)}*`.padStart(10)}${`(${fmt(m.cpuS * scale)})`.padStart(11)}${fmtMem(m).padStart(15)}` };
  };
  for (const n of SIZES) {
    const { x, y } = gridFarm(n, 5 * D);
    let value = NaN;
    const a = timed("AEP", n, aepT, (opts) => { const v = aepGWh(cfg.model, x, y, opts); if (!opts) value = v; });
    aepT.push(a.t);
    aepCpu.push(a.cpu);
    let gradCell = "no gradient".padStart(36);
    if (probe.analytic) {
      const gx = new Float64Array(n);
      const gy = new Float64Array(n);
      const g = timed("AEP+gradient", n, gradT, (opts) => { aepGradient(cfg.model, x, y, gx, gy, opts); });
      gradT.push(g.t);
      gradCpu.push(g.cpu);
      gradCell = g.cell;
    }
    console.log(`${String(n).padStart(6)}${a.cell}${gradCell}  ${Number.isNaN(value) ? "(reduced)" : value.toFixed(3)}`);
  }
  for (const note of notes) console.log(note);
  const expG = gradT.length === SIZES.length ? `${fitExponent(SIZES, gradT).toFixed(2)} (CPU ${fitExponent(SIZES, gradCpu).toFixed(2)})` : "no gradient";
  console.log(`  fitted exponent of time in n: AEP ${fitExponent(SIZES, aepT).toFixed(2)} (CPU ${fitExponent(SIZES, aepCpu).toFixed(2)}), AEP+gradient ${expG}${notes.length ? "; the fits include the scaled points" : ""}`);
  console.log(`  typed arrays held after n = ${SIZES[SIZES.length - 1]} (process.memoryUsage().arrayBuffers: the engine's kept scratch and this bench's inputs): ${fmtMiB(process.memoryUsage().arrayBuffers)}`);
  if (probe.analytic) {
    // Power-law through the 320 point with the fitted exponent, for the 500 turbines PyWake published.
    const at500 = (t: number[]) => Math.exp(Math.log(t[2]) + fitExponent(SIZES, t) * Math.log(500 / SIZES[2]));
    const w500 = at500(gradT);
    const c500 = at500(gradCpu);
    console.log(`  vs PyWake autograd (published; the issue does not state its flow cases): 80 turbines ${fmt(gradT[0])} wall, ${fmt(gradCpu[0])} CPU vs 9.1 s (${(9.1 / gradT[0]).toFixed(0)}× / ${(9.1 / gradCpu[0]).toFixed(0)}×);`);
    console.log(`    500 turbines, from the fit: ≈ ${fmt(w500)} wall, ${fmt(c500)} CPU vs 342 s (${(342 / w500).toFixed(0)}× / ${(342 / c500).toFixed(0)}×); memory: the process's whole peak RSS above vs 1.3 GB / 50 GB`);
  }
  console.log("");
}
// ---------------------------------------------------------------------------------------
// 3. Speed-free wakes

{
  // The IEA 37 case-study 4 farm on its 360 × 20 rose: IEA37_10MW (Ct 8/9 at every speed, so one
  // pass over a direction's pairs serves all 20 speeds) against the same curves as a table, which
  // the engine cannot know to be speed-free and so runs speed by speed (the baseline, same run).
  const site = builtinSite("iea37-cs4");
  const cubic = builtinTurbine("IEA37_10MW");
  const ws = Float64Array.from({ length: 501 }, (_, i) => i * 0.06);
  const pc = new Float64Array(4);
  const powerW = Float64Array.from(ws, (v) => { turbinePowerCt(cubic, v, pc); return pc[0]; });
  const table = tabularTurbine({ name: "IEA37_10MW as a table", diameterM: cubic.diameterM, hubHeightM: cubic.hubHeightM, ws, powerW, ct: ws.map(() => 8 / 9) });
  const deficit = deficitModel("IEA37SimpleBastankhahGaussian");
  const free = windFarmModel({ site, turbine: cubic, deficit });
  const perSpeed = windFarmModel({ site, turbine: table, deficit });
  const { x, y } = builtinLayout("iea37-cs4-baseline");
  const gx = new Float64Array(x.length);
  const gy = new Float64Array(x.length);
  const rows: [string, WindFarmModel, Series, Series][] = [["speed-free (IEA37_10MW)", free, newSeries(), newSeries()], ["per speed (the same curves as a table)", perSpeed, newSeries(), newSeries()]];
  for (const [, m] of rows) { aepGWh(m, x, y); aepGradient(m, x, y, gx, gy); }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [, m, a, g] of rows) { timeOnce(a, () => aepGWh(m, x, y)); timeOnce(g, () => aepGradient(m, x, y, gx, gy)); }
  }
  console.log(`\n## 3. Speed-free wakes: IEA 37 case study 4's baseline (81 turbines, 360 × 20 flow cases), median wall (CPU) of ${ROUNDS} alternating rounds.\n`);
  console.log(`${"path".padEnd(42)}${"AEP".padStart(10)}${"(CPU)".padStart(11)}${"AEP+grad".padStart(10)}${"(CPU)".padStart(11)}  AEP GWh`);
  for (const [name, m, a, g] of rows) {
    console.log(`${name.padEnd(42)}${fmt(median(a.wall)).padStart(10)}${`(${fmt(median(a.cpu))})`.padStart(11)}${fmt(median(g.wall)).padStart(10)}${`(${fmt(median(g.cpu))})`.padStart(11)}  ${aepGWh(m, x, y).toFixed(3)}`);
  }
  const [, , fa, fg] = rows[0];
  const [, , pa, pg] = rows[1];
  console.log(`  per speed / speed-free: AEP ${(median(pa.wall) / median(fa.wall)).toFixed(1)}×, AEP + gradient ${(median(pg.wall) / median(fg.wall)).toFixed(1)}× (the table's AEP differs by ${(Math.abs(aepGWh(perSpeed, x, y) / aepGWh(free, x, y) - 1)).toExponential(0)}: linear between its 0.06 m/s rows)`);
}

console.log(`load average at end: ${loadLine()}; whole physics bench ${((performance.now() - benchStart) / 1e3).toFixed(0)} s`);
