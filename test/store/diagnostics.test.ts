// h5wasm's own stderr (HDF5-DIAG, "warning: Invalid UTF-8 …", "Aborted(…)") printed while a
// store worker reads a damaged file is captured into that file's report and never reaches
// the terminal of `wflo validate` / `wflo recover`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { validate } from "../../src/store/index.js";
import { PYTHON } from "../fixtures/python/corpus.js";
import { cli, tempDir } from "./helpers.js";

const NOISE = /HDF5-DIAG|Aborted\(|Invalid UTF-8/;

/** An HDF5 file whose UTF-8 string attribute holds bytes that are not UTF-8 (h5py writes them as given). */
function utf8AttrFile(path: string, bytes: string): void {
  const py = `import h5py\nwith h5py.File(${JSON.stringify(path)}, "w") as f:\n    f.attrs.create("note", data=b"${bytes}", dtype=h5py.string_dtype("utf-8"))\n`;
  const r = spawnSync(PYTHON, ["-c", py], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

test("validate: h5wasm's stderr goes into the file's report, not to the terminal; JSON unchanged", async (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const bad = join(dir, "bad-utf8.h5");
  utf8AttrFile(bad, "\\xf9\\xfa ok");
  const good = join(dir, "good.h5");
  utf8AttrFile(good, "ok");
  const empty = join(dir, "empty.h5");
  writeFileSync(empty, "");

  const v = cli(["validate", bad, good, empty, "--json"]);
  assert.equal(v.status, 1, v.stderr);
  assert.doesNotMatch(v.stderr, NOISE, "h5wasm's diagnostics leaked to stderr");
  const j = JSON.parse(v.stdout);
  assert.deepEqual(j.files.map((f: { status: string }) => f.status), ["ok", "ok", "not-hdf5"]);
  assert.deepEqual(Object.keys(j.files[0]), ["path", "status", "groups_ok", "groups_bad", "errors", "groups_metadata", "warnings"]);

  const rec = cli(["recover", bad, good, "--out", join(dir, "recovered.h5"), "--json"]);
  assert.doesNotMatch(rec.stderr, NOISE, "h5wasm's diagnostics leaked to stderr");
  assert.deepEqual(JSON.parse(rec.stdout).files.map((f: { status: string }) => f.status), ["ok", "ok"], rec.stderr);

  // The library keeps what was printed, on the report of the file that caused it only.
  const r = await validate([bad, good, empty]);
  assert.equal(r.files[0].diagnostics?.length, 1, inspect(r.files[0]));
  assert.match(r.files[0].diagnostics![0], /^warning: Invalid UTF-8 leading byte 0x000000f9/);
  assert.equal(r.files[1].diagnostics, undefined);
  assert.equal(r.files[2].diagnostics, undefined);
});

function inspect(x: unknown): string {
  return JSON.stringify(x);
}
