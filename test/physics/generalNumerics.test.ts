// The numerical shortcuts the general kernel's loops rely on (kernels/general*.ts), each against
// the direct formula it replaces: Frandsen's cone test without atan outside it (must be exact),
// e^(c·ln x) for Crespo–Hernández's powers, and GaussianOverlap's grid index by ×100 for ÷0.01.
import { test } from "node:test";
import assert from "node:assert/strict";
import { crespoPow } from "../../src/physics/turbulence/crespoHernandez.js";
import { frandsenWeight } from "../../src/physics/turbulence/stf.js";
import { gaussianOverlapExcess, gaussianOverlapFactor, gaussianOverlapTable } from "../../src/physics/rotorAverage/gaussianOverlap.js";

const RAD2DEG = 180 / Math.PI;

/** Frandsen's weight as stf.ts defines it, atan first (no early exits). */
function frandsenDirect(dw: number, cw: number, D: number): number {
  if (!(dw > 1e-10)) return 0;
  const thetaW = (RAD2DEG * Math.atan(1 / (dw / D)) + 10) / 2;
  const theta = Math.atan(cw / dw) * RAD2DEG;
  if (!(theta < thetaW)) return 0;
  const r = theta / thetaW;
  return Math.exp(-(r * r));
}

test("Frandsen's weight: the cone test without atan gives the direct formula's value everywhere, edges included", () => {
  const D = 80;
  let inside = 0;
  let checked = 0;
  for (let i = 0; i <= 400; i++) {
    const dw = i === 0 ? 1e-12 : 0.05 * D * i * (1 + i / 50); // 4 m … ~1,000 D
    const thetaW = (RAD2DEG * Math.atan(D / dw) + 10) / 2;
    // a spread of angles, and angles within 1e-9° of the cone's edge on both sides
    const angles = [0, 1, 3, 5, 8, 12, 20, 30, 45, 49.9, 50.2, 60, 89, thetaW * (1 - 1e-11), thetaW * (1 + 1e-11), thetaW - 1e-9, thetaW + 1e-9];
    for (const a of angles) {
      const cw = dw * Math.tan(a / RAD2DEG);
      const got = frandsenWeight(dw, cw, D);
      assert.ok(Object.is(got, frandsenDirect(dw, cw, D)), `dw ${dw}, angle ${a}: ${got} vs ${frandsenDirect(dw, cw, D)}`);
      if (got > 0) inside++;
      checked++;
    }
  }
  assert.ok(inside > checked / 4 && inside < checked, `${inside} of ${checked} inside`);
});

test("crespoPow = e^(c·ln x) stays within 5e-15 of Math.pow over Crespo–Hernández's range", () => {
  let worst = 0;
  for (const c of [0.8325, -0.32, 0.0325, -0.0325, 1 / 3]) {
    for (let i = 0; i <= 2000; i++) {
      const x = Math.pow(10, -10 + (i / 2000) * 12); // 1e-10 … 100 (a ≥ 1e-10; dw/D up to 100)
      const want = Math.pow(x, c);
      worst = Math.max(worst, Math.abs(crespoPow(x, c) - want) / want);
    }
  }
  console.log(`  crespoPow vs Math.pow: max rel diff ${worst.toExponential(2)}`);
  assert.ok(worst < 5e-15, String(worst));
});

test("GaussianOverlap lookup: indexing by ×100 moves F by < 5e-14 of itself from ÷0.01 (≤ 1 ulp of the grid index)", () => {
  const table = gaussianOverlapTable();
  const NC = 1001;
  const direct = (u: number, v: number): number => {
    let xi = u / 0.01;
    let yi = v / 0.01;
    if (!(xi > 0)) xi = 0; else if (xi > 2000) xi = 2000;
    if (!(yi > 0)) yi = 0; else if (yi > 1000) yi = 1000;
    const i0 = Math.floor(xi), j0 = Math.floor(yi), fx = xi - i0, fy = yi - j0;
    const i1 = Math.min(i0 + 1, 2000), j1 = Math.min(j0 + 1, 1000);
    return (1 - fx) * (1 - fy) * table[i0 * NC + j0] + (1 - fx) * fy * table[i0 * NC + j1] + fx * (1 - fy) * table[i1 * NC + j0] + fx * fy * table[i1 * NC + j1];
  };
  let seed = 3;
  const rnd = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  let worst = 0;
  let differ = 0;
  for (let n = 0; n < 200000; n++) {
    const u = rnd() * 3;
    const v = rnd() * 11;
    const want = direct(u, v);
    const got = gaussianOverlapFactor(u, v, table);
    if (got !== want) differ++;
    if (want > 1e-300) worst = Math.max(worst, Math.abs(got - want) / want);
  }
  console.log(`  ×100 vs ÷0.01: ${differ} of 200000 differ, max rel diff ${worst.toExponential(2)}`);
  assert.ok(worst < 5e-14, String(worst));
});

test("GaussianOverlap's bound: F(u, v) ≤ exp(−max(min(v, 10) − u − 0.02, 0)²/2) + the table's excess, everywhere (the flat-top skip relies on it)", () => {
  const table = gaussianOverlapTable();
  const excess = gaussianOverlapExcess(table);
  assert.ok(excess >= 0 && excess < 1e-6, String(excess));
  let seed = 5;
  const rnd = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  let tightest = Infinity;
  for (let n = 0; n < 300000; n++) {
    const u = n % 3 === 0 ? rnd() * 22 : rnd() * 3; // past the grid's R/σ = 20 too
    const v = n % 5 === 0 ? rnd() * 12 : u + (rnd() - 0.5) * 2; // near the disc's edge, and past cw/σ = 10
    const d = Math.min(v, 10) - u - 0.02;
    const bound = (d > 0 ? Math.exp(-(d * d) / 2) : 1) + excess;
    const f = gaussianOverlapFactor(u, v, table);
    assert.ok(f <= bound, `u ${u}, v ${v}: F ${f} > ${bound}`);
    tightest = Math.min(tightest, bound - f);
  }
  console.log(`  excess ${excess.toExponential(2)}; smallest margin ${tightest.toExponential(2)}`);
});
