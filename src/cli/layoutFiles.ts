/**
 * Layouts on the command line. `--out <layout.csv>` of `wflo optimize` and `wflo smart-start`:
 * the layout at full precision, in the CSV a case's `layout` reads (the printed table rounds to
 * a millimetre, which can put a turbine on the boundary outside it). `wflo aep --layout` and
 * `wflo optimize --start` take a layout as a case's `layout` does, a file relative to the
 * working directory rather than to the case.
 */
import { dirname, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { layoutToCsv, parseLayout, type Layout } from "../physics/index.js";
import { readInputText } from "../util/files.js";
import { ensureDirWritable, writeFileAtomically } from "../util/fs.js";

/** A layout argument as a case's `layout` value: a file made absolute (the working directory's), else a built-in name. */
export function layoutArgValue(arg: string): string {
  return /\.(csv|ya?ml)$/i.test(arg) || /[\\/]/.test(arg) ? resolve(arg) : arg;
}

/** Reads a layout argument (`--start`): a built-in name, a .csv or an IEA 37 .yaml file. */
export function readLayoutArg(arg: string, option: string): Layout {
  return parseLayout(layoutArgValue(arg), option, undefined, (p) => readInputText(p, `${option} layout`));
}

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
