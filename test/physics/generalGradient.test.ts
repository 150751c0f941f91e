// The reverse-mode AEP gradient of every WakeModel (src/physics/generalGradient.ts) against central
// finite differences of the forward model it differentiates (generalPropagation.ts), on the
// irregular 9-turbine V80 layout of ../shared/reference/pywake_models2.json (scaled 130/80 for the
// IEA 37 turbine, as that file does). Directions are offset 3° from the 22.5° grid so no pair is
// exactly aligned (|hcw| has a kink at 0 under the GaussianOverlap table).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseWakeModel, type WakeModel } from "../../src/physics/modelSpec.js";
import { propagateGeneral } from "../../src/physics/generalPropagation.js";
import { generalAepGradient, gaussianOverlapSlopes, overlapFractionSlopesAll } from "../../src/physics/generalGradient.js";
import { overlapFraction } from "../../src/physics/deficit/noj.js";
import { gaussianOverlapFactor, gaussianOverlapTable } from "../../src/physics/rotorAverage/gaussianOverlap.js";
import { builtinTurbine, type Turbine } from "../../src/physics/turbine.js";
import { reference } from "./helpers.js";

const ref = reference("pywake_models2.json");
const lay = ref.layouts_V80.irregular9 as { x: number[]; y: number[] };
const WD = Array.from({ length: 16 }, (_, l) => 3 + 22.5 * l);
const WS = [5, 7, 9, 11];
const P = new Float64Array(WD.length * WS.length).fill(1 / 16);

function aep(wake: WakeModel, t: Turbine, ti: number, x: Float64Array, y: Float64Array): number {
  const r = propagateGeneral(wake, t, ti, x, y, WD, WS);
  let s = 0;
  for (let i = 0; i < r.power.length; i++) s += r.power[i] * (1 / 16) * 8760e-9;
  return s;
}

function check(name: string, model: unknown, turbineName: "V80" | "IEA37_3.35MW", ti: number, h: number): void {
  test(`gradient = central differences: ${name}`, () => {
    const wake = parseWakeModel(model);
    const t = builtinTurbine(turbineName);
    const scale = turbineName === "V80" ? 1 : 130 / 80;
    const x = Float64Array.from(lay.x, (v) => v * scale);
    const y = Float64Array.from(lay.y, (v) => v * scale);
    const n = x.length;
    const gx = new Float64Array(n);
    const gy = new Float64Array(n);
    const a = generalAepGradient(wake, t, ti, x, y, WD, WS, P, gx, gy);
    const a0 = aep(wake, t, ti, x, y);
    assert.ok(Math.abs(a - a0) <= 1e-12 * a0, `AEP ${a} vs ${a0}`);
    let gMax = 0;
    let err = 0;
    for (let i = 0; i < n; i++) {
      for (const [arr, g] of [[x, gx], [y, gy]] as const) {
        const v = arr[i];
        arr[i] = v + h; const ap = aep(wake, t, ti, x, y);
        arr[i] = v - h; const am = aep(wake, t, ti, x, y);
        arr[i] = v;
        const fd = (ap - am) / (2 * h);
        gMax = Math.max(gMax, Math.abs(g[i]));
        err = Math.max(err, Math.abs(fd - g[i]));
      }
    }
    assert.ok(gMax > 1e-6, `${name}: a gradient that can fail (max |g| ${gMax} GWh/m)`);
    console.log(`  ${name}: max |analytic − FD| / max |g| = ${(err / gMax).toExponential(2)} (max |g| ${gMax.toExponential(2)} GWh/m)`);
    assert.ok(err <= 1e-6 * gMax, `${name}: ${err / gMax}`);
  });
}

