// The library's errors and reports speak the CLI's words; the cell helpers (cells.ts) and the
// readers a cell calls (batchViews.ts) hand them on in the cell helpers' words instead.

/**
 * The library's messages name the CLI's flags and commands; inside a cell the same advice
 * is the cell helpers' options. `out` fills in the output path where the CLI's hint has one.
 */
export function inCellTerms(message: string): string {
  return message
    .replace(/rerun with --break-lock --force/g, "run the cell again with the option { breakStaleLock: true, forceLock: true }")
    .replace(/rerun with --break-lock/g, "run the cell again with the option { breakStaleLock: true }")
    .replace(/even with --break-lock --force/g, "even with { breakStaleLock: true, forceLock: true }")
    .replace(/--break-lock --force/g, "{ breakStaleLock: true, forceLock: true }")
    .replace(/--break-lock/g, "{ breakStaleLock: true }")
    .replace(/Salvage it with: wflo recover (\S+) --out <new\.h5>/g, (_m, o: string) => `Salvage it with: await nb.recover(${JSON.stringify(o)}, "<new.h5>")`)
    .replace(/run wflo recover on it/g, "salvage it with nb.recover(output, newOutput)")
    .replace(/wflo recover --force/g, "nb.recover(…, { force: true })")
    .replace(/or --force to replace it/g, "or run the cell again with the option { force: true } to replace it")
    .replace(/write this batch to a new output \(--out other\.h5\)/g, 'write this batch to a new output (nb.runBatch(spec, { out: "other.h5" }))')
    .replace(/after a crash the same wflo run command, or wflo merge/g, "after a crash the same nb.runBatch cell again, or in a terminal wflo merge")
    .replace(/the next run or wflo merge/g, "the next nb.runBatch with the same out")
    .replace(/\(wflo merge\)/g, "(the next nb.runBatch with the same out merges them)");
}

/** The same error, its message in the cell's vocabulary (class, kind and field kept). */
export function inCell(err: unknown): unknown {
  if (err instanceof Error) {
    const m = inCellTerms(err.message);
    if (m !== err.message) {
      err.message = m;
      if (err.stack) err.stack = `${err.name}: ${m}`;
    }
  }
  return err;
}
