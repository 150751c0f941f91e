/**
 * `wflo inspect <file.h5> [--json]`: what an output holds — results, farms, types,
 * seeds, AEP min/median/max (overall and per farm and type), failures, parts not merged.
 * Exit 0 for an intact file, 1 when it is damaged, 2 on usage errors.
 */
import { flag, parseArgs } from "../args.js";
import { UsageError } from "../../errors.js";
import { formatSummary, isGoodStatus, summarize } from "../../store/index.js";

export const usage = "usage: wflo inspect <file.h5> [--json]";
export const summary = "summarise an output: results, farms, types, seeds, AEP statistics, failures";

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: "flag" });
  if (p.positional.length !== 1) throw new UsageError("expected one file\nusage: wflo inspect <file.h5> [--json]");
  const s = await summarize(p.positional[0]);
  console.log(flag(p, "json") ? JSON.stringify(s) : formatSummary(s));
  return isGoodStatus(s.status) ? 0 : 1;
}
