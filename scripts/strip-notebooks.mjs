#!/usr/bin/env node
// Strips what running a notebook adds (outputs, execution counts, Jupyter's trust and
// widget state) from notebooks/*.ipynb, so git holds the source only: a saved notebook is
// megabytes of figures and plotly.js, and differs on every run.
// usage: node scripts/strip-notebooks.mjs [--check] [FILE...]   (default: notebooks/*.ipynb)
//   --check: change nothing; list the notebooks that carry outputs, exit 1 if any.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(fileURLToPath(new URL(".", import.meta.url)), "..");

/** What in a notebook's JSON is not source: one line per finding (empty: clean). */
export function executionLeftovers(nb) {
  const found = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    if (c.outputs?.length) found.push(`cell ${i}: ${c.outputs.length} output${c.outputs.length === 1 ? "" : "s"}`);
    if (c.execution_count !== null && c.execution_count !== undefined) found.push(`cell ${i}: execution_count ${c.execution_count}`);
    for (const k of ["execution", "collapsed", "scrolled"]) if (c.metadata?.[k] !== undefined) found.push(`cell ${i}: metadata.${k}`);
  });
  for (const k of ["widgets", "signature"]) if (nb.metadata?.[k] !== undefined) found.push(`metadata.${k}`);
  return found;
}

export function strip(nb) {
  for (const c of nb.cells) {
    if (c.cell_type !== "code") continue;
    c.outputs = [];
    c.execution_count = null;
    for (const k of ["execution", "collapsed", "scrolled"]) delete c.metadata?.[k];
  }
  for (const k of ["widgets", "signature"]) delete nb.metadata?.[k];
  return nb;
}

export function notebookFiles() {
  const dir = join(repoRoot, "notebooks");
  return readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(dir, f));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const check = args.includes("--check");
  const files = args.filter((a) => a !== "--check");
  let dirty = 0;
  for (const f of files.length ? files : notebookFiles()) {
    const nb = JSON.parse(readFileSync(f, "utf8"));
    const found = executionLeftovers(nb);
    if (!found.length) continue;
    dirty++;
    if (check) console.error(`${f}: ${found.join("; ")}`);
    // nbformat's own layout (indent 1, a final newline): a stripped notebook diffs cleanly.
    else writeFileSync(f, JSON.stringify(strip(nb), null, 1) + "\n"), console.log(`stripped ${f}`);
  }
  process.exit(check && dirty ? 1 : 0);
}
