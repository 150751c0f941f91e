// Display bundles and their delivery to the kernel: plotly.js once per session (a gzip
// carrier), figures as one multi-mime message with a static SVG, progress updated in place, and tslab's internal writer
// found where the pinned tslab keeps it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import {
  DisplayHandle, ProgressDisplay, displayWriter, escapeHtml, figureBundle, htmlTable, plotlyCarrier, plotlyJs, plotlyJsTag, progressText, STATIC_HINT,
  resetPlotlyEmbedding, scriptJson, setDisplayWriter, show, textTable, windRoseFigure, PLOTLY_MIME, type DisplayWriter, type MimeBundle,
} from "../../src/notebook/index.js";

type Sent = { data: MimeBundle; transient: { display_id?: string }; update: boolean };
function capture(): { sent: Sent[]; writer: DisplayWriter } {
  const sent: Sent[] = [];
  return { sent, writer: (c, update) => sent.push({ data: c.data, transient: c.transient, update }) };
}

// The inert carrier of compressed plotly.js (the loader itself only names its type).
const CARRIER = /<script type="application\/x-wflo-plotly" data-wflo-plotly="\d+\.\d+\.\d+" data-encoding="gzip-base64">[A-Za-z0-9+\/=]+<\/script>/;

const fig = windRoseFigure({ directionsDeg: [0, 180], frequency: [1, 3], title: "a </script> title" });

