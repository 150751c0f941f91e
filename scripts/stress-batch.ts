#!/usr/bin/env node
// Many more kills than the test suite's: `node --import tsx scripts/stress-batch.ts --kills 50 [--seed S] [--configs-per-farm N]`.
// Exit 0 when, after every SIGKILL and a final resume, every config is present exactly once and everything validates.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killLoop } from "../test/batch/kill-loop.js";
import { inspectFiles } from "../src/store/sandbox.js";
import { partFiles } from "../test/batch/helpers.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const kills = arg("kills", 50);
const seed = arg("seed", Date.now() % 2 ** 32);
const seeds = arg("configs-per-farm", 60);
const dir = mkdtempSync(join(tmpdir(), "wflo-stress-"));
const t0 = performance.now();
console.log(`stress-batch: ${kills} kills, seed ${seed}, ${2 * seeds} configs, in ${dir}`);
let ok = false;
try {
  const r = await killLoop({ dir, kills, seed, seeds, log: (l) => console.log(`  ${l}`) });
  const [o] = await inspectFiles([r.out]);
  const keys = o.groups.map((g) => g.key).sort();
  const exact = keys.length === r.expected.length && keys.every((k, i) => k === r.expected[i]);
  const leftover = partFiles(r.out).length;
  console.log(`runs ${r.runs}, kills ${r.kills}, final exit ${r.finalExit}, output ${o.status} with ${keys.length}/${r.expected.length} configs, ${o.failures.length} failures, ${leftover} parts left, ${r.problems.length} problems`);
  for (const p of r.problems) console.log(`  problem: ${p}`);
  ok = r.problems.length === 0 && r.finalExit === 0 && o.status === "ok" && exact && leftover === 0 && o.failures.length === 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${ok ? "OK" : "FAILED"} in ${((performance.now() - t0) / 1000).toFixed(0)} s (seed ${seed})`);
process.exit(ok ? 0 : 1);
