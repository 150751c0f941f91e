#!/usr/bin/env node
// The figure lifecycle check, on a real Jupyter Notebook 6 server driven by Chromium
// (playwright-core) as a user would, for a notebook of 10 figures:
//   run all → rerun the first figure's cell (the one that carried plotly.js) → Run All
//   twice → save → reopen → reopen it saved without plotly.js (the kernelspec's copy) and
//   save → export to HTML through the server (File › Download as HTML) and open the
//   export offline → open a copy executed by nbconvert (untrusted).
// After every step every figure must have drawn (plotly's .main-svg), or, untrusted,
// show its static image (an <img> that decoded) and the hint. Measures the saved size,
// the export's size and the time to first figure (live and on reopen).
// Then the batch step: a kernel restarted in the middle of notebook.runBatch, and the
// same cells run again in the new kernel: the batch resumes with no option and finishes.
//
// usage: node scripts/notebook-figures-live.mjs [--no-figures] [--no-batch] [--json]   (exit 0 ok, 1 failed, 2 tools missing)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuilt, jupyterBin, jupyterEnv, missingSystemTools, repoRoot } from "./notebook-env.mjs";
import { checkExportedHtml, launchChromium } from "./notebook-browser.mjs";
import { startNotebookServer } from "./notebook-live.mjs";

const KERNEL = { display_name: "wflo (TypeScript, tslab)", language: "typescript", name: "wflo" };
const code = (source) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source });
const notebook = (cells) => ({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: KERNEL, language_info: { name: "typescript" } }, cells });

// Ten figures of every kind the builders make, from small synthetic data (no physics: the
// check is about figures, and it must stay fast). The last cell shows four figures in one
// output area, taller than Notebook 6's 100-line threshold: it must not fold into a scroll box.
const CELLS = [
  [0, `import * as wflo from "../dist/index.js";\nconst { show } = wflo;\nconst ring = (n: number, r: number) => ({ x: Array.from({ length: n }, (_, i) => r * Math.cos((2 * Math.PI * i) / n)), y: Array.from({ length: n }, (_, i) => r * Math.sin((2 * Math.PI * i) / n)) });`],
  [1, `show(wflo.windRoseFigure({ directionsDeg: [0, 45, 90, 135, 180, 225, 270, 315], frequency: [1, 2, 3, 4, 5, 4, 3, 2], title: "figure 1: wind rose" }));`],
  [1, `show(wflo.layoutFigure({ title: "figure 2: layout", boundary: { centerM: [0, 0], radiusM: 1300 }, optimized: { ...ring(16, 1200), aepGWh: Array.from({ length: 16 }, (_, i) => 30 + (i % 5)) }, initial: ring(16, 900), rotorDiameterM: 130, windRose: { directionsDeg: [0, 90, 180, 270], frequency: [1, 2, 3, 4] } }));`],
  [1, `const grid = (f: (x: number, y: number) => number) => { const x = Array.from({ length: 60 }, (_, i) => i * 20), y = Array.from({ length: 30 }, (_, j) => j * 20); const ws: number[] = []; for (const yy of y) for (const xx of x) ws.push(f(xx, yy)); return { x, y, wsEffMs: ws }; };\nshow(wflo.flowMapFigure([{ name: "A", ...grid((x, y) => 9 - 4 * Math.exp(-((y - 300) ** 2) / 5000) * Math.exp(-x / 800)) }, { name: "B", ...grid((x, y) => 9 - 3 * Math.exp(-((y - 300) ** 2) / 9000) * Math.exp(-x / 600)) }], { title: "figure 3: flow maps" }));`],
  [1, `const rows = [0, 1, 2, 3, 4, 5].flatMap((s) => [{ farm: "f1", turbineType: "a", aepGWh: 400 + s, initialAepGWh: 390 + s }, { farm: "f2", turbineType: "b", aepGWh: 300 + 2 * s, initialAepGWh: 295 + s }]);\nshow(wflo.aepDistributionFigure(rows, { title: "figure 4: AEP distribution" }));`],
  [1, `show(wflo.aepGainFigure(rows, { title: "figure 5: gain" }));`],
  [1, `show(wflo.convergenceFigure([{ name: "run 1", aepGWh: Array.from({ length: 40 }, (_, i) => 400 - 20 * Math.exp(-i / 8)), startAepGWh: 380 }], { title: "figure 6: convergence" }));`],
  [4, `for (const fig of [\n  wflo.aepVsSpacingFigure([{ name: "model", spacingD: [2, 4, 6, 8, 10], aepGWh: [300, 350, 380, 390, 395] }], { title: "figure 7: AEP against spacing", noWakeAepGWh: 400 }),\n  wflo.recoveryFigure([{ file: "a.h5", salvaged: 10, lost: 0 }, { file: "b.h5", salvaged: 4, lost: 3, status: "truncated" }], { title: "figure 8: recovery" }),\n  wflo.windRoseFigure({ directionsDeg: [0, 90, 180, 270], speedBins: [{ label: "< 8 m/s", frequency: [1, 2, 1, 2] }, { label: "≥ 8 m/s", frequency: [2, 1, 3, 1] }], title: "figure 9: wind rose by speed" }),\n  wflo.layoutFigure({ title: "figure 10: layout without AEP", boundary: { x: [-1000, 1000, 1000, -1000], y: [-600, -600, 600, 600] }, optimized: ring(9, 500) }),\n]) show(fig);`],
];
const FIGURE_CELLS = CELLS.map(([, src]) => src);
export const FIGURES = CELLS.reduce((n, [k]) => n + k, 0);

