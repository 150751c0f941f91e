// Public API of src/notebook: re-exported by src/index.ts. Each concept lives in its own file.
// Figure builders are pure (plain data in, plotly figure out) and reusable outside
// notebooks; show/ProgressDisplay talk to the tslab kernel.
export * from "../figures/index.js";
export { figureBundle, PLOTLY_MIME, type MimeBundle } from "./bundle.js";
export { figureHtml, figureText, plotlyJs, plotlyJsTag, plotlyCarrier, PLOTLY_CARRIER_TYPE, STATIC_HINT, escapeHtml, scriptJson, type FigureHtmlOptions } from "../figures/html.js";
export { figureSvg, type FigureSvgOptions } from "../figures/svg.js";
export { displayWriter, inKernel, setDisplayWriter, DisplayHandle, type DisplayWriter } from "./kernel.js";
export { show, isRenderable, isFigure, resetPlotlyEmbedding, plotlyEmbeddedInSession, type Renderable } from "./show.js";
export { htmlTable, textTable, type Column, type RowMark } from "./table.js";
export { ProgressDisplay, progressHtml, progressText, progressBundle, etaS, FINAL_PHASES, type ProgressState, type ProgressPhase } from "./progress.js";
export { windRoseOf, flowMapOf, type FlowMapOptions } from "../figures/physicsViews.js";
export { watchInterrupts, type InterruptHandlers } from "./interrupt.js";
export { validateReportBundle, validateHeadline, recoverReportBundle, recoverHeadline, batchSummaryBundle, renderable, commonDir, recoveryAccountText, recoveryAccountBundle, type RecoveryAccount } from "./reports.js";
export { recoverFileStory, validateFileStory, plainGroupProblem } from "./plain.js";
// Cell helpers under one name, so they do not clash with the library's validate/runBatch:
//   import { notebook as nb } from "../dist/index.js"; await nb.validate(dir);
export * as notebook from "./cells.js";
