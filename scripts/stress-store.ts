// The long crash trial of the store's commit protocol (the suite runs 30 kills):
//   node --import tsx scripts/stress-store.ts [--trials 200] [--min-ms 20] [--max-ms 3000] [--merge-every 25] [--keep]
// Prints one line per kill and a summary; exit 1 if any reported result was lost or damaged.
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { parseArgs, flag, numberOption } from "../src/cli/args.js";
import { crashTrials } from "../test/store/crash-harness.js";

const p = parseArgs(process.argv.slice(2), { trials: "value", "min-ms": "value", "max-ms": "value", "merge-every": "value", keep: "flag" });
const dir = mkdtempSync(join(tmpdir(), "wflo-stress-"));
const r = await crashTrials({
  out: join(dir, "layouts.h5"),
  trials: numberOption(p, "trials", { integer: true, min: 1 }) ?? 200,
  minDelayMs: numberOption(p, "min-ms", { min: 0 }) ?? 20,
  maxDelayMs: numberOption(p, "max-ms", { min: 1 }) ?? 3000,
  mergeEvery: numberOption(p, "merge-every", { integer: true, min: 1 }) ?? 25,
  seed: Date.now() & 0x7fffffff,
  log: (l) => console.log(l),
});
console.log(JSON.stringify({ ...r, lost: r.lost.length, damaged: r.damaged.length }));
for (const l of [...r.lost, ...r.damaged]) console.log(`  ${l}`);
if (flag(p, "keep")) console.log(`kept ${dir}`); else rmSync(dir, { recursive: true, force: true });
process.exit(r.lost.length || r.damaged.length || !r.finalValid ? 1 : 0);
