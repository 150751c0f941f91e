// Showing things in a tslab cell. Outside a kernel (plain node, tests) the text/plain
// part goes to stdout instead, so the same code runs everywhere.
import { figureBundle, type MimeBundle } from "./bundle.js";
import { plotlyJs } from "../figures/html.js";
import { newDisplayId, publish, type DisplayWriter } from "./kernel.js";
import type { PlotlyFigure } from "../figures/types.js";

/** Anything that can render itself as a mime bundle (reports, summaries, progress). */
export interface Renderable {
  toMimeBundle(): MimeBundle;
}

export function isRenderable(x: unknown): x is Renderable {
  return typeof x === "object" && x !== null && typeof (x as Renderable).toMimeBundle === "function";
}

export function isFigure(x: unknown): x is PlotlyFigure {
  return typeof x === "object" && x !== null && Array.isArray((x as PlotlyFigure).data) && typeof (x as PlotlyFigure).layout === "object";
}

// plotly.js (its carrier, see bundle.ts) goes out with the first figure of this kernel
// process; Notebook 6 keeps one copy in the saved file from then on. A restarted kernel
// starts again with a fresh module and embeds it again.
let plotlyEmbedded = false;

/** Forget that plotly.js was sent: the next figure embeds it again (after clearing outputs). */
export function resetPlotlyEmbedding(): void {
  plotlyEmbedded = false;
}

export function plotlyEmbeddedInSession(): boolean {
  return plotlyEmbedded;
}

function send(bundle: MimeBundle, writer?: DisplayWriter | null): boolean {
  if (publish(bundle, undefined, writer)) return true;
  process.stdout.write(String(bundle["text/plain"] ?? "") + "\n");
  return false;
}

/**
 * Displays a figure (plotly bundle), a Renderable, or an HTML string. `writer` (from
 * displayWriter()) sends it to a given cell instead of the one running now.
 */
export function show(x: PlotlyFigure | Renderable | string, writer?: DisplayWriter | null): void {
  if (typeof x === "string") {
    send({ "text/html": x, "text/plain": x.replace(/<[^>]*>/g, "") }, writer);
  } else if (isRenderable(x)) {
    send(x.toMimeBundle(), writer);
  } else if (isFigure(x)) {
    const bundle = figureBundle(x, { id: newDisplayId(), plotly: plotlyEmbedded ? undefined : plotlyJs() });
    if (send(bundle, writer)) plotlyEmbedded = true;
  } else {
    throw new TypeError("show: expected a plotly figure, an object with toMimeBundle(), or an HTML string");
  }
}
