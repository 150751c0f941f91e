// What notebook cells call: the store and batch operations with a live display while they
// run and a rendered report when they end. Imported as `notebook` from the package:
//   import { notebook as nb } from "../dist/index.js";
//   const report = await nb.validate("out/run");      // table, damaged files highlighted
// Each returns the same plain report the library function returns, made renderable:
// show(report) draws it again, printing it gives the text table.
import { mkdirSync, rmSync } from "node:fs";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { validate as validateFiles, type ValidateOptions, type ValidateReport } from "../store/index.js";
import type { MimeBundle } from "./bundle.js";
import { escapeHtml } from "./bundle.js";
import { DisplayHandle } from "./kernel.js";
import { renderable, validateReportBundle } from "./reports.js";

export { show } from "./show.js";

/** The package's root folder (the repository when run from a checkout). */
export function packageRoot(): string {
  // dist/notebook/cells.js and src/notebook/cells.ts both sit two levels down.
  return fileURLToPath(new URL("../../", import.meta.url));
}

/**
 * A folder for a notebook's files, `out/<name>` under the kernel's working directory
 * (ignored by git); `clean` empties it first so a notebook run from the top starts fresh.
 */
export function workDir(name: string, opts: { clean?: boolean } = {}): string {
  const dir = resolve("out", name);
  if (opts.clean) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A one-line status in a display that the final report then replaces. */
function statusBundle(text: string): MimeBundle {
  return { "text/html": `<div class="wflo-status" style="font-family:monospace;font-size:13px;color:#555">${escapeHtml(text)}</div>`, "text/plain": text };
}

/** Calls `f` at most every `ms` (the last call always wins when flushed). */
function throttled<A extends unknown[]>(ms: number, f: (...a: A) => void): (...a: A) => void {
  let last = 0;
  return (...a: A) => {
    const now = Date.now();
    if (now - last >= ms) {
      last = now;
      f(...a);
    }
  };
}

export type RenderableValidateReport = ValidateReport & { toMimeBundle(): MimeBundle };

/**
 * Validates files and folders (every checksum recomputed, damaged files opened only in
 * short-lived workers) while a status line counts files; then the report replaces it.
 */
export async function validate(paths: string | string[], opts: ValidateOptions = {}): Promise<RenderableValidateReport> {
  const display = new DisplayHandle();
  const t0 = Date.now();
  const many = Array.isArray(paths) ? `${paths.length} paths` : basename(paths);
  display.show(statusBundle(`validating ${many} …`));
  const tick = throttled(200, (i: number, total: number, file: string) =>
    display.show(statusBundle(`validating: ${i + 1}/${total} files, ${((Date.now() - t0) / 1000).toFixed(1)} s (${basename(file)})`)));
  const report = await validateFiles(paths, {
    ...opts,
    onFile: (r, i, total) => {
      tick(i, total, r.path);
      opts.onFile?.(r, i, total);
    },
  });
  const view = renderable(report, validateReportBundle);
  display.show(view.toMimeBundle());
  return view;
}

