// Shared by the batch and `wflo run` tests: temp outputs, small specs, reading an output back.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspectFiles } from "../../src/store/sandbox.js";
import type { FileReport } from "../../src/store/read.js";

export const repoRoot = new URL("../../", import.meta.url).pathname;
export const fakeWork = new URL("./fixtures/fake-work.ts", import.meta.url).pathname;

/** `wflo <args>` through the CLI's own entry (src/cli/dev.ts), from the repository root. */
export function wfloCli(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", ...args], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
}

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = "wflo-batch-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A spec whose configs are cheap: few turbines, few optimizer hops. */
export function smallSpec(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    site: "iea37",
    model: { deficit: "IEA37SimpleBastankhahGaussian" },
    turbines: ["IEA37_3.35MW"],
    farms: [
      { boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 5, min_spacing_m: 260 },
      { boundary: { polygon: [[0, 0], [1500, 0], [1500, 1000], [700, 1000], [700, 1800], [0, 1800]] }, n_turbines: 4, min_spacing_m: 300 },
    ],
    seeds: 3,
    grid_size: 10,
    random_pct: 30,
    optimizer: { hops: 1, outer_iterations: 3, inner_iterations: 30 },
    ...over,
  };
}

/** The output file read back (in a worker), with records. */
export async function readOutput(out: string): Promise<FileReport> {
  const [r] = await inspectFiles([out], { withRecords: true });
  return r;
}

/** Result parts left in the parts directory. */
export function partFiles(out: string): string[] {
  const dir = `${out}.parts`;
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".h5")) : [];
}
