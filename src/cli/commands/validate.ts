/**
 * `wflo validate <path...> [--json] [--include-quarantine]`
 *
 * Checks every file (directories: every .h5 inside) and every group, recomputing all
 * checksums, in short-lived workers. With --json prints
 * {"files": [{"path", "status", "groups_ok", "groups_bad", "errors": []}], "results"}
 * where "results" counts the distinct result keys that validated.
 * Exit 0 when everything is ok (or no-checksum: a Python-tool file), 1 when damage was found, 2 on usage errors.
 */
import { flag, parseArgs } from "../args.js";
import { UsageError } from "../../errors.js";
import { expandPaths, validate, type FileReport } from "../../store/index.js";

export const summary = "check output and part files: every group, every checksum";

export const usage = "usage: wflo validate <file.h5|dir>... [--json] [--include-quarantine]";

function line(r: FileReport): string {
  const groups = `${r.groupsOk} ok${r.groupsBad ? `, ${r.groupsBad} bad` : ""}`;
  const head = `${r.status.padEnd(17)} ${r.path}  (${groups}${r.failures.length ? `, ${r.failures.length} failures recorded` : ""})`;
  const errs = r.errors.slice(0, 5).map((e) => `    ${e}`);
  if (r.errors.length > 5) errs.push(`    … ${r.errors.length - 5} more`);
  return [head, ...errs].join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: "flag", "include-quarantine": "flag" });
  if (p.positional.length === 0) throw new UsageError(`expected at least one file or directory\n${usage}`);
  const includeQ = flag(p, "include-quarantine");
  if (expandPaths(p.positional, includeQ).length === 0) throw new UsageError(`no HDF5 files in ${p.positional.join(", ")}\n${usage}`);
  const json = flag(p, "json");
  const tty = !json && process.stdout.isTTY;
  const report = await validate(p.positional, {
    includeQuarantine: includeQ,
    onFile: json ? undefined : (r, i, n) => {
      if (tty) process.stdout.write("\r\x1b[K");
      console.log(line(r));
      if (tty && i + 1 < n) process.stdout.write(`validated ${i + 1}/${n}`);
    },
  });
  if (json) {
    console.log(JSON.stringify({
      files: report.files.map((r) => ({
        path: r.path, status: r.status, groups_ok: r.groupsOk, groups_bad: r.groupsBad, errors: r.errors,
        groups_metadata: r.groups.filter((g) => g.status === "metadata").length, warnings: r.warnings,
      })),
      results: report.results,
    }));
  } else {
    const by = Object.entries(report.byStatus).map(([s, n]) => `${n} ${s}`).join(", ");
    console.log(`${report.files.length} files (${by}); ${report.results} results valid, ${report.groupsBad} groups damaged`);
  }
  return report.ok ? 0 : 1;
}
