import { test } from "node:test";
import assert from "node:assert/strict";
import { EXP_NEG_LIMIT, expNeg } from "../../src/physics/expNeg.js";

test("expNeg(t) = e^(−t) within 2 ulp of Math.exp on [0, 32): table points, between them, random", () => {
  assert.equal(EXP_NEG_LIMIT, 32);
  let worst = 0;
  let worstT = 0;
  const check = (t: number): void => {
    const ref = Math.exp(-t);
    const ulp = 2 ** (Math.floor(Math.log2(ref)) - 52);
    const err = Math.abs(expNeg(t) - ref) / ulp;
    if (err > worst) { worst = err; worstT = t; }
  };
  for (let i = 0; i < 32 * 64; i++) {
    const t0 = i / 64;
    check(t0);
    check(t0 + 1 / 128);
    check(Math.max(0, (i + 1) / 64 - 2 ** -40)); // just below the next table point
  }
  let seed = 12345;
  for (let n = 0; n < 200000; n++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    check((seed / 2 ** 32) * 31.999);
  }
  check(0);
  check(1e-300);
  check(30);
  assert.equal(expNeg(0), 1);
  assert.ok(worst <= 2, `worst ${worst} ulp at t = ${worstT}`);
});
