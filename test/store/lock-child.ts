// Holds a store lock in its own process until killed or its stdin closes:
// `node --import tsx test/store/lock-child.ts <partsDir> <name>` prints {"ok":true,"pid":…} once held.
import { acquireLock, LockError } from "../../src/store/lock.js";

const [dir, name] = process.argv.slice(2);
try {
  const lock = acquireLock(dir, name);
  console.log(JSON.stringify({ ok: true, pid: process.pid }));
  process.stdin.resume();
  process.stdin.on("end", () => { lock.release(); process.exit(0); });
} catch (err) {
  console.log(JSON.stringify({ ok: false, state: (err as LockError).state, message: (err as Error).message }));
  process.exit(3);
}
