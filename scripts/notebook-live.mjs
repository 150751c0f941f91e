#!/usr/bin/env node
// The live check: a real Jupyter Notebook server on 127.0.0.1 (token set) with the wflo
// kernel, and Debian's Chromium driven by playwright-core as a user would: open the
// notebook, run all cells, wait for the kernel, then check that every figure drew, no
// output is an error, and the progress display ended in its final state.
//
// usage: node scripts/notebook-live.mjs [--timeout S] [--expect-progress PHASE] [--screenshot FILE] NAME
//   NAME: a notebook in notebooks/ (e.g. 01-quickstart). Exit 0 ok, 1 failed, 2 usage/tools.
// Runs on a copy of the notebook in a temporary folder (see run-notebooks.mjs), so the
// notebook in the repo is never saved over.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ensureBuilt, jupyterBin, jupyterEnv, missingSystemTools, repoRoot } from "./notebook-env.mjs";
import { launchChromium, waitForFigures } from "./notebook-browser.mjs";
import { prepareWorkdir } from "./run-notebooks.mjs";

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForServer(url, child, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`jupyter notebook exited with ${child.exitCode} before it served`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`jupyter notebook did not answer ${url.replace(/token=\w+/, "token=…")} within ${timeoutMs / 1000} s`);
}

/**
 * A Jupyter Notebook 6 server on 127.0.0.1 with a token, serving `notebookDir`, with wflo's
 * kernelspec and Jupyter's state in `stateDir`. Resolves to { base, token, url(path), close() }.
 */
export async function startNotebookServer(notebookDir, stateDir) {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const server = spawn(jupyterBin, [
    "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--NotebookApp.token=${token}`, `--notebook-dir=${notebookDir}`,
    // CI and containers run as root; Notebook refuses that unless told.
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ], { env: jupyterEnv(stateDir), stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const close = async () => {
    server.kill("SIGTERM");
    await new Promise((r) => {
      if (server.exitCode !== null) return r();
      const t = setTimeout(() => (server.kill("SIGKILL"), r()), 5000);
      server.once("exit", () => (clearTimeout(t), r()));
    });
  };
  try {
    await waitForServer(`${base}/api/status?token=${token}`, server, 30_000);
  } catch (e) {
    await close();
    e.message += `\n--- jupyter notebook log ---\n${log.slice(-3000)}`;
    throw e;
  }
  return { base, token, url: (path) => `${base}/${path}?token=${token}`, close, log: () => log };
}

/** Notebook 6 in `page`: resolves when the kernel answered kernel_info; returns its implementation. */
export async function waitForKernel(page, timeoutMs = 60_000) {
  await page.waitForFunction(() => {
    const k = window.Jupyter?.notebook?.kernel;
    return k && k.is_connected() && k.info_reply && k.info_reply.implementation;
  }, null, { timeout: timeoutMs, polling: 200 });
  return page.evaluate(() => window.Jupyter.notebook.kernel.info_reply.implementation);
}

/**
 * Runs code cells (their indices among all cells; none: Run All) and resolves when each of
 * them has a new execution count and the kernel is idle, or an error output appeared.
 * Works for reruns: the counts before the run are the reference.
 */
export async function runCells(page, indices = null, timeoutMs = 120_000) {
  const before = await page.evaluate((idx) => {
    const nb = window.Jupyter.notebook;
    nb.set_autosave_interval(0);
    const cells = nb.get_cells();
    const which = (idx ?? cells.map((_, i) => i)).filter((i) => cells[i].cell_type === "code");
    const counts = which.map((i) => cells[i].input_prompt_number ?? null);
    if (idx === null) nb.execute_all_cells();
    else nb.execute_cells(which);
    return { which, counts };
  }, indices);
  await page.waitForFunction(({ which, counts }) => {
    const nb = window.Jupyter.notebook;
    const cells = nb.get_cells();
    const idle = !nb.kernel_busy && document.querySelector("#kernel_indicator_icon.kernel_idle_icon");
    const fresh = which.every((i, k) => typeof cells[i].input_prompt_number === "number" && cells[i].input_prompt_number !== counts[k]);
    const errored = document.querySelector(".output_stderr, .output_error");
    return idle && (fresh || errored);
  }, before, { timeout: timeoutMs, polling: 100 });
}

/** Saves the notebook open in `page` (Notebook 6) and resolves once the server wrote it. */
export function saveNotebook(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const nb = window.Jupyter.notebook;
    nb.events.one("notebook_saved.Notebook", () => resolve());
    nb.events.one("notebook_save_failed.Notebook", () => reject(new Error("Notebook 6 could not save the notebook")));
    nb.save_notebook();
  }));
}

