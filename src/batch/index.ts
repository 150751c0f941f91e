// Public API of src/batch: re-exported by src/index.ts. Each concept lives in its own file.
export {};
