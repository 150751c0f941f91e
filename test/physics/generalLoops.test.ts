// The general kernel's specialised loops (src/physics/kernels/generalLoops.ts) against its generic
// loop (general.ts `genericDirection`, forced by `generic: true`): every tensor entry (WS_eff,
// TI_eff, power, Ct) and the AEP per turbine equal to the bit, on Horns Rev 1 (80 × V80) and on a
// pseudo-random 30-turbine layout, with flow cases that include a speed below cut-in (Ct = 0 at
// every turbine) and the top of the Ct table. The generic loop itself is checked against PyWake
// (models2.test.ts) and against the plain loop (generalPropagation.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { hasSpecialisedLoop, propagateFast, wakeModelOf } from "../../src/physics/kernels/general.js";
import { flatSkippedCount as flatSkippedFlowCases } from "../../src/physics/kernels/common.js";
import type { Tensors } from "../../src/physics/kernels/common.js";
import { parseWakeModel, windFarmModelOf } from "../../src/physics/modelSpec.js";
import { builtinLayout } from "../../src/physics/layouts.js";
import { builtinSite } from "../../src/physics/site.js";
import { builtinTurbine } from "../../src/physics/turbine.js";

const SPECIALISED: Record<string, unknown> = {
  "NiayifarGaussian+STF2017": { deficit: "NiayifarGaussian", turbulence: "STF2017" },
  "NiayifarGaussian+STF2017, linear sum, mom1d, effective WS": { deficit: "NiayifarGaussian", turbulence: "STF2017", superposition: "linear", ct2a: "mom1d", use_effective_ws: true },
  "NiayifarGaussian+STF2017, ambient TI": { deficit: "NiayifarGaussian", turbulence: "STF2017", use_effective_ti: false },
  "BastankhahGaussian+STF2017": { deficit: "BastankhahGaussian", turbulence: "STF2017" },
  Niayifar_PorteAgel_2016: { preset: "Niayifar_PorteAgel_2016" },
  "Niayifar_PorteAgel_2016, free-stream WS": { preset: "Niayifar_PorteAgel_2016", use_effective_ws: false },
  "NiayifarGaussian+CrespoHernandez+GaussianOverlap, squared": { deficit: "NiayifarGaussian", turbulence: "CrespoHernandez", rotor_average: "GaussianOverlap" },
};
const GENERIC_ONLY: Record<string, unknown> = {
  Nygaard_2022: { preset: "Nygaard_2022" },
  "NiayifarGaussian+STF2017, squared TI sum": { deficit: "NiayifarGaussian", turbulence: "STF2017", turbulence_sum: "squared" },
  "NiayifarGaussian+CrespoHernandez (centre)": { deficit: "NiayifarGaussian", turbulence: "CrespoHernandez" },
  "IEA37Simple+GCL": { deficit: "IEA37SimpleBastankhahGaussian", turbulence: "GCL" },
};

const turbine = builtinTurbine("V80");
const site = builtinSite("hornsrev1");
const hr = builtinLayout("hornsrev1");
let seed = 11;
const rnd = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const rx: number[] = [];
const ry: number[] = [];
for (let i = 0; i < 30; i++) { rx.push((i % 6) * 420 + rnd() * 200); ry.push(Math.floor(i / 6) * 520 + rnd() * 200); }
const LAYOUTS = [
  { name: "Horns Rev 1", x: hr.x, y: hr.y, wd: Array.from({ length: 24 }, (_, l) => l * 15 + 2) },
  { name: "random 30", x: rx, y: ry, wd: Array.from({ length: 36 }, (_, l) => l * 10 + 3) },
];
const WS = [3, 3.5, 4, 7, 9.5, 12, 16, 25, 27];

function run(spec: unknown, x: ArrayLike<number>, y: ArrayLike<number>, wd: number[], generic: boolean): { t: Tensors; aepI: Float64Array } {
  const model = windFarmModelOf(site, turbine, parseWakeModel(spec));
  const size = x.length * wd.length * WS.length;
  const t: Tensors = { wsEffILK: new Float64Array(size), powerILK: new Float64Array(size), ctILK: new Float64Array(size), tiEffILK: new Float64Array(size) };
  const pLK = Float64Array.from({ length: wd.length * WS.length }, (_, i) => 1 / (1 + i));
  const aepI = new Float64Array(x.length);
  propagateFast(wakeModelOf(model), turbine, site.ti, x, y, wd, WS, { tensors: t, pLK, aepI, generic });
  return { t, aepI };
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `[${i}] ${a[i]} vs ${b[i]}`;
  return null;
}

