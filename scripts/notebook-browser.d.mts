// Types of notebook-browser.mjs, for the tests in test/notebook.
import type { BrowserContext, Page } from "playwright-core";
export declare function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }>;
export declare function waitForFigures(page: Page, expected: number, opts?: { selector?: string; timeoutMs?: number }): Promise<number>;
export declare function checkExportedHtml(context: BrowserContext, file: string, expectedFigures: number, opts?: { timeoutMs?: number; allowBlocked?: RegExp }): Promise<{ figures: number; ms: number; blocked: string[] }>;
