/**
 * `wflo report <file.h5> --out <report.html> [--json]`: an offline HTML report of a batch
 * output (layouts, AEP distribution, smart start against optimized, tables), plotly.js
 * inlined from the npm package.
 */
import { flag, option, parseArgs } from "../args.js";
import { UsageError } from "../../errors.js";
import { writeReport } from "../../report/report.js";

export const summary = "write an offline HTML report (layouts, AEP distribution) of a batch output";

export const usage = "usage: wflo report <file.h5> --out <report.html> [--json]";

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { out: "value", json: "flag", help: "flag" });
  if (flag(a, "help")) { console.log(usage); return 0; }
  if (a.positional.length !== 1) throw new UsageError(`expected one output file\n${usage}`);
  const out = option(a, "out");
  if (!out) throw new UsageError(`--out <report.html> is required\n${usage}`);
  const r = await writeReport(a.positional[0], out);
  if (flag(a, "json")) console.log(JSON.stringify({ report: r.path, results: r.results, failures: r.failures, bytes: r.bytes }));
  else console.log(`report: ${r.path} (${r.results} results, ${r.failures} failures, ${(r.bytes / 1e6).toFixed(1)} MB, opens offline)`);
  return 0;
}
