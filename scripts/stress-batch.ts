#!/usr/bin/env node
// Many more kills than the test suite's: `node --import tsx scripts/stress-batch.ts --kills 50 [--seed S] [--configs-per-farm N]`.
// Exit 0 when, after every SIGKILL and a final resume, every config is present exactly once and everything validates.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killLoop } from "../test/batch/kill-loop.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const kills = arg("kills", 50);
const seed = arg("seed", Date.now() % 2 ** 32);
const seeds = arg("configs-per-farm", 30);
const dir = mkdtempSync(join(tmpdir(), "wflo-stress-"));
const t0 = performance.now();
console.log(`stress-batch: ${kills} kills, seed ${seed}, ${2 * seeds} configs, in ${dir}`);
let ok = false;
try {
  const r = await killLoop({ dir, kills, seed, seeds, log: (l) => console.log(`  ${l}`) });
  let bad = 0;
  for (const [i, round] of r.rounds.entries()) {
    const exact = round.finalKeys.length === round.expected.length && round.finalKeys.every((k, j) => k === round.expected[j]);
    const good = exact && round.finalExit === 0 && round.finalFailures === 0 && round.partsLeft === 0 && round.validated;
    if (!good) bad++;
    console.log(`round ${i + 1}: ${round.kills} kills, ${round.runs} runs, final exit ${round.finalExit}, ${round.finalKeys.length}/${round.expected.length} configs, ` +
      `${round.finalFailures} failures, ${round.partsLeft} parts left, ${round.validated ? "valid" : "NOT VALID"}${good ? "" : "  FAILED"}`);
  }
  for (const p of r.problems) console.log(`  problem: ${p}`);
  console.log(`${r.kills} kills over ${r.rounds.length} batches, ${r.problems.length} problems`);
  ok = bad === 0 && r.problems.length === 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${ok ? "OK" : "FAILED"} in ${((performance.now() - t0) / 1000).toFixed(0)} s (seed ${seed})`);
process.exit(ok ? 0 : 1);
