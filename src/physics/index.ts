// Public API of src/physics: re-exported by src/index.ts. Each concept lives in its own file.
export {};
