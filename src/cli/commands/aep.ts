/**
 * `wflo aep <case.json> --json [--repeat N] [--layout L]`: AEP of a case file (README "Case
 * files"). `--layout` replaces the case's layout: a built-in name or a .csv / IEA 37 .yaml file,
 * relative to the working directory (e.g. what `wflo optimize --out` wrote).
 * With --repeat N the computation (not start-up, not parsing) runs N times and the JSON gets
 * `timing_s: {min, median}`.
 */
import { UsageError } from "../../errors.js";
import { parseCase, simulate, type Case } from "../../physics/index.js";
import { readCaseJson } from "../caseFile.js";
import { layoutArgValue } from "../layoutFiles.js";
import { flag, numberOption, option, parseArgs } from "../args.js";

export const usage = "usage: wflo aep <case.json> [--json] [--repeat N] [--layout name|file.csv|file.yaml]";
export const summary = "AEP of a case file (total, per turbine, direction, speed; no-wake)";

/** Reads and parses a case file; files it refers to resolve relative to it. */
export function loadCaseFile(path: string, layout?: string): Case {
  const { value, file, readText } = readCaseJson(path);
  if (layout === undefined || typeof value !== "object" || value === null || Array.isArray(value)) return parseCase(value, { file, readText });
  return parseCase({ ...value, layout: layoutArgValue(layout) }, { file, readText });
}

export function casePath(positional: string[], command: string): string {
  if (positional.length !== 1) throw new UsageError(`usage: wflo ${command} <case.json> ...  (got ${positional.length} positional arguments)`);
  return positional[0];
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: "flag", repeat: "value", layout: "value" });
  const path = casePath(args.positional, "aep");
  const repeat = numberOption(args, "repeat", { integer: true, min: 1 });
  const c = loadCaseFile(path, option(args, "layout"));
  const opts = { wdDeg: c.wdDeg, ws: c.ws };
  const times: number[] = [];
  let sim = simulate(c.model, c.layout.x, c.layout.y, opts);
  let out = {
    aep_GWh: sim.aep(),
    aep_no_wake_GWh: sim.aepNoWake(),
    aep_per_turbine_GWh: Array.from(sim.aepPerTurbine().data),
    aep_per_wd_GWh: Array.from(sim.aepPerDirection().data),
    aep_per_ws_GWh: Array.from(sim.aepPerSpeed().data),
  };
  if (repeat !== undefined) {
    for (let r = 0; r < repeat; r++) {
      const t0 = process.hrtime.bigint();
      sim = simulate(c.model, c.layout.x, c.layout.y, opts);
      out = {
        aep_GWh: sim.aep(),
        aep_no_wake_GWh: sim.aepNoWake(),
        aep_per_turbine_GWh: Array.from(sim.aepPerTurbine().data),
        aep_per_wd_GWh: Array.from(sim.aepPerDirection().data),
        aep_per_ws_GWh: Array.from(sim.aepPerSpeed().data),
      };
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  const timing = times.length ? { timing_s: { min: Math.min(...times), median: median([...times].sort((a, b) => a - b)) } } : {};
  if (flag(args, "json")) {
    console.log(JSON.stringify({ ...out, ...timing }));
  } else {
    const n = out.aep_per_turbine_GWh.length;
    const lossPct = (100 * (out.aep_no_wake_GWh - out.aep_GWh)) / out.aep_no_wake_GWh;
    console.log(`${path}: ${n} turbines, ${c.model.deficit.kind} + ${c.model.superposition.kind} sum, ${c.wdDeg.length} directions × ${c.ws.length} speeds`);
    console.log(`AEP          ${out.aep_GWh.toFixed(6)} GWh`);
    console.log(`AEP no wake  ${out.aep_no_wake_GWh.toFixed(6)} GWh  (wake loss ${lossPct.toFixed(3)} %)`);
    if (times.length) console.log(`time         min ${(timing.timing_s!.min * 1e3).toFixed(2)} ms, median ${(timing.timing_s!.median * 1e3).toFixed(2)} ms over ${times.length} runs`);
  }
  return 0;
}
