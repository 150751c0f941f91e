import { test } from "node:test";
import assert from "node:assert/strict";
import { MT19937 } from "../../src/layout/rng.js";
import { fixture } from "./helpers.js";

// test/layout/fixtures/numpy_mt19937.json: made with numpy 1.24.2's legacy RandomState
// (np.random.seed(int)) by /usr/bin/python3; see the file's "note".
const fx = fixture("numpy_mt19937.json");

test("first outputs for seed 0 are numpy's (2357136044, 2546248239, 3071714933, …)", () => {
  const g = new MT19937(0);
  assert.deepEqual([g.nextUint32(), g.nextUint32(), g.nextUint32()], [2357136044, 2546248239, 3071714933]);
});

test("uint32 stream matches numpy across the first re-twist, for several seeds", () => {
  for (const c of fx.cases) {
    const g = new MT19937(c.seed);
    const first = [g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32()];
    assert.deepEqual(first, c.uint32_first, `seed ${c.seed}`);
    for (let i = 5; i < 624; i++) g.nextUint32();
    const after = Array.from({ length: c.uint32_625_700.length }, () => g.nextUint32());
    assert.deepEqual(after, c.uint32_625_700, `seed ${c.seed} after re-twist`);
  }
});

test("choice(len) matches numpy's legacy masked rejection, len 1 draws nothing", () => {
  for (const c of fx.cases) {
    const g = new MT19937(c.seed);
    const picks = c.choice_lens.map((len: number) => g.choiceIndex(len));
    assert.deepEqual(picks, c.choice, `seed ${c.seed}`);
  }
});

test("random_sample matches numpy", () => {
  for (const c of fx.cases) {
    const g = new MT19937(c.seed);
    for (const v of c.random_sample) assert.equal(g.nextDouble(), v);
  }
});

test("generators are independent objects (no global state)", () => {
  const a = new MT19937(7), b = new MT19937(7);
  a.nextUint32(); a.nextUint32();
  const b1 = b.nextUint32();
  assert.equal(b1, new MT19937(7).nextUint32());
  assert.throws(() => new MT19937(-1), RangeError);
  assert.throws(() => new MT19937(2 ** 32), RangeError);
});
