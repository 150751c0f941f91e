// HTML and text tables for reports: rows can be marked so damaged files stand out.
import { escapeHtml } from "../figures/html.js";

export type RowMark = "bad" | "warn" | "ok" | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  align?: "left" | "right";
  /** The cell as HTML (already escaped by the caller), instead of the escaped value. */
  html?: (row: T) => string;
  /** Only in the HTML table (e.g. collapsible details), not in the text one. */
  htmlOnly?: boolean;
}

const MARK_STYLE: { [k in Exclude<RowMark, undefined>]: string } = {
  bad: "background:#fbe3e4;color:#8a1f11",
  warn: "background:#fff4d6;color:#6b4e00",
  ok: "",
};

function cell(v: string | number | undefined): string {
  if (v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return v;
}

export function htmlTable<T>(rows: T[], columns: Column<T>[], opts: { caption?: string; mark?: (row: T) => RowMark; className?: string } = {}): string {
  const th = columns.map((c) => `<th style="text-align:${c.align ?? "left"};padding:3px 8px;border-bottom:1px solid #999">${escapeHtml(c.header)}</th>`).join("");
  const body = rows.map((r) => {
    const mark = opts.mark?.(r);
    const style = mark ? MARK_STYLE[mark] : "";
    // Right-aligned cells are numbers with units: keep "38.3 KiB" on one line.
    const tds = columns.map((c) => `<td style="text-align:${c.align ?? "left"};padding:2px 8px;vertical-align:top${c.align === "right" ? ";white-space:nowrap" : ""}">${c.html ? c.html(r) : escapeHtml(cell(c.value(r)))}</td>`).join("");
    return `<tr${mark ? ` class="wflo-${mark}"` : ""}${style ? ` style="${style}"` : ""}>${tds}</tr>`;
  }).join("\n");
  const caption = opts.caption ? `<caption style="text-align:left;font-weight:bold;padding:4px 0">${escapeHtml(opts.caption)}</caption>` : "";
  return `<table class="${opts.className ?? "wflo-table"}" style="border-collapse:collapse;font-size:13px;margin:4px 0">${caption}<thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The same table as aligned plain text; marked rows start with "!!" (bad) or "! " (warn). */
export function textTable<T>(rows: T[], allColumns: Column<T>[], opts: { caption?: string; mark?: (row: T) => RowMark } = {}): string {
  const columns = allColumns.filter((c) => !c.htmlOnly);
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const widths = columns.map((c, k) => Math.max(c.header.length, ...cells.map((r) => r[k].length)));
  const line = (vals: string[]) => vals.map((v, k) => (columns[k].align === "right" ? v.padStart(widths[k]) : v.padEnd(widths[k]))).join("  ").trimEnd();
  const out: string[] = [];
  if (opts.caption) out.push(opts.caption);
  out.push("   " + line(columns.map((c) => c.header)));
  rows.forEach((r, i) => {
    const m = opts.mark?.(r);
    out.push((m === "bad" ? "!! " : m === "warn" ? "!  " : "   ") + line(cells[i]));
  });
  return out.join("\n");
}
