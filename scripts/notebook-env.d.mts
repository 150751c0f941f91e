// Types of notebook-env.mjs, for the tests in test/notebook.
export declare const repoRoot: string;
export declare const jupyterBin: string;
export declare const pythonBin: string;
export declare const chromiumBin: string;
export declare const debianPackages: string[];
export declare function jupyterEnv(stateDir?: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function missingSystemTools(): string[];
export declare function notebookTestSkip(opts?: { chromium?: boolean; jupyter?: boolean }): string | false;
export declare function ensureBuilt(opts?: { quiet?: boolean }): boolean;
export declare function notebookDirArgs(userArgs: string[], opts?: { defaultDir?: string; cwd?: string }): string[];
