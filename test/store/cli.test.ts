// The CLI contract of the store: wflo validate / merge / inspect, their JSON and exit codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readdirSync, writeFileSync } from "node:fs";
import { commitFailure, commitResult, partsDir } from "../../src/store/index.js";
import { cli, record, tempDir } from "./helpers.js";

test("wflo merge, validate --json and inspect on a small output", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const out = join(dir, "layouts.h5");
  for (const s of [0, 1, 2]) await commitResult(out, record(s, { farm: 0, type: 1 }));
  await commitResult(out, record(5, { farm: 1, type: 0, aepOffset: 100 }));
  await commitFailure(out, "farm1_t0_s6", "spacing infeasible\nstack…", 2);

  const m = cli(["merge", partsDir(out), "--out", out, "--json"]);
  assert.equal(m.status, 0, m.stderr);
  const mj = JSON.parse(m.stdout);
  assert.equal(mj.merged, 4);
  assert.equal(mj.failures_merged, 1);
  assert.deepEqual(readdirSync(partsDir(out)), []);

  const v = cli(["validate", out, "--json"]);
  assert.equal(v.status, 0, v.stderr);
  const vj = JSON.parse(v.stdout);
  assert.deepEqual(Object.keys(vj), ["files", "results"]);
  assert.deepEqual(vj.files, [{ path: out, status: "ok", groups_ok: 4, groups_bad: 0, errors: [], groups_metadata: 0, warnings: [] }]);
  assert.equal(vj.results, 4);

  const i = cli(["inspect", out]);
  assert.equal(i.status, 0, i.stderr);
  assert.match(i.stdout, /results\s+4\b/);
  assert.match(i.stdout, /farms\s+0–1/);
  assert.match(i.stdout, /types\s+0–1/);
  assert.match(i.stdout, /seeds\s+0–2, 5 \(4\)/);
  const aeps = [0, 1, 2].map((s) => record(s).aepGWh).concat(record(5, { aepOffset: 100 }).aepGWh).sort((a, b) => a - b);
  const median = (aeps[1] + aeps[2]) / 2;
  assert.match(i.stdout, new RegExp(`AEP GWh\\s+min ${aeps[0].toFixed(3)}\\s+median ${median.toFixed(3)}\\s+max ${aeps[3].toFixed(3)}`));
  assert.match(i.stdout, /failures\s+1\n\s+farm1_t0_s6 \(2 attempts\): spacing infeasible\n/);
  const ij = JSON.parse(cli(["inspect", out, "--json"]).stdout);
  assert.deepEqual(ij.seeds, [0, 1, 2, 5]);
  assert.equal(ij.byFarmType.farm0_t1.n, 3);
});

test("wflo validate exits 1 on damage with the reasons, 2 on usage errors", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const bad = join(dir, "bad.h5");
  writeFileSync(bad, "");
  const r = cli(["validate", bad, "--json"]);
  assert.equal(r.status, 1, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.files[0].status, "not-hdf5");
  assert.deepEqual(j.files[0].errors, [`${bad}: file signature not found`]);
  assert.equal(j.results, 0);
  const human = cli(["validate", bad]);
  assert.equal(human.status, 1);
  assert.match(human.stdout, /not-hdf5\s+.*bad\.h5/);
  const none = cli(["validate"]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /usage: wflo validate/);
  assert.equal(cli(["validate", bad, "--frobnicate"]).status, 2);
  const empty = cli(["validate", join(dir, "nothing-here")]);
  assert.equal(empty.status, 1); // a missing path is reported as unreadable, not ignored
  assert.equal(cli(["merge", join(dir, "no-such.parts"), "--out", join(dir, "x.h5")]).status, 2);
  assert.equal(cli(["inspect"]).status, 2);
  // a parts directory (where users look after a crash): which commands read it, not "unreadable"
  const onDir = cli(["inspect", dir]);
  assert.equal(onDir.status, 2);
  assert.match(onDir.stderr, /is a directory; inspect reads one output file\. wflo validate .* checks every \.h5 in it; wflo merge .* --out <file\.h5> joins/);
});
