// Public API of src/notebook: re-exported by src/index.ts. Each concept lives in its own file.
export {};
