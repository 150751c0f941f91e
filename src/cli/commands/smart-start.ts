/**
 * `wflo smart-start <case.json> --grid 18 --random-pct 30 --seed S [--json] [--out layout.csv]`: TopFarm's
 * smart start for the case's boundary, n_turbines and min_spacing_m. Prints the turbines
 * in placement order: `{"x": [], "y": [], "aep_GWh"}`; `--out` writes them as a layout CSV.
 */
import { optimizerOptions } from "../../batch/build.js";
import type { BatchSpec } from "../../batch/specTypes.js";
import { InputError, UsageError } from "../../errors.js";
import { parseLayoutCase, randomPctWarning, smartStartLayout, type LayoutCase, type OptimizerOptions } from "../../layout/index.js";
import { readCaseJson } from "../caseFile.js";
import { flag, numberOption, option, parseArgs, type ParsedArgs } from "../args.js";
import { layoutOutPath, writeLayoutOut } from "../layoutFiles.js";

export const usage = "usage: wflo smart-start <case.json> [--grid 18] [--random-pct 30] [--seed S] [--json] [--out layout.csv]";
export const summary = "TopFarm smart-start layout for a case with a boundary (placement order)";

/** Reads a case file with a boundary; files it refers to resolve relative to it. */
export function loadLayoutCaseFile(path: string): LayoutCase {
  const { value, file, readText } = readCaseJson(path);
  return parseLayoutCase(value, { file, readText });
}

/**
 * The case and its `optimizer` section (the spec's keys and checks, docs/batch.md): a case
 * can carry the budget its problem deserves (examples/cases/iea37-cs4.json).
 */
export function loadLayoutCaseWithOptimizer(path: string): { layoutCase: LayoutCase; optimizer: OptimizerOptions } {
  const { value, file, readText } = readCaseJson(path);
  const layoutCase = parseLayoutCase(value, { file, readText });
  // Checked here only: the other commands ignore the section (docs/layout.md).
  const raw = (value as { optimizer?: unknown }).optimizer;
  if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) {
    throw new InputError(`must be an object of optimizer settings, got ${JSON.stringify(raw)}`, { file, field: "optimizer" });
  }
  const optimizer = raw === undefined ? {} : optimizerOptions({ optimizer: raw } as BatchSpec, { file });
  return { layoutCase, optimizer };
}

export const START_OPTIONS = { grid: "value", "random-pct": "value", seed: "value", json: "flag" } as const;

/** --grid, --random-pct, --seed with their defaults (18, 30, 0); warns on stderr of a --random-pct in (0, 1). */
export function startOptions(args: ParsedArgs, command: string): { gridSize: number; randomPct: number; seed: number } {
  const o = {
    gridSize: numberOption(args, "grid", { integer: true, min: 2, max: 10000 }) ?? 18,
    randomPct: numberOption(args, "random-pct", { min: 0, max: 100 }) ?? 30,
    seed: numberOption(args, "seed", { integer: true, min: 0, max: 0xffffffff }) ?? 0,
  };
  const warning = randomPctWarning(o.randomPct, o.gridSize, "--random-pct");
  if (warning) process.stderr.write(`wflo ${command}: warning: ${warning}\n`);
  return o;
}

export function onePath(positional: string[], command: string): string {
  if (positional.length !== 1) throw new UsageError(`usage: wflo ${command} <case.json> [--grid 18] [--random-pct 30] [--seed S] [--json]  (got ${positional.length} positional arguments)`);
  return positional[0];
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...START_OPTIONS, out: "value" });
  const path = onePath(args.positional, "smart-start");
  const so = startOptions(args, "smart-start");
  const c = loadLayoutCaseFile(path);
  const out = layoutOutPath(option(args, "out"));
  const r = smartStartLayout({
    model: c.model, flowCases: { wdDeg: c.wdDeg, ws: c.ws }, boundary: c.boundary,
    nTurbines: c.nTurbines, minSpacingM: c.minSpacingM, ...so,
  });
  if (out !== undefined) {
    writeLayoutOut(out, r, [`wflo smart-start ${path}: ${c.nTurbines} turbines, grid ${so.gridSize}, random ${so.randomPct} %, seed ${so.seed}`, `AEP ${r.aepGWh} GWh`], "smart-start");
  }
  if (flag(args, "json")) {
    console.log(JSON.stringify({ x: Array.from(r.x), y: Array.from(r.y), aep_GWh: r.aepGWh }));
  } else {
    console.log(`${path}: smart start, ${c.nTurbines} turbines, grid ${so.gridSize}, random ${so.randomPct} %, seed ${so.seed}`);
    console.log(`AEP ${r.aepGWh.toFixed(6)} GWh`);
    for (let i = 0; i < r.x.length; i++) console.log(`${String(i + 1).padStart(4)}  ${r.x[i].toFixed(3).padStart(12)}  ${r.y[i].toFixed(3).padStart(12)}`);
  }
  return 0;
}