for (const [name, spec] of Object.entries(SPECIALISED)) {
  test(`${name}: the specialised loop equals the generic loop to the bit`, () => {
    const model = windFarmModelOf(site, turbine, parseWakeModel(spec));
    assert.ok(hasSpecialisedLoop(wakeModelOf(model), turbine, site.ti, WS), "takes a specialised loop");
    for (const lay of LAYOUTS) {
      const fast = run(spec, lay.x, lay.y, lay.wd, false);
      const gen = run(spec, lay.x, lay.y, lay.wd, true);
      let waked = 0;
      for (let i = 0; i < gen.t.wsEffILK.length; i++) if (gen.t.wsEffILK[i] < WS[i % WS.length]) waked++;
      assert.ok(waked > gen.t.wsEffILK.length / 3, `${lay.name}: wakes reach turbines (${waked})`);
      for (const key of ["wsEffILK", "tiEffILK", "powerILK", "ctILK"] as const) {
        assert.equal(firstDifference(fast.t[key] as Float64Array, gen.t[key] as Float64Array), null, `${lay.name} ${key}`);
      }
      assert.equal(firstDifference(fast.aepI, gen.aepI), null, `${lay.name} aepI`);
    }
  });
}

test("combinations without a loop of their own run the generic loop", () => {
  for (const spec of Object.values(GENERIC_ONLY)) {
    const model = windFarmModelOf(site, turbine, parseWakeModel(spec));
    assert.equal(hasSpecialisedLoop(wakeModelOf(model), turbine, site.ti, WS), false, JSON.stringify(spec));
  }
});

test("AEP alone (no tensors): the flat top of the power curve is skipped where every WS_eff provably stays on it; AEP per turbine equal to the bit", () => {
  // Horns Rev 1's flow cases (360 × 3…25 m/s) and speeds past the table's end (clamped: flat too):
  // V80's power is flat from 17 m/s
  const wd = Array.from({ length: 360 }, (_, l) => l);
  const ws = Array.from({ length: 27 }, (_, k) => 3 + k);
  const pLK = Float64Array.from({ length: 360 * 27 }, (_, i) => 1 / (1 + (i % 97)));
  for (const spec of [SPECIALISED["NiayifarGaussian+STF2017"], SPECIALISED["NiayifarGaussian+STF2017, linear sum, mom1d, effective WS"], SPECIALISED["BastankhahGaussian+STF2017"],
    SPECIALISED.Niayifar_PorteAgel_2016, SPECIALISED["NiayifarGaussian+CrespoHernandez+GaussianOverlap, squared"]]) {
    const wake = wakeModelOf(windFarmModelOf(site, turbine, parseWakeModel(spec)));
    // a dense 6 × 6 grid at 2 D: wakes deep enough that the bound keeps most speeds propagated
    const dx = Array.from({ length: 36 }, (_, i) => (i % 6) * 160);
    const dy = Array.from({ length: 36 }, (_, i) => Math.floor(i / 6) * 160);
    const d0 = flatSkippedFlowCases();
    const denseFast = new Float64Array(36);
    propagateFast(wake, turbine, site.ti, dx, dy, wd, ws, { pLK, aepI: denseFast });
    const denseSkipped = flatSkippedFlowCases() - d0;
    const denseGen = new Float64Array(36);
    propagateFast(wake, turbine, site.ti, dx, dy, wd, ws, { pLK, aepI: denseGen, generic: true });
    assert.equal(firstDifference(denseFast, denseGen), null, `dense: ${JSON.stringify(spec)}`);
    const before = flatSkippedFlowCases();
    const fast = new Float64Array(80);
    propagateFast(wake, turbine, site.ti, hr.x, hr.y, wd, ws, { pLK, aepI: fast });
    const skipped = flatSkippedFlowCases() - before;
    const gen = new Float64Array(80);
    propagateFast(wake, turbine, site.ti, hr.x, hr.y, wd, ws, { pLK, aepI: gen, generic: true });
    assert.equal(firstDifference(fast, gen), null, JSON.stringify(spec));
    console.log(`  ${JSON.stringify(spec)}: ${skipped} of ${360 * 27} flow cases on the flat top (dense 2 D grid: ${denseSkipped})`);
    assert.ok(skipped >= 360 * 8, `skipped ${skipped}`);
  }
});
