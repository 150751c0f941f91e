/**
 * Physics speed: Horns Rev 1 (80 turbines × 360 directions × 23 speeds) with NOJ and with
 * BastankhahGaussian, IEA37-64 AEP (16 directions) and its gradient. Prints the median time
 * and the ratio to PyWake's recorded time on this machine class
 * (../shared/reference/pywake_timings.json), and a within-run baseline: the same AEP by a
 * plain loop (every pair, every speed, no sharing or culling) written here.
 *
 * The targets (issue 2, one core): ≥ 25× Horns Rev NOJ, ≥ 15× Horns Rev Bastankhah,
 * ≥ 50× IEA37-64 AEP, ≥ 300× its gradient. Issue 15 adds Horns Rev 1 with `Nygaard_2022`,
 * `Niayifar_PorteAgel_2016` and NiayifarGaussian + STF2017, ≥ 20× each; PyWake's times for those
 * are the issue's (12.5 s, 5.8 s, 2.0 s on this machine class; pywake_timings.json predates them).
 * The machine is shared: times are noisy.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { parseWakeModel, windFarmModelOf } from "../src/physics/modelSpec.js";
import {
  aepGWh, aepGradient, builtinLayout, builtinSite, builtinTurbine, deficitModel, flowCaseProbabilities,
  superpositionModel, turbinePowerCt, windFarmModel, type WindFarmModel,
} from "../src/physics/index.js";

const timings = JSON.parse(readFileSync(new URL("../../shared/reference/pywake_timings.json", import.meta.url), "utf8")).summary;

interface Timing { median: number; min: number; cpuMedian: number; runs: number }

/**
 * Median wall time and median CPU time (this process, user + system) per call. Calls shorter
 * than ~20 ms are timed in batches so the CPU clock's granularity does not matter.
 */
function timeIt(f: () => void, opts: { warmup: number; minRuns: number; minSeconds: number; batch?: number }): Timing {
  for (let i = 0; i < opts.warmup; i++) f();
  const batch = opts.batch ?? 1;
  const wall: number[] = [];
  const cpu: number[] = [];
  const start = performance.now();
  while (wall.length < opts.minRuns || performance.now() - start < opts.minSeconds * 1e3) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let b = 0; b < batch; b++) f();
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    wall.push((t1 - t0) / 1e3 / batch);
    cpu.push((c1.user + c1.system) / 1e6 / batch);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { median: wall[wall.length >> 1], min: wall[0], cpuMedian: cpu[cpu.length >> 1], runs: wall.length * batch };
}

/** Straightforward propagate-downwind: all pairs per flow case, formulas inline, no sharing. */
function plainAep(model: WindFarmModel, x: Float64Array, y: Float64Array): number {
  const site = model.site;
  const wd = site.defaultWdDeg;
  const ws = site.defaultWs;
  const pLK = flowCaseProbabilities(site, wd, ws);
  const n = x.length;
  const D = model.turbine.diameterM;
  const pc = new Float64Array(4);
  const aepI = new Float64Array(n);
  const wsEff = new Float64Array(n);
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
        wsEff[j] = WS - Math.sqrt(sum);
        turbinePowerCt(model.turbine, wsEff[j], pc);
        ct[j] = pc[1];
        aepI[j] += pc[0] * pLK[l * ws.length + k] * 8760e-9;
      }
    }
  }
  return aepI.reduce((t, v) => t + v, 0);
}

interface Row { name: string; pywakeS: number; target: number; t: Timing; plain?: Timing; value: number; plainValue?: number }
const rows: Row[] = [];

