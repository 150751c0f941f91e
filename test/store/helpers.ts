// Shared by the store tests: temp dirs, deterministic records, h5py in a subprocess.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import type { ResultRecord } from "../../src/store/index.js";

export const repoRoot = new URL("../../", import.meta.url).pathname;

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = "wflo-store-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A deterministic result for seed `s` (n turbines), the same every time it is asked for. */
export function record(s: number, opts: { farm?: number; type?: number; n?: number; aepOffset?: number } = {}): ResultRecord {
  const n = opts.n ?? 4;
  const layout = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    layout[i] = 100 * i + s * 0.25; // x
    layout[n + i] = -50 * i + s * 0.5; // y
  }
  const per = new Float64Array(n).map((_, i) => 10 + i + s / 1000);
  const aep = per.reduce((a, b) => a + b, 0) + (opts.aepOffset ?? 0);
  return {
    key: `farm${opts.farm ?? 0}_t${opts.type ?? 0}_s${s}`,
    layout, aepGWh: aep, aepPerTurbineGWh: per,
    attrs: { wake_model: "BastankhahGaussian", aep_initial: aep - 1, iterations: 20 + (s % 7), elapsed_s: 0.5, min_spacing_m: 260, turbine: "IEA37 3.35MW" },
  };
}

export const PYTHON = "/usr/bin/python3";

/** Runs a Python snippet (h5py) in a subprocess: h5py can crash on damaged files. */
export function python(code: string, args: string[] = []): { status: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(PYTHON, ["-c", code, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** Runs the CLI from source. */
export function cli(args: string[], opts: { timeout?: number } = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", ...args], {
    cwd: repoRoot, encoding: "utf8", timeout: opts.timeout ?? 120_000,
  });
}
