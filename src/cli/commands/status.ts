/**
 * `wflo status <file.h5> [--spec spec.json] [--shards N] [--json]`
 *
 * Which shards and configs of a batch are done, failed or missing, read from the parts
 * directory and the output (and Slurm, after `wflo submit`). Safe while the array runs.
 * Exit 0 when every config is done, 1 while some are failed or missing, 2 on bad input.
 */
import { flag, numberOption, option, parseArgs } from "../args.js";
import { UsageError } from "../../errors.js";
import { batchStatus, type BatchStatus } from "../../batch/status.js";
import { shellQuote } from "../../batch/slurm/plan.js";

export const summary = "which shards and configs of a batch are done, failed or missing";

export const usage = "usage: wflo status <file.h5> [--spec spec.json] [--shards N] [--json]";

function list(keys: string[], max = 12): string {
  return keys.length <= max ? keys.join(", ") : `${keys.slice(0, max).join(", ")}, … (${keys.length - max} more)`;
}

export function formatStatus(s: BatchStatus): string {
  const lines: string[] = [];
  const inParts = s.done - s.merged;
  lines.push(`${s.out}: ${s.done}/${s.total} configs done (${s.merged} merged into the output, ${inParts} in parts), ${s.failed} failed, ${s.missing} missing`);
  lines.push(`spec: ${s.spec_source}`);
  if (s.slurm) {
    const merge = s.slurm.merge_state ? `${s.slurm.merge_state}${s.slurm.merge_reason ? ` (${s.slurm.merge_reason})` : ""}` : "state unknown";
    lines.push(`slurm: array job ${s.slurm.array_job ?? "-"}, merge job ${s.slurm.merge_job}: ${merge}${s.slurm.note ? ` — ${s.slurm.note}` : ""}`);
  }
  if (s.merge_lock !== "free") lines.push(`merge lock: ${s.merge_lock}`);
  const header = ["shard", "configs", "done", "failed", "missing", "state", "slurm"];
  const rows = s.per_shard.map((r) => [`${r.shard}/${s.shards}`, r.total, r.done, r.failed, r.missing, r.state, r.slurm ?? "-"].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => "  " + r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  lines.push(fmt(header), ...rows.map(fmt));
  if (s.failed_keys.length) lines.push(`failed: ${list(s.failed_keys)}`);
  if (s.missing_keys.length) lines.push(`missing: ${list(s.missing_keys)}`);
  for (const d of s.damaged_parts) lines.push(`damaged part: ${d}`);
  const w = s.writer;
  if (w.state === "held" || w.state === "foreign") {
    lines.push(`writing: ${w.command ?? "a run"} (${w.holder}); wflo status again to follow it`);
  }
  if (s.failed + s.missing > 0 && !s.per_shard.some((r) => r.state === "running")) {
    lines.push(...toFinish(s));
  } else if (s.failed + s.missing === 0 && s.merged < s.done) {
    lines.push(`every config is done; ${s.done - s.merged} wait in parts: wflo merge ${s.out}.parts --out ${s.out}`);
  }
  return lines.join("\n");
}

/** The command that finishes a batch nothing is running for: a resubmit after Slurm, else `wflo run` again. */
function toFinish(s: BatchStatus): string[] {
  const redo = `(skips the ${s.done} done, tries the failed and missing again)`;
  if (s.slurm) {
    const spec = s.slurm.spec_file ?? "<spec.json>";
    return [`to finish: wflo submit ${spec} --out ${s.out} --shards ${s.shards}  (submits only the shards with missing configs)`];
  }
  const w = s.writer;
  if (w.command && w.state !== "free") {
    // The run died holding its lock: its own command line resumes it (the lock is broken as stale).
    const cd = w.cwd && w.cwd !== process.cwd() ? `cd ${shellQuote(w.cwd)} && ` : "";
    return [`the run that wrote it stopped (${w.holder}); the same command resumes it ${redo}:`, `  ${cd}${w.command}`];
  }
  if (w.state !== "free" && w.holder) {
    // A lock left by runBatch from code (a notebook kernel, a script): its own call resumes it.
    return [`the run that wrote it stopped (${w.holder}; started from code, e.g. a notebook's runBatch: run that cell again), or: wflo run <spec.json> --out ${s.out}  ${redo}`];
  }
  if (s.shards > 1) {
    const open = s.per_shard.filter((r) => r.state !== "done").map((r) => r.shard);
    return [`to finish: wflo run <spec.json> --out ${s.out} --shard i/${s.shards} for i = ${open.join(", ")}  ${redo}`];
  }
  return [`to finish: wflo run <spec.json> --out ${s.out}  ${redo}`];
}

export async function run(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { spec: "value", shards: "value", json: "flag" });
  if (p.positional.length !== 1) throw new UsageError(`expected one output file\n${usage}`);
  const s = await batchStatus(p.positional[0], {
    spec: option(p, "spec"),
    shards: numberOption(p, "shards", { integer: true, min: 1 }),
  });
  console.log(flag(p, "json") ? JSON.stringify(s) : formatStatus(s));
  return s.failed + s.missing === 0 ? 0 : 1;
}
