// Public API of src/batch: re-exported by src/index.ts. Each concept lives in its own file.
export {
  runBatch, type RunBatchOptions, type BatchSummary, type BatchFailure,
} from "./run.js";
export {
  parseBatchSpec, parseBatchSpecText, readBatchSpec, specJson, canonicalJson, checkSpecCompatible, mergeSeeds,
  readPartsSpec, writePartsSpec, PARTS_SPEC_FILE,
  type BatchSpecOptions,
} from "./spec.js";
export type { BatchSpec, BatchSpecInput, FarmSpec, Json } from "./specTypes.js";
export {
  expandConfigs, parseShard, shardConfigs, runLockName,
  layoutProblem, resultAttrs, rootAttrs, turbineName, farmName, formatKey, parseKey, tryParseKey, type ConfigKey,
  type BatchConfig, type Shard,
} from "./config.js";
export { buildModel, buildBoundary, buildSite, buildTurbine, optimizerOptions, spacingM, wakeModelName } from "./build.js";
export {
  ProgressTracker, formatProgressLine, formatProgressBar, type BatchProgress, type BatchPhase,
} from "./progress.js";
export { WorkerPool, PoolStartError, TaskAbortedError, type PoolOptions } from "./pool.js";
export { faultsEnabled, type Fault, type FaultKind, type FaultTable } from "./faults.js";
// Slurm: job arrays of shards plus a merge job (`wflo submit`), and the status of a sharded batch (`wflo status`).
export {
  prepareSlurmSubmission, submitPrepared, planSubmission, renderDryRun, submitPlan,
  slurmJobs, waitForJobs, readSubmissions,
  type SlurmSubmitRequest, type SlurmPlan, type SlurmSubmission, type PrepareRequest, type PreparedSubmission, type SlurmJobInfo,
} from "./slurm/index.js";
export { batchStatus, type BatchStatus, type ShardStatus, type StatusOptions } from "./status.js";
export { rootAttrsOfPartsSpec } from "./config.js";
