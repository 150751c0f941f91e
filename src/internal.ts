/**
 * `wflo/internal`: every declaration of every area, as the package exported before its API
 * was curated (src/index.ts). For tools that build on wflo's parts — the HDF5 superblock
 * reader, the worker pool, the lock protocol, the engine's formula functions. Nothing here
 * is promised to stay: what users call is in `wflo` itself.
 */
export * from "./errors.js";
export * from "./physics/index.js";
export * as literature from "./physics/literature.js";
export * from "./physics/literature.js";
export * from "./layout/index.js";
export * from "./store/index.js";
export * from "./batch/index.js";
export * from "./report/index.js";
export * from "./notebook/index.js";
export * from "./util/fs.js";
export * from "./util/worker.js";
