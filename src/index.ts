/** wflo's public API: what notebook cells, the CLI, workers and users import. */
export * from "./errors.js";
export * from "./physics/index.js";
export * from "./layout/index.js";
export * from "./store/index.js";
export * from "./batch/index.js";
export * from "./report/index.js";
export * from "./notebook/index.js";