/**
 * Starts a clock in the page: the first static image and the first drawn plotly figure of
 * .wflo-figure outputs are timed from now, and long main-thread tasks are recorded.
 * firstFigureTimes(page) reads them: { staticMs, firstMs, longestMs }.
 */
export function startFigureClock(page) {
  return page.evaluate(() => {
    const c = (window.__wfloClock = { t0: performance.now(), long: [], staticMs: null, firstMs: null });
    new PerformanceObserver((l) => l.getEntries().forEach((e) => c.long.push(e.duration))).observe({ entryTypes: ["longtask"] });
    const poll = () => {
      if (c.staticMs === null && document.querySelector(".wflo-static img")) c.staticMs = performance.now() - c.t0;
      if (document.querySelector(".wflo-figure .main-svg")) return void (c.firstMs = performance.now() - c.t0);
      setTimeout(poll, 20);
    };
    poll();
  });
}

export function firstFigureTimes(page) {
  return page.evaluate(() => {
    const c = window.__wfloClock;
    return { staticMs: c.staticMs, firstMs: c.firstMs, longestMs: Math.max(0, ...c.long) };
  });
}

/** Resolves when the figures' loader holds plotly.js compressed, ready to be put back on save. */
export function carrierReady(page, timeoutMs = 20_000) {
  return page.waitForFunction(() => window.__wfloPlotly?.gz, null, { timeout: timeoutMs, polling: 100 });
}

/** Notebook 6's trust flag of the notebook open in `page`, once it is fully loaded. */
export async function notebookTrusted(page) {
  await page.waitForFunction(() => window.Jupyter?.notebook?._fully_loaded, null, { timeout: 30_000, polling: 100 });
  return page.evaluate(() => window.Jupyter.notebook.trusted);
}

/**
 * What an untrusted page shows: waits until `expected` static SVG images have loaded in
 * HTML outputs, then returns their count, the number of drawn plotly figures and each HTML
 * output's text.
 */
export async function staticImages(page, expected, timeoutMs = 20_000) {
  await page.waitForFunction((n) => {
    const imgs = [...document.querySelectorAll('.output_html img[src^="data:image/svg+xml;base64,"]')];
    return imgs.length >= n && imgs.every((i) => i.complete && i.naturalWidth > 100);
  }, expected, { timeout: timeoutMs, polling: 100 });
  return page.evaluate(() => ({
    images: document.querySelectorAll('.output_html img[src^="data:image/svg+xml;base64,"]').length,
    drawn: document.querySelectorAll(".main-svg").length,
    texts: [...document.querySelectorAll(".output_html")].map((e) => e.textContent ?? ""),
  }));
}

