// What a recovery saved and lost, per input file: stacked bars, salvaged over lost.
import { baseLayout, colors, defaultConfig, type PlotlyFigure } from "./types.js";

export interface RecoveryRow {
  file: string;
  /** Intact results read from the file. */
  salvaged: number;
  /** Results known to be in the file that could not be read intact. */
  lost: number;
  /** The file's verdict, shown on hover. */
  status?: string;
}

export function recoveryFigure(rows: RecoveryRow[], opts: { title?: string } = {}): PlotlyFigure {
  const files = rows.map((r) => r.file);
  const status = rows.map((r) => r.status ?? "");
  return {
    data: [
      {
        type: "bar", name: "salvaged", x: files, y: rows.map((r) => r.salvaged), customdata: status,
        marker: { color: "#2ca02c" }, hovertemplate: "%{x}: %{y} salvaged (%{customdata})<extra></extra>",
      },
      {
        type: "bar", name: "lost", x: files, y: rows.map((r) => r.lost), customdata: status,
        marker: { color: colors.accent }, hovertemplate: "%{x}: %{y} lost (%{customdata})<extra></extra>",
      },
    ],
    layout: baseLayout(opts.title ?? "Results per input file", {
      barmode: "stack",
      xaxis: { type: "category", tickangle: -45, automargin: true },
      yaxis: { title: { text: "results" }, gridcolor: "#eee" },
      legend: { orientation: "h", y: 1.08 },
      height: 460,
    }),
    config: { ...defaultConfig },
  };
}
