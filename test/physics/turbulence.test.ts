// The added-TI formulas and sum rules (src/physics/turbulence/) on hand-worked points. STF2017,
// CrespoHernandez and GCL are also checked end to end against PyWake (models2.test.ts); STF2005 and
// the sum rules no reference variant uses are checked here from their definitions (IEC 61400-1
// ed. 3 Annex D; PyWake's superposition_models.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { accumulateTi, effectiveTi, frandsenWeighted, gclCentre, stf2005, stf2005Added, stf2017, stf2017Added } from "../../src/physics/turbulence/index.js";
import { simulate } from "../../src/physics/simulate.js";
import { parseWakeModel, windFarmModelOf } from "../../src/physics/modelSpec.js";
import { uniformSite } from "../../src/physics/site.js";
import { builtinTurbine } from "../../src/physics/turbine.js";

const close = (a: number, b: number, tol = 1e-15): void => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("STF2005 on the wake axis: 0.9/(1.5 + 0.3·(dw/D)·√WS), Frandsen weight 1, added = √(I² + TI²) − TI", () => {
  // 5 D behind an 80 m rotor at 10 m/s, TI 0.08: I = 0.9/(1.5 + 0.3·5·√10) = 0.14415…
  const I = 0.9 / (1.5 + 1.5 * Math.sqrt(10));
  close(stf2005Added(stf2005(), 400, 0, 80, 10, 0.08), Math.sqrt(I * I + 0.0064) - 0.08);
  // upstream and beside the cone: nothing
  assert.equal(stf2005Added(stf2005(), -400, 0, 80, 10, 0.08), 0);
  assert.equal(stf2005Added(stf2005(), 400, 400, 80, 10, 0.08), 0); // θ = 45° ≥ θ_w = (atan(1/5) + 10°)/2 ≈ 10.7°
});

test("Frandsen's weight: exp(−(θ/θ_w)²) inside the cone", () => {
  const dw = 560, cw = 40, D = 80;
  const thetaW = ((180 / Math.PI) * Math.atan(D / dw) + 10) / 2;
  const theta = (180 / Math.PI) * Math.atan(cw / dw);
  close(frandsenWeighted(dw, cw, D, 0.1, 0.2), Math.exp(-((theta / thetaW) ** 2)) * (Math.hypot(0.2, 0.1) - 0.1));
  // STF2017's centre value at the same point: 1/(1.5 + 0.8·(√(dw² + cw²)/D)/√Ct)
  const I = 1 / (1.5 + (0.8 * (Math.hypot(dw, cw) / D)) / Math.sqrt(0.7));
  close(stf2017Added(stf2017(), dw, cw, D, 0.7, 0.1), Math.exp(-((theta / thetaW) ** 2)) * (Math.hypot(I, 0.1) - 0.1));
});

test("GCL: 0.29·√(1 − √(1 − Ct))/(dw/D)^(1/3)", () => {
  close(gclCentre(640, 80, 0.75), (0.29 * Math.sqrt(0.5)) / 2);
  assert.equal(gclCentre(0, 80, 0.75), 0);
});

test("sum rules: linear, squared, max, sqrmax", () => {
  const added = [0.05, 0.12, 0.03];
  const acc = (rule: "linear" | "squared" | "max" | "sqrmax"): number => added.reduce((a, v) => accumulateTi(rule, a, v), 0);
  close(effectiveTi("linear", 0.1, acc("linear")), 0.1 + 0.2);
  close(effectiveTi("squared", 0.1, acc("squared")), 0.1 + Math.sqrt(0.0025 + 0.0144 + 0.0009));
  close(effectiveTi("max", 0.1, acc("max")), 0.22);
  close(effectiveTi("sqrmax", 0.1, acc("sqrmax")), Math.sqrt(0.01 + 0.0144));
});

test("turbulence_sum changes the effective TI in simulate as the rule says (two upstream wakes onto one turbine)", () => {
  const site = uniformSite({ sectorFreq: [1], ti: 0.06, ws: [9] });
  // two sources side by side (400 m apart: no wake between them), one destination 25 D behind
  // both, inside both Frandsen cones (θ = atan(200/2000) = 5.7° < θ_w = 6.1°)
  const x = [0, 0, 2000];
  const y = [-200, 200, 0];
  const ti = (sum: string): number => {
    const m = windFarmModelOf(site, builtinTurbine("V80"), parseWakeModel({ deficit: "BastankhahGaussian", turbulence: "STF2017", turbulence_sum: sum }));
    return simulate(m, x, y, { wdDeg: [270], ws: [9] }).tiEff.data[2];
  };
  const lin = ti("linear"), sq = ti("squared"), mx = ti("max"), sm = ti("sqrmax");
  const a = (lin - 0.06) / 2; // symmetric: both sources add the same
  assert.ok(a > 0.005, `added TI ${a}`);
  close(sq, 0.06 + Math.sqrt(2) * a, 1e-14);
  close(mx, 0.06 + a, 1e-14);
  close(sm, Math.sqrt(0.0036 + a * a), 1e-14);
});
