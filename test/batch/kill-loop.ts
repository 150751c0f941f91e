/**
 * SIGKILL a `wflo run` at random instants, resuming it each time, then let it finish:
 * the crash test of the batch (test/cli/run-kill.test.ts runs it with 10+ kills,
 * scripts/stress-batch.ts with many more).
 *
 * Each run is started with --break-lock (the killed run's lock is stale: its pid is dead)
 * and --merge-every 5, so kills land in every phase: start-up, the resume scan, configs
 * being optimized and committed, periodic merges, the final merge.
 *
 * The instant is random but anchored so that it lands in the work whatever the machine's
 * load (start-up under tsx takes 1–5 s on a busy 2-core machine): a quarter of the kills
 * come at a uniform time after spawn, the rest at a uniform delay after the run reported
 * a random number (0–8) of configs done in this run.
 */
import { spawn } from "node:child_process";
import { writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { MT19937 } from "../../src/layout/rng.js";
import { expandConfigs, parseBatchSpec } from "../../src/batch/index.js";
import { inspectFiles } from "../../src/store/sandbox.js";
import { repoRoot, smallSpec, partFiles } from "./helpers.js";

export interface KillLoopOptions {
  dir: string;
  /** Kills of a live process required (runs that finished before their instant do not count). */
  kills: number;
  seed: number;
  /** Kill delays are uniform in [minMs, maxMs] (after spawn, or after k configs done). */
  minMs?: number;
  maxMs?: number;
  seeds?: number;
  log?: (line: string) => void;
}

export interface KillLoopResult {
  out: string;
  expected: string[];
  kills: number;
  runs: number;
  /** Results committed (in the output or as parts) after each kill. */
  afterKill: number[];
  /** Problems seen after a kill (an output that does not open, a part that does not validate). */
  problems: string[];
  finalExit: number | null;
  finalJson: { total: number; done: number; failed: number; skipped: number; elapsed_s: number; out: string } | undefined;
}

const dev = ["--import", "tsx", "src/cli/dev.ts"];

/** When to kill: `ms` after spawn, or `ms` after the run reported `afterDone` configs done. */
interface KillAt { ms: number; afterDone?: number }

function runOnce(spec: string, out: string, at: KillAt | undefined): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolveP) => {
    const child = spawn(process.execPath, [...dev, "run", spec, "--out", out, "--workers", "2", "--merge-every", "5", "--break-lock", "--json"], {
      cwd: repoRoot, env: { ...process.env, WFLO_TEST_FAULTS: "1", WFLO_PROGRESS_INTERVAL_S: "0" },
    });
    let stdout = "", stderr = "", killed = false, exited = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => { timer ??= setTimeout(() => { if (!exited) killed = child.kill("SIGKILL"); }, ms); };
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => {
      stderr += d;
      if (at?.afterDone !== undefined && !timer) {
        // Progress lines read "[running] a/b (d done, ...": d counts this run's configs.
        for (const m of stderr.matchAll(/\((\d+) done/g)) if (Number(m[1]) >= at.afterDone) { arm(at.ms); break; }
      }
    });
    if (at && at.afterDone === undefined) arm(at.ms);
    child.on("exit", (code, signal) => {
      exited = true;
      if (timer) clearTimeout(timer);
      resolveP({ code, signal, stdout, stderr, killed: killed && signal === "SIGKILL" });
    });
  });
}

export async function killLoop(o: KillLoopOptions): Promise<KillLoopResult> {
  const log = o.log ?? (() => {});
  const specObj = smallSpec({ seeds: o.seeds ?? 30, _fault: { "*": { kind: "sleep", ms: 60 } } });
  const spec = join(o.dir, "kill-spec.json");
  writeFileSync(spec, JSON.stringify(specObj));
  const out = join(o.dir, "killed.h5");
  const expected = expandConfigs(parseBatchSpec(specObj)).map((c) => c.key).sort();
  const rng = new MT19937(o.seed);
  const minMs = o.minMs ?? 0, maxMs = o.maxMs ?? 2500;
  const res: KillLoopResult = { out, expected, kills: 0, runs: 0, afterKill: [], problems: [], finalExit: null, finalJson: undefined };
  while (res.kills < o.kills) {
    const early = rng.nextDouble() < 0.25;
    const at: KillAt = { ms: Math.round(minMs + rng.nextDouble() * (maxMs - minMs)), ...(early ? {} : { afterDone: Math.floor(rng.nextDouble() * 9) }) };
    const r = await runOnce(spec, out, at);
    res.runs++;
    if (!r.killed) {
      if (r.code !== 0) res.problems.push(`run ${res.runs} (not killed) exited ${r.code}: ${r.stderr.slice(-500)}`);
      log(`run ${res.runs}: finished before its kill (${JSON.stringify(at)}, exit ${r.code})`);
      continue;
    }
    res.kills++;
    // After every kill: the output, when there is one, opens and validates; so do all parts.
    const files = [...(existsSync(out) ? [out] : []), ...partFiles(out).map((f) => join(`${out}.parts`, f))];
    const reports = await inspectFiles(files);
    let results: number | undefined;
    const committed = new Set<string>();
    for (const rep of reports) {
      if (rep.status !== "ok") res.problems.push(`after kill ${res.kills}: ${rep.path} is ${rep.status}: ${rep.errors.join("; ")}`);
      if (rep.path === out) results = rep.groups.length;
      for (const g of rep.groups) committed.add(g.key);
    }
    res.afterKill.push(committed.size);
    log(`kill ${res.kills} (${at.afterDone === undefined ? `${at.ms} ms after spawn` : `${at.ms} ms after ${at.afterDone} done`}): output ${results ?? "absent"}, ${partFiles(out).length} parts`);
  }
  const fin = await runOnce(spec, out, undefined);
  res.runs++;
  res.finalExit = fin.code;
  try { res.finalJson = JSON.parse(fin.stdout.trim().split("\n").at(-1) ?? ""); } catch { res.problems.push(`final run printed no JSON: ${fin.stdout} ${fin.stderr.slice(-500)}`); }
  return res;
}
