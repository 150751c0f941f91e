// The layering of src/, read from the code's own imports: physics <- layout <- batch -> store;
// figures over physics and layout; report, notebook and cli are faces over the rest. A new
// arrow that runs back up fails here, naming the file and the import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const src = resolve(import.meta.dirname, "../src");

/** Which areas each area may import from (itself always allowed). Top-level files: errors.ts
 *  is shared by all; index.ts (the public surface) and internal.ts (everything) may import anything. */
const allowed: Record<string, string[]> = {
  util: ["errors"],
  physics: ["errors", "util"],
  layout: ["physics", "errors", "util"],
  store: ["errors", "util"],
  batch: ["physics", "layout", "store", "errors", "util"],
  figures: ["physics", "layout", "errors", "util"],
  report: ["figures", "batch", "store", "physics", "layout", "errors", "util"],
  notebook: ["figures", "report", "batch", "store", "physics", "layout", "errors", "util", "index"],
  cli: ["notebook", "figures", "report", "batch", "store", "physics", "layout", "errors", "util", "index"],
  errors: [],
  index: ["*"],
  internal: ["*"],
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

function areaOf(file: string): string {
  const rel = relative(src, file).split(sep);
  return rel.length === 1 ? rel[0].replace(/\.ts$/, "") : rel[0];
}

/** Relative module specifiers of a file: static imports and re-exports, dynamic import(),
 *  and worker entry points given as new URL("./x.js", import.meta.url). */
export function importsOf(text: string): string[] {
  // Comments hold usage examples ("import … from '../dist/index.js'"): not imports.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /new\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1].startsWith(".")) out.push(m[1]);
  return out;
}

test("importsOf finds static, re-export, dynamic and worker-URL imports", () => {
  const text = `import { a } from "../physics/x.js";\nexport * from "./y.js";\nimport type {\n  B,\n} from "../store/z.js";\n` +
    `const m = await import("../notebook/w.js"); // import { q } from "../cli/q.js"\n/* import "../report/r.js" */\n` +
    `\nnew Worker(new URL("../cli/v.js", import.meta.url));\nimport "node:fs";`;
  assert.deepEqual(importsOf(text).sort(), ["../cli/v.js", "../notebook/w.js", "../physics/x.js", "../store/z.js", "./y.js"]);
});

test("no import runs against the layering of src/", () => {
  const files = walk(src);
  assert.ok(files.length > 50, `found only ${files.length} source files under ${src}`);
  const bad: string[] = [];
  for (const file of files) {
    const from = areaOf(file);
    const ok = allowed[from];
    if (!ok) { bad.push(`${relative(src, file)}: area "${from}" has no layering rule (add it to test/layering.test.ts)`); continue; }
    for (const spec of importsOf(readFileSync(file, "utf8"))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(src + sep)) continue;
      const to = areaOf(target.replace(/\.js$/, ".ts"));
      if (to === from || ok.includes("*") || ok.includes(to)) continue;
      bad.push(`${relative(src, file)} imports ${spec} (${from} -> ${to})`);
    }
  }
  assert.deepEqual(bad, [], `imports against the layering:\n${bad.join("\n")}`);
});
