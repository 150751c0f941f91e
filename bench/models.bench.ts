/**
 * Issue 15: Horns Rev 1 (80 × V80, 360 × 23 flow cases, Weibull site, ambient TI 0.1) AEP with
 * the models PyWake users compare by, against PyWake's times on this machine class as the issue
 * gives them (pywake_timings.json predates these models): `Nygaard_2022` 12.5 s,
 * `Niayifar_PorteAgel_2016` 5.8 s, `NiayifarGaussian` + `STF2017` 2.0 s; target ≥ 20× each on one
 * core. Also the AEP + gradient time (reverse mode, generalGradient.ts) the optimizer pays per
 * evaluation with these models. Median and minimum wall time over alternating rounds, CPU time of
 * this process beside it. BENCH_MODELS_ROUNDS (default 5).
 */
import { availableParallelism, loadavg } from "node:os";
import { aepGWh, aepGradient, builtinLayout, builtinSite, builtinTurbine, parseWakeModel, windFarmModelOf } from "../src/physics/index.js";

const ROUNDS = Math.max(3, Number(process.env.BENCH_MODELS_ROUNDS ?? 5));
const fmt = (s: number) => (s >= 0.1 ? `${s.toFixed(3)} s` : `${(s * 1e3).toFixed(2)} ms`);
const median = (a: number[]) => { const s = [...a].sort((p, q) => p - q); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const hr = builtinLayout("hornsrev1");
const cases = ([
  ["Nygaard_2022", { preset: "Nygaard_2022" }, 12.5],
  ["Niayifar_PorteAgel_2016", { preset: "Niayifar_PorteAgel_2016" }, 5.8],
  ["NiayifarGaussian+STF2017", { deficit: "NiayifarGaussian", turbulence: "STF2017" }, 2.0],
] as const).map(([name, spec, pywakeS]) => ({
  name, pywakeS,
  model: windFarmModelOf(builtinSite("hornsrev1"), builtinTurbine("V80"), parseWakeModel(spec)),
  wall: [] as number[], cpu: [] as number[], gWall: [] as number[], gCpu: [] as number[], value: NaN,
}));

console.log(`node ${process.version}, one thread; ${availableParallelism()} cores; load average ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
for (const c of cases) c.value = aepGWh(c.model, hr.x, hr.y); // warm-up (JIT, the GaussianOverlap table)
const gx = new Float64Array(80);
const gy = new Float64Array(80);
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cases) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    c.value = aepGWh(c.model, hr.x, hr.y);
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    c.wall.push((t1 - t0) / 1e3);
    c.cpu.push((c1.user + c1.system) / 1e6);
  }
}
for (const c of cases) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const a = aepGradient(c.model, hr.x, hr.y, gx, gy);
  c.gWall.push((performance.now() - t0) / 1e3);
  const c1 = process.cpuUsage(c0);
  c.gCpu.push((c1.user + c1.system) / 1e6);
  if (Math.abs(a - c.value) > 1e-12 * c.value) console.log(`  ! ${c.name}: aepGradient's AEP ${a} differs from aepGWh ${c.value}`);
}
console.log(`\n${"HR1 model".padEnd(28)}${"median".padStart(10)}${"min".padStart(10)}${"CPU med".padStart(10)}${"PyWake".padStart(9)}${"ratio".padStart(8)}  ${"target".padEnd(14)}${"AEP+grad".padStart(10)}${"(CPU)".padStart(10)}  AEP GWh`);
for (const c of cases) {
  const med = median(c.wall);
  const ratio = c.pywakeS / med;
  console.log(`${c.name.padEnd(28)}${fmt(med).padStart(10)}${fmt(Math.min(...c.wall)).padStart(10)}${fmt(median(c.cpu)).padStart(10)}${fmt(c.pywakeS).padStart(9)}${(ratio.toFixed(1) + "×").padStart(8)}  ${(`≥20× ${ratio >= 20 ? "met" : "MISSED"}`).padEnd(14)}${fmt(c.gWall[0]).padStart(10)}${fmt(c.gCpu[0]).padStart(10)}  ${c.value.toFixed(9)}`);
}
console.log(`load average at end ${loadavg().map((v) => v.toFixed(2)).join(" ")}; ratio = PyWake / median wall time`);
