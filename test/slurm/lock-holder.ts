// Holds one store lock in its own process, as a shard task or merge job would, until its
// stdin closes: `node --import tsx test/slurm/lock-holder.ts <partsDir> <name>`.
// Prints one JSON line: {"ok":true} once held, or {"ok":false,"state":…,"message":…}.
import { acquireLock, LockError } from "../../src/store/lock.js";

const [partsDir, name] = process.argv.slice(2);
try {
  const lock = acquireLock(partsDir, name);
  console.log(JSON.stringify({ ok: true, pid: process.pid }));
  process.stdin.resume();
  process.stdin.on("end", () => { lock.release(); process.exit(0); });
} catch (err) {
  const e = err as LockError;
  console.log(JSON.stringify({ ok: false, state: e.state, message: e.message }));
  process.exit(3);
}
