// The general kernel inside the engine (src/physics/kernels/general.ts, engine.ts routes): every
// entry point takes the new models — aepGWh equals simulate().aep() bit for bit, aepGradient (reverse
// mode, generalGradient.ts) equals central differences of aepGWh itself, the smart-start value map
// and flow maps run, and models without the new features stay on their own kernels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aepGWh, aepGradient, candidateAepGWh, windFarmModel } from "../../src/physics/engine.js";
import { isGeneral } from "../../src/physics/kernels/general.js";
import { flowMap } from "../../src/physics/flowMap.js";
import { parseWakeModel, windFarmModelOf } from "../../src/physics/modelSpec.js";
import { simulate } from "../../src/physics/simulate.js";
import { uniformSite } from "../../src/physics/site.js";
import { builtinTurbine } from "../../src/physics/turbine.js";
import { deficitModel } from "../../src/physics/deficit/index.js";
import { reference } from "./helpers.js";

// the irregular 9-turbine V80 layout of ../shared/reference/pywake_models2.json
const lay = reference("pywake_models2.json").layouts_V80.irregular9 as { x: number[]; y: number[] };
const wd = Array.from({ length: 16 }, (_, l) => 3 + 22.5 * l); // off the grid's alignments
const ws = [5, 8, 11, 14];
const site = uniformSite({ sectorFreq: new Array(16).fill(1 / 16), ti: 0.08, ws });

const MODELS: Record<string, unknown> = {
  Nygaard_2022: { preset: "Nygaard_2022" },
  Niayifar_PorteAgel_2016: { preset: "Niayifar_PorteAgel_2016" },
  "NiayifarGaussian+STF2017": { deficit: "NiayifarGaussian", turbulence: "STF2017" },
  "BastankhahGaussian+STF2005": { deficit: "BastankhahGaussian", turbulence: "STF2005" },
  "IEA37Simple+GCL": { deficit: "IEA37SimpleBastankhahGaussian", turbulence: "GCL" },
  "TurboGaussian+linear": { deficit: "TurboGaussian", superposition: "linear" },
};

for (const [name, spec] of Object.entries(MODELS)) {
  test(`${name}: aepGWh = simulate().aep() bit for bit; aepGradient = central differences of aepGWh`, () => {
    const model = windFarmModelOf(site, builtinTurbine("V80"), parseWakeModel(spec));
    assert.ok(isGeneral(model));
    const opts = { wdDeg: wd, ws };
    const x = Float64Array.from(lay.x);
    const y = Float64Array.from(lay.y);
    const a = aepGWh(model, x, y, opts);
    assert.equal(simulate(model, x, y, opts).aep(), a);
    const gx = new Float64Array(9);
    const gy = new Float64Array(9);
    const a2 = aepGradient(model, x, y, gx, gy, opts);
    assert.ok(Math.abs(a2 - a) <= 1e-12 * a, `${a2} vs ${a}`);
    // small steps: GaussianOverlap's bilinear table and the top-hat overlaps have kinks (grid lines of
    // R/σ, cw/σ; wake edges) that a 1e-3 m step straddles here (2e-4 of max|g| for Niayifar_PorteAgel_2016)
    const h = 1e-5;
    let gmax = 0;
    let err = 0;
    for (let i = 0; i < 9; i++) {
      for (const [arr, g] of [[x, gx], [y, gy]] as const) {
        const v = arr[i];
        arr[i] = v + h; const ap = aepGWh(model, x, y, opts);
        arr[i] = v - h; const am = aepGWh(model, x, y, opts);
        arr[i] = v;
        const fd = (ap - am) / (2 * h);
        gmax = Math.max(gmax, Math.abs(fd));
        err = Math.max(err, Math.abs(fd - g[i]));
      }
    }
    console.log(`  ${name}: max |gradient − FD| / max |g| = ${(err / gmax).toExponential(2)}`);
    assert.ok(gmax > 0 && err <= 1e-6 * gmax, `${err} vs ${gmax}`);
  });
}

test("smart-start value map and flow map take general models; at a rotor-centre model's turbine the map is its WS_eff", () => {
  const model = windFarmModelOf(site, builtinTurbine("V80"), parseWakeModel({ deficit: "BastankhahGaussian", turbulence: "STF2017", use_effective_ws: true }));
  const out = new Float64Array(3);
  candidateAepGWh(model, [0, 400], [0, 0], [800, 800, 1600], [0, 300, 0], out, { wdDeg: [270], ws: [8] });
  assert.ok(out[0] < out[1] && out[0] < out[2], `waked candidate makes less: ${Array.from(out)}`);
  const sim = simulate(model, lay.x, lay.y, { wdDeg: [250], ws: [9] });
  // a micrometre upstream of each turbine (a point at dw ≥ −1e-10 would take that turbine's own deficit, as in PyWake)
  const th = (90 - 250) * (Math.PI / 180);
  const m = flowMap(model, lay.x, lay.y, Float64Array.from(lay.x, (v) => v + 1e-6 * Math.cos(th)), Float64Array.from(lay.y, (v) => v + 1e-6 * Math.sin(th)), { wdDeg: 250, ws: 9 });
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(m[i] - sim.wsEff.data[i]) < 1e-6, `${i}: ${m[i]} vs ${sim.wsEff.data[i]}`);
});

test("models without turbulence, GaussianOverlap, TurboGaussian, mom1d or effective WS keep their own kernels", () => {
  for (const d of ["NOJ", "BastankhahGaussian", "IEA37SimpleBastankhahGaussian", "NiayifarGaussian"] as const) {
    assert.equal(isGeneral(windFarmModel({ site, turbine: builtinTurbine("V80"), deficit: deficitModel(d) })), false);
    assert.equal(isGeneral(windFarmModelOf(site, builtinTurbine("V80"), parseWakeModel({ deficit: d }))), false);
  }
  for (const p of ["Jensen_1983", "IEA37CaseStudy1"]) assert.equal(isGeneral(windFarmModelOf(site, builtinTurbine("V80"), parseWakeModel({ preset: p }))), false);
});
