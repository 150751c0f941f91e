/**
 * `wflo inspect <file.h5> [--json]`: what an output holds — results, farms, types,
 * seeds, AEP min/median/max (overall and per farm and type), failures, parts not merged.
 * Exit 0 for an intact file, 1 when it is damaged or not written yet (a first run before its
 * first merge: the summary says so and counts the parts), 2 on usage errors.
 */
import { flag, parseArgs } from "../args.js";
import { statSync } from "node:fs";
import { UsageError } from "../../errors.js";
import { formatSummary, isGoodStatus, summarize } from "../../store/index.js";

export const usage = "usage: wflo inspect <file.h5> [--json]";
export const summary = "summarise an output: results, farms, types, seeds, AEP statistics, failures";

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: "flag" });
  if (p.positional.length !== 1) throw new UsageError("expected one file\nusage: wflo inspect <file.h5> [--json]");
  const path = p.positional[0];
  // a parts directory after a crash is where users look first: say which command reads it
  if (isDirectory(path)) {
    throw new UsageError(`${path} is a directory; inspect reads one output file. ` +
      `wflo validate ${path} checks every .h5 in it; wflo merge ${path} --out <file.h5> joins a parts directory into an output`);
  }
  const s = await summarize(path);
  console.log(flag(p, "json") ? JSON.stringify(s) : formatSummary(s));
  return isGoodStatus(s.status) ? 0 : 1;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a missing path is summarize's to report
  }
}
