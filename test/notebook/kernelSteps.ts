// Runs cells in a fresh `wflo` kernel through jupyter_client (kernel_client.py), for the tests
// that interrupt or restart a kernel mid-cell: a temp notebook folder beside a `dist` link,
// the steps as JSON, the client under `timeout`, its JSON result parsed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { jupyterEnv, pythonBin, repoRoot } from "../../scripts/notebook-env.mjs";

export interface KernelStepResult {
  status: string; stdout: string; stderr: string;
  displays: Record<string, string>; html: Record<string, string>;
  elapsed_s: number; interrupted_at_s: number | null; restarted_at_s: number | null;
}

/** `notebookFiles`: a folder copied into the notebook folder first, under its own name (the notebooks' `data/`). */
export async function runKernelSteps(work: string, steps: object[], timeoutS: number, notebookFiles?: string): Promise<{ startup_s: number; steps: KernelStepResult[]; alive: boolean }> {
  mkdirSync(join(work, "notebooks"));
  if (notebookFiles) cpSync(notebookFiles, join(work, "notebooks", basename(notebookFiles)), { recursive: true });
  symlinkSync(join(repoRoot, "dist"), join(work, "dist"));
  writeFileSync(join(work, "steps.json"), JSON.stringify(steps));
  const child = spawn("timeout", [String(timeoutS), pythonBin, join(repoRoot, "test", "notebook", "kernel_client.py"), join(work, "steps.json"), join(work, "notebooks")], {
    env: jupyterEnv(join(work, ".jupyter-state")), stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  assert.equal(code, 0, `kernel_client.py failed:\n${err}`);
  return JSON.parse(out);
}
