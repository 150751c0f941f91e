export { writeReport, readReportData, reportHtml, bestLayoutFigure, type ReportData, type ReportRow } from "./report.js";
