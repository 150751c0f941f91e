// Public API of src/store: re-exported by src/index.ts. Each concept lives in its own file.
export {};
