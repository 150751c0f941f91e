// Root attributes carry a checksum: an edited spec_json is caught by validate, and a resume
// names that problem instead of a false "optimizer.hops differs".
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runBatch } from "../../src/batch/index.js";
import { validate } from "../../src/store/index.js";
import { python } from "../store/helpers.js";
import { smallSpec, tempDir } from "./helpers.js";

test("an edited spec_json fails validation and a resume names the checksum, not a spec difference", { timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "r.h5");
  const spec = smallSpec({ seeds: 1 });
  const s = await runBatch(spec, { out, workers: 1 });
  assert.equal(s.failed, 0);
  assert.ok((await validate(out)).ok);
  const edit = python(String.raw`
import sys, json, h5py
f = h5py.File(sys.argv[1], "r+")
spec = json.loads(f.attrs["spec_json"])
spec["optimizer"]["hops"] = 7
f.attrs["spec_json"] = json.dumps(spec)
f.close()
`, [out]);
  assert.equal(edit.status, 0, edit.stderr);
  const v = await validate(out);
  assert.equal(v.ok, false);
  assert.ok(v.files[0].errors.some((e) => /root attributes do not match their checksum .*spec_json/.test(e)), v.files[0].errors.join("\n"));
  await assert.rejects(runBatch(spec, { out, workers: 1 }), (e: Error) => /root attributes do not match their checksum/.test(e.message) && !/hops differs/.test(e.message));
});
