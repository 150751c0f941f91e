/**
 * `wflo merge <parts-dir> --out <file> [--json] [--break-lock [--force]] [--rewrite] [--quick]`
 *
 * Folds every valid part into the output by atomic replace (the old output stays intact
 * until the new one is complete and verified), then removes the merged parts. Damaged
 * parts and conflicting results go to `<parts-dir>/quarantine/` with a reason.
 * Other `.h5` files in the directory (a Python tool's worker files, a copied output) are not
 * parts: they are named, left untouched, and the exit is 1, since `wflo recover` is what reads them.
 * Exit 0 clean, 1 when parts were quarantined or conflicted or other .h5 files were left, 2 on bad input.
 */
import { existsSync, statSync } from "node:fs";
import { checkOutPath, flag, option, parseArgs } from "../args.js";
import { InputError, UsageError } from "../../errors.js";
import { mergeParts, outputOfPartsDir } from "../../store/index.js";
import { rootAttrsOfPartsSpec } from "../../batch/config.js";

export const summary = "merge part files into the output (atomic replace, then remove merged parts)";

export const usage = "usage: wflo merge <parts-dir> --out <file.h5> [--json] [--break-lock [--force]] [--rewrite] [--quick]";

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { out: "value", json: "flag", "break-lock": "flag", force: "flag", rewrite: "flag", quick: "flag" });
  // Files where the parts directory goes: the user wants two outputs (or worker files) in one,
  // which is what recover does; say so rather than "no such parts directory".
  const files = p.positional.filter((f) => existsSync(f) && statSync(f).isFile());
  if (files.length > 0) {
    throw new UsageError(`${files.join(", ")}: ${files.length > 1 ? "are files" : "is a file"}; wflo merge folds a run's parts directory (<out>.parts) into its output. ` +
      `To combine output files or another tool's worker files into one, use wflo recover ${p.positional.join(" ")} --out <all.h5> (it reads any number of files, keeps one copy of a result found twice and names conflicts)\n${usage}`);
  }
  if (p.positional.length !== 1) throw new UsageError(`expected one parts directory\n${usage}`);
  const dir = p.positional[0];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`no such parts directory`, { file: dir });
  const out = option(p, "out") ?? outputOfPartsDir(dir);
  if (!out) throw new UsageError(`--out is needed (the parts directory is not named <file>.parts)\n${usage}`);
  checkOutPath(out);
  // A held lock (LockError) reaches main's handler: message, exit 2 (its exitCode).
  const report = await mergeParts(out, {
    partsDir: dir,
    // A command-line merge is usually the final one: re-verify every checksum unless --quick.
    verify: flag(p, "quick") ? "new" : "all",
    rewrite: flag(p, "rewrite"),
    breakStale: flag(p, "break-lock"),
    forceLock: flag(p, "break-lock") && flag(p, "force"),
    // Shards never merge; their parts directory keeps the batch spec, so the merged output
    // gets the root attributes (grid_size, random_pct, total_configs, spec_json) of a whole run.
    root: rootAttrsOfPartsSpec(dir),
  });
  // What merge does not read: a user who points it at a folder of someone else's files must
  // not be told "nothing new" and exit 0 with their results left out.
  const notParts = report.notParts;
  if (flag(p, "json")) {
    console.log(JSON.stringify({
      out: report.out, mode: report.mode, merged: report.merged.length, unchanged: report.unchanged,
      failures_merged: report.failuresMerged, results: report.results, failures: report.failures,
      parts_removed: report.partsRemoved, remaining: report.remaining, conflicts: report.conflicts, quarantined: report.quarantined,
      not_parts: notParts,
      elapsed_s: report.elapsedMs / 1000,
    }));
  } else {
    console.log(`${report.out}: ${report.mode === "none" ? "nothing new" : `${report.merged.length} results and ${report.failuresMerged} failures merged (${report.mode})`}; ` +
      `now ${report.results} results, ${report.failures} failures; ${report.partsRemoved} parts removed` +
      (report.unchanged ? `; ${report.unchanged} were already merged` : ""));
    for (const c of report.conflicts) console.log(`  conflict ${c.key}: output ${c.outputChecksum ?? "(no checksum)"} vs part ${c.partChecksum}; part kept in ${c.quarantinedAs}`);
    for (const q of report.quarantined) if (!report.conflicts.some((c) => c.part === q.path)) console.log(`  quarantined ${q.path} → ${q.to}: ${q.reason.split("\n")[0]}`);
  }
  if (notParts.length) {
    const many = notParts.length > 1;
    console.error(`wflo merge: ${many ? `${notParts.length} .h5 files` : "an .h5 file"} in ${dir} ${many ? "are not parts" : "is not a part"} (farm{f}_t{t}_s{s}.h5), not merged: ` +
      `${notParts.slice(0, 5).join(", ")}${notParts.length > 5 ? `, … (${notParts.length - 5} more)` : ""}\n` +
      `  to gather the results in any HDF5 files (another tool's worker files, damaged or truncated ones): wflo recover ${dir} --out <file.h5>`);
  }
  return report.conflicts.length || report.quarantined.length || notParts.length ? 1 : 0;
}
