// Figure builders: pure functions from plain data to plotly figures. The notebook cells
// show them; the batch's HTML report can embed the same figures.
export type { PlotlyFigure, PlotlyTrace, FigurePolygon, TurbinePoints } from "./types.js";
export * from "./layout.js";
export * from "./windRose.js";
export * from "./aep.js";
export * from "./convergence.js";
export * from "./flowMap.js";
export * from "./spacing.js";
export * from "./recovery.js";
export * from "./wakeTeaching.js";
