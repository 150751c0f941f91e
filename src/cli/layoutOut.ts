/**
 * `--out <layout.csv>` of `wflo optimize` and `wflo smart-start`: the layout at full precision,
 * in the CSV a case's `layout` reads (`wflo aep case.json --layout best.csv`). The printed table
 * rounds to a millimetre, which can put a turbine on the boundary outside it.
 */
import { dirname, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { layoutToCsv, type Layout } from "../physics/index.js";
import { ensureDirWritable, writeFileAtomically } from "../util/fs.js";

/** The --out path, checked before any work is done: a long run must not end on a bad name. */
export function layoutOutPath(out: string | undefined): string | undefined {
  if (out === undefined) return undefined;
  if (!/\.csv$/i.test(out)) {
    throw new UsageError(`--out must name a .csv file (x_m,y_m rows, which a case's "layout" reads), got "${out}"`);
  }
  const abs = resolve(out);
  ensureDirWritable(dirname(abs));
  return abs;
}

/** Writes the layout whole or not at all (a temp file renamed over the name), and says where on stderr. */
export function writeLayoutOut(path: string, layout: Layout, notes: readonly string[], command: string): void {
  writeFileAtomically(path, layoutToCsv(layout, notes));
  process.stderr.write(`wflo ${command}: layout written to ${path}\n`);
}
