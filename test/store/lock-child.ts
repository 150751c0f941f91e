// Holds a store lock in its own process until killed or its stdin closes:
// `node --import tsx test/store/lock-child.ts <partsDir> <name>` prints {"ok":true,"pid":…} once held.
// With `churn <ms>` it takes and releases the lock as fast as it can for that long instead
// (what a batch does with its merge lock), then exits.
import { acquireLock, LockError } from "../../src/store/lock.js";

const [dir, name, mode, ms] = process.argv.slice(2);
try {
  if (mode === "churn") {
    console.log(JSON.stringify({ ok: true, pid: process.pid }));
    const until = Date.now() + Number(ms);
    let n = 0;
    while (Date.now() < until) { acquireLock(dir, name).release(); n++; }
    console.log(JSON.stringify({ ok: true, cycles: n }));
    process.exit(0);
  }
  const lock = acquireLock(dir, name);
  console.log(JSON.stringify({ ok: true, pid: process.pid }));
  process.stdin.resume();
  process.stdin.on("end", () => { lock.release(); process.exit(0); });
} catch (err) {
  console.log(JSON.stringify({ ok: false, state: (err as LockError).state, message: (err as Error).message }));
  process.exit(3);
}
