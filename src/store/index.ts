// Public API of src/store: re-exported by src/index.ts. Each concept lives in its own file.
export * from "./schema.js";
export { h5, withFile, h5ErrorSummary, classifyOpenError, H5T_CLASS } from "./h5.js";
export type { H5, H5File, H5Group, H5Dataset, OpenFailure } from "./h5.js";