const BATCH_SEEDS = 8;
const BATCH_CELLS = [
  `import { notebook as nb } from "../dist/index.js";\nconst spec = {\n  site: "iea37", model: { deficit: "IEA37SimpleBastankhahGaussian" }, turbines: ["IEA37_3.35MW"],\n  farms: [{ boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 16, min_spacing_m: 260 }],\n  seeds: ${BATCH_SEEDS}, grid_size: 18, random_pct: 30, optimizer: { hops: 2 },\n};\nconst dir = nb.workDir("live-restart");`,
  `const summary = await nb.runBatch(spec, { out: dir + "/run.h5", workers: 2 });`,
  `const report = await nb.validate(dir + "/run.h5");\nconsole.log(JSON.stringify({ ok: report.ok, results: report.results, skipped: summary.skipped, done: summary.done }));`,
];

// ---- page helpers (Notebook 6's own JavaScript API) ----

async function openNotebook(context, base, token, file) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The first drawn figure, timed from navigation start (performance.now()).
  await page.addInitScript(() => {
    const note = () => {
      if (window.__firstFigureMs === undefined && document.querySelector(".wflo-figure .main-svg")) window.__firstFigureMs = performance.now();
      // What a reader sees first: the static image, before plotly.js has loaded.
      if (window.__firstStaticMs === undefined && document.querySelector(".wflo-figure .wflo-static img")) window.__firstStaticMs = performance.now();
    };
    new MutationObserver(note).observe(document, { childList: true, subtree: true });
    // The longest main-thread block (an inline 4.8 MB plotly.js froze the page for seconds).
    window.__longestTaskMs = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => (window.__longestTaskMs = Math.max(window.__longestTaskMs, e.duration))))
      .observe({ entryTypes: ["longtask"] });
    const loaded = setInterval(() => {
      if (window.Jupyter?.notebook?._fully_loaded) (window.__notebookLoadedMs = performance.now()), clearInterval(loaded);
    }, 20);
  });
  await page.goto(`${base}/notebooks/${file}?token=${token}`, { waitUntil: "load" });
  await waitKernel(page);
  return { page, errors };
}

async function waitKernel(page, timeout = 60_000) {
  await page.waitForFunction(() => {
    const k = window.Jupyter?.notebook?.kernel;
    return k && k.is_connected() && k.info_reply && k.info_reply.implementation === "tslab" && window.Jupyter.notebook._fully_loaded;
  }, null, { timeout, polling: 200 });
}

/**
 * Runs cells (all, or the given indices) and waits until each was sent anew (a new
 * msg_id: execution counts restart at 1 after a kernel restart), has its count and the
 * kernel is idle.
 */
