/**
 * `wflo simulate <case.json> --wd <deg> --ws <m/s> --json [--layout L]`: one flow case of a
 * case file; effective wind speed, power, Ct and effective turbulence intensity per turbine.
 * `--layout` replaces the case's layout as in `wflo aep`.
 */
import { UsageError } from "../../errors.js";
import { simulate } from "../../physics/index.js";
import { flag, numberOption, option, parseArgs } from "../args.js";
import { casePath, loadCaseFile } from "./aep.js";

export const usage = "usage: wflo simulate <case.json> --wd <deg> --ws <m/s> [--json] [--layout name|file.csv|file.yaml]";
export const summary = "one flow case of a case file: effective wind speed, power, Ct, TI per turbine";

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: "flag", wd: "value", ws: "value", layout: "value" });
  const path = casePath(args.positional, "simulate");
  const wd = numberOption(args, "wd");
  const ws = numberOption(args, "ws", { min: 0 });
  if (wd === undefined) throw new UsageError("--wd <degrees> is required");
  if (ws === undefined) throw new UsageError("--ws <m/s> is required");
  const c = loadCaseFile(path, option(args, "layout"));
  const sim = simulate(c.model, c.layout.x, c.layout.y, { wdDeg: [wd], ws: [ws] });
  const out = {
    ws_eff: Array.from(sim.wsEff.data),
    power_W: Array.from(sim.powerW.data),
    ct: Array.from(sim.ct.data),
    // the ambient TI plus what the case's turbulence model adds (the ambient TI without one)
    ti_eff: Array.from(sim.tiEff.data),
  };
  if (flag(args, "json")) {
    console.log(JSON.stringify(out));
  } else {
    console.log(`${path}: wd ${wd}°, ws ${ws} m/s`);
    console.log("turbine  ws_eff (m/s)  power (kW)  ct      ti_eff");
    for (let i = 0; i < out.ws_eff.length; i++) {
      console.log(`${String(i).padStart(7)}  ${out.ws_eff[i].toFixed(4).padStart(12)}  ${(out.power_W[i] / 1e3).toFixed(2).padStart(10)}  ${out.ct[i].toFixed(4)}  ${out.ti_eff[i].toFixed(4)}`);
    }
  }
  return 0;
}
