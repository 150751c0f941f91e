// Every command prints its usage on --help (and -h), exit 0; an --out that is an existing
// directory or a symbolic link is refused before any work, exit 2, naming it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { repoRoot, smallSpec, tempDir, wfloCli as wflo } from "../batch/helpers.js";

test("every command prints its usage on --help (and -h), exit 0", () => {
  const names = readdirSync(join(repoRoot, "src/cli/commands")).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
  assert.ok(names.length >= 12);
  for (const [i, name] of names.entries()) {
    for (const h of i === 0 ? ["--help", "-h"] : ["--help"]) {
      const r = wflo([name, h]);
      assert.equal(r.status, 0, `wflo ${name} ${h}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: wflo ${name}\\b`), `wflo ${name} ${h}`);
    }
  }
});

test("--out naming a directory or a symbolic link is refused before any work, naming it", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 1 })));
  const outDir = join(dir, "results");
  mkdirSync(outDir);
  for (const args of [["run", spec, "--out", outDir], ["recover", spec, "--out", outDir], ["merge", outDir, "--out", outDir]]) {
    const r = wflo(args);
    assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, /--out .*results is a directory; give the output file's name/, args[0]);
  }
  assert.deepEqual(readdirSync(outDir), [], "nothing ran, nothing written");
  const target = join(dir, "real.h5");
  writeFileSync(target, "");
  const link = join(dir, "link.h5");
  symlinkSync(target, link);
  const r = wflo(["run", spec, "--out", link]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out .*link\.h5 is a symbolic link \(to .*real\.h5\); give the real path/);
  assert.ok(!existsSync(`${link}.parts`));
});

test("an --out whose folder cannot be made ends with its reason: a dangling link, a /proc path (Node's recursive mkdir spun forever there)", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 1 })));
  symlinkSync(join(dir, "unmounted"), join(dir, "scratch"));
  // SIGKILL on timeout: the spin ignored SIGTERM, so spawnSync's default kill would wait forever.
  const cli = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", ...args], { cwd: repoRoot, encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" });
  const link = cli(["run", spec, "--out", join(dir, "scratch", "run1", "out.h5")]);
  assert.equal(link.status, 2, link.stderr);
  assert.match(link.stderr, /scratch: is a symbolic link to .*unmounted, which does not exist \(a disk not mounted on this machine\?\): cannot create .*run1/);
  if (existsSync("/proc/self")) {
    for (const args of [["run", spec, "--out", "/proc/wflo-test/out.h5"], ["recover", spec, "--out", "/proc/wflo-test/out.h5"]]) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args[0]}: ${r.signal ?? ""} ${r.stderr}`);
      assert.match(r.stderr, /\/proc\/wflo-test.*: cannot create a directory in \/proc: it exists but refuses new entries with ENOENT/, args[0]);
    }
  }
});
