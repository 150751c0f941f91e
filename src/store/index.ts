// Public API of src/store: re-exported by src/index.ts. Each concept lives in its own file.
export * from "./schema.js";
export { h5, withFile, h5ErrorSummary, classifyOpenError, sweepLeakedStreams, H5T_CLASS } from "./h5.js";
export type { H5, H5File, H5Group, H5Dataset, OpenFailure } from "./h5.js";
export { fsyncFile, fsyncDir } from "./fsutil.js";
export * from "./parts.js";
export * from "./lock.js";
export * from "./read.js";
export { inspectFiles, runInWorker, spawnModuleWorker } from "./sandbox.js";
export type { InspectFilesOptions, WorkerMessage } from "./sandbox.js";
export * from "./commit.js";
export { mergeParts } from "./merge.js";
export type { MergeOptions, MergeReport, MergeConflict } from "./merge.js";
export * from "./validate.js";
export * from "./summary.js";
