// Mime bundles for Jupyter: a figure goes out as ONE display_data message carrying
//   application/vnd.plotly.v1+json  the figure itself, for JupyterLab / VS Code renderers,
//   text/html                       a static image with a one-line hint, and a small loader
//                                   that draws the interactive figure over it with plotly.js
//                                   found in the page or the notebook (figures/html.ts),
//   image/svg+xml                   the same static image, for viewers that take images only,
//   text/plain                      a one-line description for terminals and logs.
// Classic Notebook 6 and nbconvert's HTML export use text/html. plotly.js is never fetched
// from a CDN: the first figure of a kernel session carries it (gzip, base64: ~1.9 MB), and
// Notebook 6 keeps exactly one carrier in the saved notebook whatever is rerun (the loader's
// before_save hook). So every saved or exported notebook draws offline, and a notebook grows
// by ~1.9 MB once, not per figure; untrusted, it shows the static images.
import type { PlotlyFigure } from "../figures/types.js";
import { figureText, notebookFigureHtml } from "../figures/html.js";
import { figureSvg } from "../figures/svg.js";

export type MimeBundle = { [mime: string]: unknown };

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * The mime bundle of one figure. With `carrier`, its text/html also carries plotly.js
 * (the first figure of a session); without, the loader finds it elsewhere.
 */
export function figureBundle(fig: PlotlyFigure, opts: { id: string; carrier?: boolean }): MimeBundle {
  const svg = figureSvg(fig);
  return {
    [PLOTLY_MIME]: { data: fig.data, layout: fig.layout, config: fig.config ?? {} },
    "text/html": notebookFigureHtml(fig, opts.id, { svg, carrier: opts.carrier }),
    "image/svg+xml": svg,
    "text/plain": figureText(fig),
  };
}