// The nine reference variants, the other turbulence models and presets, and the options.
check("NiayifarGaussian + STF2017", { deficit: "NiayifarGaussian", superposition: "squared", turbulence: "STF2017" }, "V80", 0.1, 1e-4);
check("NiayifarGaussian + CrespoHernandez", { deficit: "NiayifarGaussian", superposition: "squared", turbulence: "CrespoHernandez" }, "V80", 0.1, 1e-4);
check("NiayifarGaussian + STF2005 (linear)", { deficit: "NiayifarGaussian", superposition: "linear", turbulence: "STF2005" }, "V80", 0.06, 1e-4);
check("NiayifarGaussian + GCL", { deficit: "NiayifarGaussian", superposition: "squared", turbulence: "GCL" }, "V80", 0.1, 1e-4);
check("NiayifarGaussian, ambient TI", { deficit: "NiayifarGaussian", superposition: "squared", turbulence: "STF2017", use_effective_ti: false }, "V80", 0.1, 1e-4);
check("Niayifar_PorteAgel_2016", { preset: "Niayifar_PorteAgel_2016" }, "V80", 0.1, 1e-5);
check("Nygaard_2022", { preset: "Nygaard_2022" }, "V80", 0.06, 1e-5);
check("TurboGaussian (centre, Mirror)", { deficit: "TurboGaussian", superposition: "squared" }, "V80", 0.1, 1e-4);
check("TurboGaussian, effective TI, STF2017, linear", { deficit: "TurboGaussian", superposition: "linear", turbulence: "STF2017", use_effective_ti: true, use_effective_ws: true }, "V80", 0.1, 1e-4);
check("Bastankhah_PorteAgel_2014", { preset: "Bastankhah_PorteAgel_2014", k: 0.0324555 }, "V80", 0.1, 1e-4);
check("BastankhahGaussian + STF2017", { deficit: "BastankhahGaussian", superposition: "squared", turbulence: "STF2017" }, "V80", 0.1, 1e-4);
check("BastankhahGaussian + GaussianOverlap + CrespoHernandez", { deficit: "BastankhahGaussian", superposition: "squared", rotor_average: "GaussianOverlap", turbulence: "CrespoHernandez" }, "V80", 0.1, 1e-5);
check("NOJ linear", { deficit: "NOJ", superposition: "linear" }, "V80", 0.1, 1e-4);
check("Jensen_1983 + CrespoHernandez", { deficit: "NOJ", superposition: "squared", turbulence: "CrespoHernandez" }, "V80", 0.1, 1e-4);
check("IEA37SimpleBastankhahGaussian + GCL", { deficit: "IEA37SimpleBastankhahGaussian", superposition: "squared", turbulence: "GCL" }, "IEA37_3.35MW", 0.1, 1e-4);
check("IEA37CaseStudy1", { preset: "IEA37CaseStudy1" }, "IEA37_3.35MW", 0.075, 1e-4);

test("GaussianOverlap table slopes are the bilinear cell's (central differences inside a cell)", () => {
  const table = gaussianOverlapTable();
  const out = new Float64Array(3);
  for (const [u, v] of [[1.234, 0.567], [0.4321, 2.3456], [2.0051, 0.0049], [7.777, 3.333]]) {
    gaussianOverlapSlopes(u, v, table, out);
    assert.equal(out[0], gaussianOverlapFactor(u, v, table));
    const e = 1e-6;
    const fu = (gaussianOverlapFactor(u + e, v, table) - gaussianOverlapFactor(u - e, v, table)) / (2 * e);
    const fv = (gaussianOverlapFactor(u, v + e, table) - gaussianOverlapFactor(u, v - e, table)) / (2 * e);
    assert.ok(Math.abs(fu - out[1]) <= 1e-8 * Math.max(1, Math.abs(fu)), `∂u at ${u},${v}: ${out[1]} vs ${fu}`);
    assert.ok(Math.abs(fv - out[2]) <= 1e-8 * Math.max(1, Math.abs(fv)), `∂v at ${u},${v}: ${out[2]} vs ${fv}`);
  }
});

test("area-overlap slopes, wake wider and narrower than the rotor", () => {
  const out = new Float64Array(2);
  for (const [r1, r2, dd] of [[60, 40, 50], [45, 40, 30], [30, 40, 25], [20, 40, 35]]) {
    overlapFractionSlopesAll(r1, r2, dd, out);
    const e = 1e-6;
    const f1 = (overlapFraction(r1 + e, r2, dd) - overlapFraction(r1 - e, r2, dd)) / (2 * e);
    const fd = (overlapFraction(r1, r2, dd + e) - overlapFraction(r1, r2, dd - e)) / (2 * e);
    assert.ok(Math.abs(f1 - out[0]) <= 1e-7, `∂r1 (${r1}, ${r2}, ${dd}): ${out[0]} vs ${f1}`);
    assert.ok(Math.abs(fd - out[1]) <= 1e-7, `∂d (${r1}, ${r2}, ${dd}): ${out[1]} vs ${fd}`);
  }
});
