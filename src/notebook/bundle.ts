// Mime bundles for Jupyter: a figure goes out as ONE display_data message carrying
//   application/vnd.plotly.v1+json  the figure itself, for JupyterLab / VS Code renderers,
//   text/html                       a div and a script that draws it with plotly.js,
//   text/plain                      a one-line description for terminals and logs.
// Classic Notebook 6 and nbconvert's HTML export use text/html. plotly.js is not fetched
// from any CDN: the first figure of a kernel session carries the whole library inline
// (see plotlyJsTag), later figures wait for window.Plotly. So an exported notebook renders
// offline, and a notebook grows by plotly.js's size (~4.8 MB) once, not per figure.
import type { PlotlyFigure } from "../figures/types.js";
import { figureHtml, figureText, plotlyJsTag } from "../figures/html.js";

export type MimeBundle = { [mime: string]: unknown };

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * The mime bundle of one figure. With `plotly` given, its text/html starts with plotly.js
 * itself (the first figure of a session); without, it relies on a page that has it.
 */
export function figureBundle(fig: PlotlyFigure, opts: { id: string; plotly?: { version: string; code: string } }): MimeBundle {
  const html = (opts.plotly ? plotlyJsTag(opts.plotly) + "\n" : "") + figureHtml(fig, opts.id);
  return {
    [PLOTLY_MIME]: { data: fig.data, layout: fig.layout, config: fig.config ?? {} },
    "text/html": html,
    "text/plain": figureText(fig),
  };
}
