// The link to the running tslab kernel. tslab's public display API sends one mime type
// per message; a figure needs a bundle (plotly JSON + HTML + text) in one message, so we
// call tslab's internal writer, `lastWriteDisplayData` of tslab/dist/jupyter.js — the
// function tslab's own display uses. Not public API: package.json pins tslab 1.0.x, and
// test/notebook checks this path against the installed tslab.
//
// The writer is taken from the module instance the kernel process has loaded (found in
// require's cache), not from a fresh import: a second copy of tslab would hold no writer.
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import type { MimeBundle } from "./bundle.js";

/** tslab's writer: (content of a display_data message, is it an update) → void. */
export type DisplayWriter = (content: { data: MimeBundle; metadata: object; transient: { display_id?: string } }, update: boolean) => void;

const require = createRequire(import.meta.url);
const TSLAB_JUPYTER = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

let override: DisplayWriter | null | undefined;

function tslabJupyterModule(): { lastWriteDisplayData: DisplayWriter | null } | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (TSLAB_JUPYTER.test(file) && mod?.exports && "lastWriteDisplayData" in mod.exports) {
      return mod.exports as { lastWriteDisplayData: DisplayWriter | null };
    }
  }
  return undefined;
}

/** The writer of the cell being executed, or null outside a tslab kernel. */
export function displayWriter(): DisplayWriter | null {
  if (override !== undefined) return override;
  return tslabJupyterModule()?.lastWriteDisplayData ?? null;
}

/** True inside a tslab kernel (a cell is or was executing). */
export function inKernel(): boolean {
  return displayWriter() !== null;
}

/** Tests (and other front ends) can capture display messages; null restores tslab's. */
export function setDisplayWriter(w: DisplayWriter | null): void {
  override = w ?? undefined;
}

export function newDisplayId(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Sends one bundle as a new output; returns false when there is no kernel to send to.
 * `writer` pins the cell the output belongs to (work that ends after its cell did).
 */
export function publish(bundle: MimeBundle, displayId?: string, writer: DisplayWriter | null = displayWriter()): boolean {
  const w = writer;
  if (!w) return false;
  w({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, false);
  return true;
}

/**
 * One output that can be replaced in place (Jupyter's update_display_data): a progress
 * line, a table that grows. The first show() creates it, later ones update it.
 */
export class DisplayHandle {
  readonly id = newDisplayId();
  private shown = false;
  // The writer of the cell that created the display: updates sent after the cell ended
  // (a batch still finishing) must go to the same cell, not to whatever runs next.
  private writer: DisplayWriter | null = null;

  show(bundle: MimeBundle): boolean {
    if (!this.writer) this.writer = displayWriter();
    if (!this.writer) return false;
    this.writer({ data: bundle, metadata: {}, transient: { display_id: this.id } }, this.shown);
    this.shown = true;
    return true;
  }
}
