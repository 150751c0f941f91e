// Debian's Chromium driven by playwright-core: checks that exported notebooks drew every
// figure offline, and drives a live Jupyter Notebook (scripts/notebook-live.mjs).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromiumBin } from "./notebook-env.mjs";

// From ../shared/notebook-stack.md: what Debian's chromium needs headless in a container,
// and no background traffic of its own.
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), "wflo-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumBin, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Every figure of the page has drawn (plotly's .main-svg inside each .wflo-figure), with
 * `selector` the figure containers. Resolves to the number drawn; rejects on timeout with
 * how many were drawn.
 */
export async function waitForFigures(page, expected, { selector = ".wflo-figure", timeoutMs = 60_000 } = {}) {
  try {
    await page.waitForFunction(
      ([sel, n]) => {
        const figs = [...document.querySelectorAll(sel)];
        return figs.length >= n && figs.every((f) => f.querySelector(".main-svg"));
      },
      [selector, expected],
      { timeout: timeoutMs, polling: 250 },
    );
  } catch {
    const got = await page.evaluate((sel) => {
      const figs = [...document.querySelectorAll(sel)];
      return { figures: figs.length, drawn: figs.filter((f) => f.querySelector(".main-svg")).length, texts: figs.map((f) => f.textContent.slice(0, 120)) };
    }, selector);
    throw new Error(`expected ${expected} figures drawn, found ${got.figures} figures of which ${got.drawn} drew; ${JSON.stringify(got.texts)}`);
  }
  return page.evaluate((sel) => document.querySelectorAll(sel).length, selector);
}

/**
 * Opens an exported notebook (file://) with the network cut off, and checks: every figure
 * drew, no output is an error or stderr, no script threw, nothing was fetched from outside.
 * `allowBlocked`: URLs that are blocked but not a failure (nbconvert's stock templates
 * load require.js and MathJax from cdnjs: offline they fail, and the figures must draw anyway).
 * Returns { figures, ms, blocked } or throws with every problem found.
 */
export async function checkExportedHtml(context, file, expectedFigures, { timeoutMs = 60_000, allowBlocked } = {}) {
  const page = await context.newPage();
  const problems = [];
  const external = [];
  const blocked = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file|data|blob|about):/.test(url)) return route.continue();
    if (allowBlocked?.test(url)) blocked.push(url);
    else external.push(url);
    return route.abort();
  });
  const t0 = Date.now();
  let figures = 0;
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 60_000 });
    figures = await waitForFigures(page, expectedFigures, { timeoutMs });
    if (figures !== expectedFigures) problems.push(`${figures} figures in the page, ${expectedFigures} in the notebook`);
    const bad = await page.evaluate(() => [...document.querySelectorAll(
      '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-output.jp-mod-error')]
      .map((e) => e.textContent.slice(0, 300)));
    for (const b of bad) problems.push(`error output: ${b}`);
  } catch (e) {
    problems.push(e.message);
  } finally {
    await page.close();
  }
  if (external.length) problems.push(`fetched from outside (no CDN allowed): ${[...new Set(external)].join(", ")}`);
  if (problems.length) throw new Error(`${file}:\n  ${problems.join("\n  ")}`);
  return { figures, ms: Date.now() - t0, blocked: [...new Set(blocked)] };
}
