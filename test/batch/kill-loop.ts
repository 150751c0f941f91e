/**
 * SIGKILL a `wflo run` at random instants, resuming it each time, then let it finish:
 * the crash test of the batch (test/cli/run-kill.test.ts runs it with 10+ kills,
 * scripts/stress-batch.ts with many more).
 *
 * Each run is the very same command with no lock flag: the killed run's lock is stale (its
 * pid is dead) and is broken by the next run on its own. --merge-every 5 so kills land in every phase: start-up, the resume scan, configs
 * being optimized and committed, periodic merges, the final merge.
 *
 * The instant is random but anchored so that it lands in the work whatever the machine's
 * load (start-up under tsx takes 1–5 s on a busy 2-core machine): a quarter of the kills
 * come at a uniform time after spawn, the rest at a uniform delay after the run reported
 * a random number (0–8) of configs done in this run.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
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
  /** Seeds per farm (the spec has two farms). */
  seeds?: number;
  /** Share of runs that are also SIGSTOPped for 0.2–2 s and SIGCONTed before their kill (a stalled process). Default 0. */
  stopShare?: number;
  log?: (line: string) => void;
}

/** One batch, killed until a run finished it, then checked. */
export interface KillRound {
  out: string;
  expected: string[];
  kills: number;
  runs: number;
  /** Results committed (in the output or as parts) after each kill. */
  afterKill: number[];
  finalExit: number | null;
  finalJson?: { total: number; done: number; failed: number; skipped: number; elapsed_s: number; out: string };
  /** Keys in the final output, sorted (each group name is unique within a file). */
  finalKeys: string[];
  finalFailures: number;
  partsLeft: number;
  validated: boolean;
  /** Files moved to quarantine during the round (damaged parts are expected only from kills mid-write, never intact ones). */
  quarantined: number;
  /** Runs that were SIGSTOPped and SIGCONTed. */
  stops: number;
}

export interface KillLoopResult {
  rounds: KillRound[];
  kills: number;
  /** Problems seen (an output or part that does not validate after a kill, a run that failed). */
  problems: string[];
}
const dev = ["--import", "tsx", "src/cli/dev.ts"];

/** When to kill: `ms` after spawn, or `ms` after the run reported `afterDone` configs done; optionally stalled first. */
interface KillAt { ms: number; afterDone?: number; stop?: { atMs: number; forMs: number } }

function runOnce(spec: string, out: string, at: KillAt | undefined): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolveP) => {
    const child = spawn(process.execPath, [...dev, "run", spec, "--out", out, "--workers", "2", "--merge-every", "5", "--json"], {
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
    // A stalled run (SIGSTOP … SIGCONT): its lock must not be broken meanwhile, its work goes on after.
    let stopTimer: NodeJS.Timeout | undefined;
    if (at?.stop) {
      stopTimer = setTimeout(() => {
        if (exited || !child.kill("SIGSTOP")) return;
        stopTimer = setTimeout(() => { if (!exited) child.kill("SIGCONT"); }, at.stop!.forMs);
      }, at.stop.atMs);
    }
    child.on("exit", (code, signal) => {
      if (stopTimer) clearTimeout(stopTimer);
      exited = true;
      if (timer) clearTimeout(timer);
      resolveP({ code, signal, stdout, stderr, killed: killed && signal === "SIGKILL" });
    });
  });
}

/**
 * Rounds of: a fresh output; `wflo run` killed at random instants until a run finishes it;
 * the finished output checked. Rounds go on until `kills` kills of a live process happened.
 */
export async function killLoop(o: KillLoopOptions): Promise<KillLoopResult> {
  const log = o.log ?? (() => {});
  const specObj = smallSpec({ seeds: o.seeds ?? 20, _fault: { "*": { kind: "sleep", ms: 60 } } });
  const spec = join(o.dir, "kill-spec.json");
  writeFileSync(spec, JSON.stringify(specObj));
  const expected = expandConfigs(parseBatchSpec(specObj)).map((c) => c.key).sort();
  const rng = new MT19937(o.seed);
  const minMs = o.minMs ?? 0, maxMs = o.maxMs ?? 2500;
  const res: KillLoopResult = { rounds: [], kills: 0, problems: [] };
  while (res.kills < o.kills) {
    const out = join(o.dir, `killed-${res.rounds.length}.h5`);
    const round: KillRound = { out, expected, kills: 0, runs: 0, afterKill: [], finalExit: null, finalKeys: [], finalFailures: 0, partsLeft: 0, validated: false, quarantined: 0, stops: 0 };
    res.rounds.push(round);
    for (;;) {
      const early = rng.nextDouble() < 0.25;
      const at: KillAt = { ms: Math.round(minMs + rng.nextDouble() * (maxMs - minMs)), ...(early ? {} : { afterDone: Math.floor(rng.nextDouble() * 9) }) };
      if (rng.nextDouble() < (o.stopShare ?? 0)) { at.stop = { atMs: Math.round(300 + rng.nextDouble() * 1500), forMs: Math.round(200 + rng.nextDouble() * 1800) }; round.stops++; }
      const r = await runOnce(spec, out, at);
      round.runs++;
      if (!r.killed) {
        round.finalExit = r.code;
        try { round.finalJson = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? ""); } catch { res.problems.push(`round ${res.rounds.length}: final run printed no JSON: ${r.stdout} ${r.stderr.slice(-500)}`); }
        if (r.code !== 0) res.problems.push(`round ${res.rounds.length}: the unkilled run exited ${r.code}: ${r.stderr.slice(-500)}`);
        break;
      }
      round.kills++;
      res.kills++;
      // After every kill: the output, when there is one, opens and validates; so do all parts.
      const files = [...(existsSync(out) ? [out] : []), ...partFiles(out).map((f) => join(`${out}.parts`, f))];
      const committed = new Set<string>();
      let results: number | undefined;
      for (const rep of await inspectFiles(files)) {
        if (rep.status !== "ok") res.problems.push(`after kill ${res.kills}: ${rep.path} is ${rep.status}: ${rep.errors.join("; ")}`);
        if (rep.path === out) results = rep.groups.length;
        for (const g of rep.groups) committed.add(g.key);
      }
      round.afterKill.push(committed.size);
      log(`round ${res.rounds.length} kill ${round.kills} (${at.afterDone === undefined ? `${at.ms} ms after spawn` : `${at.ms} ms after ${at.afterDone} done`}): ` +
        `${committed.size} committed, output ${results ?? "absent"}, ${partFiles(out).length} parts`);
    }
    // The round's batch is finished: every config exactly once, nothing failed, nothing left over, all valid.
    const [rep] = await inspectFiles([out]);
    round.finalKeys = rep.groups.map((g) => g.key).sort();
    round.finalFailures = rep.failures.length;
    round.partsLeft = partFiles(out).length;
    round.validated = rep.status === "ok" && rep.groups.every((g) => g.status === "ok");
    const qdir = join(`${out}.parts`, "quarantine");
    round.quarantined = existsSync(qdir) ? readdirSync(qdir).filter((f) => f.endsWith(".h5")).length : 0;
    log(`round ${res.rounds.length} finished after ${round.kills} kills: ${round.finalKeys.length}/${expected.length} configs, ${rep.status}`);
  }
  return res;
}
