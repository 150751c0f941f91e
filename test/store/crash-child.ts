// Commits results in a loop until killed, for the crash trials (crash-harness.ts):
//   node --import h5wasm/node --import tsx test/store/crash-child.ts <out> <firstSeed> <mergeEvery>
// Prints "ready", then "committed <key>" after each commitResult has returned, and
// "merge-start"/"merge-end" around each periodic merge. Also re-commits an older key now
// and then (idempotency under kills) and makes every third merge a full rewrite.
import { writeSync } from "node:fs";
import { acquireLock, commitResult, mergeParts } from "../../src/store/index.js";
import { record } from "./helpers.js";

const [out, first, every] = process.argv.slice(2);
const mergeEvery = Number(every);
const say = (s: string) => writeSync(1, s + "\n"); // synchronous: printed means committed
// The previous child was SIGKILLed: its writer lock is stale by construction.
const lock = acquireLock(`${out}.parts`, "writer", { breakStale: true });
say("ready");
let merges = 0;
for (let s = Number(first), i = 1; ; s++, i++) {
  if (i % 10 === 0 && s > 3) await commitResult(out, record(s - 3, { n: 16 }));
  const r = await commitResult(out, record(s, { n: 16 }));
  say(`committed ${r.key}`);
  if (i % mergeEvery === 0) {
    say("merge-start");
    await mergeParts(out, { inWorker: false, breakStale: true, rewrite: ++merges % 3 === 0, maxParts: 40 });
    say("merge-end");
  }
}
lock.release();
