/**
 * Test-only fault injection, so tests can show what a batch does when a worker throws,
 * exits or runs out of memory. A spec may carry
 *
 *   "_fault": { "<config key>" | "*": { "kind": "throw" | "exit" | "oom" | "uncaught" | "sleep",
 *                                       "attempts": n, "ms": m } }
 *
 * and the worker acts on it ONLY when its environment has WFLO_TEST_FAULTS=1; otherwise
 * the field is ignored. `attempts` (default: all) limits the fault to the first n attempts
 * of the config, so a retry can succeed; `ms` is the delay of "sleep" (which then runs the
 * config normally: it makes configs slow enough for kill and cancel tests).
 */
import { InputError } from "../errors.js";

export type FaultKind = "throw" | "exit" | "oom" | "uncaught" | "sleep" | "eio";
export interface Fault { kind: FaultKind; attempts?: number; ms?: number }
export type FaultTable = Record<string, Fault>;

const KINDS: readonly FaultKind[] = ["throw", "exit", "oom", "uncaught", "sleep", "eio"];

export function faultsEnabled(): boolean {
  return process.env.WFLO_TEST_FAULTS === "1";
}

/** Validates a spec's `_fault` field (shape only; it stays inert without the env var). */
export function parseFaults(raw: unknown, file?: string): FaultTable | undefined {
  if (raw === undefined) return undefined;
  const field = "_fault";
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InputError("must be an object { key: { kind, attempts?, ms? } } (test-only)", { file, field });
  }
  const out: FaultTable = {};
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
    const f = v as Partial<Fault> | null;
    if (typeof f !== "object" || f === null || !KINDS.includes(f.kind as FaultKind)) {
      throw new InputError(`kind must be one of ${KINDS.join(", ")}`, { file, field: `${field}.${key}.kind` });
    }
    if (f.attempts !== undefined && !(Number.isInteger(f.attempts) && f.attempts >= 1)) {
      throw new InputError("must be an integer ≥ 1", { file, field: `${field}.${key}.attempts` });
    }
    if (f.ms !== undefined && !(typeof f.ms === "number" && f.ms >= 0)) {
      throw new InputError("must be a number ≥ 0", { file, field: `${field}.${key}.ms` });
    }
    out[key] = { kind: f.kind as FaultKind, attempts: f.attempts, ms: f.ms };
  }
  return out;
}

/** Acts out the fault planned for this key and attempt, if any. Called in a worker only. */
export async function injectFault(table: FaultTable | undefined, key: string, attempt: number): Promise<void> {
  if (!table || !faultsEnabled()) return;
  const f = table[key] ?? table["*"];
  if (!f || (f.attempts !== undefined && attempt > f.attempts)) return;
  switch (f.kind) {
    case "sleep":
      await new Promise((r) => setTimeout(r, f.ms ?? 100));
      return;
    case "throw":
      throw new Error(`injected fault: throw in ${key} (attempt ${attempt})`);
    case "eio":
      // A failing device, as HDF5's file driver reports it when a part is written.
      throw new Error(`HDF5-DIAG: Error detected in HDF5 (2.0.0):\n  #000: H5FDsec2.c line 808 in H5FD__sec2_write(): file write failed: ` +
        `time = now, filename = '${key}.h5', file descriptor = 20, errno = 29, error message = 'Input/output error', buf = 0x1, total write size = 4096\n    major: Low-level I/O`);
    case "exit":
      process.exit(3);
      break;
    case "uncaught":
      // Thrown outside the task's promise chain: kills the worker thread, not just the task.
      setTimeout(() => { throw new Error(`injected fault: uncaught in ${key} (attempt ${attempt})`); }, 0);
      await new Promise((r) => setTimeout(r, 10_000));
      return;
    case "oom": {
      // Grow the JS heap until the worker's resourceLimits stop it.
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(1 << 16).fill(attempt + hoard.length));
    }
  }
}