async function run(page, indices, timeoutMs = 120_000) {
  await page.evaluate((idx) => {
    const nb = window.Jupyter.notebook;
    nb.set_autosave_interval(0);
    window.__wfloBefore = nb.get_cells().map((c) => c.last_msg_id);
    if (idx) nb.execute_cells(idx);
    else nb.execute_all_cells();
  }, indices ?? null);
  await page.waitForFunction((idx) => {
    const nb = window.Jupyter.notebook;
    const cells = nb.get_cells().map((c, i) => [c, i]).filter(([c, i]) => c.cell_type === "code" && (!idx || idx.includes(i)));
    const done = cells.every(([c, i]) => c.last_msg_id && c.last_msg_id !== window.__wfloBefore[i] && typeof c.input_prompt_number === "number");
    return done && !nb.kernel_busy && document.querySelector("#kernel_indicator_icon.kernel_idle_icon");
  }, indices ?? null, { timeout: timeoutMs, polling: 200 });
}

/** How many figures there are, drawn by plotly, and showing a decoded static image. */
async function figureState(page) {
  return page.evaluate(() => {
    const figs = [...document.querySelectorAll(".wflo-figure")];
    return {
      figures: figs.length,
      drawn: figs.filter((f) => f.querySelector(".main-svg")).length,
      staticShown: figs.filter((f) => { const img = f.querySelector(".wflo-static img"); return img && img.complete && img.naturalWidth > 0; }).length,
      hints: figs.map((f) => f.querySelector(".wflo-hint")?.textContent ?? "").filter(Boolean),
      // Output areas Notebook 6 folded into a scroll box (a figure's must never be).
      scrollBoxes: [...document.querySelectorAll(".output_scroll")].filter((o) => o.querySelector(".wflo-figure")).length,
      errors: [...document.querySelectorAll(".output_stderr, .output_error")].map((e) => e.textContent.slice(0, 300)),
    };
  });
}

async function waitDrawn(page, n, timeoutMs = 60_000) {
  try {
    await page.waitForFunction((k) => {
      const figs = [...document.querySelectorAll(".wflo-figure")];
      return figs.length === k && figs.every((f) => f.querySelector(".main-svg"));
    }, n, { timeout: timeoutMs, polling: 100 });
  } catch {
    throw new Error(`expected ${n} figures drawn: ${JSON.stringify(await figureState(page))}`);
  }
  return figureState(page);
}

function carriers(ipynbText) {
  const nb = JSON.parse(ipynbText);
  let n = 0;
  let firstFigureHasIt = undefined;
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      const h = o.data?.["text/html"];
      const html = Array.isArray(h) ? h.join("") : h ?? "";
      const k = (html.match(/<script type="application\/x-wflo-plotly"/g) ?? []).length;
      n += k;
      if (firstFigureHasIt === undefined && html.includes("wflo-figure")) firstFigureHasIt = k === 1;
    }
  }
  return { carriers: n, firstFigureHasIt: Boolean(firstFigureHasIt) };
}

