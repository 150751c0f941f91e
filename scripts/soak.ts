#!/usr/bin/env node
// The crash soak (not part of npm test): `wflo run` on a small spec, SIGKILLed at random
// instants — start-up, the resume scan, mid-commit, mid-merge (merges every 5 results) —
// and a share of runs SIGSTOPped and SIGCONTed first; each time resumed with the very same
// command, no flag. At the end of every batch: each configuration present exactly once,
// every result valid, no part left, nothing quarantined (a killed write is never published).
//
//   node --import tsx scripts/soak.ts [--kills 1000] [--stop-share 0.2] [--seed S] [--configs-per-farm 20]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killLoop } from "../test/batch/kill-loop.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const kills = arg("kills", 1000);
const stopShare = arg("stop-share", 0.2);
const seed = arg("seed", Date.now() % 2 ** 32);
const seeds = arg("configs-per-farm", 20);
const dir = mkdtempSync(join(tmpdir(), "wflo-soak-"));
const t0 = performance.now();
console.log(`soak: ${kills} kills, ${Math.round(stopShare * 100)} % of runs stalled (SIGSTOP/SIGCONT), seed ${seed}, ${2 * seeds} configs a batch`);
let ok = false;
try {
  const r = await killLoop({ dir, kills, seed, seeds, stopShare, log: (l) => { if (process.env.WFLO_SOAK_VERBOSE) console.log(`  ${l}`); } });
  let exact = 0, valid = 0, quarantined = 0, stops = 0, runs = 0, configs = 0;
  for (const round of r.rounds) {
    const once = round.finalKeys.length === round.expected.length && round.finalKeys.every((k, j) => k === round.expected[j]);
    if (once && round.finalExit === 0 && round.finalFailures === 0 && round.partsLeft === 0) exact++;
    if (round.validated) valid++;
    quarantined += round.quarantined;
    stops += round.stops;
    runs += round.runs;
    configs += round.finalKeys.length;
  }
  for (const p of r.problems) console.log(`  problem: ${p}`);
  console.log(`${r.kills} kills and ${stops} stalls over ${runs} runs of ${r.rounds.length} batches (${configs} configurations): ` +
    `${exact}/${r.rounds.length} batches with every configuration exactly once, ${valid}/${r.rounds.length} valid, ` +
    `${quarantined} files quarantined, ${r.problems.length} problems`);
  ok = exact === r.rounds.length && valid === r.rounds.length && quarantined === 0 && r.problems.length === 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${ok ? "OK" : "FAILED"} in ${((performance.now() - t0) / 1000).toFixed(0)} s (seed ${seed})`);
process.exit(ok ? 0 : 1);
