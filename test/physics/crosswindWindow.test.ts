// The pair loops' crosswind window (kernels/common.ts prepareCrosswind / crosswindCandidates)
// must hand every kernel exactly the pair lists of the plain all-pairs scan: same pairs, same
// order, same bits, including ties (aligned rows of a grid) and the gradient's geometry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinLayout, builtinSite, builtinTurbine, parseWakeModel, windFarmModelOf } from "../../src/physics/index.js";
import { resolvedModel } from "../../src/physics/engine.js";
import { Scratch } from "../../src/physics/kernels/common.js";
import { MT19937 } from "../../src/layout/rng.js";

function sortedScratch(n: number, x: ArrayLike<number>, y: ArrayLike<number>, c: number, s: number, windowMinN: number): Scratch {
  const sc = new Scratch();
  sc.ensure(n);
  sc.windowMinN = windowMinN;
  const key = Array.from({ length: n }, (_, i) => -c * x[i] - s * y[i]);
  const order = [...key.keys()].sort((a, b) => key[a] - key[b] || a - b);
  for (let p = 0; p < n; p++) {
    sc.orderP[p] = order[p];
    sc.xP[p] = x[order[p]];
    sc.yP[p] = y[order[p]];
  }
  return sc;
}

function layouts(): { name: string; x: Float64Array; y: Float64Array }[] {
  const hr = builtinLayout("hornsrev1");
  const rng = new MT19937(7);
  const out = [{ name: "Horns Rev 1 grid", x: Float64Array.from(hr.x), y: Float64Array.from(hr.y) }];
  for (const n of [30, 120]) {
    const x = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) { x[i] = 5000 * rng.nextDouble(); y[i] = 4000 * rng.nextDouble(); }
    out.push({ name: `${n} random`, x, y });
  }
  return out;
}

for (const spec of [{ deficit: "NOJ" }, { deficit: "BastankhahGaussian" }, { deficit: "NiayifarGaussian", use_effective_ti: false }] as const) {
  test(`crosswind window: ${spec.deficit} pair lists equal the all-pairs scan's, bit for bit`, () => {
    const r = resolvedModel(windFarmModelOf(builtinSite("hornsrev1"), builtinTurbine("V80"), parseWakeModel(spec)));
    let pairsSeen = 0;
    for (const lay of layouts()) {
      const n = lay.x.length;
      // every 7° plus the grid's aligned directions, where many crosswind coordinates tie
      const dirs = [0, 90, 180, 270, 277.2, 97.2];
      for (let d = 0; d < 360; d += 7) dirs.push(d);
      // a warm start from the previous direction is what the engine does: keep one windowed scratch
      let warm: Scratch | undefined;
      for (const wd of dirs) {
        const th = (90 - wd) * (Math.PI / 180);
        const c = Math.cos(th), s = Math.sin(th);
        const plain = sortedScratch(n, lay.x, lay.y, c, s, Infinity);
        const win = sortedScratch(n, lay.x, lay.y, c, s, 0);
        if (warm) { win.cwOrdI.set(warm.cwOrdI); }
        const e1 = r.kernel.pairs(r, plain, n, c, s, true);
        const e2 = r.kernel.pairs(r, win, n, c, s, true);
        warm = win;
        assert.equal(e2, e1, `${lay.name} ${wd}°: pair count`);
        pairsSeen += e1;
        const at = `${lay.name} ${wd}°`;
        assert.deepEqual(win.pairStartP.subarray(0, n), plain.pairStartP.subarray(0, n), `${at}: pairStartP`);
        assert.deepEqual(win.pairDstE.subarray(0, e1), plain.pairDstE.subarray(0, e1), `${at}: targets`);
        assert.deepEqual(win.pairAE.subarray(0, e1), plain.pairAE.subarray(0, e1), `${at}: pairAE`);
        assert.deepEqual(win.pairBE.subarray(0, e1), plain.pairBE.subarray(0, e1), `${at}: pairBE`);
        assert.deepEqual(win.pairHcwE.subarray(0, e1), plain.pairHcwE.subarray(0, e1), `${at}: hcw`);
        assert.deepEqual(win.isWakedQ.subarray(0, n), plain.isWakedQ.subarray(0, n), `${at}: waked`);
      }
    }
    assert.ok(pairsSeen > 1000, `the layouts exercise the window (${pairsSeen} pairs)`);
  });
}

// Without the gradient's geometry the window hands each source its candidates unsorted (the
// order of a source's pairs changes no sum of the AEP path: each target gets one term from it):
// per source the same targets with the same bits, in whatever order.
for (const spec of [{ deficit: "NOJ" }, { deficit: "BastankhahGaussian" }] as const) {
  test(`crosswind window: ${spec.deficit} AEP-only pair lists hold the all-pairs scan's pairs per source, bit for bit`, () => {
    const r = resolvedModel(windFarmModelOf(builtinSite("hornsrev1"), builtinTurbine("V80"), parseWakeModel(spec)));
    let reordered = 0;
    for (const lay of layouts()) {
      const n = lay.x.length;
      for (let wd = 0; wd < 360; wd += 11) {
        const th = (90 - wd) * (Math.PI / 180);
        const c = Math.cos(th), s = Math.sin(th);
        const plain = sortedScratch(n, lay.x, lay.y, c, s, Infinity);
        const win = sortedScratch(n, lay.x, lay.y, c, s, 0);
        const e1 = r.kernel.pairs(r, plain, n, c, s, true);
        const e2 = r.kernel.pairs(r, win, n, c, s, false);
        assert.equal(e2, e1, `${lay.name} ${wd}°: pair count`);
        assert.deepEqual(win.pairStartP.subarray(0, n), plain.pairStartP.subarray(0, n), `${lay.name} ${wd}°: pairStartP`);
        for (let p = 0; p < n; p++) {
          const rows = (sc: Scratch) => {
            const out: string[] = [];
            for (let e = sc.pairStartP[p]; e < (p + 1 < n ? sc.pairStartP[p + 1] : e1); e++) out.push(`${sc.pairDstE[e]}:${sc.pairAE[e]}:${sc.pairBE[e]}`);
            return out;
          };
          const a = rows(plain), b = rows(win);
          if (a.join() !== b.join()) reordered++;
          assert.deepEqual([...b].sort(), [...a].sort(), `${lay.name} ${wd}° source ${p}`);
        }
        assert.deepEqual(win.isWakedQ.subarray(0, n), plain.isWakedQ.subarray(0, n));
      }
    }
    assert.ok(reordered > 0, "some source's candidates came unsorted (the test exercises the unsorted path)");
  });
}
