// Figures survive everything a user does to a notebook, checked in Debian's Chromium on a
// real Jupyter Notebook 6 server (playwright-core): run, rerun the cell that carried
// plotly.js, Run All twice, save, reopen, rerun after reopening and save again, reopen a
// notebook saved without plotly.js (the kernelspec's copy is used), export to HTML
// (nbconvert) and open the export offline, open an untrusted copy. Every one of the 10
// figures draws each time, or, untrusted, shows its static image and the hint. Also
// measured (printed as diagnostics): the saved size, the time to the first figure, the
// longest main-thread block while the first figure loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ensureBuilt, jupyterBin, jupyterEnv, missingSystemTools, repoRoot } from "../../scripts/notebook-env.mjs";
import { checkExportedHtml, launchChromium, waitForFigures } from "../../scripts/notebook-browser.mjs";
import { carrierReady, firstFigureTimes, notebookTrusted, runCells, saveNotebook, startFigureClock, startNotebookServer, staticImages, waitForKernel } from "../../scripts/notebook-live.mjs";
import { STATIC_HINT } from "../../src/notebook/index.js";

const missing = missingSystemTools();
const skip = missing.length > 0 && process.env.CI !== "true"
  ? `missing ${missing.join(", ")}: run \`bash scripts/setup-system.sh\` to run the notebook tests`
  : false;

const FIGURES = 10;
// plotly.js's carrier in a notebook output (in the JSON of a saved notebook, quotes are escaped).
const CARRIER = /<script type="application\/x-wflo-plotly"[^>]*>[A-Za-z0-9+/=]+<\/script>\n?/;
const CARRIERS = /<script type=\\?"application\/x-wflo-plotly\\?"/g;
const code = (src: string) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: src });
const md = (src: string) => ({ cell_type: "markdown", metadata: {}, source: src });
// Ten figures of every kind wflo draws, small enough to build in milliseconds. Cell 2 has
// the first figure, so it carries plotly.js in a fresh kernel session.
const NOTEBOOK = {
  nbformat: 4, nbformat_minor: 5,
  metadata: { kernelspec: { name: "wflo", display_name: "wflo (TypeScript, tslab)", language: "typescript" } },
  cells: [
    md("# Ten figures"),
    code([
      'import * as wflo from "../dist/index.js";',
      "const { show } = wflo;",
      "const rose = { directionsDeg: [0, 45, 90, 135, 180, 225, 270, 315], frequency: [1, 2, 3, 4, 5, 4, 3, 2] };",
      "const xs = Array.from({ length: 30 }, (_, i) => 20 * i), ys = Array.from({ length: 12 }, (_, j) => 20 * j);",
      "const ws = xs.flatMap(() => ys.map((y) => 9 - 4 * Math.exp(-((y - 120) ** 2) / 2000)));",
      "const rows = [0, 1, 2, 3].flatMap((s) => [{ farm: 'A', turbineType: 'T1', aepGWh: 10 + s / 4 }, { farm: 'B', turbineType: 'T2', aepGWh: 9 + s / 3, initialAepGWh: 8.5 }]);",
    ].join("\n")),
    code([
      "show(wflo.windRoseFigure({ ...rose, title: 'wind rose' }));",
      "show(wflo.layoutFigure({ title: 'layout', boundary: { centerM: [0, 0], radiusM: 500 }, optimized: { x: [0, 200, -200], y: [0, 150, -100], aepGWh: [10, 11, 12] }, windRose: rose }));",
      "show(wflo.aepDistributionFigure(rows));",
      "show(wflo.aepGainFigure(rows));",
    ].join("\n")),
    code([
      "show(wflo.flowMapFigure([{ name: 'a', x: xs, y: ys, wsEffMs: ws }, { name: 'b', x: xs, y: ys, wsEffMs: ws }], { zminMs: 0, zmaxMs: 9 }));",
      "show(wflo.aepVsSpacingFigure([{ name: 'm', spacingD: [2, 4, 6], aepGWh: [9, 11, 12] }]));",
      "show(wflo.recoveryFigure([{ file: 'a.h5', salvaged: 3, lost: 1, status: 'truncated' }, { file: 'b.h5', salvaged: 4, lost: 0, status: 'ok' }]));",
    ].join("\n")),
    md("Three more."),
    code([
      "show(wflo.windRoseFigure({ ...rose, title: 'again' }));",
      "show(wflo.layoutFigure({ optimized: { x: [0, 300], y: [0, 0] } }));",
      "show(wflo.convergenceFigure([{ name: 'k', aepGWh: [1, 2, 2.5, 2.6] }]));",
    ].join("\n")),
  ],
};