export async function figuresLiveCheck({ figures = true, batch = true, log = console.log } = {}) {
  ensureBuilt({ quiet: true });
  const work = mkdtempSync(join(tmpdir(), "wflo-figlive-"));
  const nbDir = join(work, "notebooks");
  mkdirSync(nbDir);
  symlinkSync(join(repoRoot, "dist"), join(work, "dist"));
  writeFileSync(join(nbDir, "figures.ipynb"), JSON.stringify(notebook(FIGURE_CELLS.map(code)), null, 1));
  writeFileSync(join(nbDir, "batch.ipynb"), JSON.stringify(notebook(BATCH_CELLS.map(code)), null, 1));
  const state = join(work, ".jupyter-state");
  const env = jupyterEnv(state);
  let jupyter;
  const steps = [];
  const measured = {};
  const problems = [];
  const step = (name, fig, extra = "") => {
    steps.push({ name, ...fig });
    const ok = fig.errors.length === 0;
    if (!ok) problems.push(`${name}: error output ${fig.errors.join(" | ")}`);
    if (fig.scrollBoxes) problems.push(`${name}: ${fig.scrollBoxes} figure output area(s) folded into a scroll box`);
    log(`${name}: ${fig.drawn}/${fig.figures} drawn, ${fig.staticShown} static${fig.scrollBoxes ? `, ${fig.scrollBoxes} in a scroll box` : ""}${extra}`);
  };
  let browser;
  try {
    jupyter = await startNotebookServer({ notebookDir: nbDir, stateDir: state });
    const { base, token } = jupyter;
    browser = await launchChromium();
    const file = join(nbDir, "figures.ipynb");
    let page, errors;
    if (figures) {
    // 1. Run all, timing the first figure from the click.
    ({ page, errors } = await openNotebook(browser.context, base, token, "figures.ipynb"));
    const t0 = await page.evaluate(() => performance.now());
    await run(page);
    step("run all", await waitDrawn(page, FIGURES));
    measured.liveFirstFigureMs = Math.round((await page.evaluate(() => window.__firstFigureMs)) - t0);
    measured.liveFirstStaticMs = Math.round((await page.evaluate(() => window.__firstStaticMs)) - t0);
    measured.livePlotlyLoadMs = Math.round(await page.evaluate(() => window.__wfloPlotlyLoadMs));
    measured.liveLongestTaskMs = Math.round(await page.evaluate(() => window.__longestTaskMs));
    measured.livePlotlyVia = await page.evaluate(() => window.__wfloPlotly?.via);

    // 2. Rerun the first figure's cell: its new output has no plotly.js (the kernel sent it once).
    await run(page, [1]);
    step("rerun the carrier cell", await waitDrawn(page, FIGURES));
    // 3. Run All, twice.
    await run(page);
    await run(page);
    step("Run All twice", await waitDrawn(page, FIGURES));

    // 4. Save: exactly one carrier, in the first figure output.
    await page.evaluate(() => window.Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !window.Jupyter.notebook.dirty, null, { timeout: 30_000 });
    const saved = readFileSync(file, "utf8");
    const c = carriers(saved);
    measured.savedBytes = statSync(file).size;
    log(`saved: ${(measured.savedBytes / 1e6).toFixed(2)} MB, ${c.carriers} plotly.js carrier(s), in the first figure output: ${c.firstFigureHasIt}`);
    if (c.carriers !== 1 || !c.firstFigureHasIt) problems.push(`saved notebook holds ${c.carriers} carriers (first figure output has one: ${c.firstFigureHasIt}); expected exactly 1 there`);
    if (errors.length) problems.push(`script errors: ${errors.join("; ")}`);
    await page.close();

    // 5. Reopen: the figures draw from the saved carrier, before any cell runs.
    ({ page, errors } = await openNotebook(browser.context, base, token, "figures.ipynb"));
    step("reopen", await waitDrawn(page, FIGURES));
    Object.assign(measured, await page.evaluate(() => ({
      reopenFirstFigureMs: Math.round(window.__firstFigureMs),
      // Notebook 6's own page load, and what plotly.js costs on top (decompress + evaluate).
      reopenNotebookLoadedMs: Math.round(window.__notebookLoadedMs),
      reopenPlotlyLoadMs: Math.round(window.__wfloPlotlyLoadMs),
      reopenLongestTaskMs: Math.round(window.__longestTaskMs),
      reopenPlotlyVia: window.__wfloPlotly?.via,
    })));
    if (errors.length) problems.push(`script errors on reopen: ${errors.join("; ")}`);
    await page.close();

    // 5b. A notebook saved without plotly.js (by an older wflo, or edited by hand) while the
    // kernel session has already sent it: the loader takes the kernelspec's copy that the
    // server serves (kernels/wflo/plotly.min.js), and the next save puts one carrier back.
    const bare = JSON.parse(readFileSync(file, "utf8"));
    for (const cell of bare.cells) for (const o of cell.outputs ?? []) {
      const h = o.data?.["text/html"];
      if (h) o.data["text/html"] = (Array.isArray(h) ? h.join("") : h).replace(/<script type="application\/x-wflo-plotly"[^>]*>[^<]*<\/script>\n?/g, "");
    }
    writeFileSync(file, JSON.stringify(bare, null, 1));
    if (carriers(readFileSync(file, "utf8")).carriers !== 0) throw new Error("could not strip the carrier for step 5b");
    const trust = spawnSync(jupyterBin, ["trust", file], { env, encoding: "utf8" });
    if (trust.status !== 0) throw new Error(`jupyter trust failed: ${trust.stderr}`);
    ({ page, errors } = await openNotebook(browser.context, base, token, "figures.ipynb"));
    step("reopen without plotly.js in the notebook", await waitDrawn(page, FIGURES));
    // The third page load of the served plotly.js: Chromium's code cache has it by now.
    Object.assign(measured, await page.evaluate(() => ({
      reopen2FirstFigureMs: Math.round(window.__firstFigureMs),
      reopen2PlotlyLoadMs: Math.round(window.__wfloPlotlyLoadMs),
      reopen2LongestTaskMs: Math.round(window.__longestTaskMs),
      reopen2PlotlyVia: window.__wfloPlotly?.via,
    })));
    await page.waitForFunction(() => window.__wfloPlotly?.gz, null, { timeout: 30_000, polling: 100 });
    await page.evaluate(() => window.Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !window.Jupyter.notebook.dirty, null, { timeout: 30_000 });
    const c2 = carriers(readFileSync(file, "utf8"));
    log(`saved again: ${c2.carriers} plotly.js carrier(s), in the first figure output: ${c2.firstFigureHasIt}`);
    if (c2.carriers !== 1 || !c2.firstFigureHasIt) problems.push(`saved after plotly.js came from the kernelspec: ${c2.carriers} carriers (first figure output has one: ${c2.firstFigureHasIt})`);
    if (errors.length) problems.push(`script errors without a carrier: ${errors.join("; ")}`);
    await page.close();

    // 6. Export through the server (what File › Download as › HTML fetches), then open it offline.
    const r = await fetch(`${base}/nbconvert/html/figures.ipynb?download=true`, { headers: { Authorization: `token ${token}` } });
    if (!r.ok) throw new Error(`export failed: HTTP ${r.status}`);
    const exported = join(work, "figures.html");
    writeFileSync(exported, Buffer.from(await r.arrayBuffer()));
    measured.exportBytes = statSync(exported).size;
    const ex = await checkExportedHtml(browser.context, exported, FIGURES, { allowBlocked: /cdnjs\.cloudflare\.com\/ajax\/libs\/(require|mathjax)/i });
    steps.push({ name: "export opened offline", figures: FIGURES, drawn: ex.figures, staticShown: 0, hints: [], errors: [] });
    log(`export opened offline: ${ex.figures}/${FIGURES} drawn in ${ex.ms} ms (${(measured.exportBytes / 1e6).toFixed(2)} MB; blocked: ${ex.blocked.join(", ") || "nothing"})`);
    measured.exportFirstAllMs = ex.ms;

    // 7. Untrusted: the same notebook executed by nbconvert (as a colleague or CI would).
    const x = spawnSync("timeout", ["120", jupyterBin, "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=60",
      "--output", "untrusted.ipynb", "figures.ipynb"], { cwd: nbDir, env, encoding: "utf8" });
    if (x.status !== 0) throw new Error(`nbconvert --execute failed (${x.status}): ${x.stderr.slice(-2000)}`);
    ({ page, errors } = await openNotebook(browser.context, base, token, "untrusted.ipynb"));
    const trusted = await page.evaluate(() => window.Jupyter.notebook.trusted);
    await page.waitForFunction((n) => {
      const imgs = [...document.querySelectorAll(".wflo-figure .wflo-static img")];
      return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
    }, FIGURES, { timeout: 30_000, polling: 100 }).catch(() => {});
    const u = await figureState(page);
    step("untrusted (nbconvert --execute)", u, `, trusted=${trusted}, hint "${u.hints[0] ?? ""}"`);
    if (trusted !== false) problems.push(`the nbconvert-executed notebook opened trusted=${trusted}; the check needs an untrusted one`);
    if (u.staticShown !== FIGURES || u.hints.length !== FIGURES) problems.push(`untrusted: ${u.staticShown}/${FIGURES} static images shown, ${u.hints.length} hints`);
    await page.close();

    for (const s of steps.filter((x) => !x.name.startsWith("untrusted"))) if (s.drawn !== FIGURES) problems.push(`${s.name}: ${s.drawn}/${FIGURES} drawn`);
    }

    // 8. A kernel restart in the middle of runBatch, then the same cells again.
    if (batch) {
      ({ page, errors } = await openNotebook(browser.context, base, token, "batch.ipynb"));
      await page.evaluate(() => window.Jupyter.notebook.execute_all_cells());
      await page.waitForFunction(() => {
        const p = document.querySelector(".wflo-progress");
        return p && p.dataset.phase === "running" && Number(p.dataset.done) >= 1;
      }, null, { timeout: 120_000, polling: 100 });
      const mid = await page.evaluate(() => document.querySelector(".wflo-progress").textContent);
      await page.evaluate(() => window.Jupyter.notebook.kernel.restart());
      await page.waitForTimeout(1000);
      await waitKernel(page);
      const stale = await page.evaluate(() => [...document.querySelectorAll(".wflo-progress")].map((p) => ({ phase: p.dataset.phase, text: p.textContent })));
      log(`restarted mid-batch at "${mid.split("·")[0].trim()}"; the old display now reads: ${stale.map((s) => s.text).join(" | ")}`);
      measured.restartStaleDisplay = stale;
      if (!(stale.length === 1 && stale[0].phase === "stopped" && /kernel restarted or died while this ran/.test(stale[0].text))) {
        problems.push(`after the restart the batch's display still reads as live: ${JSON.stringify(stale)}`);
      }
      await run(page, undefined, 240_000);
      const end = await page.evaluate(() => ({
        progress: [...document.querySelectorAll(".wflo-progress")].map((p) => ({ phase: p.dataset.phase, done: Number(p.dataset.done), skipped: Number(p.dataset.skipped), total: Number(p.dataset.total) })),
        out: [...document.querySelectorAll(".output_stdout")].map((e) => e.textContent).join("\n"),
        errors: [...document.querySelectorAll(".output_error")].map((e) => e.textContent.slice(0, 500)),
      }));
      const last = JSON.parse(end.out.trim().split("\n").filter((l) => l.startsWith("{")).at(-1) ?? "{}");
      log(`rerun after the restart: progress ${JSON.stringify(end.progress)}, ${JSON.stringify(last)}`);
      measured.batchResume = last;
      if (end.errors.length) problems.push(`batch: error output ${end.errors.join(" | ")}`);
      if (end.progress.at(-1)?.phase !== "finished") problems.push(`batch: progress ended in ${end.progress.at(-1)?.phase}`);
      if (!(last.ok === true && last.results === BATCH_SEEDS && last.skipped >= 1 && last.skipped + last.done === BATCH_SEEDS)) {
        problems.push(`batch did not resume to ${BATCH_SEEDS} results with the stored ones kept: ${JSON.stringify(last)}`);
      }
      await page.close();
    }
    if (problems.length) throw new Error(`figures live check:\n  ${problems.join("\n  ")}`);
    return { steps, measured };
  } catch (e) {
    if (jupyter?.log() && !/^figures live check/.test(e.message)) e.message += `\n--- jupyter notebook log ---\n${jupyter.log().slice(-3000)}`;
    throw e;
  } finally {
    if (browser) await browser.close();
    await jupyter?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = missingSystemTools();
  if (missing.length) {
    console.error(`notebook-figures-live: missing ${missing.join(", ")}: run \`bash scripts/setup-system.sh\``);
    process.exit(2);
  }
  const args = process.argv.slice(2);
  figuresLiveCheck({ batch: !args.includes("--no-batch"), figures: !args.includes("--no-figures") }).then((r) => {
    if (args.includes("--json")) console.log(JSON.stringify(r));
    console.log(`measured: ${JSON.stringify(r.measured)}`);
    process.exit(0);
  }, (e) => {
    console.error(e.message);
    process.exit(1);
  });
}
