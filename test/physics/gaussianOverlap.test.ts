// GaussianOverlap rotor average (src/physics/rotorAverage/gaussianOverlap.ts): the table built in
// code against PyWake's brute-force builder (make_lookup_table: 128-point θ and 512-point r
// trapezoids, written out here term by term), the resampled grid's interpolation, and how far
// PyWake's table + interpolation is from the exact disc average. The end-to-end check against
// PyWake's numbers is models2.test.ts (Nygaard_2022, Niayifar_PorteAgel_2016 in
// ../shared/reference/pywake_models2.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { gaussianOverlapExact, gaussianOverlapFactor, gaussianOverlapSourceTable, gaussianOverlapTable, i0e } from "../../src/physics/rotorAverage/gaussianOverlap.js";

/** PyWake's make_lookup_table entry (R/σ = 0.02·i, cw/σ = 0.02·j), as its numpy code computes it. */
function bruteForce(i: number, j: number): number {
  const R = i * 0.02;
  const cw = j * 0.02;
  if (i === 0) return Math.exp(-(cw * cw) / 2);
  const nT = 128;
  const nR = 512;
  const dth = (2 * Math.PI) / (nT - 1);
  const rl = (m: number): number => (m === nR - 1 ? 1 : m * (1 / (nR - 1)));
  const dr = rl(1) * R - rl(0) * R;
  let s = 0;
  for (let m = 0; m < nR; m++) {
    const r = rl(m) * R;
    let inner = 0;
    for (let t = 0; t < nT; t++) {
      const th = t === nT - 1 ? 2 * Math.PI : t * dth;
      const v = Math.exp(-0.5 * (r * r + cw * cw - 2 * r * cw * Math.cos(th))) * r;
      inner += t === 0 || t === nT - 1 ? v / 2 : v;
    }
    s += (m === 0 || m === nR - 1 ? 0.5 : 1) * inner * dth;
  }
  return (s * dr) / (Math.PI * R * R);
}

test("the source table equals PyWake's brute-force builder to ≤ 1e-14 relative", () => {
  const src = gaussianOverlapSourceTable();
  assert.equal(src.length, 1001 * 501);
  let worst = 0;
  for (const [i, j] of [[1, 0], [1, 500], [25, 13], [50, 100], [100, 250], [137, 61], [500, 500], [777, 123], [1000, 0], [1000, 500], [200, 499]]) {
    const b = bruteForce(i, j);
    worst = Math.max(worst, Math.abs(src[i * 501 + j] - b) / b);
  }
  console.log(`  source table vs brute force: max rel diff ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-14, String(worst));
});

test("i0e matches known values (scipy.special.i0e)", () => {
  // i0e(1) = e^-1·I0(1) = 0.46575960759364043, i0e(10) = 0.1278333371634286 (Abramowitz & Stegun table 9.8)
  assert.ok(Math.abs(i0e(1) - 0.46575960759364043) < 1e-15);
  assert.ok(Math.abs(i0e(10) - 0.1278333371634286) < 1e-15);
  assert.equal(i0e(0), 1);
});

test("the resampled grid passes through the source knots and interpolates bilinearly, clamped", () => {
  const src = gaussianOverlapSourceTable();
  const tab = gaussianOverlapTable();
  assert.equal(tab.length, 2001 * 1001);
  for (const [i, j] of [[0, 0], [10, 20], [1000, 500], [333, 77]]) assert.equal(tab[2 * i * 1001 + 2 * j], src[i * 501 + j]);
  // on a grid node the lookup is the node; between nodes it is the bilinear mix
  assert.equal(gaussianOverlapFactor(0, 0), 1);
  const a = tab[100 * 1001 + 50], b = tab[101 * 1001 + 50], c = tab[100 * 1001 + 51], d = tab[101 * 1001 + 51];
  const v = gaussianOverlapFactor(1.0025, 0.5075);
  const fx = 1.0025 / 0.01 - 100, fy = 0.5075 / 0.01 - 50;
  const expect = (1 - fx) * (1 - fy) * a + (1 - fx) * fy * c + fx * (1 - fy) * b + fx * fy * d;
  assert.ok(Math.abs(v - expect) < 1e-15);
  // bounds="limit": beyond the grid the edge value
  assert.equal(gaussianOverlapFactor(25, 3), gaussianOverlapFactor(20, 3));
  assert.equal(gaussianOverlapFactor(1, 14), gaussianOverlapFactor(1, 10));
});

test("PyWake's table + interpolation against the exact disc average (measured, for the record)", () => {
  let worst = 0;
  for (let R = 0.05; R <= 3; R += 0.173) {
    for (let cw = 0; cw <= 4; cw += 0.311) {
      const exact = gaussianOverlapExact(R, cw);
      if (exact < 1e-3) continue;
      worst = Math.max(worst, Math.abs(gaussianOverlapFactor(R, cw) - exact) / exact);
    }
  }
  console.log(`  PyWake table vs exact disc average (F ≥ 1e-3, R/σ ≤ 3): max rel diff ${worst.toExponential(2)}`);
  // the 512-point r trapezoid and the bilinear lookup leave ~1e-6: far above 1e-9, which is why
  // the table is rebuilt PyWake's way rather than integrated exactly
  assert.ok(worst > 1e-9 && worst < 1e-3, String(worst));
});
