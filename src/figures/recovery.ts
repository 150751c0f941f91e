// What recover read from each input file: stacked bars, results read intact over damaged
// copies (a damaged copy may still be recovered from another file: per file, "lost" would
// say more than is known; what is lost for good is the recovery account's, per configuration).
import { baseLayout, colors, defaultConfig, type PlotlyFigure } from "./types.js";

export interface RecoveryRow {
  file: string;
  /** Intact results read from the file. */
  salvaged: number;
  /** Results known to be in the file that could not be read intact here (damaged copies). */
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
        type: "bar", name: "read intact", x: files, y: rows.map((r) => r.salvaged), customdata: status,
        marker: { color: "#2ca02c" }, hovertemplate: "%{x}: %{y} read intact (%{customdata})<extra></extra>",
      },
      {
        type: "bar", name: "damaged copies", x: files, y: rows.map((r) => r.lost), customdata: status,
        marker: { color: colors.accent }, hovertemplate: "%{x}: %{y} damaged copies (%{customdata})<extra></extra>",
      },
    ],
    layout: baseLayout(opts.title ?? "Results per input file", {
      barmode: "stack",
      xaxis: { type: "category", tickangle: -45, automargin: true },
      yaxis: { title: { text: "result groups" }, gridcolor: "#eee" },
      // Below the rotated file names, not between them and the plot.
      legend: { orientation: "h", x: 0, xanchor: "left", y: -0.45, yanchor: "top" },
      margin: { l: 60, r: 30, t: 50, b: 170 },
      height: 520,
    }),
    config: { ...defaultConfig },
  };
}
