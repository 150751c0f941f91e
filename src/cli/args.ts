import { lstatSync, realpathSync } from "node:fs";
import { UsageError } from "../errors.js";

/** Parsed command line: positional arguments and `--flag value` / `--flag` options. */
export interface ParsedArgs {
  positional: string[];
  /** Repeated options keep every value in order. */
  options: Map<string, string[]>;
}

/**
 * A small argv parser. `spec` names each option and whether it takes a value; unknown
 * options are a usage error rather than silently ignored, so typos do not change results.
 */
export function parseArgs(argv: string[], spec: Record<string, "flag" | "value">): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") { positional.push(...argv.slice(i + 1)); break; }
    if (a.startsWith("--")) {
      let name = a.slice(2);
      let value: string | undefined;
      const eq = name.indexOf("=");
      if (eq >= 0) { value = name.slice(eq + 1); name = name.slice(0, eq); }
      const kind = spec[name];
      if (!kind) throw new UsageError(`unknown option --${name}`);
      if (kind === "value") {
        if (value === undefined) {
          if (i + 1 >= argv.length) throw new UsageError(`option --${name} needs a value`);
          value = argv[++i];
        }
      } else if (value !== undefined) {
        throw new UsageError(`option --${name} takes no value`);
      } else {
        value = "true";
      }
      const list = options.get(name) ?? [];
      list.push(value);
      options.set(name, list);
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

export function option(p: ParsedArgs, name: string): string | undefined {
  const v = p.options.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function flag(p: ParsedArgs, name: string): boolean {
  return p.options.has(name);
}

/** A numeric option; `integer` refuses fractions; bounds are inclusive. */
export function numberOption(
  p: ParsedArgs, name: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const raw = option(p, name);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) {
    throw new UsageError(`--${name} must be a${opts.integer ? "n integer" : " number"}, got "${raw}"`);
  }
  if (opts.min !== undefined && v < opts.min) throw new UsageError(`--${name} must be ≥ ${opts.min}, got ${v}`);
  if (opts.max !== undefined && v > opts.max) throw new UsageError(`--${name} must be ≤ ${opts.max}, got ${v}`);
  return v;
}

/**
 * Checks an output path before any work: not an existing directory (the run would end with
 * "the output is damaged" or a raw EISDIR), not a symbolic link (outputs are replaced by an
 * atomic rename, which would replace the link itself, not write its target: wflo refuses
 * rather than guess which one the user meant). Usage errors, exit 2.
 */
export function checkOutPath(out: string, flagName = "--out"): void {
  let st;
  try { st = lstatSync(out); } catch { return; } // new file
  if (st.isSymbolicLink()) {
    let target = "?";
    try { target = realpathSync(out); } catch { /* dangling */ }
    throw new UsageError(`${flagName} ${out} is a symbolic link (to ${target}); give the real path: outputs are replaced atomically, which would replace the link, not its target`);
  }
  if (st.isDirectory()) throw new UsageError(`${flagName} ${out} is a directory; give the output file's name (e.g. ${out.replace(/\/+$/, "")}/layouts.h5)`);
  if (!st.isFile()) throw new UsageError(`${flagName} ${out} is not a regular file`);
}
