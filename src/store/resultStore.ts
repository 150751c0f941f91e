/**
 * The seam between a batch and where its results live: what `runBatch`, its workers, `wflo
 * status` and `wflo submit` ask of a store — commit a result or a failure, what is committed,
 * merge the parts into the output, take and check a named lock. `hdf5Store` is the one
 * implementation (part files beside an HDF5 output, the commit protocol of ./commit.ts); a
 * second backend would be one more object of this interface, chosen in `openResultStore`.
 */
import { commitFailure, commitResult, type CommitOptions, type CommitOutcome } from "./commit.js";
import { acquireLock, checkLock, type AcquireOptions, type LockHandle, type LockInfo, type LockState } from "./lock.js";
import { mergeParts, type MergeOptions, type MergeReport } from "./merge.js";
import { partsDir as partsDirOf } from "./parts.js";
import type { AttrValue, ResultRecord } from "./schema.js";
import { storeState, type StoreState } from "./state.js";

export interface ResultStore {
  /** The output a batch writes (for HDF5, the merged file). */
  readonly out: string;
  /** Where results wait before a merge, and where the locks live. */
  readonly partsDir: string;
  /** Commits one result; when it resolves, the result survives a crash. Idempotent per key and data. */
  commit(rec: ResultRecord, opts?: Omit<CommitOptions, "partsDir">): Promise<CommitOutcome>;
  /** Records that `key` failed after `attempts` tries (a later result for the key wins). */
  commitFailure(key: string, error: string, attempts: number, attrs?: Record<string, AttrValue>): Promise<void>;
  /** What is committed (output ∪ valid parts), what failed, what is damaged. */
  state(): Promise<StoreState>;
  /** Folds committed parts into the output. */
  merge(opts?: Omit<MergeOptions, "partsDir">): Promise<MergeReport>;
  /** Takes the lock `name` (LockError when another process holds it). */
  lock(name: string, opts?: AcquireOptions): LockHandle;
  /** The state of lock `name`, without taking it. */
  checkLock(name: string): { state: LockState; holder?: LockInfo; path: string };
}

/** The HDF5 store of `out`: part files in `<out>.parts/` (or `partsDir`), merged into `out`. */
export function hdf5Store(out: string, opts: { partsDir?: string } = {}): ResultStore {
  const partsDir = opts.partsDir ?? partsDirOf(out);
  return {
    out,
    partsDir,
    commit: (rec, o = {}) => commitResult(out, rec, { ...o, partsDir }),
    commitFailure: async (key, error, attempts, attrs) => { await commitFailure(out, key, error, attempts, { partsDir, attrs }); },
    state: () => storeState(out, { partsDir }),
    merge: (o = {}) => mergeParts(out, { ...o, partsDir }),
    lock: (name, o) => acquireLock(partsDir, name, o),
    checkLock: (name) => checkLock(partsDir, name),
  };
}

/** The store a batch writing `out` uses. One backend today: HDF5 part files and a merged file. */
export function openResultStore(out: string): ResultStore {
  return hdf5Store(out);
}
