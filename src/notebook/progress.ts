// A live progress display for long cells (runBatch): one output updated in place while
// the work runs, then left in its final state ("finished", "cancelled" or "failed"), which
// is what a saved notebook shows. Phases are the batch's (BatchProgress) plus "failed". Updates are throttled: a batch may report thousands of
// results and each update is a message to the front end.
import type { MimeBundle } from "./bundle.js";
import { escapeHtml } from "../figures/html.js";
import { DisplayHandle } from "./kernel.js";

export type ProgressPhase = "starting" | "running" | "merging" | "stopping" | "finished" | "cancelled" | "failed";

export const FINAL_PHASES: readonly ProgressPhase[] = ["finished", "cancelled", "failed"];

export interface ProgressState {
  phase: ProgressPhase;
  /** Configurations in this run (excluding those already stored before it started). */
  total: number;
  done: number;
  failed: number;
  /** Already stored before this run started (resume). */
  skipped?: number;
  running?: number;
  elapsedS: number;
  /** Seconds left, if the caller knows better than the rate so far. */
  etaS?: number;
  /** Shown after the counts, e.g. the best AEP so far. */
  detail?: string;
  /** A short line under the bar: the last result, an error, how to resume. */
  message?: string;
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Estimated seconds left, from the rate so far; undefined before the first result. */
export function etaS(p: ProgressState): number | undefined {
  if (p.phase !== "running") return undefined;
  if (p.etaS !== undefined) return p.etaS;
  const finished = p.done + p.failed;
  if (finished === 0) return undefined;
  return (p.elapsedS / finished) * (p.total - (p.skipped ?? 0) - finished);
}

export function progressText(p: ProgressState): string {
  // Before the batch has counted its configurations (or when it failed before) there is
  // nothing to count: not "0/0 (100 %)".
  if (p.total === 0 && p.done === 0 && p.phase !== "finished") return `${p.phase}${p.phase === "starting" ? " …" : ""} · elapsed ${fmtDuration(p.elapsedS)}` + (p.message ? `\n${p.message}` : "");
  // Progress counts what is in the output, already-stored results included.
  const finished = (p.skipped ?? 0) + p.done + p.failed;
  const pct = p.total > 0 ? (100 * finished) / p.total : 100;
  const parts = [`${p.phase}: ${finished}/${p.total} (${pct.toFixed(0)} %)`, `${p.done} ok`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.skipped) parts.push(`${p.skipped} already stored`);
  if (p.running) parts.push(`${p.running} running`);
  if (p.detail) parts.push(p.detail);
  parts.push(`elapsed ${fmtDuration(p.elapsedS)}`);
  const eta = etaS(p);
  // Everything counted but not yet merged: "0.0 s left" would be a promise the merge breaks.
  if (eta !== undefined && finished < p.total) parts.push(`about ${fmtDuration(eta)} left`);
  return parts.join(" · ") + (p.message ? `\n${p.message}` : "");
}

const PHASE_COLOR: { [k in ProgressPhase]: string } = {
  starting: "#9a9a9a", running: "#1f77b4", merging: "#1f77b4", stopping: "#e6a100",
  finished: "#2ca02c", cancelled: "#e6a100", failed: "#d62728",
};

// A live display whose kernel restarts or dies can never be updated again: in Notebook 6
// this hook (registered once per page by the first progress display) marks every display
// still in a live phase as stopped, in the page and in the notebook's saved outputs, so
// neither the page nor the saved file keeps "running 4/16 … 6.0 s left" forever.
export const STALE_NOTE = "the kernel restarted or died while this ran: what was committed is kept; run the cell again to resume";
const STALE_HOOK = `<script type="text/javascript">(function () {
  var W = window, nb = W.Jupyter && W.Jupyter.notebook;
  if (!nb || !nb.events || W.__wfloProgressHook) return;
  W.__wfloProgressHook = true;
  var LIVE = /data-phase="(starting|running|merging|stopping)"/, NOTE = ${JSON.stringify(STALE_NOTE)};
  var ETA = / · about [^<·]* left/;
  function stale() {
    [].forEach.call(document.querySelectorAll(".wflo-progress"), function (el) {
      if (!LIVE.test('data-phase="' + el.getAttribute("data-phase") + '"')) return;
      el.setAttribute("data-phase", "stopped");
      [].forEach.call(el.querySelectorAll("div"), function (d) { if (!d.children.length && ETA.test(d.textContent)) d.textContent = d.textContent.replace(ETA, ""); });
      var d = document.createElement("div");
      d.style.color = "#b35900";
      d.textContent = NOTE;
      el.appendChild(d);
    });
    nb.get_cells().forEach(function (cell) {
      ((cell.output_area && cell.output_area.outputs) || []).forEach(function (o) {
        var h = o.data && o.data["text/html"];
        if (typeof h !== "string" || h.indexOf("wflo-progress") < 0 || !LIVE.test(h)) return;
        o.data["text/html"] = h.replace(LIVE, 'data-phase="stopped"').replace(ETA, "").replace("</div><scr" + "ipt", '<div style="color:#b35900">' + NOTE + "</div></div><scr" + "ipt");
        if (typeof o.data["text/plain"] === "string") o.data["text/plain"] = o.data["text/plain"].replace(ETA, "") + "\\n" + NOTE;
      });
    });
  }
  nb.events.on("kernel_restarting.Kernel kernel_dead.Kernel", stale);
})();</script>`;

export function progressHtml(p: ProgressState): string {
  const skipped = p.skipped ?? 0;
  const finished = skipped + p.done + p.failed;
  const pct = (v: number) => (p.total > 0 ? (100 * v) / p.total : 0);
  const [first, ...rest] = progressText(p).split("\n");
  return `<div class="wflo-progress" data-phase="${p.phase}" data-done="${p.done}" data-failed="${p.failed}" data-skipped="${skipped}" data-total="${p.total}" style="font-family:monospace;font-size:13px;max-width:760px">` +
    `<div style="height:10px;background:#eee;border-radius:3px;overflow:hidden;display:flex">` +
    `<div title="already stored" style="width:${pct(skipped).toFixed(2)}%;background:#b8c7d6"></div>` +
    `<div title="done" style="width:${pct(p.done).toFixed(2)}%;background:${PHASE_COLOR[p.phase]}"></div>` +
    `<div title="failed" style="width:${pct(p.failed).toFixed(2)}%;background:${PHASE_COLOR.failed}"></div></div>` +
    `<div style="margin-top:3px">${escapeHtml(first)}</div>` +
    rest.map((l) => `<div style="color:#555">${escapeHtml(l)}</div>`).join("") +
    (finished > p.total ? `<div style="color:${PHASE_COLOR.failed}">more results than configurations (${finished} > ${p.total})</div>` : "") +
    `</div>` + (FINAL_PHASES.includes(p.phase) ? "" : STALE_HOOK);
}

export function progressBundle(p: ProgressState): MimeBundle {
  return { "text/html": progressHtml(p), "text/plain": progressText(p) };
}

/** The in-place display of a ProgressState; update() as often as you like. */
export class ProgressDisplay {
  private readonly handle = new DisplayHandle();
  private last = 0;
  private pending: ProgressState | undefined;
  private timer: NodeJS.Timeout | undefined;
  state: ProgressState;

  constructor(initial: Partial<ProgressState> = {}, private readonly minIntervalMs = 200) {
    this.state = { phase: "starting", total: 0, done: 0, failed: 0, elapsedS: 0, ...initial };
    this.flush(this.state);
  }

  update(patch: Partial<ProgressState>): void {
    this.state = { ...this.state, ...patch };
    const final = FINAL_PHASES.includes(this.state.phase);
    const now = Date.now();
    if (final || now - this.last >= this.minIntervalMs) {
      this.flush(this.state);
      return;
    }
    this.pending = this.state;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (this.pending) this.flush(this.pending);
    }, this.minIntervalMs - (now - this.last));
  }

  private flush(p: ProgressState): void {
    if (this.timer) clearTimeout(this.timer), (this.timer = undefined);
    this.pending = undefined;
    this.last = Date.now();
    // Outside a kernel the display is silent: the caller's summary is printed instead.
    this.handle.show(progressBundle(p));
  }
}
