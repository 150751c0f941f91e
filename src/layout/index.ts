// Public API of src/layout: re-exported by src/index.ts. Each concept lives in its own file.
export {};
