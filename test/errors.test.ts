// One error policy: every error class wflo throws at a user extends WfloError with a kind and
// an exit code, and the CLI maps them in one place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError, UsageError, WfloError, isUserError, namingFile } from "../src/errors.js";
import { LockError } from "../src/store/lock.js";
import { CommitConflictError } from "../src/store/commit.js";
import { PoolStartError, TaskAbortedError } from "../src/batch/pool.js";
import { NoFeasiblePositionError } from "../src/layout/smartStart.js";

test("every wflo error class extends WfloError with its kind and exit code", () => {
  const cases: [WfloError, string, number][] = [
    [new InputError("bad", { file: "a.json", field: "farms[0]" }), "input", 2],
    [new UsageError("--out is required"), "usage", 2],
    [new LockError("writer.lock is held by pid 1", "held", "/x/writer.lock"), "lock-held", 2],
    [new CommitConflictError("farm0_t0_s0", "/p", "sha256:a", "sha256:b", "/q"), "commit-conflict", 1],
    [new PoolStartError("no module"), "worker-start", 1],
    [new TaskAbortedError(), "aborted", 1],
    [new NoFeasiblePositionError(3, 9, 260), "no-feasible-position", 1],
  ];
  for (const [e, kind, code] of cases) {
    assert.ok(e instanceof WfloError && e instanceof Error, e.name);
    assert.equal(e.kind, kind, e.name);
    assert.equal(e.exitCode, code, e.name);
    assert.equal(isUserError(e), code === 2, e.name);
  }
  // Fields survive: the CLI no longer rewraps a LockError (it used to lose state and path).
  const l = new LockError("m", "stale", "/x/merge.lock");
  assert.deepEqual([l.state, l.path, l.name], ["stale", "/x/merge.lock", "LockError"]);
  assert.equal(new TaskAbortedError().name, "AbortError");
});

test("namingFile: a constructor's InputError (no file) comes back naming the file, its field kept or renamed, its detail intact", () => {
  const e = new InputError("must be > 0", { field: "turbine.rated_power_W" });
  assert.equal(e.detail, "must be > 0");
  const thrower = () => { throw e; };
  assert.throws(() => namingFile("t.json", thrower), (x: unknown) => x instanceof InputError && x.file === "t.json" && x.field === "turbine.rated_power_W" && x.message === "t.json: turbine.rated_power_W: must be > 0");
  assert.throws(() => namingFile("t.yaml", thrower, () => "definitions.power.maximum"), /^InputError: t\.yaml: definitions\.power\.maximum: must be > 0$/);
  assert.throws(() => namingFile(undefined, thrower), (x: unknown) => x === e, "no file to name: the same error");
  const named = new InputError("bad", { field: "f", file: "a.json" });
  assert.throws(() => namingFile("b.json", () => { throw named; }), (x: unknown) => x === named, "an error naming its own file is left as it is");
  assert.equal(namingFile("c.json", () => 7), 7);
});
