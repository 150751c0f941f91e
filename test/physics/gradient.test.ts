import { test } from "node:test";
import assert from "node:assert/strict";
import {
  aepGWh, aepGradient, builtinLayout, builtinSite, builtinTurbine, deficitModel, superpositionModel,
  windFarmModel, type FlowCaseOptions, type WindFarmModel, type DeficitName, type SuperpositionName,
} from "../../src/physics/index.js";
import { speedFreeDirectionCount } from "../../src/physics/kernels/iea37SimpleBastankhahGaussian.js";

/**
 * Analytic dAEP/dx, dAEP/dy against 4th-order central differences
 * (−f(+2h) + 8f(+h) − 8f(−h) + f(−2h)) / 12h, h = 1 cm: its truncation error is far below
 * 1e-6 and its round-off is ≈ 1e-16·AEP/h ≈ 1e-12 GWh/m. The V80's curves are piecewise
 * linear: when some effective speed sits within 2h of a table node the stencil straddles the
 * kink, so each component also gets h = 2 mm and keeps the better of the two. Returns the worst relative error
 * per component, each measured against max(|fd|, 1e-3·max|fd|): a component a thousand times
 * smaller than the largest (a far Gaussian tail, ~1e-13 GWh/m) is below the differences'
 * own round-off, so it is held to 1e-6 of the gradient's scale instead of its own.
 */
function checkGradient(model: WindFarmModel, x: Float64Array, y: Float64Array, opts?: FlowCaseOptions): number {
  const n = x.length;
  const gx = new Float64Array(n);
  const gy = new Float64Array(n);
  const aep = aepGradient(model, x, y, gx, gy, opts);
  assert.ok(Math.abs(aep - aepGWh(model, x, y, opts)) <= 1e-13 * aep, "aepGradient returns the AEP aepGWh does");
  const fdAll: number[][] = [];
  const gAll: number[] = [];
  for (const [coords, grad] of [[x, gx], [y, gy]] as const) {
    for (let i = 0; i < n; i++) {
      const x0 = coords[i];
      const f = (d: number) => { coords[i] = x0 + d; const v = aepGWh(model, x, y, opts); coords[i] = x0; return v; };
      fdAll.push([0.01, 0.002].map((h) => (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)));
      gAll.push(grad[i]);
    }
  }
  const scale = Math.max(...fdAll.map((v) => Math.abs(v[0])));
  assert.ok(scale > 0, "gradient is not identically zero");
  let worst = 0;
  for (let c = 0; c < fdAll.length; c++) {
    const errs = fdAll[c].map((fd) => Math.abs(fd - gAll[c]) / Math.max(Math.abs(fd), 1e-3 * scale));
    worst = Math.max(worst, Math.min(...errs));
  }
  return worst;
}

/** A layout off any grid so no pair sits exactly on a table node or wake edge. */
function jitter(x: Float64Array, y: Float64Array, amp: number): void {
  for (let i = 0; i < x.length; i++) { x[i] += amp * Math.sin(7 * i + 1); y[i] += amp * Math.cos(5 * i + 2); }
}

test("IEA37SimpleBastankhahGaussian gradient = finite differences (16 and 36 turbines, 16 directions)", () => {
  const model = windFarmModel({
    site: builtinSite("iea37"), turbine: builtinTurbine("IEA37_3.35MW"),
    deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel("squared"),
  });
  for (const name of ["iea37-16", "iea37-36"] as const) {
    const { x, y } = builtinLayout(name);
    jitter(x, y, 11);
    const e = checkGradient(model, x, y);
    assert.ok(e <= 1e-6, `${name}: worst relative error ${e.toExponential(2)}`);
  }
});

