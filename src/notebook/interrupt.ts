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
    if (!disposed) h.abandon?.();
  };
  const first = () => {
    if (disposed) return;
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
