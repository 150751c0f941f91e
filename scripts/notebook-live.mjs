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

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

export async function waitForServer(url, child, timeoutMs) {
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
 * Jupyter Notebook 6 on 127.0.0.1 (a free port, a random token) serving `notebookDir`, its
 * state in `stateDir`, and waits until it answers. `stop()` ends it (SIGTERM, then SIGKILL
 * after 5 s); `log()` is its stderr so far. Used by every live browser check.
 */
export async function startNotebookServer({ notebookDir, stateDir, timeoutMs = 30_000 }) {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const server = spawn(jupyterBin, [
    "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--NotebookApp.token=${token}`, `--notebook-dir=${notebookDir}`,
    // CI and containers run as root; Notebook refuses that unless told.
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ], { env: jupyterEnv(stateDir), stdio: ["ignore", "ignore", "pipe"] });
  let serverLog = "";
  server.stderr.on("data", (d) => (serverLog += d));
  const stop = () => new Promise((r) => {
    if (server.exitCode !== null || server.signalCode !== null) return r();
    server.kill("SIGTERM");
    const t = setTimeout(() => (server.kill("SIGKILL"), r()), 5000);
    server.once("exit", () => (clearTimeout(t), r()));
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(`${base}/api/status?token=${token}`, server, timeoutMs);
  } catch (e) {
    await stop();
    if (serverLog) e.message += `\n--- jupyter notebook log ---\n${serverLog.slice(-3000)}`;
    throw e;
  }
  return { base, token, server, log: () => serverLog, stop };
}

export async function liveCheck(name, { timeoutS = 300, expectProgress, screenshot, log = console.log } = {}) {
  const file = name.endsWith(".ipynb") ? name : `${name}.ipynb`;
  if (!existsSync(join(repoRoot, "notebooks", file))) throw new Error(`no notebook notebooks/${file}`);
  ensureBuilt({ quiet: true });
  const work = prepareWorkdir([file]);
  const t0 = Date.now();
  let jupyter;
  let browser;
  try {
    jupyter = await startNotebookServer({ notebookDir: join(work, "notebooks"), stateDir: join(work, ".jupyter-state") });
    const { base, token } = jupyter;
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
    if (jupyter?.log() && !/^live /.test(e.message)) e.message += `\n--- jupyter notebook log ---\n${jupyter.log().slice(-3000)}`;
    throw e;
  } finally {
    if (browser) await browser.close();
    await jupyter?.stop();
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
