// The fast kernels' flat-top skip (kernels/common.ts flatSpeedsFrom): flow cases whose every
// WS_eff provably stays on the flat top of the power curve are not propagated when only the AEP
// is asked for. The AEP per turbine must equal, bit for bit, that of the tensors path, which
// propagates every flow case; the skip must happen (Horns Rev) and be refused where wakes are deep.
import { test } from "node:test";
import assert from "node:assert/strict";
import { aepPerTurbineGWh, builtinLayout, builtinSite, builtinTurbine, flatTop, parseWakeModel, windFarmModelOf } from "../../src/physics/index.js";
import { aepGradient, runWithTensors } from "../../src/physics/engine.js";
import { flatSkippedCount } from "../../src/physics/kernels/common.js";
import { KERNELS } from "../../src/physics/kernels/index.js";

test("flatTop: the V80's flat top starts at 17 m/s with 2 MW and Ct 0.053-0.167 (its table in src/physics/data)", () => {
  const f = flatTop(builtinTurbine("V80"));
  assert.equal(f.loWs, 17);
  assert.equal(f.powerW, 2e6);
  assert.ok(f.ctMin > 0.05 && f.ctMax < 0.17 && f.ctMin < f.ctMax);
  assert.equal(flatTop(builtinTurbine("IEA37_3.35MW")).loWs, Infinity, "a cubic curve drops to 0 past cut-out: no flat top");
});

function grid(nx: number, ny: number, dx: number, dy: number): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(nx * ny), y = new Float64Array(nx * ny);
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) { x[i * ny + j] = i * dx; y[i * ny + j] = j * dy; }
  return { x, y };
}

const hr = builtinLayout("hornsrev1");
const layouts = [
  { name: "Horns Rev 1", x: Float64Array.from(hr.x), y: Float64Array.from(hr.y) },
  // 2 D spacing: the deficit bound is too large for any flat speed in many directions
  { name: "9 × 9 at 2 D", ...grid(9, 9, 160, 160) },
];

for (const spec of [
  { deficit: "NOJ" }, { deficit: "NOJ", superposition: "linear" },
  { deficit: "BastankhahGaussian" }, { deficit: "NiayifarGaussian", use_effective_ti: false },
] as const) {
  test(`flat-top skip: ${JSON.stringify(spec)} AEP per turbine equals the full propagation's bit for bit`, () => {
    const model = windFarmModelOf(builtinSite("hornsrev1"), builtinTurbine("V80"), parseWakeModel(spec));
    const skippedBy: number[] = [];
    for (const lay of layouts) {
      const n = lay.x.length;
      const full = runWithTensors(model, lay.x, lay.y).aepI;
      const before = flatSkippedCount();
      const fast = new Float64Array(n);
      aepPerTurbineGWh(model, lay.x, lay.y, fast);
      const skipped = flatSkippedCount() - before;
      assert.deepEqual(fast, full, `${lay.name}: AEP per turbine`);
      skippedBy.push(skipped);
    }
    assert.ok(skippedBy[0] > 360, `Horns Rev: the skip happens (${skippedBy[0]} flow cases of ${360 * 23})`);
    assert.ok(skippedBy[1] < skippedBy[0], `the bound refuses more where wakes are deep (2 D: ${skippedBy[1]}, Horns Rev: ${skippedBy[0]})`);
  });
}

// The gradient skips the same flow cases (engine.ts aepGradient): there every P' = 0, so every
// adjoint is 0. Against the same gradient with the kernel's flatSpeeds hidden, which propagates
// and back-propagates every flow case: the gradient and the AEP must be the same bits.
for (const spec of [{ deficit: "NOJ" }, { deficit: "BastankhahGaussian" }, { deficit: "NiayifarGaussian", use_effective_ti: false }] as const) {
  test(`flat-top skip in the gradient: ${JSON.stringify(spec)} gradient and AEP equal the unskipped ones bit for bit`, () => {
    const model = windFarmModelOf(builtinSite("hornsrev1"), builtinTurbine("V80"), parseWakeModel(spec));
    const kernel = KERNELS.find((k) => k.deficits.includes(model.deficit.kind))!;
    const { x, y } = layouts[0];
    const n = x.length;
    const gx = new Float64Array(n), gy = new Float64Array(n), rx = new Float64Array(n), ry = new Float64Array(n);
    const before = flatSkippedCount();
    const a = aepGradient(model, x, y, gx, gy);
    assert.ok(flatSkippedCount() - before > 360, "the gradient skips flat-top flow cases");
    const hook = kernel.flatSpeeds;
    assert.ok(hook, "the kernel has a flat-top hook");
    try {
      (kernel as { flatSpeeds?: unknown }).flatSpeeds = undefined;
      const ref = aepGradient(model, x, y, rx, ry);
      assert.equal(a, ref, "AEP");
    } finally {
      (kernel as { flatSpeeds?: unknown }).flatSpeeds = hook;
    }
    assert.deepEqual(gx, rx, "∂AEP/∂x");
    assert.deepEqual(gy, ry, "∂AEP/∂y");
    assert.ok(gx.some((v) => v !== 0), "a gradient that is not all zeros");
  });
}
