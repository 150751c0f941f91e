/**
 * Runs store work that touches untrusted files in a short-lived worker_thread, so a
 * damaged file can neither crash the caller nor leak into its h5wasm instance (each
 * worker has its own). Used by validate, committedKeys, merge and recover; the notebook
 * kernel's thread never opens an HDF5 file itself.
 *
 * The worker module is ./worker.ts under tsx (tests, dev) and ./worker.js from dist.
 * Measured on Node 20.20 + tsx 4: a worker does NOT get tsx's hooks from an inherited
 * `--import tsx` ("Unknown file extension .ts"), so a .ts worker is started through a
 * two-line bootstrap that registers tsx's ESM API in the worker, then imports it.
 */
import type { Worker } from "node:worker_threads";
import { InputError, UsageError } from "../errors.js";
import type { FileReport, InspectOptions } from "./read.js";
import { spawnModuleWorker } from "../util/worker.js";

const IS_TS = import.meta.url.endsWith(".ts");

function workerUrl(): URL {
  return new URL(IS_TS ? "./worker.ts" : "./worker.js", import.meta.url);
}

/** Messages a store worker posts. */
export type WorkerMessage =
  | { t: "begin"; i: number }
  | { t: "file"; i: number; report: FileReport }
  | { t: "done"; result: unknown }
  | { t: "error"; name: string; message: string; stack?: string; field?: string; file?: string }
  /** What the worker printed to stderr (its JS stderr and h5wasm's native fd 2), in order with the rest. */
  | { t: "stderr"; text: string };

// A store worker's stderr never reaches the caller's: h5wasm prints its own diagnostics
// while reading a damaged file (HDF5-DIAG stacks, "warning: Invalid UTF-8 …",
// "Aborted(native code called abort())"), which the report already states in words.
// The worker forwards all it prints as {t: "stderr"} messages (worker.ts), ordered with
// its per-file messages so each line lands in the report of the file being read; what
// still reaches the worker's own stderr stream (`stderr: true`) is caught here too.
// stdout is left alone (a worker's console.log still goes to the process's stdout).
const DIAG_MAX_BYTES = 64 * 1024;
const DIAG_MAX_LINES = 200;
const DIAG_MAX_LINE_CHARS = 500;

/** Text a worker printed since the last take(), bounded: one damaged file cannot flood a report. */
export class CapturedStderr {
  private text = "";
  private droppedBytes = 0;
  add(s: string): void {
    const room = DIAG_MAX_BYTES - this.text.length;
    if (s.length <= room) this.text += s;
    else {
      this.text += s.slice(0, Math.max(0, room));
      this.droppedBytes += s.length - Math.max(0, room);
    }
  }
  get empty(): boolean { return this.text.length === 0 && this.droppedBytes === 0; }
  /** The captured lines (blank ones dropped, long ones cut), and resets. */
  take(): string[] {
    const all = this.text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
    const lines = all.slice(0, DIAG_MAX_LINES).map((l) => l.length > DIAG_MAX_LINE_CHARS ? `${l.slice(0, DIAG_MAX_LINE_CHARS)}…` : l);
    if (all.length > DIAG_MAX_LINES || this.droppedBytes > 0) {
      const more = [all.length > DIAG_MAX_LINES ? `${all.length - DIAG_MAX_LINES} more lines` : "", this.droppedBytes > 0 ? `${this.droppedBytes} more characters` : ""].filter(Boolean).join(" and ");
      lines.push(`… ${more} not kept`);
    }
    this.text = "";
    this.droppedBytes = 0;
    return lines;
  }
}

function startWorker(op: string, args: unknown, sink: CapturedStderr): Worker {
  const w = spawnModuleWorker(workerUrl(), { workerData: { op, args }, preload: ["h5wasm/node"], stderr: true });
  w.stderr.setEncoding("utf8");
  w.stderr.on("data", (s: string) => sink.add(s));
  return w;
}

/** Resolves once everything the worker wrote to its stderr stream has arrived (it ends when the worker exits). */
function stderrDrained(w: Worker): Promise<void> {
  return new Promise((resolveP) => {
    if (w.stderr.readableEnded || w.stderr.destroyed) return resolveP();
    const t = setTimeout(resolveP, 2000);
    t.unref();
    const end = () => { clearTimeout(t); resolveP(); };
    w.stderr.once("end", end);
    w.stderr.once("close", end);
  });
}

function lastLineNote(lines: string[]): string {
  const last = [...lines].reverse().find((l) => !l.startsWith("… "));
  return last ? ` (last printed: ${JSON.stringify(last)})` : "";
}

function rebuildError(m: Extract<WorkerMessage, { t: "error" }>): Error {
  let e: Error;
  if (m.name === "InputError") e = new InputError(m.message);
  else if (m.name === "UsageError") e = new UsageError(m.message);
  else { e = new Error(m.message); e.name = m.name; }
  if (m.stack) e.stack = m.stack;
  return e;
}

/**
 * Runs `op` (a name registered in worker.ts) in a fresh worker and returns its result.
 * Errors thrown in the worker are rethrown here (InputError/UsageError keep their class);
 * a worker that dies is an Error naming the op and its exit code and the last line it
 * printed. What the worker printed goes to `onDiagnostics` (also when it fails, before
 * the rejection); without one, to this process's stderr as before (ops that face damaged
 * files pass one).
 */
