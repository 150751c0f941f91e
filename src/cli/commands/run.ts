/**
 * `wflo run <spec.json> --out <file.h5> [--workers N] [--shard i/n] [--json] [--report x.html]`
 *
 * Progress goes to stderr: a bar redrawn in place on a terminal, a plain line every
 * WFLO_PROGRESS_INTERVAL_S seconds (default 10) otherwise. The summary goes to stdout;
 * with --json the last line of stdout is {"total", "done", "failed", "skipped", "elapsed_s", "out"}.
 * Exit: 0 every config done, 1 some failed (or could not be merged: summary.mergeError), 2 bad
 * input (spec, arguments) or another run holding the output (LockError, as cli/main.ts maps it), 130 stopped by Ctrl-C / 143 by SIGTERM
 * (the output is resumable: run the same command again).
 *
 * Ctrl-C once: no new config starts, running ones finish and are committed. Twice: running
 * ones are abandoned at once. SIGTERM (e.g. Slurm's time limit): abandoned at once.
 */
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { checkOutPath, flag, numberOption, option, parseArgs } from "../args.js";
import { parseShard } from "../../batch/config.js";
import { formatProgressBar, formatProgressLine, type BatchProgress } from "../../batch/progress.js";
import { readBatchSpec } from "../../batch/spec.js";
import { randomPctWarning } from "../../layout/index.js";
import { runBatch, type BatchSummary } from "../../batch/run.js";
import { checkReportTarget, writeReport } from "../../report/report.js";
import { UsageError } from "../../errors.js";

export const summary = "run a batch spec: optimize every farm × turbine type × seed into one HDF5 file (resumable)";

