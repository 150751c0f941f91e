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
