import { test } from "node:test";
import assert from "node:assert/strict";
import {
  aepGWh, aepPerTurbineGWh, bastankhahGaussian, builtinLayout, builtinSite, builtinTurbine, candidateAepGWh, ct2aMadsen,
  deficitModel, noj, overlapFraction, simulate, superpositionModel, turbineCt, uniformSite, windFarmModel,
  aepGradient, flowMap, turbinePowerCt,
} from "../../src/physics/index.js";
import { kernelDispatchCount } from "../../src/physics/engine.js";
import { assertClose } from "./helpers.js";

const v80 = builtinTurbine("V80");

test("linear superposition on a NOJ row: WS_eff = WS − Σd, each d from its source's own Ct (hand computed)", () => {
  const site = uniformSite({ sectorFreq: [1], wdDeg: [270], ws: [10] });
  const model = windFarmModel({ site, turbine: v80, deficit: noj(), superposition: superpositionModel("linear") });
  const sim = simulate(model, [0, 400, 800], [0, 0, 0]);
  const R = 40;
  const d = (ct: number, dw: number) => 2 * ct2aMadsen(ct) * 10 * (R / (0.1 * dw + R)) ** 2; // full-wake NOJ
  const ws1 = 10 - d(turbineCt(v80, 10), 400);
  const ws2 = 10 - d(turbineCt(v80, 10), 800) - d(turbineCt(v80, ws1), 400);
  assertClose(sim.wsEff.get(1, 0, 0), ws1, 1e-14, "second turbine");
  assertClose(sim.wsEff.get(2, 0, 0), ws2, 1e-14, "third turbine (linear sum)");
  const squared = simulate(windFarmModel({ ...model, superposition: superpositionModel("squared") }), [0, 400, 800], [0, 0, 0]);
  assertClose(squared.wsEff.get(2, 0, 0), 10 - Math.hypot(d(turbineCt(v80, 10), 800), d(turbineCt(v80, ws1), 400)), 1e-14, "squared sum");
});

test("NiayifarGaussian is Bastankhah with k = 0.38·TI + 0.004 from the site's ambient TI", () => {
  const site = builtinSite("hornsrev1"); // TI 0.1 → k = 0.042
  const { x, y } = builtinLayout("hornsrev1");
  const opts = { wdDeg: [0, 90, 200, 270], ws: [6, 9, 12] };
  const a = aepGWh(windFarmModel({ site, turbine: v80, deficit: deficitModel("NiayifarGaussian"), superposition: superpositionModel("squared") }), x, y, opts);
  const b = aepGWh(windFarmModel({ site, turbine: v80, deficit: bastankhahGaussian({ k: 0.38 * 0.1 + 0.004 }), superposition: superpositionModel("squared") }), x, y, opts);
  assert.equal(a, b);
  const c = aepGWh(windFarmModel({ site, turbine: v80, deficit: deficitModel("BastankhahGaussian"), superposition: superpositionModel("squared") }), x, y, opts);
  assert.ok(a > c, "wider wakes (k 0.042 > 0.0325) recover faster in this farm");
});

test("rotor-area overlap: full, none, partial (symmetric lens), point destination", () => {
  assert.equal(overlapFraction(100, 40, 50), 1);
  assert.equal(overlapFraction(100, 40, 140), 0);
  // two equal circles r at distance r: lens area = (2π/3 − √3/2)·r²
  assertClose(overlapFraction(40, 40, 40), (2 * Math.PI / 3 - Math.sqrt(3) / 2) / Math.PI, 1e-14, "equal circles");
  assert.equal(overlapFraction(60, 0, 59.9), 1);
  assert.equal(overlapFraction(60, 0, 60), 0);
});