export const usage = "usage: wflo run <spec.json> --out <file.h5> [--workers N] [--shard i/n] [--json] [--report <file.html>]\n" +
  "                [--retries N] [--worker-memory-mb MB] [--merge-every N] [--break-lock] [--force]";

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    out: "value", workers: "value", shard: "value", json: "flag", report: "value", retries: "value",
    "worker-memory-mb": "value", "merge-every": "value", "break-lock": "flag", force: "flag", help: "flag",
  });
  if (flag(a, "help")) { console.log(usage); return 0; }
  if (a.positional.length !== 1) throw new UsageError(`expected one spec file\n${usage}`);
  const out = option(a, "out");
  if (!out) throw new UsageError(`--out <file.h5> is required\n${usage}`);
  checkOutPath(out);
  const workers = numberOption(a, "workers", { integer: true, min: 1 });
  const cores = availableParallelism();
  if (workers !== undefined && workers > cores) {
    // Not refused (the user may know the machine better), but said: measured on 2 cores, 40
    // small configs took 12 s and 1.2 GB on 32 workers against 2 s and 0.2 GB on 2.
    process.stderr.write(`wflo run: warning: --workers ${workers} on ${cores} CPU core${cores === 1 ? "" : "s"}: ` +
      `workers beyond the cores only add memory (each loads its own HDF5 and model) and start-up time; ` +
      `the default is one per core (--workers ${cores})\n`);
  }
  const retries = numberOption(a, "retries", { integer: true, min: 0 });
  const memoryLimitMb = numberOption(a, "worker-memory-mb", { integer: true, min: 64 });
  const mergeEvery = numberOption(a, "merge-every", { integer: true, min: 1 });
  const shardText = option(a, "shard");
  const shard = shardText !== undefined ? parseShard(shardText) : undefined;
  const json = flag(a, "json");
  const reportPath = option(a, "report");
  if (reportPath && shard) throw new UsageError("--report needs the merged output: run wflo merge after all shards, then wflo report");
  if (reportPath) checkReportTarget(out, reportPath); // before any work: never over the results
  const specFile = a.positional[0];
  const spec = readBatchSpec(specFile); // bad input fails here, before anything starts
  const pctWarning = randomPctWarning(spec.random_pct, spec.grid_size);
  if (pctWarning) process.stderr.write(`wflo run: warning: ${specFile}: ${pctWarning}\n`);

  const tty = process.stderr.isTTY === true;
  const intervalS = Number(process.env.WFLO_PROGRESS_INTERVAL_S ?? 10);
  let lastLine = 0;
  let lastFailed = 0;
  let barShown = false;
  const onProgress = (p: BatchProgress): void => {
    if (tty) {
      process.stderr.write(`\r${formatProgressBar(p, process.stderr.columns > 40 ? process.stderr.columns : 100)}\x1b[K`);
      barShown = true;
      return;
    }
    const now = Date.now();
    const failedNow = p.failed > lastFailed;
    if (failedNow) process.stderr.write(`wflo run: ${p.lastKey} failed: ${p.lastError}\n`);
    lastFailed = p.failed;
    if (p.phase === "finished" || p.phase === "cancelled" || now - lastLine >= intervalS * 1000) {
      lastLine = now;
      process.stderr.write(`wflo run: ${formatProgressLine(p)}\n`);
    }
  };

  const stop = new AbortController();
  const abandon = new AbortController();
  let signalName: "SIGINT" | "SIGTERM" | undefined;
  const onSigint = (): void => {
    if (!stop.signal.aborted) {
      signalName = "SIGINT";
      process.stderr.write(`${barShown ? "\n" : ""}wflo run: stopping — running configs finish and are committed; Ctrl-C again abandons them\n`);
      stop.abort();
    } else {
      process.stderr.write("\nwflo run: abandoning running configs\n");
      abandon.abort();
    }
  };
  const onSigterm = (): void => {
    signalName = "SIGTERM";
    process.stderr.write(`${barShown ? "\n" : ""}wflo run: SIGTERM — abandoning running configs\n`);
    stop.abort();
    abandon.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);

  let s: BatchSummary;
  try {
    s = await runBatch(spec, {
      out, workers, shard, retries, memoryLimitMb, mergeEvery, file: specFile,
      signal: stop.signal, abandonSignal: abandon.signal, onProgress,
      progressIntervalMs: tty ? 500 : 1000,
      breakStaleLock: flag(a, "break-lock") || flag(a, "force"), forceLock: flag(a, "force"),
    });
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    if (barShown) process.stderr.write("\n");
  }

  for (const w of s.warnings) process.stderr.write(`wflo run: warning: ${w}\n`);
  let reportNote = "";
  let reportFailed = false;
  if (reportPath && !s.abandoned) {
    // The results are stored by now: a report that cannot be written (a full disk) must not
    // hide the summary, nor the --json line a script waits for.
    try {
      const r = await writeReport(s.out, reportPath);
      reportNote = `report: ${r.path} (${r.results} results, ${(r.bytes / 1e6).toFixed(1)} MB, opens offline)`;
    } catch (err) {
      reportFailed = true;
      reportNote = `report not written: ${(err as Error).message}; the results are stored: wflo report ${s.out} --out ${reportPath} writes it later`;
    }
  }
  const where = shard ? `shard ${shard.index}/${shard.count} of ` : "";
  const lines = [
    `${where}${s.total} configs: ${s.done} done, ${s.failed} failed, ${s.skipped} skipped (already committed)` +
      (s.missing > 0 ? `, ${s.missing} not run` : "") + ` in ${s.elapsedS.toFixed(1)} s on ${s.workers} worker${s.workers === 1 ? "" : "s"}`,
    // After a resume the best and mean are of this run's results only: say so, as the file holds more.
    s.bestAepGWh !== undefined ? `AEP${s.skipped > 0 ? ` of the ${s.done} done now` : ""}: best ${s.bestAepGWh.toFixed(3)} GWh (${s.bestKey}), mean ${s.meanAepGWh!.toFixed(3)} GWh` : "",
    shard ? `parts: ${s.out}.parts (not merged: run wflo merge ${s.out}.parts --out ${s.out} when every shard is done)`
      : existsSync(s.out) ? `output: ${s.out}${s.outputResults !== undefined ? ` (${s.outputResults} results)` : ""}`
      : `output: ${s.out} not written yet (the committed results are in ${s.out}.parts)`,
    ...s.failures.map((f) => `failed: ${f.key} after ${f.attempts} attempts: ${f.error}`),
    reportNote,
    s.storageError !== undefined ? `stopped: ${s.storageError}; the ${s.done + s.skipped} committed results are kept: free space (or fix the disk) and run the same command again to do the ${s.missing} missing configs`
      : s.cancelled ? `stopped${s.abandoned ? " (running configs abandoned)" : ""}: run the same command again to do the ${s.missing} missing configs` : "",
  ].filter(Boolean);
  if (json) {
    for (const l of lines) process.stderr.write(`wflo run: ${l}\n`);
    console.log(JSON.stringify({ total: s.total, done: s.done, failed: s.failed, skipped: s.skipped, elapsed_s: s.elapsedS, out: s.out }));
  } else {
    for (const l of lines) console.log(l);
  }
  if (s.storageError !== undefined) return 1;
  if (s.cancelled && s.missing > 0) return signalName === "SIGTERM" ? 143 : 130;
  const mergeFailed = !shard && s.mergeError !== undefined;
  return s.failed > 0 || s.missing > 0 || mergeFailed || reportFailed ? 1 : 0;
}
