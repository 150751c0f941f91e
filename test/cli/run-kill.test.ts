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
    assert.equal(r.kills, 10);
    assert.equal(r.finalExit, 0);
    assert.equal(r.finalJson!.total, r.expected.length);
    assert.equal(r.finalJson!.failed, 0);
    assert.equal(r.finalJson!.done + r.finalJson!.skipped, r.expected.length);
    const o = await readOutput(r.out);
    assert.equal(o.status, "ok");
    const keys = o.groups.map((g) => g.key).sort();
    assert.deepEqual(keys, r.expected, "every config present exactly once");
    assert.equal(o.failures.length, 0);
    assert.equal(o.root.successful_configs, r.expected.length);
    assert.deepEqual(partFiles(r.out), [], "every part merged");
    assert.ok((await validate(r.out)).ok);
    // Kills landed mid-batch, not only before or after it.
    assert.ok(r.afterKill.some((n) => n > 0 && n < r.expected.length), `results committed after each kill: ${r.afterKill.join(",")}`);
  } finally {
    tmp.cleanup();
  }
});
