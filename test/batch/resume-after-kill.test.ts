// A notebook kernel restarted in the middle of runBatch leaves the batch's lock behind; the
// same runBatch call afterwards must resume with no option (store/lock.ts breaks the dead
// holder's lock) and end with every config exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { runBatch } from "../../src/batch/index.js";
import { checkLock, validate } from "../../src/store/index.js";
import { readOutput, repoRoot, smallSpec, tempDir } from "./helpers.js";

test("runBatch after its process was killed mid-batch (a kernel restart) resumes with no option", { timeout: 180_000 }, async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const spec = smallSpec({ seeds: 4 });
  const specPath = join(dir, "spec.json");
  const out = join(dir, "kernel.h5");
  writeFileSync(specPath, JSON.stringify(spec));
  const child = spawn(process.execPath, ["--import", "tsx", "test/batch/fixtures/kernel-batch.ts", specPath, out], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  // Kill once the first config is committed: the batch is under way, its lock held.
  await new Promise<void>((res, rej) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = JSON.parse(line) as { done?: number };
      if ((m.done ?? 0) >= 1) { child.kill("SIGKILL"); res(); }
    });
    child.once("exit", (code, signal) => { if (signal !== "SIGKILL") rej(new Error(`batch ended before the kill (exit ${code})`)); });
  });
  await new Promise((r) => child.once("exit", r));
  assert.equal(checkLock(`${out}.parts`, "writer").state, "stale", "the killed kernel left its lock");

  const said: string[] = [];
  const origWrite = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    said.push(String(chunk));
    return (origWrite as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  let s;
  try {
    s = await runBatch(spec, { out, workers: 2 });
  } finally {
    process.stderr.write = origWrite;
  }
  assert.ok(said.some((l) => /broke the lock .*writer\.lock: pid \d+ .* no longer runs; resuming/.test(l)), said.join(""));
  assert.equal(s.failed, 0);
  assert.ok(s.skipped >= 1, "what the killed run committed is kept, not redone");
  assert.equal(s.done + s.skipped, s.total);
  const o = await readOutput(out);
  const keys = o.groups.map((g) => g.key).sort();
  assert.equal(keys.length, s.total, `output ${out}: ${o.status} ${o.errors.join("; ")}; mergeError: ${s.mergeError}; warnings: ${s.warnings.join("; ")}`);
  assert.equal(new Set(keys).size, keys.length, "every config exactly once");
  assert.ok((await validate(out)).ok);
  assert.ok(!existsSync(join(`${out}.parts`, "writer.lock")));
});
