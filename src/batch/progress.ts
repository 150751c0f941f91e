/**
 * Progress of a running batch: counts, rate, ETA and the AEP seen so far. Plain data so it
 * crosses into a notebook display or a JSON line unchanged.
 */
import type { ConfigProgress } from "./protocol.js";

export type BatchPhase = "starting" | "running" | "merging" | "stopping" | "finished" | "cancelled";

export interface BatchProgress {
  phase: BatchPhase;
  /** Configs this run is responsible for (the whole spec, or its shard). */
  total: number;
  /** Already committed before this run started (resume): not run again. */
  skipped: number;
  /** Finished and committed by this run. */
  done: number;
  /** Recorded as failed by this run after all their attempts. */
  failed: number;
  /** Running now. */
  inFlight: number;
  /** Attempts that failed and were tried again. */
  retries: number;
  /** Configs still to do: total − skipped − done − failed. */
  remaining: number;
  elapsedS: number;
  /** Finished configs (done + failed) per second since the first worker was ready. */
  ratePerS: number;
  /** remaining / rate; undefined until the first config finished. */
  etaS?: number;
  bestAepGWh?: number;
  bestKey?: string;
  meanAepGWh?: number;
  /** The last key that finished, and whether it failed. */
  lastKey?: string;
  lastError?: string;
  /** Results merged into the output by this run so far. */
  merged: number;
  /** Configs being optimized now, as their workers last reported (best AEP so far, evaluations, elapsed). */
  optimizing?: ConfigProgress[];
}

/** Accumulates events; `snapshot()` gives the current `BatchProgress`. */
export class ProgressTracker {
  private readonly t0 = performance.now();
  private tRate = 0;
  private sumAep = 0;
  private readonly live = new Map<string, ConfigProgress>();
  readonly p: BatchProgress;

  constructor(total: number) {
    this.p = {
      phase: "starting", total, skipped: 0, done: 0, failed: 0, inFlight: 0, retries: 0,
      remaining: total, elapsedS: 0, ratePerS: 0, merged: 0,
    };
  }

  /** Marks the moment work started (after resume scanning), so start-up does not skew the rate. */
  start(skipped: number): void {
    this.p.skipped = skipped;
    this.p.phase = "running";
    this.tRate = performance.now();
  }

  /** A running config's latest report. */
  running(p: ConfigProgress): void {
    if (p && typeof p.key === "string") this.live.set(p.key, p);
  }

  /** The config stopped running (finished, failed or dropped). */
  notRunning(key: string): void {
    this.live.delete(key);
  }

  succeeded(key: string, aepGWh: number): void {
    this.live.delete(key);
    this.p.done++;
    this.p.lastKey = key;
    this.p.lastError = undefined;
    if (Number.isFinite(aepGWh)) {
      this.sumAep += aepGWh;
      if (this.p.bestAepGWh === undefined || aepGWh > this.p.bestAepGWh) {
        this.p.bestAepGWh = aepGWh;
        this.p.bestKey = key;
      }
    }
  }

  failedFinally(key: string, error: string): void {
    this.live.delete(key);
    this.p.failed++;
    this.p.lastKey = key;
    this.p.lastError = error;
  }

  snapshot(): BatchProgress {
    const p = this.p;
    const now = performance.now();
    p.elapsedS = (now - this.t0) / 1000;
    p.remaining = Math.max(0, p.total - p.skipped - p.done - p.failed);
    const finished = p.done + p.failed;
    const busyS = this.tRate ? (now - this.tRate) / 1000 : 0;
    p.ratePerS = busyS > 0 ? finished / busyS : 0;
    p.etaS = finished > 0 && p.ratePerS > 0 ? p.remaining / p.ratePerS : undefined;
    p.meanAepGWh = p.done > 0 ? this.sumAep / p.done : undefined;
    const optimizing = [...this.live.values()].map((c) => ({ ...c }));
    return { ...p, ...(optimizing.length ? { optimizing } : {}) };
  }
}

function fmtDuration(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return "–";
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function fmtAep(v: number | undefined): string {
  return v === undefined ? "–" : v.toFixed(2);
}

/** One line for logs: `[running] 12/40 done, 1 failed, 3 skipped | 0.8/s ETA 35s | AEP best 412.1 mean 405.3 GWh`. */
export function formatProgressLine(p: BatchProgress): string {
  const counts = `${p.done + p.failed + p.skipped}/${p.total} (${p.done} done, ${p.failed} failed, ${p.skipped} skipped, ${p.inFlight} running)`;
  const rate = `${p.ratePerS.toFixed(p.ratePerS < 10 ? 2 : 1)}/s ETA ${fmtDuration(p.etaS)}`;
  const aep = `AEP best ${fmtAep(p.bestAepGWh)} mean ${fmtAep(p.meanAepGWh)} GWh`;
  return `[${p.phase}] ${counts} | ${rate} | ${aep} | ${fmtDuration(p.elapsedS)} elapsed${formatOptimizing(p)}`;
}

/** ` | f0_t0_s1 best 684.04 GWh, 153/1887 evaluations, 32s` for each config being optimized (two at most, then a count). */
function formatOptimizing(p: BatchProgress): string {
  const o = p.optimizing ?? [];
  const shown = o.slice(0, 2).map((c) =>
    ` | ${c.key} best ${fmtAep(Number.isFinite(c.bestAepGWh) ? c.bestAepGWh : undefined)} GWh, ${Math.round(c.evaluations)}/${c.maxEvaluations} evaluations, ${fmtDuration(c.elapsedS)}`);
  return shown.join("") + (o.length > 2 ? ` | +${o.length - 2} more optimizing` : "");
}

/** A one-line bar for a terminal of `width` columns (redrawn in place with `\r`). */
export function formatProgressBar(p: BatchProgress, width = 80): string {
  const finished = p.done + p.failed + p.skipped;
  const frac = p.total > 0 ? finished / p.total : 1;
  const o = p.optimizing?.[0];
  const live = o ? ` | ${o.key} ${fmtAep(Number.isFinite(o.bestAepGWh) ? o.bestAepGWh : undefined)} GWh ${Math.round(o.evaluations)}/${o.maxEvaluations} ev ${fmtDuration(o.elapsedS)}` : "";
  const tail = ` ${finished}/${p.total}${p.failed ? ` (${p.failed} failed)` : ""} ${p.ratePerS.toFixed(2)}/s ETA ${fmtDuration(p.etaS)} best ${fmtAep(p.bestAepGWh)} mean ${fmtAep(p.meanAepGWh)} GWh${live}`;
  const barW = Math.max(10, Math.min(40, width - tail.length - 3));
  const full = Math.round(frac * barW);
  return `[${"#".repeat(full)}${"-".repeat(barW - full)}]${tail}`.slice(0, Math.max(20, width - 1));
}