test("a figure bundle: plotly JSON, HTML with a static image and a loader, the SVG, a text line", () => {
  const b = figureBundle(fig, { id: "abc" });
  assert.deepEqual(Object.keys(b).sort(), [PLOTLY_MIME, "image/svg+xml", "text/html", "text/plain"].sort());
  assert.deepEqual((b[PLOTLY_MIME] as { data: unknown }).data, JSON.parse(JSON.stringify(fig.data)));
  const html = b["text/html"] as string;
  assert.match(html, /<div class="wflo-figure" id="wflo-fig-abc"/);
  assert.match(html, /Plotly\.newPlot\(p, fig\.data, fig\.layout, fig\.config\)/);
  assert.doesNotMatch(html, CARRIER, "no plotly.js without opts.plotly");
  assert.doesNotMatch(html, /<script type="application\/x-wflo-plotly"/, "the loader never spells the carrier's markup");
  // The title's "</script>" must not end the script element early.
  assert.equal(html.match(/<\/script>/g)?.length, 1);
  assert.match(b["text/plain"] as string, /plotly figure "a <\/script> title": 1 trace \(barpolar\)/);
  assert.doesNotMatch(html, /https?:\/\//, "no URL: nothing is fetched");
  // The static image is the image/svg+xml part, inside an <img> (an untrusted page keeps
  // <img src="data:..."> but drops scripts and styles), with the one-line hint.
  const img = /<img alt="[^"]*" style="[^"]*" src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)">/.exec(html);
  assert.ok(img, "a static <img>");
  assert.equal(Buffer.from(img[1], "base64").toString("utf8"), b["image/svg+xml"]);
  assert.match(b["image/svg+xml"] as string, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<path d="M[^"]+Z" fill="#1f77b4"/);
  assert.ok(html.includes(escapeHtml(STATIC_HINT)));
  assert.doesNotMatch(STATIC_HINT, /\n/, "one line");
  const bare = figureBundle(fig, { id: "abd", staticImage: false });
  assert.deepEqual(Object.keys(bare).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
  assert.doesNotMatch(bare["text/html"] as string, /<div class="wflo-static">/);
});

test("the carrier is plotly.js from the npm package, gzip-compressed: it inflates to the library byte for byte", () => {
  const js = plotlyJs();
  const tag = plotlyCarrier(js);
  assert.match(tag, CARRIER);
  const b64 = tag.slice(tag.indexOf(">") + 1, tag.lastIndexOf("</script>"));
  assert.equal(gunzipSync(Buffer.from(b64, "base64")).toString("utf8"), js.code);
  assert.ok(b64.length < js.code.length / 2, `carrier ${b64.length} B against plotly.js ${js.code.length} B`);
});

test("scriptJson survives the HTML parser and round-trips", () => {
  const v = { s: "</script><!-- \u2028", n: [1, 2.5] };
  const j = scriptJson(v);
  assert.doesNotMatch(j, /<\/|<!--/);
  assert.deepEqual(JSON.parse(j), v);
});

test("plotly.js comes from the npm package, wrapped so AMD/CommonJS loaders cannot capture it", () => {
  const js = plotlyJs();
  const pkg = createRequire(import.meta.url)("plotly.js-dist-min/package.json") as { version: string };
  assert.equal(js.version, pkg.version);
  const tag = plotlyJsTag({ version: "9.9.9", code: 'var s = "<!--"; var t = "</script>"; window.Plotly = {};' });
  assert.match(tag, /^<script type="text\/javascript" data-wflo-plotly="9\.9\.9">/);
  assert.match(tag, /\(function \(module, exports, define\) \{/);
  assert.equal(tag.match(/<\/script>/g)?.length, 1, "the library's own </script> is escaped");
  assert.doesNotMatch(tag, /<!--/);
  // The wrapped code still runs and defines Plotly on the page's global object.
  const body = tag.slice(tag.indexOf(">") + 1, tag.lastIndexOf("</script>"));
  const win: { Plotly?: unknown; s?: string } = {};
  new Function("window", body)(win);
  assert.deepEqual(win.Plotly, {});
});

test("show(): plotly.js goes with the first figure of a session only; one message per figure", (t) => {
  const { sent, writer } = capture();
  setDisplayWriter(writer);
  t.after(() => setDisplayWriter(null));
  resetPlotlyEmbedding();
  show(fig);
  show(fig);
  assert.equal(sent.length, 2);
  const [first, second] = sent.map((s) => s.data["text/html"] as string);
  assert.match(first, CARRIER);
  assert.ok(first.length > 1_000_000, "the first figure carries plotly.js");
  assert.ok(first.length < 2_500_000, `compressed: ${first.length} characters, not plotly.js's 4.8 MB`);
  assert.doesNotMatch(second, CARRIER);
  assert.ok(second.length < 40_000, `${second.length} B without the carrier`);
  assert.notEqual(first.match(/id="(wflo-fig-[0-9a-f]+)"/)?.[1], second.match(/id="(wflo-fig-[0-9a-f]+)"/)?.[1], "unique div ids");
  assert.ok(sent.every((s) => !s.update && PLOTLY_MIME in s.data));
  show("<b>hi</b>");
  assert.deepEqual(sent[2].data, { "text/html": "<b>hi</b>", "text/plain": "hi" });
  assert.throws(() => show(42 as never), /expected a plotly figure/);
});

test("show() outside a kernel prints the text line and still embeds plotly.js later", (t) => {
  setDisplayWriter(null);
  resetPlotlyEmbedding();
  const lines: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stdout.write;
  try {
    show(fig);
  } finally {
    process.stdout.write = orig;
  }
  assert.match(lines.join(""), /plotly figure/);
  const { sent, writer } = capture();
  setDisplayWriter(writer);
  t.after(() => setDisplayWriter(null));
  show(fig);
  assert.match(sent[0].data["text/html"] as string, CARRIER, "printing to stdout did not count as embedding");
});

test("a display handle: first message creates, later ones update the same display_id", (t) => {
  const { sent, writer } = capture();
  setDisplayWriter(writer);
  t.after(() => setDisplayWriter(null));
  const h = new DisplayHandle();
  h.show({ "text/plain": "a" });
  setDisplayWriter(() => assert.fail("updates go through the writer of the cell that created the display"));
  h.show({ "text/plain": "b" });
  assert.deepEqual(sent.map((s) => [s.update, s.transient.display_id, s.data["text/plain"]]), [[false, h.id, "a"], [true, h.id, "b"]]);
});

test("progress display: throttled while running, the final state always sent", async (t) => {
  const { sent, writer } = capture();
  setDisplayWriter(writer);
  t.after(() => setDisplayWriter(null));
  const p = new ProgressDisplay({ total: 100 }, 50);
  for (let i = 1; i <= 100; i++) p.update({ phase: "running", done: i, elapsedS: i / 10 });
  assert.ok(sent.length <= 3, `throttled: ${sent.length} messages for 100 updates`);
  await new Promise((r) => setTimeout(r, 80));
  const afterTimer = sent.length;
  assert.match(sent[afterTimer - 1].data["text/plain"] as string, /running: 100\/100/, "the pending state is flushed by the timer");
  p.update({ phase: "finished", message: "stored in out.h5" });
  const last = sent[sent.length - 1];
  assert.equal(last.update, true);
  assert.match(last.data["text/html"] as string, /data-phase="finished" data-done="100" data-failed="0" data-skipped="0" data-total="100"/);
  assert.match(last.data["text/plain"] as string, /^finished: 100\/100 \(100 %\) · 100 ok · elapsed 10\.0 s\nstored in out\.h5$/);
  assert.ok(new Set(sent.map((s) => s.transient.display_id)).size === 1);
});

test("progress text: failures, resume and time left", () => {
  // Stored before the run (5) count towards the total; the rate is this run's (4 in 8 s).
  assert.equal(
    progressText({ phase: "running", total: 12, done: 3, failed: 1, skipped: 5, running: 2, elapsedS: 8 }),
    "running: 9/12 (75 %) · 3 ok · 1 failed · 5 already stored · 2 running · elapsed 8.0 s · about 6.0 s left",
  );
  assert.match(progressText({ phase: "running", total: 4, done: 1, failed: 0, elapsedS: 1, etaS: 30, detail: "best 400.0 GWh" }),
    /· best 400\.0 GWh · elapsed 1\.0 s · about 30\.0 s left$/);
  assert.match(progressText({ phase: "cancelled", total: 10, done: 3, failed: 0, elapsedS: 125 }), /cancelled: 3\/10 .* elapsed 2 min 5 s$/);
});

test("tables mark damaged rows in HTML and text", () => {
  const rows = [{ file: "a.h5", status: "ok" }, { file: "b<1>.h5", status: "truncated" }];
  const cols = [{ header: "file", value: (r: typeof rows[0]) => r.file }, { header: "status", value: (r: typeof rows[0]) => r.status }];
  const mark = (r: typeof rows[0]) => (r.status === "ok" ? undefined : ("bad" as const));
  const html = htmlTable(rows, cols, { mark, caption: "files" });
  assert.match(html, /<tr class="wflo-bad" style="background:#fbe3e4[^"]*"><td[^>]*>b&lt;1&gt;\.h5<\/td>/);
  assert.equal(html.match(/wflo-bad/g)?.length, 1);
  assert.equal(textTable(rows, cols, { mark }), "   file     status\n   a.h5     ok\n!! b<1>.h5  truncated");
});

test("the pinned tslab keeps its display writer where kernel.ts looks for it", (t) => {
  // tslab/dist/jupyter.js is not public API: this fails first if an upgrade moves it.
  const require = createRequire(import.meta.url);
  const jupyter = require("tslab/dist/jupyter.js") as { lastWriteDisplayData: DisplayWriter | null };
  assert.ok("lastWriteDisplayData" in jupyter);
  assert.equal(displayWriter(), null, "loaded, but no cell has run: no writer");
  const { sent, writer } = capture();
  jupyter.lastWriteDisplayData = writer;
  t.after(() => (jupyter.lastWriteDisplayData = null));
  show("<i>x</i>");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].data["text/html"], "<i>x</i>");
});