/** Every figure in the page drew (plotly's svg) — the page's own count must be FIGURES. */
async function allDrawn(page: Page, what: string): Promise<void> {
  try {
    assert.equal(await waitForFigures(page, FIGURES, { timeoutMs: 30_000 }), FIGURES, `${what}: figures in the page`);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

type Output = { output_type: string; data?: { [mime: string]: string | string[] } };
function savedFigures(file: string): { outputs: Output[]; carriers: number; bytes: number } {
  const text = readFileSync(file, "utf8");
  const nb = JSON.parse(text) as { cells: { outputs?: Output[] }[] };
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["application/vnd.plotly.v1+json"]);
  return { outputs, carriers: text.match(CARRIERS)?.length ?? 0, bytes: statSync(file).size };
}

function checkSaved(file: string, what: string): number {
  const s = savedFigures(file);
  assert.equal(s.outputs.length, FIGURES, `${what}: figure outputs in the saved notebook`);
  assert.equal(s.carriers, 1, `${what}: the saved notebook carries plotly.js exactly once`);
  for (const o of s.outputs) {
    assert.ok(o.data!["image/svg+xml"], `${what}: every figure output has its static SVG`);
    assert.match([o.data!["text/html"]].flat().join(""), /<img alt="[^"]*" style="[^"]*" src="data:image\/svg\+xml;base64,/);
  }
  return s.bytes;
}

test("figures draw after run, rerun, Run All twice, save, reopen, export offline; untrusted shows static images", { skip, timeout: 150_000 }, async (t) => {
  ensureBuilt({ quiet: true });
  const work = mkdtempSync(join(tmpdir(), "wflo-figlive-"));
  const nbDir = join(work, "notebooks");
  mkdirSync(nbDir);
  symlinkSync(join(repoRoot, "dist"), join(work, "dist"));
  const file = join(nbDir, "figs.ipynb");
  writeFileSync(file, JSON.stringify(NOTEBOOK, null, 1));
  const server = await startNotebookServer(nbDir, join(work, ".jupyter-state"));
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });
  const notes: string[] = [];
  const pageErrors: string[] = [];
  const open = async (name: string) => {
    const page = await browser.context.newPage();
    page.on("pageerror", (e) => pageErrors.push(`${name}: ${e.message}`));
    await page.goto(server.url(`notebooks/${name}`), { waitUntil: "load" });
    return page;
  };

  // 1. A fresh kernel session: Run All. Timed from the request to the first drawn figure,
  // with the longest main-thread task (the freeze a 4.8 MB inline plotly.js caused).
  const page = await open("figs.ipynb");
  assert.equal(await waitForKernel(page), "tslab");
  await startFigureClock(page);
  await runCells(page);
  await allDrawn(page, "first Run All");
  const firstRun = await firstFigureTimes(page);
  assert.ok(firstRun.staticMs !== null && firstRun.firstMs !== null);
  notes.push(`first Run All: first static image ${firstRun.staticMs!.toFixed(0)} ms, first interactive figure ${firstRun.firstMs!.toFixed(0)} ms after Run All (4 cells), longest main-thread task ${firstRun.longestMs.toFixed(0)} ms`);

  // 2. Rerun the cell that carried plotly.js: its carrier is gone from the page and the model.
  await runCells(page, [2]);
  await allDrawn(page, "after rerunning the carrying cell");
  // 3. Run All, twice.
  await runCells(page);
  await runCells(page);
  await allDrawn(page, "after Run All twice");
  // 4. Save: the notebook on disk carries plotly.js once (put back by the save hook).
  await saveNotebook(page);
  const saved = checkSaved(file, "saved after reruns");
  notes.push(`saved with ${FIGURES} figures: ${(saved / 1e6).toFixed(2)} MB`);
  await page.close();

  // 5. Reopen: no cell runs, every figure draws from the saved notebook alone.
  const t0 = Date.now();
  const again = await open("figs.ipynb");
  await allDrawn(again, "reopened");
  notes.push(`reopened: all ${FIGURES} figures drawn ${Date.now() - t0} ms after opening the page`);
  assert.equal(await notebookTrusted(again), true, "saved by Notebook 6: trusted");
  // 6. Rerun the carrying cell in the reopened page (the kernel session does not embed
  // plotly.js again), save: still exactly one carrier.
  await waitForKernel(again);
  await runCells(again, [2]);
  await allDrawn(again, "reopened, carrying cell rerun");
  await saveNotebook(again);
  checkSaved(file, "saved after reopening and rerunning");
  await again.close();

  // 7. A notebook saved without plotly.js (by an older wflo, or edited by hand) and a kernel
  // session that already sent it: the loader takes the kernelspec's copy from the Jupyter
  // server, and the next save puts a carrier back.
  const nbJson = JSON.parse(readFileSync(file, "utf8"));
  for (const c of nbJson.cells) for (const o of c.outputs ?? []) {
    if (!o.data?.["text/html"]) continue;
    o.data["text/html"] = [o.data["text/html"]].flat().join("").replace(CARRIER, "");
  }
  writeFileSync(file, JSON.stringify(nbJson));
  assert.equal(savedFigures(file).carriers, 0);
  const trust = spawnSync(jupyterBin, ["trust", file], { env: jupyterEnv(join(work, ".jupyter-state")), encoding: "utf8", timeout: 30_000 });
  assert.equal(trust.status, 0, trust.stderr);
  const bare = await open("figs.ipynb");
  await allDrawn(bare, "reopened without plotly.js in the notebook");
  await carrierReady(bare);
  await saveNotebook(bare);
  checkSaved(file, "saved after plotly.js came from the kernelspec");
  await bare.close();

  // 8. Export to HTML with nbconvert; open it with the network cut off.
  const exp = spawnSync(jupyterBin, ["nbconvert", "--to", "html", "--output-dir", work, file], {
    env: jupyterEnv(join(work, ".jupyter-state")), encoding: "utf8", timeout: 60_000,
  });
  assert.equal(exp.status, 0, exp.stderr);
  const html = join(work, "figs.html");
  assert.equal(readFileSync(html, "utf8").match(CARRIERS)?.length, 1, "the export carries plotly.js once");
  const offline = await checkExportedHtml(browser.context, html, FIGURES);
  notes.push(`export offline: ${offline.figures} figures drawn in ${offline.ms} ms`);

  // 9. An untrusted copy (a notebook that came from elsewhere: its signature is unknown).
  const untrusted = JSON.parse(readFileSync(file, "utf8"));
  untrusted.cells[0].source = "# Ten figures, from a colleague";
  writeFileSync(join(nbDir, "shared.ipynb"), JSON.stringify(untrusted));
  const shared = await open("shared.ipynb");
  assert.equal(await notebookTrusted(shared), false, "the copy opens untrusted");
  const view = await staticImages(shared, FIGURES);
  assert.equal(view.images, FIGURES);
  assert.equal(view.drawn, 0, "untrusted: no script ran");
  assert.equal(view.texts.filter((h) => h.includes(STATIC_HINT)).length, FIGURES, "every static image has the hint");
  assert.ok(view.texts.every((h) => h.length < 400), "no carrier text leaks into the untrusted page");
  await shared.close();

  assert.deepEqual(pageErrors, [], "no script error in any page");
  t.diagnostic(notes.join("\n"));
});