test("results do not depend on turbine order or on a previous call's layout size", () => {
  const model = windFarmModel({ site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared") });
  const { x, y } = builtinLayout("iea37-36");
  const a = aepGWh(model, x, y);
  aepGWh(model, builtinLayout("iea37-64").x, builtinLayout("iea37-64").y);
  const perm = Array.from({ length: 36 }, (_, i) => (i * 7) % 36);
  const b = aepGWh(model, perm.map((i) => x[i]), perm.map((i) => y[i]));
  assertClose(b, a, 1e-13, "permuted");
  assert.equal(aepGWh(model, x, y), a);
});

test("candidate map: upstream candidates see free stream; downstream ones the placed turbines' propagated wakes", () => {
  const site = uniformSite({ sectorFreq: [1], wdDeg: [270], ws: [9.8] });
  const model = windFarmModel({ site, turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared") });
  const out = new Float64Array(3);
  candidateAepGWh(model, [0, 500], [0, 0], [-1000, 250, 1000], [0, 0, 0], out);
  assertClose(out[0], 3.35e6 * 8760 * 1e-9, 1e-15, "upstream");
  assert.ok(out[1] < out[0] && out[1] > 0, "between two placed turbines it is waked");
  // a candidate placed as a third turbine in the row makes what simulate gives that turbine
  const sim = simulate(model, [0, 500, 1000], [0, 0, 0]);
  assertClose(out[2], sim.aepPerTurbine().get(2), 1e-14, "same as the third turbine of the row");
});

test("bad layouts are refused with the field named", () => {
  const model = windFarmModel({ site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared") });
  assert.throws(() => aepGWh(model, [0, 1], [0]), /layout: x has 2 values but y has 1/);
  assert.throws(() => aepGWh(model, [0, NaN], [0, 1]), /layout: turbine 1 has a non-finite coordinate/);
  assert.throws(() => aepGWh(model, [0], [0], { ws: [] }), /ws: needs at least one value/);
  // a negative speed gave a silent AEP of 0 through the API (case files refused it already)
  assert.throws(() => aepGWh(model, [0, 500], [0, 0], { wdDeg: [270], ws: [9, -3] }), /ws: \[1\] must be ≥ 0 m\/s, got -3/);
});

test("one wind speed: the fused fast path gives simulate's numbers to the last bit, for every model", () => {
  const { x, y } = builtinLayout("hornsrev1");
  for (const name of ["NOJ", "BastankhahGaussian", "NiayifarGaussian", "IEA37SimpleBastankhahGaussian"] as const) {
    for (const sup of ["squared", "linear"] as const) {
      const model = windFarmModel({ site: builtinSite("hornsrev1"), turbine: v80, deficit: deficitModel(name), superposition: superpositionModel(sup) });
      const opts = { wdDeg: [0, 17, 90, 183, 270.5], ws: [9.3] };
      assert.equal(aepGWh(model, x, y, opts), simulate(model, x, y, opts).aep(), `${name} ${sup}`);
    }
  }
});

test("several wind speeds: simulate runs the speed-minor AEP loops of the fast path, bit for bit, every model and sum", () => {
  const { x, y } = builtinLayout("hornsrev1");
  const opts = { wdDeg: [0, 17, 90, 183, 270.5], ws: [3, 4, 7, 9.3, 12, 25] };
  for (const name of ["NOJ", "BastankhahGaussian", "NiayifarGaussian", "IEA37SimpleBastankhahGaussian"] as const) {
    for (const sup of ["squared", "linear"] as const) {
      const model = windFarmModel({ site: builtinSite("hornsrev1"), turbine: v80, deficit: deficitModel(name), superposition: superpositionModel(sup) });
      const sim = simulate(model, x, y, opts).aepPerTurbine();
      const fast = new Float64Array(x.length);
      aepPerTurbineGWh(model, x, y, fast, opts);
      // simulate runs the fast path's kernels with tensors written on the way: bit for bit
      for (let i = 0; i < x.length; i++) assert.equal(fast[i], sim.get(i), `${name} ${sup} turbine ${i}`);
    }
  }
});

test("each entry point chooses the wake kernel once per call, whatever the farm and flow cases", () => {
  const { x, y } = builtinLayout("hornsrev1");
  const gx = new Float64Array(x.length);
  const gy = new Float64Array(x.length);
  const out = new Float64Array(3);
  for (const name of ["NOJ", "BastankhahGaussian", "NiayifarGaussian", "IEA37SimpleBastankhahGaussian"] as const) {
    const model = windFarmModel({ site: builtinSite("hornsrev1"), turbine: v80, deficit: deficitModel(name), superposition: superpositionModel("squared") });
    const calls: [string, () => unknown][] = [
      ["aepGWh (80 turbines, 360 × 23 flow cases)", () => aepGWh(model, x, y)],
      ["aepGWh (one speed: fused loop)", () => aepGWh(model, x, y, { wdDeg: [0, 90, 270], ws: [9] })],
      ["simulate", () => simulate(model, x, y, { wdDeg: [0, 90, 270], ws: [7, 9, 11] }).aep()],
      ["aepGradient", () => aepGradient(model, x, y, gx, gy, { wdDeg: [0, 90, 270], ws: [7, 9] })],
      ["candidateAepGWh", () => candidateAepGWh(model, x.slice(0, 10), y.slice(0, 10), [0, 500, 900], [0, 0, 100], out, { wdDeg: [270], ws: [9] })],
      ["flowMap", () => flowMap(model, x, y, Float64Array.of(0, 100), Float64Array.of(0, 0), { wdDeg: 270, ws: 9 })],
    ];
    for (const [what, call] of calls) {
      const before = kernelDispatchCount();
      call();
      assert.equal(kernelDispatchCount() - before, 1, `${name}: ${what}`);
    }
  }
});

test("simulate: breakdowns from the fast path's own sums, tensors only when read and then the very values it summed", () => {
  const { x, y } = builtinLayout("hornsrev1");
  const opts = { wdDeg: [0, 17, 90, 183, 270.5], ws: [3, 4, 7, 9.3, 12, 25] };
  for (const name of ["NOJ", "BastankhahGaussian", "IEA37SimpleBastankhahGaussian"] as const) {
    const model = windFarmModel({ site: builtinSite("hornsrev1"), turbine: v80, deficit: deficitModel(name), superposition: superpositionModel("squared") });
    const before = kernelDispatchCount();
    const sim = simulate(model, x, y, opts);
    const total = sim.aep();
    const perWd = sim.aepPerDirection();
    const perWs = sim.aepPerSpeed();
    const perTurbine = sim.aepPerTurbine();
    // aep and every breakdown came from one propagation: no tensor was built
    assert.equal(kernelDispatchCount() - before, 1, `${name}: one run for the AEP and its breakdowns`);
    const L = opts.wdDeg.length;
    const K = opts.ws.length;
    const tensor = sim.aepTensor(); // the tensors now: one more run
    assert.equal(kernelDispatchCount() - before, 2, `${name}: the tensors cost one more run, once`);
    void sim.wsEff; void sim.ct; void sim.powerW;
    assert.equal(kernelDispatchCount() - before, 2, `${name}: tensors computed once`);
    const scale = total;
    for (let l = 0; l < L; l++) {
      let s = 0;
      for (let i = 0; i < x.length; i++) for (let k = 0; k < K; k++) s += tensor.get(i, l, k);
      assert.ok(Math.abs(s - perWd.get(l)) <= 1e-14 * scale, `${name}: direction ${l}`);
    }
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let i = 0; i < x.length; i++) for (let l = 0; l < L; l++) s += tensor.get(i, l, k);
      assert.ok(Math.abs(s - perWs.get(k)) <= 1e-14 * scale, `${name}: speed ${k}`);
    }
    for (let i = 0; i < x.length; i++) {
      let s = 0;
      for (let l = 0; l < L; l++) for (let k = 0; k < K; k++) s += tensor.get(i, l, k);
      assert.ok(Math.abs(s - perTurbine.get(i)) <= 1e-14 * perTurbine.get(i), `${name}: turbine ${i}`);
      // the tensors hold the same powers the AEP summed (the power row of an unwaked turbine is the free stream)
      for (let l = 0; l < L; l++) for (let k = 0; k < K; k++) {
        const p = sim.powerW.get(i, l, k);
        assert.equal(p, turbinePowerW(sim.wsEff.get(i, l, k)), `${name}: power of turbine ${i} at its WS_eff`);
      }
    }
  }
});

function turbinePowerW(ws: number): number {
  const pc = new Float64Array(4);
  turbinePowerCt(v80, ws, pc);
  return pc[0];
}
