// The live check: Jupyter Notebook on 127.0.0.1 with a token, Debian's Chromium driven by
// playwright-core runs 01-quickstart as a user would (Run All) and must see every figure
// drawn, no error output, and the batch's progress display in its final "finished" state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { notebookTestSkip, repoRoot } from "../../scripts/notebook-env.mjs";

const skip = notebookTestSkip();

test("01-quickstart runs in a live Jupyter Notebook driven by Chromium", { skip, timeout: 400_000 }, async (t) => {
  const child = spawn("timeout", ["--kill-after=10", "360", process.execPath, join(repoRoot, "scripts", "notebook-live.mjs"),
    "--timeout", "300", "--expect-progress", "finished", "01-quickstart"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  assert.equal(code, 0, `scripts/notebook-live.mjs failed:\n${log}`);
  const m = /live 01-quickstart\.ipynb: (\d+)\/(\d+) cells ran, (\d+) figures, progress \["finished"\]/.exec(log);
  assert.ok(m, log);
  assert.equal(m[1], m[2], "every code cell ran");
  assert.ok(Number(m[3]) >= 5, `${m[3]} figures`);
  t.diagnostic(log.trim());
});
