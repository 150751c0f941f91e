// Types of notebook-live.mjs, for the tests in test/notebook.
import type { Page } from "playwright-core";
export declare function startNotebookServer(notebookDir: string, stateDir: string): Promise<{
  base: string; token: string; url(path: string): string; close(): Promise<void>; log(): string;
}>;
export declare function waitForKernel(page: Page, timeoutMs?: number): Promise<string>;
export declare function runCells(page: Page, indices?: number[] | null, timeoutMs?: number): Promise<void>;
export declare function saveNotebook(page: Page): Promise<void>;
export declare function startFigureClock(page: Page): Promise<void>;
export declare function firstFigureTimes(page: Page): Promise<{ staticMs: number | null; firstMs: number | null; longestMs: number }>;
export declare function carrierReady(page: Page, timeoutMs?: number): Promise<unknown>;
export declare function notebookTrusted(page: Page): Promise<boolean>;
export declare function staticImages(page: Page, expected: number, timeoutMs?: number): Promise<{ images: number; drawn: number; texts: string[] }>;
export declare function liveCheck(name: string, opts?: { timeoutS?: number; expectProgress?: string; screenshot?: string; log?: (s: string) => void }): Promise<unknown>;
