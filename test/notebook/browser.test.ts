// The browser check of exported notebooks: a page whose figures draw offline passes; a
// figure without plotly.js, an error output, or anything fetched from the network fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { notebookTestSkip } from "../../scripts/notebook-env.mjs";
import { checkExportedHtml, launchChromium } from "../../scripts/notebook-browser.mjs";
import { figureHtml, plotlyJsTag, windRoseFigure } from "../../src/notebook/index.js";

const skip = notebookTestSkip({ jupyter: false });

const fig = windRoseFigure({ directionsDeg: [0, 90, 180, 270], frequency: [1, 2, 3, 4] });
const page = (body: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;

test("Chromium: figures draw offline from the embedded plotly.js; missing plotly.js, error outputs and network loads fail", { skip, timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-browser-"));
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, html: string) => {
    const p = join(dir, name);
    writeFileSync(p, html);
    return p;
  };

  // plotly.js first, then two figures (the second waits for nothing: Plotly is there).
  const good = write("good.html", page(plotlyJsTag() + figureHtml(fig, "a") + figureHtml(fig, "b")));
  const ok = await checkExportedHtml(browser.context, good, 2);
  assert.equal(ok.figures, 2);

  // A figure whose page has no plotly.js never draws.
  const bare = write("bare.html", page(figureHtml(fig, "c")));
  await assert.rejects(checkExportedHtml(browser.context, bare, 1, { timeoutMs: 3000 }), /expected 1 figures drawn, found 1 figures of which 0 drew/);

  // nbconvert marks stderr outputs; the check refuses them.
  const errored = write("errored.html", page(plotlyJsTag() + figureHtml(fig, "d") +
    '<div class="jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"><pre>Error: boom</pre></div>'));
  await assert.rejects(checkExportedHtml(browser.context, errored, 1), /error output: Error: boom/);

  // Anything from the network (a CDN) is blocked and reported.
  const cdn = write("cdn.html", page('<script src="https://cdn.example.invalid/plotly.min.js"></script>' + plotlyJsTag() + figureHtml(fig, "e")));
  await assert.rejects(checkExportedHtml(browser.context, cdn, 1), /fetched from outside \(no CDN allowed\): https:\/\/cdn\.example\.invalid\/plotly\.min\.js/);
});
