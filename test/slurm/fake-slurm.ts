// Stand-ins for Slurm's client commands on PATH, for tests that must not need a cluster:
// every call is logged; sbatch prints job ids 100, 101, … ("id;cluster", as on a
// federated site) or fails on call `failAt`; squeue prints the ids in `active`; scancel
// and scontrol succeed quietly (scontrol: "Invalid job id", as for a forgotten job).
// `--version` answers without being logged.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeSlurm {
  env: NodeJS.ProcessEnv;
  /** Every call as [command, ...args], in order. */
  calls(): string[][];
  /** Job ids squeue reports as queued or running from now on. */
  setActive(ids: number[]): void;
}

export function fakeSlurm(dir: string, opts: { failAt?: number } = {}): FakeSlurm {
  const bin = join(dir, "fake-slurm-bin");
  mkdirSync(bin, { recursive: true });
  const log = join(dir, "fake-slurm-calls.jsonl");
  const active = join(dir, "fake-slurm-active.json");
  writeFileSync(active, "[]");
  const body = (name: string) => `#!${process.execPath}
import { appendFileSync, readFileSync, existsSync } from "node:fs";
const log = ${JSON.stringify(log)};
const name = ${JSON.stringify(name)};
if (process.argv[2] === "--version") { console.log("slurm 22.05.8 (fake)"); process.exit(0); }
const n = existsSync(log) ? readFileSync(log, "utf8").split("\\n").filter((l) => l.startsWith('["sbatch"')).length : 0;
appendFileSync(log, JSON.stringify([name, ...process.argv.slice(2)]) + "\\n");
if (name === "sbatch") {
  if (n + 1 === ${opts.failAt ?? -1}) { console.error("sbatch: error: Batch job submission failed: Invalid partition name specified"); process.exit(1); }
  console.log((100 + n) + ";wfloci");
} else if (name === "squeue") {
  for (const id of JSON.parse(readFileSync(${JSON.stringify(active)}, "utf8"))) console.log(id);
} else if (name === "scontrol") {
  console.error("slurm_load_jobs error: Invalid job id specified");
  process.exit(1);
}
`;
  for (const name of ["sbatch", "scancel", "squeue", "scontrol"]) {
    const p = join(bin, name);
    writeFileSync(p, body(name));
    chmodSync(p, 0o755);
  }
  return {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : []),
    setActive: (ids) => writeFileSync(active, JSON.stringify(ids)),
  };
}
