// A disk that fills mid-run: one line naming the file and ENOSPC, the batch stops (no
// retries, no failure records), nothing left behind (no lock, no temp files), and once space
// is freed the very same command finishes with every configuration once and a valid output.
// Uses a real tmpfs (root can mount one here and in CI); skipped, saying why, where it cannot.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readOutput, repoRoot, smallSpec } from "../batch/helpers.js";

const mnt = mkdtempSync(join(tmpdir(), "wflo-full-"));
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=48k", "tmpfs", mnt], { encoding: "utf8" });
const why = mounted.status === 0 ? undefined : `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || "").trim()})`;

function wflo(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", ...args], { cwd: repoRoot, encoding: "utf8", timeout: 240_000 });
}

test("disk full mid-run: one line, the batch stops, nothing left behind; after freeing space the same command finishes", { skip: why, timeout: 480_000 }, async (t) => {
  t.after(() => { spawnSync("umount", [mnt]); rmSync(mnt, { recursive: true, force: true }); });
  const specDir = mkdtempSync(join(tmpdir(), "wflo-full-spec-"));
  t.after(() => rmSync(specDir, { recursive: true, force: true }));
  const spec = join(specDir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds: 4 })));
  const out = join(mnt, "r.h5");
  const cmd = ["run", spec, "--out", out, "--workers", "2", "--merge-every", "1", "--json"];

  const full = wflo(cmd);
  assert.equal(full.status, 1, full.stderr);
  const lines = full.stderr.split("\n").filter((l) => l && !/^wflo run: \[/.test(l));
  assert.ok(lines.length <= 6, `a few lines, not an HDF5 flood:\n${full.stderr}`);
  assert.ok(lines.some((l) => /stopped: .*r\.h5.*: no space left on device \(ENOSPC\)/.test(l)), full.stderr);
  assert.ok(!/HDF5-DIAG/.test(full.stderr), "no HDF5 diagnostics");
  const j = JSON.parse(full.stdout) as { done: number; failed: number; total: number };
  assert.equal(j.failed, 0, "the disk is not the configs' fault: none recorded as failed");
  assert.ok(j.done < j.total, "the disk filled before the end");
  const left = readdirSync(`${out}.parts`).filter((f) => f.endsWith(".lock") || f.includes(".tmp"));
  assert.deepEqual(left, [], "no lock and no temp file left behind");

  assert.equal(spawnSync("mount", ["-o", "remount,size=4m", mnt]).status, 0);
  const again = wflo(cmd);
  assert.equal(again.status, 0, again.stderr);
  const k = JSON.parse(again.stdout) as { done: number; skipped: number; total: number; failed: number };
  assert.equal(k.failed, 0);
  assert.equal(k.done + k.skipped, k.total);
  assert.ok(k.skipped >= j.done, "what was committed before the disk filled is kept");
  const o = await readOutput(out);
  assert.equal(o.status, "ok", o.errors.join("\n"));
  const keys = o.groups.map((g) => g.key);
  assert.equal(keys.length, k.total);
  assert.equal(new Set(keys).size, keys.length, "every configuration exactly once");
  assert.ok(!existsSync(join(`${out}.parts`, "writer.lock")));

  // A report (~5 MB) that does not fit in what is left: the summary and the --json line still
  // come, the message says the results are stored and how to write the report later, exit 1.
  const html = join(mnt, "r.html");
  const rep = wflo([...cmd, "--report", html]);
  assert.equal(rep.status, 1, rep.stderr);
  assert.equal((JSON.parse(rep.stdout) as { skipped: number }).skipped, k.total);
  assert.match(rep.stderr, /report not written: .*r\.html: no space left on device \(ENOSPC\); the results are stored: wflo report .*r\.h5 --out .*r\.html writes it later/);
  assert.deepEqual(readdirSync(mnt).filter((f) => f !== "r.h5" && f !== "r.h5.parts"), [], "no report and no temp file left");
});

