// SIGKILL trials of the commit protocol, shared by test/store/crash.test.ts (short) and
// scripts/stress-store.ts (long). A child commits results in a loop (with periodic
// merges) and is killed at a random instant; after each kill every result it reported
// committed must be present (output or part) with the right checksum, the output must
// open and validate, and nothing may be damaged or quarantined.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import {
  computeChecksum, inspectFile, isGoodStatus, listParts, mergeParts, partsDir, readResultGroup, validate, withFile,
  type H5Group,
} from "../../src/store/index.js";
import { record, repoRoot } from "./helpers.js";

export interface CrashOptions {
  out: string;
  trials: number;
  /** Kill between these many ms after the child is ready. */
  minDelayMs: number;
  maxDelayMs: number;
  mergeEvery: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  killsMidMerge: number;
  /** Results the children reported committed (distinct keys). */
  reported: number;
  /** (result, kill) checks: after each kill, every result reported so far was looked up. */
  checked: number;
  lost: string[];
  damaged: string[];
  /** Temp files left by killed writers before the final merge, and after it (must be 0). */
  leftoverTemps: number;
  tempsAfterFinalMerge: number;
  finalResults: number;
  finalValid: boolean;
  elapsedMs: number;
}

function seedOf(key: string): number {
  return Number(/_s(\d+)$/.exec(key)![1]);
}

export async function crashTrials(o: CrashOptions): Promise<CrashReport> {
  const t0 = performance.now();
  let x = o.seed ?? 20261124;
  const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const rep: CrashReport = { kills: 0, killsMidMerge: 0, reported: 0, checked: 0, lost: [], damaged: [], leftoverTemps: 0, tempsAfterFinalMerge: 0, finalResults: 0, finalValid: false, elapsedMs: 0 };
  const all = new Set<string>();
  let next = 0;
  for (let trial = 0; trial < o.trials; trial++) {
    const child = spawn(process.execPath,
      ["--import", "h5wasm/node", "--import", "tsx", "test/store/crash-child.ts", o.out, String(next), String(o.mergeEvery)],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => { stderr += d; });
    const fresh: string[] = [];
    let last = "";
    let ready!: () => void;
    const isReady = new Promise<void>((r) => { ready = r; });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      last = line;
      if (line === "ready") ready();
      else if (line.startsWith("committed ")) fresh.push(line.slice(10));
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await Promise.race([isReady, exited]);
    const delay = o.minDelayMs + rnd() * (o.maxDelayMs - o.minDelayMs);
    await Promise.race([new Promise((r) => setTimeout(r, delay)), exited]);
    child.kill("SIGKILL");
    const code = await exited;
    if (code !== null) throw new Error(`crash child exited by itself (code ${code}) before the kill:\n${stderr}`);
    rep.kills++;
    if (last === "merge-start") rep.killsMidMerge++;
    for (const k of fresh) all.add(k);
    rep.reported = all.size;
    if (fresh.length) next = seedOf(fresh[fresh.length - 1]) + 1;

    // After the kill: the output opens and holds intact groups; every part is intact.
    const present = new Map<string, string | undefined>(); // key → checksum
    if (existsSync(o.out)) {
      try {
        await withFile(o.out, "r", (f) => {
          for (const k of f.keys()) {
            if (!k.startsWith("farm")) continue;
            // Earlier trials verified older groups; verify this trial's in full.
            if (fresh.includes(k)) {
              const r = readResultGroup(f.get(k) as H5Group);
              if (!isGoodStatus(r.status)) rep.damaged.push(`${o.out}/${k}: ${r.status}`);
              present.set(k, r.record?.checksum);
            } else present.set(k, "unverified");
          }
        });
      } catch (err) {
        rep.damaged.push(`${o.out}: does not open after kill ${rep.kills}: ${(err as Error).message}`);
      }
    }
    for (const p of listParts(partsDir(o.out)).results) {
      const r = await inspectFile(p.path);
      if (r.status !== "ok") { rep.damaged.push(`${p.path}: ${r.status} ${r.errors.join("; ")}`); continue; }
      if (!present.has(p.key) || present.get(p.key) === "unverified") present.set(p.key, r.groups[0].checksum);
    }
    for (const k of all) {
      if (!present.has(k)) { rep.lost.push(`${k} (after kill ${rep.kills})`); continue; }
      const sum = present.get(k);
      if (sum === "unverified") { rep.checked++; continue; }
      if (sum !== computeChecksum(record(seedOf(k), { n: 16 }))) rep.damaged.push(`${k}: wrong checksum after kill ${rep.kills}`);
      else rep.checked++;
    }
    const q = join(partsDir(o.out), "quarantine");
    if (existsSync(q) && readdirSync(q).length) rep.damaged.push(`quarantine is not empty after kill ${rep.kills}: ${readdirSync(q).join(", ")}`);
    o.log?.(`kill ${rep.kills}: after ${delay.toFixed(0)} ms, ${fresh.length} new results, last line "${last}", ${all.size} reported so far, lost ${rep.lost.length}, damaged ${rep.damaged.length}`);
  }
  const outDir = dirname(o.out);
  const outTemps = () => readdirSync(outDir).filter((n) => n.endsWith(".tmp")).length;
  rep.leftoverTemps = listParts(partsDir(o.out)).temps.length + outTemps();
  // The end: one final merge, then every reported result is in the output exactly once and everything validates.
  const m = await mergeParts(o.out, { breakStale: true, verify: "all" });
  const v = await validate([o.out]);
  // The final merge removed what the killed writers left: no temp file may remain.
  rep.tempsAfterFinalMerge = listParts(partsDir(o.out)).temps.length + outTemps();
  rep.finalValid = v.ok && m.conflicts.length === 0 && m.quarantined.length === 0;
  const final = await inspectFile(o.out);
  const keys = final.groups.map((g) => g.key);
  rep.finalResults = keys.length;
  if (new Set(keys).size !== keys.length) rep.damaged.push("duplicate keys in the final output");
  for (const k of all) if (!keys.includes(k)) rep.lost.push(`${k} (final output)`);
  rep.elapsedMs = performance.now() - t0;
  return rep;
}
