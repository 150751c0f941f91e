// One error policy: every error class wflo throws at a user extends WfloError with a kind and
// an exit code, and the CLI maps them in one place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError, UsageError, WfloError, isUserError } from "../src/errors.js";
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
