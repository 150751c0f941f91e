import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const dev = ["--import", "tsx", "src/cli/dev.ts"];

test("unknown command exits 2 with the command list", () => {
  const r = spawnSync(process.execPath, [...dev, "frobnicate"], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  assert.match(r.stderr, /version/);
});

test("version prints package version", () => {
  const r = spawnSync(process.execPath, [...dev, "version"], { encoding: "utf8" });
  assert.equal(r.status, 0);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
});

test("output to a reader that went away (| head) is dropped: the command's work and exit code stand, no stack trace", async () => {
  const { spawn } = await import("node:child_process");
  const { mkdtempSync, readFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "wflo-epipe-"));
  try {
    const csv = join(dir, "best.csv");
    const child = spawn(process.execPath, [...dev, "optimize", "examples/cases/concave-polygon.json", "--hops", "1", "--out", csv], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the first line
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|at .*\.js:\d+/);
    assert.match(readFileSync(csv, "utf8"), /^x_m,y_m$/m, "the run's --out was written");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
