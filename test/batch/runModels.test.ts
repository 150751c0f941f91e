// Batches take every wake model of issue 15 (README "Wake models"): a preset and a deficit with a
// turbulence model run end to end in worker threads; each stored layout's AEP is what the same
// model gives in this thread, and the stored wake_model names it. A wrong name is refused before
// any work, naming the field.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../../src/errors.js";
import { validate } from "../../src/store/validate.js";
import { parseBatchSpec, runBatch } from "../../src/batch/index.js";
import { buildModel } from "../../src/batch/build.js";
import { aepGWh } from "../../src/physics/index.js";
import { readOutput, smallSpec, tempDir } from "./helpers.js";

let tmp: ReturnType<typeof tempDir>;
before(() => { tmp = tempDir(); });
after(() => tmp.cleanup());

for (const [label, model] of [
  ["Nygaard_2022", { preset: "Nygaard_2022" }],
  ["NiayifarGaussian+squared+STF2017", { deficit: "NiayifarGaussian", turbulence: "STF2017" }],
] as const) {
  test(`a batch with model ${label}: every config committed, AEP as computed here, wake_model stored`, async () => {
    const o = join(tmp.dir, `${label.replace(/\W+/g, "_")}.h5`);
    const spec = smallSpec({ model, seeds: 1 });
    const s = await runBatch(spec, { out: o, workers: 2 });
    assert.equal(s.done, 2);
    const r = await readOutput(o);
    assert.equal(r.status, "ok");
    const parsed = parseBatchSpec(spec);
    for (const g of r.groups) {
      const rec = g.record!;
      assert.equal(rec.attrs.wake_model, label);
      const n = rec.layout.length / 2;
      const x = rec.layout.subarray(0, n);
      const y = rec.layout.subarray(n);
      const here = aepGWh(buildModel(parsed, 0), x, y);
      assert.ok(Math.abs(here - rec.aepGWh) <= 1e-12 * here, `${g.key}: ${rec.aepGWh} vs ${here}`);
    }
    assert.ok((await validate(o)).ok);
  });
}

test("a batch spec with a wrong model name or parameter is refused naming the field", () => {
  for (const [model, field] of [
    [{ preset: "Nygaard2022" }, "model.preset"],
    [{ deficit: "NiayifarGaussian", turbulence: "Frandsen" }, "model.turbulence"],
    [{ deficit: "TurboGaussian", k: 0.04 }, "model.k"],
  ] as const) {
    assert.throws(() => parseBatchSpec(smallSpec({ model })), (e: unknown) => e instanceof InputError && e.field === field, JSON.stringify(model));
  }
});
