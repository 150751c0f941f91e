// Kernel interrupts (Jupyter's ■, SIGINT to the kernel) for long cells. tslab's own SIGINT
// handler ends the cell's await at once, but work in worker threads goes on: a batch
// must be told to stop. Measured (notebook-stack.md): a SIGINT listener added while the
// cell's synchronous code runs kills the kernel on the next interrupt (Node 20, vm with
// breakOnSigint); added after an await, it works. So this helper awaits first.
import { inKernel } from "./kernel.js";

export interface InterruptHandlers {
  /** First interrupt: stop starting new work, let work in flight finish. */
  stop(): void;
  /** Second interrupt: drop work in flight at once. */
  abandon?(): void;
}

/**
 * Listens for kernel interrupts until the returned function is called. Outside a kernel
 * it listens to nothing (a script's Ctrl-C keeps its usual meaning) unless `force`.
 */
export async function watchInterrupts(h: InterruptHandlers, opts: { force?: boolean } = {}): Promise<() => void> {
  await new Promise<void>((r) => setImmediate(r));
  if (!opts.force && !inKernel()) return () => {};
  let disposed = false;
  const second = () => {
    if (disposed) return;
    quietInterruptTrace();
    h.abandon?.();
  };
  const first = () => {
    if (disposed) return;
    quietInterruptTrace();
    h.stop();
    if (h.abandon) process.once("SIGINT", second);
  };
  process.once("SIGINT", first);
  return () => {
    disposed = true;
    process.removeListener("SIGINT", first);
    process.removeListener("SIGINT", second);
  };
}

/**
 * tslab answers a kernel interrupt by rejecting the cell's await with its own
 * `Error("Interrupted asynchronously")` and printing it with console.error: a red stack
 * trace in the cell, for what is here a clean, resumable stop the display already
 * explains. tslab's SIGINT listener runs before ours and its console.error follows in the
 * same turn (through the console it captured at start-up, which writes to
 * process.stderr), so for that turn exactly that trace becomes one plain line on stdout.
 */
function quietInterruptTrace(): void {
  const stderr = process.stderr;
  const original = stderr.write;
  const quiet = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (typeof chunk === "string" && chunk.startsWith("Error: Interrupted asynchronously")) {
      process.stdout.write("interrupted (the cell's display says what was kept; run the cell again to resume)\n");
      return true;
    }
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stderr.write;
  stderr.write = quiet;
  setTimeout(() => {
    if (stderr.write === quiet) stderr.write = original;
  }, 0);
}