export async function liveCheck(name, { timeoutS = 300, expectProgress, screenshot, log = console.log } = {}) {
  const file = name.endsWith(".ipynb") ? name : `${name}.ipynb`;
  if (!existsSync(join(repoRoot, "notebooks", file))) throw new Error(`no notebook notebooks/${file}`);
  ensureBuilt({ quiet: true });
  const work = prepareWorkdir([file]);
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const t0 = Date.now();
  const server = spawn(jupyterBin, [
    "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--NotebookApp.token=${token}`, `--notebook-dir=${join(work, "notebooks")}`,
    // CI and containers run as root; Notebook refuses that unless told.
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ], { env: jupyterEnv(join(work, ".jupyter-state")), stdio: ["ignore", "ignore", "pipe"] });
  let serverLog = "";
  server.stderr.on("data", (d) => (serverLog += d));
  const base = `http://127.0.0.1:${port}`;
  let browser;
  try {
    await waitForServer(`${base}/api/status?token=${token}`, server, 30_000);
    const tServer = Date.now() - t0;
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${base}/notebooks/${file}?token=${token}`, { waitUntil: "load" });
    // Notebook 6: the kernel is ready once it answered kernel_info (info_reply set).
    await page.waitForFunction(() => {
      const k = window.Jupyter?.notebook?.kernel;
      return k && k.is_connected() && k.info_reply && k.info_reply.implementation;
    }, null, { timeout: 60_000, polling: 200 });
    const implementation = await page.evaluate(() => window.Jupyter.notebook.kernel.info_reply.implementation);
    if (implementation !== "tslab") throw new Error(`the notebook runs kernel "${implementation}", not tslab`);
    const tKernel = Date.now() - t0;
    await page.evaluate(() => {
      window.Jupyter.notebook.set_autosave_interval(0);
      window.Jupyter.notebook.execute_all_cells();
    });
    // Done when every code cell has an execution count and the kernel is idle.
    await page.waitForFunction(() => {
      const nb = window.Jupyter.notebook;
      const cells = nb.get_cells().filter((c) => c.cell_type === "code");
      const idle = !nb.kernel_busy && document.querySelector("#kernel_indicator_icon.kernel_idle_icon");
      const counted = cells.every((c) => typeof c.input_prompt_number === "number");
      const errored = document.querySelector(".output_stderr, .output_error");
      return (idle && counted) || (idle && errored);
    }, null, { timeout: timeoutS * 1000, polling: 250 });
    const tRun = Date.now() - t0;
    const state = await page.evaluate(() => {
      const cells = window.Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code");
      return {
        cells: cells.length,
        counted: cells.filter((c) => typeof c.input_prompt_number === "number").length,
        errors: [...document.querySelectorAll(".output_stderr, .output_error")].map((e) => e.textContent.slice(0, 500)),
        figures: document.querySelectorAll(".wflo-figure").length,
        progress: [...document.querySelectorAll(".wflo-progress")].map((e) => ({ phase: e.dataset.phase, text: e.textContent })),
      };
    });
    const problems = [];
    if (state.errors.length) problems.push(`error output:\n${state.errors.join("\n")}`);
    if (state.counted !== state.cells) problems.push(`${state.cells - state.counted} of ${state.cells} code cells did not run`);
    if (state.figures === 0) problems.push("no figure in the page");
    else {
      try {
        await waitForFigures(page, state.figures, { timeoutMs: 30_000 });
      } catch (e) {
        problems.push(e.message);
      }
    }
    if (expectProgress) {
      if (state.progress.length === 0) problems.push("no progress display");
      for (const p of state.progress) if (p.phase !== expectProgress) problems.push(`progress display in phase "${p.phase}", expected "${expectProgress}": ${p.text}`);
    }
    if (pageErrors.length) problems.push(`script errors: ${pageErrors.join("; ")}`);
    if (screenshot) {
      // Notebook 6 scrolls inside #site, sized to the window: a tall window shows it all.
      const h = await page.evaluate(() => document.querySelector("#notebook-container")?.scrollHeight ?? 2000);
      await page.setViewportSize({ width: 1280, height: Math.min(16000, h + 200) });
      await page.waitForTimeout(500);
      await page.screenshot({ path: screenshot });
    }
    const timings = { serverS: tServer / 1000, kernelS: tKernel / 1000, runS: tRun / 1000, totalS: (Date.now() - t0) / 1000 };
    log(`live ${file}: ${state.counted}/${state.cells} cells ran, ${state.figures} figures, progress ${JSON.stringify(state.progress.map((p) => p.phase))}; ` +
      `server up ${timings.serverS.toFixed(1)} s, kernel ready ${timings.kernelS.toFixed(1)} s, all cells done ${timings.runS.toFixed(1)} s`);
    if (problems.length) throw new Error(`live ${file}:\n  ${problems.join("\n  ")}`);
    return { ...state, timings };
  } catch (e) {
    if (serverLog && !/^live /.test(e.message)) e.message += `\n--- jupyter notebook log ---\n${serverLog.slice(-3000)}`;
    throw e;
  } finally {
    if (browser) await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => {
      const t = setTimeout(() => (server.kill("SIGKILL"), r()), 5000);
      server.once("exit", () => (clearTimeout(t), r()));
    });
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opts = {};
  const names = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--timeout") opts.timeoutS = Number(args[++i]);
    else if (args[i] === "--expect-progress") opts.expectProgress = args[++i];
    else if (args[i] === "--screenshot") opts.screenshot = args[++i];
    else names.push(args[i]);
  }
  const missing = missingSystemTools();
  if (names.length !== 1 || missing.length) {
    console.error(missing.length ? `notebook-live: missing ${missing.join(", ")}: run \`bash scripts/setup-system.sh\`` : "usage: node scripts/notebook-live.mjs [--timeout S] [--expect-progress PHASE] [--screenshot FILE] NAME");
    process.exit(2);
  }
  liveCheck(names[0], opts).then(() => process.exit(0), (e) => {
    console.error(e.message);
    process.exit(1);
  });
}
