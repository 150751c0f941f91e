import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { commitResult, inspectFile, mergeParts } from "../../src/store/index.js";
import { record, tempDir } from "./helpers.js";

const openFds = () => readdirSync("/proc/self/fd").length;

test("reading damaged files leaks no file descriptors (HDF5 leaves one open per error)", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  for (const s of [0, 1]) await commitResult(out, record(s));
  await mergeParts(out);
  const bytes = readFileSync(out);
  writeFileSync(join(dir, "trunc.h5"), bytes.subarray(0, bytes.length - 100));
  writeFileSync(join(dir, "magic.h5"), Buffer.concat([Buffer.from("XHDF"), bytes.subarray(4)]));
  await inspectFile(join(dir, "trunc.h5")); // warm up: h5wasm's own descriptors
  const before = openFds();
  for (let i = 0; i < 40; i++) {
    assert.equal((await inspectFile(join(dir, "trunc.h5"))).status, "truncated");
    assert.equal((await inspectFile(join(dir, "magic.h5"))).status, "not-hdf5");
  }
  // 80 failed opens would leak 80 descriptors. Other descriptors of this process may open or
  // close meanwhile (a worker's pipes, the runner's IPC): a slack of 8 keeps the check
  // immune to those while a leak per failed open still fails it tenfold.
  assert.ok(openFds() <= before + 8, `${openFds()} descriptors open, ${before} before`);
  assert.equal((await inspectFile(out)).status, "ok"); // the instance is still usable
});
