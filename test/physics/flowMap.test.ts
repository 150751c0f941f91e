// flowMap: effective wind speed at points (hub height, no rotor averaging) for one flow case.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  builtinLayout, builtinSite, builtinTurbine, ct2aMadsen, deficitModel, flowMap, simulate, superpositionModel,
  turbinePowerCt, windFarmModel, type DeficitName, type SuperpositionName,
} from "../../src/physics/index.js";
import { InputError } from "../../src/errors.js";

function model(layout: "iea37-16" | "hornsrev1", deficit: DeficitName, sup: SuperpositionName = "squared") {
  return layout === "iea37-16"
    ? windFarmModel({ site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"), deficit: deficitModel(deficit), superposition: superpositionModel(sup) })
    : windFarmModel({ site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"), deficit: deficitModel(deficit), superposition: superpositionModel(sup) });
}

test("Gaussian models: the map at each turbine's rotor centre is that turbine's WS_eff from simulate", () => {
  // A rotor-centre model's deficit at a turbine is the deficit at a point there, and a point
  // exactly at a turbine leaves out that turbine's own deficit: the two must agree.
  const cases: [("iea37-16" | "hornsrev1"), DeficitName, SuperpositionName, number][] = [
    ["iea37-16", "IEA37SimpleBastankhahGaussian", "squared", 9.8],
    ["hornsrev1", "BastankhahGaussian", "squared", 8],
    ["hornsrev1", "BastankhahGaussian", "linear", 11],
    ["hornsrev1", "NiayifarGaussian", "squared", 10],
  ];
  for (const [layout, deficit, sup, ws] of cases) {
    const m = model(layout, deficit, sup);
    const { x, y } = builtinLayout(layout);
    const px = Float64Array.from(x);
    const py = Float64Array.from(y);
    for (const wdDeg of [0, 90, 222, 270, 313.5]) {
      const sim = simulate(m, x, y, { wdDeg: [wdDeg], ws: [ws] });
      const map = flowMap(m, x, y, px, py, { wdDeg, ws });
      let waked = 0;
      let maxErr = 0;
      for (let i = 0; i < x.length; i++) {
        const expected = sim.wsEff.get(i, 0, 0);
        if (expected < ws) waked++;
        maxErr = Math.max(maxErr, Math.abs(map[i] - expected));
      }
      assert.ok(maxErr <= 1e-12, `${deficit} ${sup} on ${layout}, wd ${wdDeg}: max |Δ| ${maxErr}`);
      assert.ok(waked >= 3, `${deficit} on ${layout}, wd ${wdDeg}: only ${waked} turbines waked (test too weak)`);
    }
  }
});

test("NOJ: top hat at a point, deficit just inside the wake edge, none just outside", () => {
  const m = model("hornsrev1", "NOJ");
  const D = m.turbine.diameterM;
  const R = D / 2;
  const ws = 9;
  const pc = new Float64Array(4);
  turbinePowerCt(m.turbine, ws, pc);
  const ct = pc[1];
  // Wind from the west (270°) blows towards +x; the wake axis is y = 0.
  for (const dw of [0.5 * D, 3 * D, 7 * D]) {
    const rw = 0.1 * dw + R; // physics.md NOJ: R_w = k·dw + D/2, k = 0.1
    const expected = ws - 2 * ct2aMadsen(Math.min(ct, 1)) * ws * (R / rw) ** 2;
    const px = Float64Array.of(dw, dw, dw, dw, dw);
    const py = Float64Array.of(0, rw - 1e-6, -(rw - 1e-6), rw + 1e-6, -(rw + 1e-6));
    const map = flowMap(m, [0], [0], px, py, { wdDeg: 270, ws });
    for (let a = 0; a < 3; a++) {
      assert.ok(Math.abs(map[a] - expected) < 1e-12, `dw ${dw / D} D, cw ${py[a]}: ${map[a]} vs ${expected}`);
    }
    assert.equal(map[3], ws, `dw ${dw / D} D: just outside the wake edge`);
    assert.equal(map[4], ws, `dw ${dw / D} D: just outside the wake edge (other side)`);
  }
});

test("NOJ: a turbine wholly inside a wake sees the point value (overlap 1)", () => {
  // At 10 D the wake radius is 1.5 D: the rotor (radius ½ D, on the axis) is fully inside,
  // so its rotor-averaged WS_eff equals the point map at its centre.
  const m = model("hornsrev1", "NOJ");
  const D = m.turbine.diameterM;
  const x = [0, 10 * D];
  const y = [0, 0];
  const sim = simulate(m, x, y, { wdDeg: [270], ws: [8] });
  const map = flowMap(m, x, y, Float64Array.from(x), Float64Array.from(y), { wdDeg: 270, ws: 8 });
  assert.equal(map[0], 8);
  assert.ok(sim.wsEff.get(1, 0, 0) < 8);
  assert.ok(Math.abs(map[1] - sim.wsEff.get(1, 0, 0)) <= 1e-12, `${map[1]} vs ${sim.wsEff.get(1, 0, 0)}`);
});

test("free stream upstream of every turbine, and with no turbines", () => {
  for (const deficit of ["NOJ", "BastankhahGaussian", "IEA37SimpleBastankhahGaussian", "NiayifarGaussian"] as const) {
    const m = model("hornsrev1", deficit);
    const { x, y } = builtinLayout("hornsrev1");
    const xmin = Math.min(...x);
    // Wind from the west: every point west of the westernmost turbine is upstream of all.
    const py = Float64Array.from({ length: 50 }, (_, a) => Math.min(...y) - 500 + a * 200);
    const px = new Float64Array(50).fill(xmin - 1);
    const map = flowMap(m, x, y, px, py, { wdDeg: 270, ws: 10 });
    for (let a = 0; a < 50; a++) assert.equal(map[a], 10, `${deficit} point ${a}`);
    const empty = flowMap(m, [], [], px, py, { wdDeg: 270, ws: 10 });
    for (let a = 0; a < 50; a++) assert.equal(empty[a], 10);
    // Downstream, the same points are waked (the test above is not vacuous).
    const down = flowMap(m, x, y, px.map((v) => v + 6000), Float64Array.from(py).fill(Math.min(...y) + 1), { wdDeg: 270, ws: 10 });
    assert.ok(down.some((v) => v < 10), deficit);
  }
});

test("linear vs squared superposition of two side-by-side wakes", () => {
  const ws = 8;
  for (const deficit of ["NOJ", "BastankhahGaussian"] as const) {
    // The IEA 37 turbine's Ct is 8/9 at every speed: the slight Gaussian deficit one turbine
    // casts on the other at dw = 0 (PyWake's rule counts it) leaves its Ct, so its wake, as alone.
    const sq = model("iea37-16", deficit, "squared");
    const lin = model("iea37-16", deficit, "linear");
    const D = sq.turbine.diameterM;
    // Two turbines 1.5 D apart across the wind, points 8 D downstream where both wakes overlap.
    const x = [0, 0];
    const y = [-0.75 * D, 0.75 * D];
    const px = Float64Array.of(8 * D, 8 * D, 8 * D);
    const py = Float64Array.of(0, 0.3 * D, -0.5 * D);
    const opts = { wdDeg: 270, ws };
    const d1 = flowMap(sq, [x[0]], [y[0]], px, py, opts).map((v) => ws - v);
    const d2 = flowMap(sq, [x[1]], [y[1]], px, py, opts).map((v) => ws - v);
    const both = flowMap(sq, x, y, px, py, opts);
    const bothLin = flowMap(lin, x, y, px, py, opts);
    for (let a = 0; a < 3; a++) {
      assert.ok(d1[a] > 0.1 && d2[a] > 0.1, `${deficit} point ${a}: both wakes reach it`);
      assert.ok(Math.abs(both[a] - (ws - Math.hypot(d1[a], d2[a]))) < 1e-12, `${deficit} squared, point ${a}`);
      assert.ok(Math.abs(bothLin[a] - (ws - (d1[a] + d2[a]))) < 1e-12, `${deficit} linear, point ${a}`);
      assert.ok(bothLin[a] < both[a]);
    }
  }
});

test("bad input: lengths, non-finite values, short output", () => {
  const m = model("hornsrev1", "NOJ");
  const opts = { wdDeg: 270, ws: 8 };
  assert.throws(() => flowMap(m, [0], [0], new Float64Array(2), new Float64Array(3), opts), (e) => e instanceof InputError && /pointsY/.test(e.message));
  assert.throws(() => flowMap(m, [0], [0], Float64Array.of(NaN), Float64Array.of(0), opts), InputError);
  assert.throws(() => flowMap(m, [0], [0], Float64Array.of(0), Float64Array.of(0), { wdDeg: 270, ws: Infinity }), InputError);
  assert.throws(() => flowMap(m, [0], [0], new Float64Array(3), new Float64Array(3), opts, new Float64Array(2)), InputError);
  const out = new Float64Array(4);
  assert.equal(flowMap(m, [0], [0], new Float64Array(3).fill(-100), new Float64Array(3), opts, out), out);
  assert.deepEqual(Array.from(out), [8, 8, 8, 0]);
});
