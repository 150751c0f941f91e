/**
 * e^(−t) for 0 ≤ t < EXP_NEG_LIMIT: the Gaussian wake factor exp(−cw²/(2σ²)) after the engine's
 * cull (t ≤ 30), within 2 ulp of Math.exp and about 2.5× faster than it (V8's Math.exp is a call
 * into C; this inlines into the hot loops). Most of Bastankhah's AEP time is this factor.
 *
 *   e^(−t) = e^(−i/64) · e^(−f),  i = ⌊64·t⌋,  f = t − i/64 ∈ [0, 1/64)   (i/64 and f exact)
 *
 * The first factor is a table of Math.exp(−i/64); the second the Taylor polynomial of degree 6,
 * whose remainder f⁷/7! < 9e-17 is below half an ulp. A table entry (≤ 1 ulp), the polynomial's
 * rounding and the product give ≤ 2 ulp (test/physics/expNeg.test.ts): ~4e-16 relative, the
 * size of the differences between libm implementations (numpy's exp vs V8's).
 * Outside [0, EXP_NEG_LIMIT) the result is meaningless: callers keep t in range.
 */
const STEPS = 64;
const TABLE_SIZE = 32 * STEPS + 1;
/** Exclusive upper bound of the argument. */
export const EXP_NEG_LIMIT = (TABLE_SIZE - 1) / STEPS;

const TABLE = new Float64Array(TABLE_SIZE);
for (let i = 0; i < TABLE_SIZE; i++) TABLE[i] = Math.exp(-i / STEPS);

export function expNeg(t: number): number {
  // Literals (STEPS = 64, the Taylor coefficients 1/k!): inlined into a caller's loop, TurboFan
  // reads a module-level binding from its context with a type check on every iteration.
  const i = (t * 64) | 0;
  const f = t - i * (1 / 64);
  return TABLE[i] * (1 - f * (1 - f * (1 / 2 - f * (1 / 6 - f * (1 / 24 - f * (1 / 120 - f * (1 / 720)))))));
}
