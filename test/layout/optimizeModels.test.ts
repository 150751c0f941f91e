// The optimizer takes every wake model of issue 15: each literature preset and a deficit with a
// turbulence model, on a small IEA 37-style farm (5 turbines in the 1300 m circle, IEA 37 rose
// at 9.8 m/s). It must end feasible, no worse than its smart start, and report the AEP that
// aepGWh gives for its layout (the same model end to end, gradients from generalGradient.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { aepGWh, builtinSite, builtinTurbine } from "../../src/physics/index.js";
import { parseWakeModel, windFarmModelOf } from "../../src/physics/modelSpec.js";
import { circleBoundary } from "../../src/layout/boundary.js";
import { feasibilityCheck } from "../../src/layout/constraints.js";
import { optimizeLayout } from "../../src/layout/optimizeLayout.js";

const models: [string, Record<string, unknown>][] = [
  ["Nygaard_2022", { preset: "Nygaard_2022" }],
  ["Niayifar_PorteAgel_2016", { preset: "Niayifar_PorteAgel_2016" }],
  ["Bastankhah_PorteAgel_2014", { preset: "Bastankhah_PorteAgel_2014", k: 0.04 }],
  ["Jensen_1983", { preset: "Jensen_1983" }],
  ["IEA37CaseStudy1", { preset: "IEA37CaseStudy1" }],
  ["NiayifarGaussian + STF2017", { deficit: "NiayifarGaussian", turbulence: "STF2017" }],
  ["TurboGaussian + CrespoHernandez, linear", { deficit: "TurboGaussian", superposition: "linear", turbulence: "CrespoHernandez", use_effective_ti: true }],
];

for (const [name, spec] of models) {
  test(`optimizeLayout with ${name}: feasible, ≥ its smart start, AEP as aepGWh`, () => {
    const model = windFarmModelOf(builtinSite("iea37"), builtinTurbine("IEA37_3.35MW"), parseWakeModel(spec));
    const b = circleBoundary([0, 0], 1300);
    const r = optimizeLayout({ model, boundary: b, nTurbines: 5, minSpacingM: 260, gridSize: 10, randomPct: 30, seed: 0, optimizer: { hops: 1, outerIterations: 3, innerIterations: 30 } });
    assert.equal(r.feasible, true);
    const f = feasibilityCheck(b, r.x, r.y, 260);
    assert.equal(f.feasible, true);
    assert.ok(r.aepGWh >= r.aepInitialGWh - 1e-9, `${r.aepGWh} < ${r.aepInitialGWh}`);
    assert.equal(r.aepGWh, aepGWh(model, r.x, r.y));
  });
}
