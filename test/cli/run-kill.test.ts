import { test } from "node:test";
import assert from "node:assert/strict";
import { validate } from "../../src/store/validate.js";
import { killLoop } from "../batch/kill-loop.js";
import { partFiles, readOutput, tempDir } from "../batch/helpers.js";

// More kills: `node --import tsx scripts/stress-batch.ts --kills 50`.
test("wflo run SIGKILLed at 10 random instants and resumed each time ends with every config exactly once, all valid", { timeout: 240_000 }, async () => {
  const tmp = tempDir("wflo-kill-");
  try {
    const seed = Number(process.env.WFLO_KILL_SEED ?? 20240611);
    const r = await killLoop({ dir: tmp.dir, kills: 10, seed, seeds: 20 });
    assert.deepEqual(r.problems, [], `seed ${seed}`);
    assert.ok(r.kills >= 10);
    for (const round of r.rounds) {
      assert.equal(round.finalExit, 0);
      assert.equal(round.finalJson!.total, round.expected.length);
      assert.equal(round.finalJson!.failed, 0);
      assert.deepEqual(round.finalKeys, round.expected, "every config present exactly once");
      assert.equal(round.finalFailures, 0);
      assert.equal(round.partsLeft, 0, "every part merged");
      assert.ok(round.validated);
    }
    const last = r.rounds.at(-1)!;
    const o = await readOutput(last.out);
    assert.equal(o.root.successful_configs, last.expected.length);
    assert.ok((await validate(last.out)).ok);
    // Kills landed mid-batch, not only before or after it.
    const counts = r.rounds.flatMap((x) => x.afterKill);
    assert.ok(counts.some((n) => n > 0 && n < last.expected.length), `results committed after each kill: ${counts.join(",")}`);
  } finally {
    tmp.cleanup();
  }
});
