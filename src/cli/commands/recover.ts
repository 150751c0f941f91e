/**
 * `wflo recover <path...> --out <file> [--json] [--force] [--dry-run] [--break-lock]`
 *
 * Salvages every readable result from the given files and directories (wflo outputs and
 * part files, the Python tool's worker files; truncated, damaged and quarantined ones
 * included) into one new validated output, written by the commit protocol. Inputs are
 * never modified. With --json prints
 * {"recovered", "conflicts": [], "files": [{"path", "status", "salvaged", "deep_salvaged",
 * "key_from_attributes", "attribute_keys_refused", "unlabeled_blocks", ...}], ...}.
 * Exit 0 when every input was recovered whole, 1 when something was lost, damaged or
 * conflicting (or the output's lock is held), 2 on usage errors and bad input (including
 * an existing --out that is neither an input nor allowed by --force).
 */
import { checkOutPath, flag, option, parseArgs } from "../args.js";
import { UsageError } from "../../errors.js";
import { fullyRecovered, recover, type RecoverReport } from "../../store/index.js";

export const summary = "salvage every readable result (damaged, truncated, Python worker files) into a new output";

export const usage = "usage: wflo recover <file.h5|dir>... --out <file.h5> [--json] [--force] [--dry-run] [--break-lock]";

function text(r: RecoverReport): string {
  const lines: string[] = [];
  for (const f of r.files) {
    const lost = f.lost ? `, ${f.lost} lost` : "";
    const md = f.metadata ? `, ${f.metadata} with metadata warnings` : "";
    const deep = f.deepSalvaged ? `, ${f.deepSalvaged} by deep salvage${f.keyFromAttributes.length ? ` (${f.keyFromAttributes.length} named by their attributes)` : ""}` : "";
    const refused = f.attributeKeysRefused ? `, ${f.attributeKeysRefused} intact but without a trustworthy name (not taken)` : "";
    const unlabeled = f.unlabeledBlocks ? `, ${f.unlabeledBlocks} blocks of unlabeled data (${f.unlabeledBytes} bytes) left` : "";
    lines.push(`${f.status.padEnd(19)} ${f.path}  (${f.salvaged} salvaged${deep}${md}${lost}${f.failures ? `, ${f.failures} failures` : ""}${refused}${unlabeled})`);
    for (const w of f.warnings.slice(0, 2)) lines.push(`    warning: ${w}`);
    if (f.warnings.length > 2) lines.push(`    … ${f.warnings.length - 2} more metadata warnings`);
    if (f.status !== "ok") {
      for (const e of f.errors.slice(0, 3)) lines.push(`    ${e}`);
      if (f.errors.length > 3) lines.push(`    … ${f.errors.length - 3} more`);
    }
  }
  for (const c of r.conflicts) {
    lines.push(`conflict ${c.key}: ${c.variants.length} different results; ${c.kept ? `the output keeps ${c.kept} (it held it before)` : "none written"}`);
    for (const v of c.variants) lines.push(`    aep ${v.aepGWh} GWh, ${v.nTurbines} turbines, ${v.checksum}: ${v.sources.join(", ")}`);
  }
  const where = r.written ? `written to ${r.out}` : "dry run, nothing written";
  lines.push(`${r.recovered} results and ${r.failuresRecovered} failures recovered from ${r.files.length} files (${r.duplicates} duplicate copies merged), ` +
    `${r.conflicts.length} conflicts; ${where}${r.previousOutKeptAs ? `; the previous output is kept in ${r.previousOutKeptAs}` : ""}`);
  return lines.join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { out: "value", json: "flag", force: "flag", "dry-run": "flag", "break-lock": "flag" });
  if (p.positional.length === 0) throw new UsageError(`expected at least one file or directory\n${usage}`);
  const out = option(p, "out");
  if (!out) throw new UsageError(`--out <file.h5> is required\n${usage}`);
  checkOutPath(out);
  // A held lock (LockError) reaches main's handler: message, exit 2 (its exitCode).
  const report: RecoverReport = await recover(p.positional, out, {
    force: flag(p, "force"), dryRun: flag(p, "dry-run"), breakStale: flag(p, "break-lock"),
  });
  if (flag(p, "json")) {
    console.log(JSON.stringify({
      recovered: report.recovered,
      conflicts: report.conflicts.map((c) => ({
        key: c.key, kept: c.kept,
        variants: c.variants.map((v) => ({ checksum: v.checksum, aep: v.aepGWh, n_turbines: v.nTurbines, sources: v.sources })),
      })),
      files: report.files.map((f) => ({
        path: f.path, status: f.status, salvaged: f.salvaged, lost: f.lost, failures: f.failures, kind: f.kind, errors: f.errors,
        metadata: f.metadata, warnings: f.warnings,
        deep_salvaged: f.deepSalvaged, key_from_attributes: f.keyFromAttributes,
        unlabeled_blocks: f.unlabeledBlocks, unlabeled_bytes: f.unlabeledBytes, attribute_keys_refused: f.attributeKeysRefused ?? 0,
      })),
      out: report.out, written: report.written, failures_recovered: report.failuresRecovered, duplicates: report.duplicates,
      previous_out_kept_as: report.previousOutKeptAs ?? null, elapsed_s: report.elapsedMs / 1000,
    }));
  } else {
    console.log(text(report));
  }
  return fullyRecovered(report) ? 0 : 1;
}