const hr = builtinLayout("hornsrev1");
for (const [deficit, pyKey, target] of [["NOJ", "hornsrev1_NOJ_simres_aep", 25], ["BastankhahGaussian", "hornsrev1_BastankhahGaussian_wfm_aep", 15]] as const) {
  const model = windFarmModel({ site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"), deficit: deficitModel(deficit), superposition: superpositionModel("squared") });
  let value = 0;
  const t = timeIt(() => { value = aepGWh(model, hr.x, hr.y); }, { warmup: 3, minRuns: 15, minSeconds: 3 });
  let plainValue = 0;
  const plain = timeIt(() => { plainValue = plainAep(model, hr.x, hr.y); }, { warmup: 1, minRuns: 2, minSeconds: 0 });
  rows.push({ name: `Horns Rev 1 ${deficit} AEP`, pywakeS: timings[pyKey].median_of_15_s, target, t, plain, value, plainValue });
}

// Issue 15: the literature presets and a turbulence model on Horns Rev 1 (the general kernel)
for (const [label, spec, pywakeS] of [
  ["Nygaard_2022", { preset: "Nygaard_2022" }, 12.5],
  ["Niayifar_PorteAgel_2016", { preset: "Niayifar_PorteAgel_2016" }, 5.8],
  ["NiayifarGaussian+STF2017", { deficit: "NiayifarGaussian", turbulence: "STF2017" }, 2.0],
] as const) {
  const model = windFarmModelOf(builtinSite("hornsrev1"), builtinTurbine("V80"), parseWakeModel(spec));
  let value = 0;
  const t = timeIt(() => { value = aepGWh(model, hr.x, hr.y); }, { warmup: 2, minRuns: 7, minSeconds: 3 });
  rows.push({ name: `HR1 ${label}`, pywakeS, target: 20, t, value });
}

const iea = windFarmModel({ site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared") });
const l64 = builtinLayout("iea37-64");
{
  let value = 0;
  const t = timeIt(() => { value = aepGWh(iea, l64.x, l64.y); }, { warmup: 200, minRuns: 30, minSeconds: 2, batch: 50 });
  let plainValue = 0;
  const plain = timeIt(() => { plainValue = plainAep(iea, l64.x, l64.y); }, { warmup: 5, minRuns: 10, minSeconds: 0.5 });
  rows.push({ name: "IEA37-64 AEP (16 dirs)", pywakeS: timings.iea37_64_wd16.median_of_15_s, target: 50, t, plain, value, plainValue });
}
{
  const gx = new Float64Array(64);
  const gy = new Float64Array(64);
  let value = 0;
  const t = timeIt(() => { value = aepGradient(iea, l64.x, l64.y, gx, gy); }, { warmup: 200, minRuns: 30, minSeconds: 2, batch: 50 });
  rows.push({ name: "IEA37-64 AEP + gradient", pywakeS: timings.iea37_64_wd16_grad_autograd.median_of_15_s, target: 300, t, value });
}

const fmt = (s: number) => (s >= 0.1 ? `${s.toFixed(3)} s` : `${(s * 1e3).toFixed(3)} ms`);
const load0 = loadavg()[0];
console.log(`node ${process.version}, one thread; ${availableParallelism()} cores; load average ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
console.log("The machine is shared: wall times include waiting for a core; the CPU-time column is this process's own.");
console.log("PyWake: median of 15 calls from pywake_timings.json (also on a shared machine, load 4-6).\n");
console.log("case                        wall median  (min)       CPU median   runs   PyWake   ratio wall  ratio CPU  target (wall/CPU)  plain loop CPU (×)   AEP GWh");
for (const r of rows) {
  const rw = r.pywakeS / r.t.median;
  const rc = r.pywakeS / r.t.cpuMedian;
  console.log(
    `${r.name.padEnd(26)}${fmt(r.t.median).padStart(11)}  (${fmt(r.t.min).padStart(10)})${fmt(r.t.cpuMedian).padStart(11)}${String(r.t.runs).padStart(7)}${fmt(r.pywakeS).padStart(10)}${(rw.toFixed(1) + "×").padStart(11)}${(rc.toFixed(1) + "×").padStart(11)}  ${`${r.target}× ${rw >= r.target ? "met" : "missed"}/${rc >= r.target ? "met" : "missed"}`.padEnd(17)}  ${r.plain ? `${fmt(r.plain.cpuMedian).padStart(10)} (${(r.plain.cpuMedian / r.t.cpuMedian).toFixed(1)}×)`.padEnd(19) : "".padEnd(19)}  ${r.value.toFixed(9)}`,
  );
  if (r.plainValue !== undefined && Math.abs(r.plainValue - r.value) > 1e-9 * r.value) console.log(`  ! plain loop disagrees: ${r.plainValue}`);
}
if (load0 > availableParallelism()) console.log(`\nload average ${load0.toFixed(1)} > ${availableParallelism()} cores: other processes shared these cores; expect wall times several times the unloaded ones.`);