export function runInWorker<T>(op: string, args: unknown, opts: { timeoutMs?: number; onDiagnostics?: (lines: string[]) => void } = {}): Promise<T> {
  return new Promise<T>((resolveP, rejectP) => {
    const captured = new CapturedStderr();
    const w = startWorker(op, args, captured);
    let settled = false;
    const timer = opts.timeoutMs ? setTimeout(() => finish(new Error(`store worker "${op}" timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs) : undefined;
    function finish(err: Error | null, value?: unknown) {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      void w.terminate();
      void stderrDrained(w).then(() => {
        const lines = captured.take();
        if (err && lines.length > 0 && !(err instanceof InputError || err instanceof UsageError)) err.message += lastLineNote(lines);
        if (lines.length > 0) {
          if (opts.onDiagnostics) opts.onDiagnostics(lines);
          else process.stderr.write(lines.map((l) => `${l}\n`).join(""));
        }
        if (err) rejectP(err); else resolveP(value as T);
      });
    }
    w.on("message", (m: WorkerMessage) => {
      if (m.t === "stderr") captured.add(m.text);
      else if (m.t === "done") finish(null, m.result);
      else if (m.t === "error") finish(rebuildError(m));
    });
    w.on("error", (err) => finish(new Error(`store worker "${op}" failed: ${err.message}`)));
    w.on("exit", (code) => finish(new Error(`store worker "${op}" exited with code ${code} before finishing`)));
  });
}

export interface InspectFilesOptions extends InspectOptions {
  /** A file taking longer than this is reported unreadable and its worker killed. Default 120 s. */
  timeoutMs?: number;
  /** Start a fresh worker after this many files (bounds what one damaged file can leave behind). Default 5000. */
  filesPerWorker?: number;
  /** Called as each file's report arrives (for progress displays). */
  onFile?: (report: FileReport, index: number) => void;
}

/**
 * inspectFile over many paths in short-lived workers. Never throws for a file: a worker
 * that crashes or hangs on one marks that file "unreadable" and a new worker goes on
 * with the rest. Reports come back in the order of `paths`.
 */
export async function inspectFiles(paths: string[], opts: InspectFilesOptions = {}): Promise<FileReport[]> {
  const reports: (FileReport | undefined)[] = new Array(paths.length);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const perWorker = Math.max(1, opts.filesPerWorker ?? 5000);
  let next = 0;
  while (next < paths.length) {
    const start = next;
    const end = Math.min(paths.length, start + perWorker);
    next = await new Promise<number>((resolveP) => {
      // Text printed since the last file's report: it belongs to the file being read.
      const captured = new CapturedStderr();
      const w = startWorker("inspect", { paths: paths.slice(start, end), opts: { withRecords: !!opts.withRecords } }, captured);
      let current = start; // index of the file the worker is on
      let last = -1; // index of the last report this worker produced
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => fail(`reader timed out after ${timeoutMs} ms`), timeoutMs);
      };
      const attach = (r: FileReport) => {
        if (captured.empty) return;
        const lines = captured.take();
        if (lines.length > 0) r.diagnostics = [...(r.diagnostics ?? []), ...lines];
      };
      // Settles after the worker's stderr stream has drained, so a worker that dies
      // still yields all it printed: to the file it died on, else to its last report.
      const done = (resume: number, crashed?: string) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        void w.terminate();
        void stderrDrained(w).then(() => {
          if (crashed !== undefined) {
            const r = crashedReport(paths[current], crashed);
            attach(r);
            if (r.diagnostics) r.errors[0] += lastLineNote(r.diagnostics);
            reports[current] = r;
            opts.onFile?.(r, current);
          } else if (!captured.empty) {
            const target = last >= 0 ? reports[last] : undefined;
            if (target) attach(target);
            else process.stderr.write(captured.take().map((l) => `${l}\n`).join("")); // nothing to attach to: never drop it
          }
          resolveP(resume);
        });
      };
      const fail = (why: string) => {
        if (current < end && !reports[current]) done(current + 1, why);
        else done(current + 1);
      };
      arm();
      w.on("message", (m: WorkerMessage) => {
        if (m.t === "stderr") captured.add(m.text);
        else if (m.t === "begin") { current = start + m.i; arm(); }
        else if (m.t === "file") {
          attach(m.report);
          reports[start + m.i] = m.report;
          last = start + m.i;
          opts.onFile?.(m.report, start + m.i);
          current = start + m.i + 1;
          arm();
        } else if (m.t === "done") {
          // The worker stops early ({next}) when a file left its h5wasm instance broken.
          const next = (m.result as { next?: number } | null)?.next;
          done(typeof next === "number" ? start + next : end);
        }
        else if (m.t === "error") fail(`reader failed: ${m.message}`);
      });
      w.on("error", (err) => fail(`reader crashed: ${err.message}`));
      w.on("exit", (code) => fail(`reader exited with code ${code}`));
    });
  }
  return reports.map((r, i) => r ?? crashedReport(paths[i], "not read"));
}

function crashedReport(path: string, why: string): FileReport {
  return {
    path, status: "unreadable", kind: "unknown", sizeBytes: -1, root: {}, rootExtra: {},
    groups: [], failures: [], groupsOk: 0, groupsBad: 0, errors: [`${path}: ${why}`], notes: [], warnings: [],
  };
}
