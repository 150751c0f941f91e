// Mime bundles for Jupyter: a figure goes out as ONE display_data message carrying
//   application/vnd.plotly.v1+json  the figure itself, for JupyterLab / VS Code renderers,
//   text/html                       a static SVG of the figure with a one-line hint, and a
//                                   small loader that draws it with plotly.js over the image,
//   image/svg+xml                   the same static image, for viewers that show images only,
//   text/plain                      a one-line description for terminals and logs.
// Classic Notebook 6 and nbconvert's HTML export use text/html. plotly.js is never
// fetched from a CDN: it travels inside the notebook as an inert, compressed carrier
// (plotlyCarrier), sent with the first figure of a kernel session; each figure's loader
// finds a carrier in the page or the notebook (figures/html.ts), and in Notebook 6 a save
// hook keeps exactly one in the saved file (in the first figure output) whatever was rerun
// or cleared. Where scripts do not run (an untrusted notebook, a viewer) the static image
// shows, with a one-line hint.
import type { PlotlyFigure } from "../figures/types.js";
import { figureHtml, figureText, plotlyCarrier } from "../figures/html.js";
import { figureSvg } from "../figures/svg.js";

export type MimeBundle = { [mime: string]: unknown };

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * The mime bundle of one figure. With `plotly` given, its text/html starts with the
 * plotly.js carrier (the first figure of a session); without, it relies on a page or a
 * notebook that has one. `staticImage: false` leaves the SVG out (tests, huge figures).
 */
export function figureBundle(fig: PlotlyFigure, opts: { id: string; plotly?: { version: string; code: string }; staticImage?: boolean }): MimeBundle {
  const staticSvg = opts.staticImage === false ? undefined : figureSvg(fig);
  const html = (opts.plotly ? plotlyCarrier(opts.plotly) + "\n" : "") + figureHtml(fig, opts.id, { staticSvg });
  return {
    [PLOTLY_MIME]: { data: fig.data, layout: fig.layout, config: fig.config ?? {} },
    "text/html": html,
    ...(staticSvg ? { "image/svg+xml": staticSvg } : {}),
    "text/plain": figureText(fig),
  };
}
