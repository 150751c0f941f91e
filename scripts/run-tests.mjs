#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own runner over tsx.
// Node 20's --test does not expand globs nor pick up .ts files, so we list them here.
// Usage: node scripts/run-tests.mjs [substring-filter...]
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";

const root = new URL("..", import.meta.url).pathname;
function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== "fixtures") walk(p, out); }
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}
const filters = process.argv.slice(2);
const files = walk(join(root, "test"), []).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ") || "test/**/*.test.ts"}`);
  process.exit(1);
}
const args = [
  "--import", "tsx",
  "--test",
  `--test-concurrency=${Math.max(1, availableParallelism())}`,
  "--test-reporter=spec",
  ...files,
];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
