#!/usr/bin/env node
// CI runner for notebooks/: executes every notebook headless (nbclient, a per-cell
// timeout, the whole run under an outer `timeout`), exports each to HTML (offline
// template), then opens the HTML in Debian's headless Chromium and checks that every
// figure drew and no cell errored. A failing cell's source and stderr are printed.
//
// usage: node scripts/run-notebooks.mjs [--out DIR] [--cell-timeout S] [--timeout S] [--dir DIR] [name-filter...]
//   --dir: run the notebooks of DIR instead of notebooks/ (tests use it for failing ones)
// exit: 0 all good, 1 a notebook failed, 2 missing tools or bad usage.
//
// The notebooks run from copies in a temporary folder beside a link to dist/, so a run
// never writes into notebooks/ and two runs (or a live session) do not share outputs.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureBuilt, jupyterEnv, missingSystemTools, pythonBin, repoRoot } from "./notebook-env.mjs";
import { checkExportedHtml, launchChromium } from "./notebook-browser.mjs";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

function parse(argv) {
  const o = { out: undefined, cellTimeout: 300, timeout: 900, dir: join(repoRoot, "notebooks"), filters: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--out") o.out = resolve(next());
    else if (a === "--cell-timeout") o.cellTimeout = Number(next());
    else if (a === "--timeout") o.timeout = Number(next());
    else if (a === "--dir") o.dir = resolve(next());
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else o.filters.push(a);
  }
  if (!(o.cellTimeout > 0) || !(o.timeout > 0)) throw new Error("--cell-timeout and --timeout take seconds > 0");
  return o;
}

/** Sets up a work folder: notebooks/ (copies) and dist -> the repo's dist. */
export function prepareWorkdir(names, from = join(repoRoot, "notebooks")) {
  const base = mkdtempSync(join(tmpdir(), "wflo-notebooks-"));
  mkdirSync(join(base, "notebooks"), { recursive: true });
  symlinkSync(join(repoRoot, "dist"), join(base, "dist"));
  for (const n of names) copyFileSync(join(from, n), join(base, "notebooks", n));
  // Small committed inputs the notebooks read (measurements, reference numbers): linked, not copied.
  if (existsSync(join(from, "data"))) symlinkSync(join(from, "data"), join(base, "notebooks", "data"));
  return base;
}

function figuresIn(ipynb) {
  const nb = JSON.parse(readFileSync(ipynb, "utf8"));
  let n = 0;
  for (const c of nb.cells) for (const o of c.outputs ?? []) if (o.output_type === "display_data" && o.data?.[PLOTLY_MIME]) n++;
  return n;
}

async function main() {
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`run-notebooks: ${e.message}`);
    return 2;
  }
  const missing = missingSystemTools();
  if (missing.length) {
    console.error(`run-notebooks: missing ${missing.join(", ")}: run \`bash scripts/setup-system.sh\``);
    return 2;
  }
  const names = readdirSync(o.dir).filter((f) => f.endsWith(".ipynb")).sort()
    .filter((f) => o.filters.length === 0 || o.filters.some((s) => f.includes(s)));
  if (names.length === 0) {
    console.error(`run-notebooks: no notebook matches ${o.filters.join(" ")}`);
    return 2;
  }
  ensureBuilt();
  const work = prepareWorkdir(names, o.dir);
  const out = o.out ?? join(work, "out");
  mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  // coreutils `timeout` bounds the whole execution; the kernel launcher exits when
  // python (its parent) is gone, so nothing outlives a timeout.
  const child = spawn("timeout", ["--kill-after=10", String(o.timeout), pythonBin, join(repoRoot, "scripts", "run-notebooks.py"),
    "--workdir", join(work, "notebooks"), "--out", out, "--cell-timeout", String(o.cellTimeout),
    ...names.map((n) => join(work, "notebooks", n))], {
    cwd: repoRoot, env: jupyterEnv(join(work, ".jupyter-state")), stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += d;
    process.stdout.write(d);
  });
  const code = await new Promise((r) => child.on("close", (c, sig) => r(c ?? (sig ? 128 : 1))));
  const execMs = Date.now() - t0;
  if (code === 124 || code === 137) {
    console.error(`run-notebooks: the run exceeded --timeout ${o.timeout} s and was killed; outputs so far in ${out}`);
    return 1;
  }
  if (code !== 0) {
    console.error(`run-notebooks: executed notebooks (up to the failure) in ${out}`);
    return 1;
  }
  const result = JSON.parse(stdout.split("\n").find((l) => l.startsWith("RESULT "))?.slice(7) ?? "[]");
  const b0 = Date.now();
  const browser = await launchChromium();
  let failed = 0;
  try {
    for (const r of result) {
      const expected = figuresIn(join(out, `${r.notebook}.ipynb`));
      try {
        const c = await checkExportedHtml(browser.context, join(out, `${r.notebook}.html`), expected);
        console.log(`ok ${r.notebook}.html in Chromium: ${c.figures} figures drew (${(c.ms / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        console.error(`FAILED in Chromium: ${e.message}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`notebooks: execute+export ${(execMs / 1000).toFixed(1)} s, browser check ${((Date.now() - b0) / 1000).toFixed(1)} s; outputs in ${out}`);
  if (!o.out && failed === 0) rmSync(work, { recursive: true, force: true });
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((c) => process.exit(c), (e) => {
    console.error(e);
    process.exit(1);
  });
}
