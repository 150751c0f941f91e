// Types of strip-notebooks.mjs, for the tests in test/notebook.
type Notebook = { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null; metadata?: Record<string, unknown> }[]; metadata?: Record<string, unknown> };
export declare function executionLeftovers(nb: Notebook): string[];
export declare function strip<T extends Notebook>(nb: T): T;
export declare function notebookFiles(): string[];
