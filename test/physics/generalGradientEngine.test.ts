// aepGradient (the public entry point) on models the general kernel runs: the reverse-mode
// gradient of generalGradient.ts against central differences of aepGWh — the engine's own fast
// path, so this also checks that the gradient differentiates what aepGWh computes. Horns Rev 1
// site (Weibull sectors), its first 9 V80 turbines' pattern: the irregular 9-turbine layout of
// ../shared/reference/pywake_models2.json, 12 directions × 4 speeds offset from the grid.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aepGWh, aepGradient, windFarmModel } from "../../src/physics/engine.js";
import { parseWakeModel } from "../../src/physics/modelSpec.js";
import { builtinSite } from "../../src/physics/site.js";
import { builtinTurbine } from "../../src/physics/turbine.js";
import { superpositionModel } from "../../src/physics/superposition.js";
import type { DeficitModel } from "../../src/physics/deficit/index.js";
import { reference } from "./helpers.js";

const lay = reference("pywake_models2.json").layouts_V80.irregular9 as { x: number[]; y: number[] };
const opts = { wdDeg: Array.from({ length: 12 }, (_, l) => 7 + 30 * l), ws: [6, 8, 10, 12] };

for (const [name, spec] of [
  ["Niayifar_PorteAgel_2016", { preset: "Niayifar_PorteAgel_2016" }],
  ["Nygaard_2022", { preset: "Nygaard_2022" }],
  ["NiayifarGaussian + STF2017", { deficit: "NiayifarGaussian", turbulence: "STF2017" }],
  ["BastankhahGaussian + GCL, linear", { deficit: "BastankhahGaussian", superposition: "linear", turbulence: "GCL" }],
] as const) {
  test(`aepGradient of ${name} = central differences of aepGWh`, () => {
    const w = parseWakeModel(spec);
    const model = windFarmModel({
      site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"), deficit: w.deficit as DeficitModel,
      superposition: superpositionModel(w.superposition), ...(w.turbulence ? { turbulence: w.turbulence } : {}), rotorAverage: w.rotorAverage,
    });
    const x = Float64Array.from(lay.x);
    const y = Float64Array.from(lay.y);
    const n = x.length;
    const gx = new Float64Array(n);
    const gy = new Float64Array(n);
    const a = aepGradient(model, x, y, gx, gy, opts);
    const a0 = aepGWh(model, x, y, opts);
    assert.ok(Math.abs(a - a0) <= 1e-12 * a0, `AEP ${a} vs aepGWh ${a0}`);
    const h = 1e-4;
    let err = 0;
    let gMax = 0;
    for (let i = 0; i < n; i++) {
      for (const [arr, g] of [[x, gx], [y, gy]] as const) {
        const v = arr[i];
        arr[i] = v + h; const ap = aepGWh(model, x, y, opts);
        arr[i] = v - h; const am = aepGWh(model, x, y, opts);
        arr[i] = v;
        gMax = Math.max(gMax, Math.abs(g[i]));
        err = Math.max(err, Math.abs((ap - am) / (2 * h) - g[i]));
      }
    }
    console.log(`  ${name}: max |aepGradient − FD(aepGWh)| / max |g| = ${(err / gMax).toExponential(2)}`);
    assert.ok(gMax > 1e-6);
    assert.ok(err <= 1e-6 * gMax, `${err / gMax}`);
  });
}