for (const superposition of ["squared", "linear"] as const) {
  test(`IEA37SimpleBastankhahGaussian + ${superposition} on IEA37_10MW, 20 speeds: one pass per direction, gradient = finite differences`, () => {
    // Ct 8/9 at every speed: every direction's pairs serve all its speeds at once (speedFreeDirection);
    // the case-study 3 and 4 baselines (iea37Cs34.test.ts) check its AEP against iea37-aepcalc.py.
    const model = windFarmModel({
      site: builtinSite("iea37-cs3"), turbine: builtinTurbine("IEA37_10MW"),
      deficit: deficitModel("IEA37SimpleBastankhahGaussian"), superposition: superpositionModel(superposition),
    });
    const { x, y } = builtinLayout("iea37-cs3-baseline");
    jitter(x, y, 13);
    const before = speedFreeDirectionCount();
    const e = checkGradient(model, x, y);
    assert.ok(speedFreeDirectionCount() > before, "the speed-free path ran");
    assert.ok(e <= 1e-6, `worst relative error ${e.toExponential(2)}`);
  });
}

const cases: [DeficitName, SuperpositionName][] = [
  ["BastankhahGaussian", "squared"], ["BastankhahGaussian", "linear"],
  ["NiayifarGaussian", "squared"], ["IEA37SimpleBastankhahGaussian", "linear"],
];
for (const [deficit, superposition] of cases) {
  test(`${deficit} + ${superposition} sum on V80s: gradient = finite differences`, () => {
    const model = windFarmModel({
      site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"),
      deficit: deficitModel(deficit), superposition: superpositionModel(superposition),
    });
    const hr = builtinLayout("hornsrev1");
    const x = hr.x.slice(0, 24);
    const y = hr.y.slice(0, 24);
    jitter(x, y, 15);
    const e = checkGradient(model, x, y, { wdDeg: [0, 33, 95, 180, 222, 270, 301.5], ws: [5.3, 8.7, 11.2, 14] });
    assert.ok(e <= 1e-6, `worst relative error ${e.toExponential(2)}`);
  });
}

/**
 * Distance (m) from the nearest top-hat edge over every pair and direction: where a rotor
 * enters (cw = R_w + R) or is wholly inside (cw = R_w − R) a wake, or dw = 0. The finite
 * differences (stencil ±2h, h ≤ 1 cm) must not straddle one.
 */
function nojEdgeClearance(x: Float64Array, y: Float64Array, wdDeg: number[], k: number, R: number): number {
  let min = Infinity;
  for (const wd of wdDeg) {
    const t = (90 - wd) * (Math.PI / 180);
    const c = Math.cos(t), s = Math.sin(t);
    for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) {
      if (i === j) continue;
      const dx = x[j] - x[i], dy = y[j] - y[i];
      const dw = -c * dx - s * dy;
      const cw = Math.abs(s * dx - c * dy);
      const rw = k * dw + R;
      if (dw > -R) min = Math.min(min, Math.abs(dw));
      if (dw > 0) min = Math.min(min, Math.abs(cw - (rw + R)), Math.abs(cw - (rw - R)));
    }
  }
  return min;
}

for (const superposition of ["squared", "linear"] as const) {
  test(`NOJ + ${superposition} sum: analytic gradient = finite differences away from the top-hat edges`, () => {
    const model = windFarmModel({
      site: builtinSite("hornsrev1"), turbine: builtinTurbine("V80"),
      deficit: deficitModel("NOJ"), superposition: superpositionModel(superposition),
    });
    const hr = builtinLayout("hornsrev1");
    const x = hr.x.slice(0, 24);
    const y = hr.y.slice(0, 24);
    jitter(x, y, 15);
    const wdDeg = [0, 33, 95, 180, 222, 270, 301.5];
    const clearance = nojEdgeClearance(x, y, wdDeg, 0.1, 40);
    assert.ok(clearance > 0.05, `the fixture has a pair ${clearance} m from a top-hat edge: pick another jitter`);
    const e = checkGradient(model, x, y, { wdDeg, ws: [5.3, 8.7, 11.2, 14] });
    assert.ok(e <= 1e-6, `worst relative error ${e.toExponential(2)}`);
  });
}
