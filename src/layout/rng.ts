/**
 * MT19937 with numpy's legacy seeding and numpy's legacy `choice`, so a seed gives the
 * same smart-start layout as TopFarm (which calls `np.random.seed(seed)` and then
 * `np.random.choice(idx)` once per turbine).
 *
 * One generator object per run: there is no module-level state.
 *
 * Reference: M. Matsumoto, T. Nishimura, "Mersenne Twister", ACM TOMACS 8(1), 1998;
 * numpy/random/_mt19937.pyx `_legacy_seeding` (an int seed → `mt19937_seed`, i.e.
 * `init_genrand(seed & 0xffffffff)`), numpy/random/mtrand.pyx `RandomState.choice` →
 * `randint(0, len)` → `random_bounded_uint64_fill(use_masked=True)`.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  /** `seed` is an integer in [0, 2^32 − 1], as numpy's `np.random.seed(int)` accepts. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    this.initGenrand(seed);
  }

  private initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 · prev mod 2^32 without losing bits in a double: split the factor.
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i;
    }
    this.mti = N;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) ? MATRIX_A : 0);
    this.mti = 0;
  }

  /** Next 32-bit output as an unsigned integer (genrand_int32). */
  nextUint32(): number {
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * numpy's legacy `RandomState.choice(len)` / `randint(0, len)` for len ≤ 2^32: draw
   * 32-bit outputs, mask with the smallest 2^k − 1 ≥ len − 1, reject values ≥ len.
   * len 1 returns 0 without drawing, as numpy does.
   */
  choiceIndex(len: number): number {
    if (!Number.isInteger(len) || len < 1 || len > 0x100000000) {
      throw new RangeError(`choice needs a population of 1 to 2^32 elements, got ${len}`);
    }
    const rng = len - 1;
    if (rng === 0) return 0;
    if (rng === 0xffffffff) return this.nextUint32();
    let mask = rng;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do {
      v = (this.nextUint32() & mask) >>> 0;
    } while (v > rng);
    return v;
  }

  /** A double in [0, 1) with 53 random bits (numpy's `random_sample`, genrand_res53). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}