/** A tmpfs mounted with `options` for this test, unmounted and removed after it. */
function tmpfs(t: TestContext, prefix: string, options: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const m = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { encoding: "utf8" });
  t.after(() => { spawnSync("umount", [dir]); rmSync(dir, { recursive: true, force: true }); });
  assert.equal(m.status, 0, m.stderr);
  return dir;
}

/** A small spec with `seeds` seeds in a temp folder of its own (removed after the test). */
function specFile(t: TestContext, prefix: string, seeds: number): { spec: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(smallSpec({ seeds })));
  return { spec, dir };
}

test("recover and report onto a full disk: one line naming the file and ENOSPC, no HDF5 flood, no temp left; with space the same commands finish", { skip: why, timeout: 240_000 }, (t) => {
  const small = tmpfs(t, "wflo-full-out-", "size=12k");
  const { spec, dir: specDir } = specFile(t, "wflo-full-src-", 2);
  const src = join(specDir, "r.h5");
  assert.equal(wflo(["run", spec, "--out", src]).status, 0);
  for (const [cmd, name] of [["recover", "rec.h5"], ["report", "r.html"]] as const) {
    const target = join(small, name);
    const args = cmd === "recover" ? ["recover", src, "--out", target] : ["report", src, "--out", target];
    const r = wflo(args);
    assert.equal(r.status, 1, `${cmd}: ${r.stderr}`);
    assert.ok(!/HDF5-DIAG/.test(r.stderr), `${cmd}: no HDF5 diagnostics:\n${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${name.replace(".", "\\.")}: no space left on device \\(ENOSPC\\)`), cmd);
    assert.deepEqual(readdirSync(small), [], `${cmd}: nothing left behind`);
  }
  assert.equal(spawnSync("mount", ["-o", "remount,size=16m", small]).status, 0);
  assert.equal(wflo(["recover", src, "--out", join(small, "rec.h5")]).status, 0);
  assert.equal(wflo(["report", src, "--out", join(small, "r.html")]).status, 0);
});

test("a read-only directory: one line naming it and EROFS, nothing run", { skip: why, timeout: 120_000 }, (t) => {
  const ro = tmpfs(t, "wflo-ro-", "size=1m,ro");
  const { spec } = specFile(t, "wflo-ro-spec-", 1);
  const r = wflo(["run", spec, "--out", join(ro, "r.h5")]);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /r\.h5\.parts: read-only file system \(EROFS\)/);
  assert.doesNotMatch(r.stderr, /ENOENT/);
});

test("an input/output error (EIO, injected where a part is written) stops the batch in one line; the same command resumes", { timeout: 240_000 }, async (t) => {
  const specDir = mkdtempSync(join(tmpdir(), "wflo-eio-"));
  t.after(() => rmSync(specDir, { recursive: true, force: true }));
  const spec = join(specDir, "spec.json");
  const out = join(specDir, "r.h5");
  const base = smallSpec({ seeds: 2 });
  writeFileSync(spec, JSON.stringify({ ...base, _fault: { farm1_t0_s0: { kind: "eio" } } }));
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", "run", spec, "--out", out, "--workers", "1", "--json"], {
    cwd: repoRoot, encoding: "utf8", timeout: 200_000, env: { ...process.env, WFLO_TEST_FAULTS: "1" },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /stopped: .*input\/output error \(EIO\)/);
  assert.doesNotMatch(r.stderr, /HDF5-DIAG|attempt 2/);
  const j = JSON.parse(r.stdout) as { failed: number; done: number; total: number };
  assert.equal(j.failed, 0, "a device error is no configuration's failure");
  writeFileSync(spec, JSON.stringify(base));
  const again = wflo(["run", spec, "--out", out, "--json"]);
  assert.equal(again.status, 0, again.stderr);
  const k = JSON.parse(again.stdout) as { done: number; skipped: number; total: number };
  assert.equal(k.done + k.skipped, k.total);
  const o = await readOutput(out);
  assert.equal(new Set(o.groups.map((g) => g.key)).size, k.total);
});
