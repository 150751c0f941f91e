/**
 * recover() over a corpus of worker files made the way the Python tool made them
 * (test/fixtures/python/make_worker_corpus.py): good, SIGKILLed mid-run, truncated,
 * empty, bad magic, bit flips, text, a conflicting re-run. The yardstick is h5py itself,
 * run in a subprocess per file (it can segfault on damaged files) and on a zero-padded
 * copy of each truncated file: every group h5py can still read must come out of recover
 * with the same data, or be reported in a conflict naming that file.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { h5pyGroups, h5pyGroupsAll, makeCorpus, type Corpus, type H5pyView } from "../fixtures/python/corpus.js";
import { recover, fullyRecovered, inspectFiles, partsDir, RECOVERED_FROM_ATTR, type RecoverReport } from "../../src/store/index.js";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

let corpus: Corpus;
let h5pyViews: Map<string, H5pyView>;
let out: string;
let report: RecoverReport;
let outView: H5pyView;
const hashesBefore = new Map<string, string>();
let work: string;

function sha(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function h5Files(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".h5")).sort().map((f) => join(dir, f));
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "wflo-recover-test-"));
  corpus = makeCorpus({ seed: 1, dir: join(work, "corpus") });
  for (const f of readdirSync(corpus.dir)) hashesBefore.set(f, sha(join(corpus.dir, f)));
  out = join(work, "recovered.h5");
  // h5py runs in subprocesses, recover in workers: overlap them.
  [h5pyViews, report] = await Promise.all([h5pyGroupsAll(h5Files(corpus.dir), 2), recover([corpus.dir], out)]);
  outView = await h5pyGroups(out, false);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("every input file is classified, with a per-file salvaged count", () => {
  const byName = new Map(report.files.map((f) => [basename(f.path), f]));
  assert.equal(report.files.length, corpus.files.length, "one report per corpus file");
  for (const m of corpus.files) {
    const f = byName.get(m.file);
    assert.ok(f, `${m.file} classified`);
    const h = h5pyViews.get(join(corpus.dir, m.file))!;
    const readable = Object.values(h.groups).filter((g) => !g.beyond_eof).length;
    switch (m.kind) {
      case "good":
      case "rerun":
        assert.equal(f.status, "ok", `${m.file}: ${f.errors.join("; ")}`);
        assert.equal(f.salvaged, m.kind === "good" ? (m.detail.groups as number) : 3);
        break;
      case "empty":
        assert.equal(f.status, "empty");
        break;
      case "text":
      case "bad-magic":
        assert.equal(f.status, "not-hdf5");
        break;
      case "truncated":
        assert.ok(f.status === "truncated-salvaged" || f.status === "truncated", `${m.file}: ${f.status}`);
        assert.equal(f.status === "truncated-salvaged", f.salvaged > 0);
        if ((m.detail.pct as number) >= 90) assert.equal(f.status, "truncated-salvaged", `${m.file} cut at ${m.detail.pct} % keeps most groups`);
        break;
      case "killed":
        // A writer killed before HDF5 flushed its metadata leaves nothing HDF5 can open.
        assert.ok(["ok", "unreadable", "damaged"].includes(f.status), `${m.file}: ${f.status}`);
        if (f.status === "unreadable") assert.equal(h.opened, false, `${m.file}: h5py opens what recover called unreadable`);
        break;
      case "bitflip":
        assert.ok(["ok", "damaged", "unreadable", "not-hdf5", "truncated", "truncated-salvaged"].includes(f.status));
        break;
    }
    assert.ok(f.salvaged >= readable, `${m.file}: recover salvaged ${f.salvaged} groups, h5py reads ${readable}`);
  }
});

test("recover salvages every group h5py can read, with h5py's data, or reports it in a conflict", (t) => {
  let h5pyReadable = 0;
  let inOutput = 0;
  let inConflicts = 0;
  const perKind = new Map<string, { h5py: number; recover: number; files: number }>();
  for (const m of corpus.files) {
    const path = join(corpus.dir, m.file);
    const h = h5pyViews.get(path)!;
    const f = report.files.find((x) => x.path === path)!;
    const k = perKind.get(m.kind) ?? { h5py: 0, recover: 0, files: 0 };
    k.files++;
    k.recover += f.salvaged;
    for (const [key, g] of Object.entries(h.groups)) {
      if (g.beyond_eof) continue; // zeros from the padding, not data (checked below)
      k.h5py++;
      h5pyReadable++;
      const o = outView.groups[key];
      if (o) {
        const sources = JSON.parse(o.attrs[RECOVERED_FROM_ATTR] as string) as string[];
        assert.ok(sources.includes(path), `${key} from ${m.file}: in the output but not attributed to this file (${sources.join(", ")})`);
        assert.deepEqual(o.layout, g.layout, `${key} from ${m.file}: layout`);
        assert.equal(o.aep, g.aep, `${key} from ${m.file}: aep`);
        for (const [name, v] of Object.entries(g.attrs)) assert.deepEqual(o.attrs[name], v, `${key} from ${m.file}: attribute ${name}`);
        inOutput++;
      } else {
        const c = report.conflicts.find((x) => x.key === key);
        assert.ok(c, `${key}: h5py reads it from ${m.file}, but it is neither in the output nor in a conflict`);
        const v = c.variants.find((x) => x.sources.includes(path));
        assert.ok(v, `${key}: conflict does not name ${m.file}`);
        assert.equal(v.aepGWh, g.aep, `${key} from ${m.file}: the conflict variant has h5py's aep`);
        inConflicts++;
      }
    }
    perKind.set(m.kind, k);
  }
  assert.ok(h5pyReadable > 300, `corpus too small: h5py reads ${h5pyReadable} groups`);
  t.diagnostic(`h5py reads ${h5pyReadable} groups over ${corpus.files.length} files; ${inOutput} found in the output, ${inConflicts} in conflicts`);
  for (const [kind, k] of perKind) t.diagnostic(`${kind}: ${k.files} files, h5py ${k.h5py} groups, recover ${k.recover}`);
});

test("groups whose data lay past the cut are not salvaged from a truncated file", () => {
  for (const [path, h] of h5pyViews) {
    for (const [key, g] of Object.entries(h.groups)) {
      if (!g.beyond_eof) continue;
      const o = outView.groups[key];
      if (o) assert.ok(!(JSON.parse(o.attrs[RECOVERED_FROM_ATTR] as string) as string[]).includes(path), `${key} from ${path}: zeros from padding taken as data`);
    }
  }
});

test("the output validates, carries checksums and provenance, and h5py reads it with float64", async () => {
  const [v] = await inspectFiles([out], { withRecords: true });
  assert.equal(v.status, "ok", v.errors.join("; "));
  assert.equal(v.groups.length, report.recovered);
  assert.ok(v.groups.every((g) => g.status === "ok" && /^sha256:/.test(g.checksum ?? "")));
  assert.equal(outView.opened, true);
  assert.equal(Object.keys(outView.groups).length, report.recovered);
  for (const g of Object.values(outView.groups)) {
    assert.equal(g.layout_dtype, "<f8");
    assert.equal(g.aep_dtype, "<f8");
    assert.ok(Array.isArray(JSON.parse(g.attrs[RECOVERED_FROM_ATTR] as string)));
  }
  // Conflicting keys are kept out (out was not an input).
  for (const c of report.conflicts) assert.equal(outView.groups[c.key], undefined, `${c.key} conflicted but was written`);
  assert.equal(fullyRecovered(report), false);
});

test("the re-run's different results are conflicts naming both files; its identical one merges", () => {
  const rerun = corpus.files.find((m) => m.kind === "rerun")!;
  const rerunPath = join(corpus.dir, rerun.file);
  const w0 = join(corpus.dir, rerun.source!);
  for (const key of rerun.detail.conflicting as string[]) {
    const c = report.conflicts.find((x) => x.key === key);
    assert.ok(c, `${key} reported as a conflict`);
    assert.equal(c.kept, null);
    assert.equal(c.variants.length, 2);
    assert.ok(c.variants.some((v) => v.sources.includes(rerunPath)));
    assert.ok(c.variants.some((v) => v.sources.includes(w0)));
  }
  for (const key of rerun.detail.identical as string[]) {
    assert.ok(!report.conflicts.some((x) => x.key === key));
    const o = outView.groups[key];
    assert.ok(o, `${key} written once`);
    const src = JSON.parse(o.attrs[RECOVERED_FROM_ATTR] as string) as string[];
    assert.ok(src.includes(rerunPath) && src.includes(w0), `${key} provenance lists both files`);
  }
});

test("inputs are byte-identical after recover and nothing was added to the corpus", () => {
  const now = readdirSync(corpus.dir).sort();
  assert.deepEqual(now, [...hashesBefore.keys()].sort());
  for (const [f, h] of hashesBefore) assert.equal(sha(join(corpus.dir, f)), h, `${f} changed`);
});

test("--out: refused if it exists and is not an input; as an input it keeps its results, and its own variant in a conflict; --force quarantines it", async () => {
  const o = join(work, "keep.h5");
  const w0 = join(corpus.dir, "worker_0.h5");
  const w1 = join(corpus.dir, "worker_1.h5");
  const rerun = join(corpus.dir, "worker_0_rerun.h5");
  const r1 = await recover([w0], o);
  assert.ok(fullyRecovered(r1));
  assert.equal(r1.recovered, 30);
  await assert.rejects(recover([w1], o), /already exists/);

  // As an input: its results stay, new ones join; a conflict with it keeps its variant.
  const r2 = await recover([o, rerun, w1], o);
  assert.equal(r2.recovered, 60);
  assert.equal(r2.conflicts.length, 2);
  assert.equal(r2.previousOutKeptAs, undefined, "a healthy output is not copied aside");
  assert.equal(fullyRecovered(r2), false);
  const [v] = await inspectFiles([o], { withRecords: true });
  assert.equal(v.status, "ok");
  for (const c of r2.conflicts) {
    assert.ok(c.kept, `${c.key}: the output's variant is kept`);
    assert.equal(v.groups.find((x) => x.key === c.key)!.checksum, c.kept);
    assert.ok(c.variants.find((x) => x.checksum === c.kept)!.sources.includes(o));
    assert.ok(c.variants.some((x) => x.sources.includes(rerun)));
  }

  // --force: replaced, the old content kept in quarantine, byte for byte.
  const old = sha(o);
  const r3 = await recover([w1], o, { force: true });
  assert.equal(r3.recovered, 30);
  assert.ok(r3.previousOutKeptAs && existsSync(r3.previousOutKeptAs), "old output kept");
  assert.ok(r3.previousOutKeptAs.startsWith(partsDir(o)));
  assert.equal(sha(r3.previousOutKeptAs), old);
});

test("a damaged output given as input is replaced only after a copy goes to quarantine", async () => {
  const o = join(work, "damaged-out.h5");
  const src = readFileSync(join(corpus.dir, "worker_2.h5"));
  writeFileSync(o, src.subarray(0, Math.floor(src.length * 0.93)));
  const before = sha(o);
  const r = await recover([o], o);
  const f = r.files[0];
  assert.equal(f.status, "truncated-salvaged");
  assert.ok(r.previousOutKeptAs, "the truncated output is kept as evidence");
  assert.equal(sha(r.previousOutKeptAs!), before);
  assert.equal(r.recovered, f.salvaged);
});

test("CLI: wflo recover --json prints the contract and exits 1 on loss, 0 when whole, 2 on bad input", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/dev.ts", "recover", ...args], { cwd: repoRoot, encoding: "utf8" });
  const o1 = join(work, "cli1.h5");
  const r1 = cli(join(corpus.dir, "worker_0_trunc93.h5"), join(corpus.dir, "worker_empty.h5"), "--out", o1, "--json");
  assert.equal(r1.status, 1, r1.stderr);
  const j = JSON.parse(r1.stdout) as { recovered: number; conflicts: unknown[]; files: { path: string; status: string; salvaged: number }[] };
  assert.equal(typeof j.recovered, "number");
  assert.ok(Array.isArray(j.conflicts));
  assert.deepEqual(j.files.map((f) => [basename(f.path), f.status]), [["worker_0_trunc93.h5", "truncated-salvaged"], ["worker_empty.h5", "empty"]]);
  assert.equal(j.recovered, j.files[0].salvaged);
  for (const f of j.files) assert.deepEqual(Object.keys(f).slice(0, 3), ["path", "status", "salvaged"]);

  const o2 = join(work, "cli2.h5");
  const r2 = cli(join(corpus.dir, "worker_1.h5"), "--out", o2, "--json");
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(JSON.parse(r2.stdout).recovered, 30);

  const r3 = cli(join(corpus.dir, "worker_1.h5"), "--out", o2);
  assert.equal(r3.status, 2, "existing --out refused");
  assert.match(r3.stderr, /already exists/);
  assert.doesNotMatch(r3.stderr, /\n\s+at /, "no stack trace");
  assert.equal(cli(join(work, "missing.h5"), "--out", join(work, "x.h5")).status, 2);
  assert.equal(cli(join(corpus.dir, "worker_1.h5")).status, 2, "--out is required");
  assert.ok(!existsSync(join(work, "x.h5")));
  assert.ok(statSync(o2).size > 0);
  // a directory with no HDF5 file in it (the wrong one): exit 2 naming it, no empty output
  const empty = join(work, "no-h5-here");
  mkdirSync(empty, { recursive: true });
  writeFileSync(join(empty, "notes.txt"), "not a worker file");
  const r4 = cli(empty, "--out", join(work, "x.h5"));
  assert.equal(r4.status, 2, r4.stderr);
  assert.match(r4.stderr, /no HDF5 files in .*no-h5-here .*nothing to recover, nothing written/);
  assert.ok(!existsSync(join(work, "x.h5")));
});
