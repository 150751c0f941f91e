#!/usr/bin/env node
// API reference from the TSDoc comments: `npm run docs` writes docs/api/ (generated, not
// committed). TypeDoc needs TypeScript's JS API, which the native compiler this repository
// package.json names (typescript 7) does not ship; so this reads the declarations tsc emits (.d.ts) for
// the names src/index.ts exports — in its order and under its area headings — and writes one
// Markdown page per area: each name's doc comment and its declaration. `{@link X}` becomes a
// link when X is public. test/api-docs.test.ts runs it and checks every link.
//
//   node scripts/api-docs.mjs [--out docs/api] [--dts <dir of .d.ts, default: emitted to a temp dir>]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Declarations of `src/` as tsc emits them, into a temp dir (removed by the caller). */
function emitDeclarations() {
  const dir = mkdtempSync(join(tmpdir(), "wflo-dts-"));
  // The tsc `npm run build` runs (node_modules/.bin/tsc), so the pages describe what dist/ ships.
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const r = spawnSync(tsc, ["-p", join(root, "tsconfig.build.json"), "--emitDeclarationOnly", "--sourceMap", "false", "--outDir", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
  return dir;
}

/** The public names of src/index.ts, in order, grouped under its `// ---- area: text` headings. */
export function publicExports(indexText) {
  const sections = [];
  let cur;
  const code = indexText.replace(/\/\*[\s\S]*?\*\//g, "");
  const re = /^\/\/ ---- ([\w-]+): (.*)$|^export\s+(type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)";|^export \* as (\w+) from "([^"]+)";/gm;
  for (const m of code.matchAll(re)) {
    if (m[1]) { cur = { area: m[1], title: m[2], entries: [] }; sections.push(cur); continue; }
    if (!cur) { cur = { area: "api", title: "", entries: [] }; sections.push(cur); }
    if (m[6]) { cur.entries.push({ name: m[6], namespace: true, module: m[7] }); continue; }
    for (const part of m[4].split(",").map((s) => s.trim()).filter(Boolean)) {
      const p = part.replace(/^type\s+/, "");
      const [orig, alias] = p.split(/\s+as\s+/);
      cur.entries.push({ name: alias ?? orig, orig, module: m[5] });
    }
  }
  return sections;
}

function dtsPath(dtsDir, fromDir, spec) {
  return resolve(fromDir, spec).replace(/\.js$/, ".d.ts").replace(resolve(root, "src"), dtsDir);
}

/** The end of a declaration starting at `i`: the `;` or the closing brace at depth 0. */
function declarationEnd(text, i) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === "{" || c === "(" || c === "[" || c === "<") depth++;
    else if (c === "}" || c === ")" || c === "]" || c === ">") {
      if (c === ">" && text[j - 1] === "=") continue; // arrow
      depth--;
      if (depth === 0 && c === "}" && /^\s*(\n|$)/.test(text.slice(j + 1, j + 2))) {
        const rest = text.slice(j + 1);
        if (!/^\s*[|&]/.test(rest) && !/^\[\]/.test(rest)) return j + 1;
      }
    } else if (c === ";" && depth === 0) return j + 1;
  }
  return text.length;
}

/** Every declaration of `name` in a .d.ts file, following re-exports: [{doc, code}]. */
function findDeclaration(file, name, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return [];
  seen.add(file);
  const text = readFileSync(file, "utf8");
  const out = [];
  const re = new RegExp(String.raw`(\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?^export (?:declare )?(?:abstract )?(function|class|interface|type|const|let|enum|namespace) ${name}\b`, "gm");
  for (const m of text.matchAll(re)) {
    const start = m.index + (m[1]?.length ?? 0);
    const code = text.slice(start, declarationEnd(text, start)).trim();
    out.push({ doc: cleanDoc(m[2] ?? ""), code, kind: m[3] });
  }
  if (out.length) return out;
  for (const m of text.matchAll(/^export (?:type )?\{([^}]*)\} from "([^"]+)";/gm)) {
    for (const part of m[1].split(",").map((s) => s.trim().replace(/^type\s+/, ""))) {
      const [orig, alias] = part.split(/\s+as\s+/);
      if ((alias ?? orig) === name) return findDeclaration(resolve(dirname(file), m[2].replace(/\.js$/, ".d.ts")), orig, seen);
    }
  }
  // `import { a } from "./x.js"; export { a };`: the declaration is in x.
  for (const m of text.matchAll(/^import (?:type )?\{([^}]*)\} from "(\.[^"]+)";/gm)) {
    for (const part of m[1].split(",").map((s) => s.trim().replace(/^type\s+/, ""))) {
      const [orig, alias] = part.split(/\s+as\s+/);
      if ((alias ?? orig) === name && new RegExp(String.raw`^export (?:type )?\{[^}]*\b${name}\b`, "m").test(text)) {
        return findDeclaration(resolve(dirname(file), m[2].replace(/\.js$/, ".d.ts")), orig, seen);
      }
    }
  }
  for (const m of text.matchAll(/^export \* from "([^"]+)";/gm)) {
    const r = findDeclaration(resolve(dirname(file), m[1].replace(/\.js$/, ".d.ts")), name, seen);
    if (r.length) return r;
  }
  return [];
}

/** The runtime names a module exports (functions, classes, constants; re-exports included), in order. */
function namespaceMembers(file) {
  const text = readFileSync(file, "utf8");
  const names = [];
  for (const m of text.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)|^export \{([^}]*)\}/gm)) {
    if (m[1]) names.push(m[1]);
    else for (const part of m[2].split(",").map((x) => x.trim()).filter((x) => x && !x.startsWith("type "))) names.push(part.split(/\s+as\s+/).pop());
  }
  return [...new Set(names)];
}

function cleanDoc(raw) {
  return raw.split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n").trim();
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
}

/** Generates the pages; returns {files: {name: text}, missing: [names without a declaration], undocumented: [...]}. */
export function generate({ dtsDir }) {
  const sections = publicExports(readFileSync(join(root, "src/index.ts"), "utf8"));
  const srcDir = join(root, "src");
  const where = new Map(); // public name -> page#anchor
  for (const s of sections) for (const e of s.entries) where.set(e.name, `${s.area}.md#${slug(e.name)}`);
  const link = (text, page) => text.replace(/\{@link\s+([\w.]+)(?:\s*\|\s*([^}]+))?\}/g, (_, target, label) => {
    const t = where.get(target.split(".")[0]);
    const shown = `\`${label ?? target}\``;
    if (!t) return shown;
    return t.startsWith(`${page}#`) ? `[${shown}](${t.slice(page.length)})` : `[${shown}](${t})`;
  });
  const files = {};
  const missing = [], undocumented = [];
  const index = ["# wflo API", "", "Generated from the TSDoc comments of what `src/index.ts` exports (`npm run docs`).",
    "Everything else is in `wflo/internal`, without a promise to stay.", ""];
  for (const s of sections) {
    const page = `${s.area}.md`;
    index.push(`- [${s.area}](${page}): ${s.title}`);
    const lines = [`# ${s.area}`, "", s.title, "", "[all areas](index.md)", ""];
    const seenNames = new Set();
    for (const e of s.entries) {
      if (seenNames.has(e.name)) continue;
      seenNames.add(e.name);
      lines.push(`## ${e.name}`, "");
      if (e.namespace) {
        const file = dtsPath(dtsDir, srcDir, e.module);
        const doc = /^\/\*\*([\s\S]*?)\*\//.exec(readFileSync(join(srcDir, e.module.replace(/\.js$/, ".ts")), "utf8"));
        if (doc) lines.push(link(cleanDoc(doc[1]), page), "");
        const members = namespaceMembers(file);
        lines.push(`Members: ${members.map((n) => `[\`${e.name}.${n}\`](#${slug(`${e.name}.${n}`)})`).join(", ")}.`, "");
        for (const n of members) {
          lines.push(`### ${e.name}.${n}`, "");
          const decls = findDeclaration(file, n);
          if (decls.length === 0) { missing.push(`${e.name}.${n} (${e.module})`); continue; }
          const d = decls.map((x) => x.doc).filter(Boolean)[0];
          if (d) lines.push(link(d, page), "");
          else undocumented.push(`${e.name}.${n}`);
          lines.push("```ts", ...decls.map((x) => x.code), "```", "");
        }
        continue;
      }
      const decls = findDeclaration(dtsPath(dtsDir, srcDir, e.module), e.orig);
      if (decls.length === 0) { missing.push(`${e.name} (${e.module})`); lines.push("(declaration not found)", ""); continue; }
      const doc = decls.map((d) => d.doc).filter(Boolean)[0];
      if (doc) lines.push(link(doc, page), "");
      else undocumented.push(e.name);
      lines.push("```ts", ...decls.map((d) => d.code), "```", "");
    }
    files[page] = lines.join("\n");
  }
  files["index.md"] = index.join("\n") + "\n";
  return { files, missing, undocumented };
}

/** Markdown links `[text](target)` of a page that are not web addresses. */
export function localLinks(markdown) {
  const code = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
  return [...code.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

/** Anchors a Markdown page defines (its headings, GitHub-style; repeated headings get -1, -2, …). */
export function anchors(markdown) {
  const out = new Set();
  const counts = new Map();
  for (const m of markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const s = slug(m[1].replace(/`/g, ""));
    const n = counts.get(s) ?? 0;
    counts.set(s, n + 1);
    out.add(n === 0 ? s : `${s}-${n}`);
  }
  return out;
}

/** Broken links of `pages` ({path: text}); targets are resolved against each page's directory, then the disk. */
export function brokenLinks(pages) {
  const bad = [];
  for (const [path, text] of Object.entries(pages)) {
    for (const target of localLinks(text)) {
      const [file, anchor] = target.split("#");
      const dest = file ? resolve(dirname(path), decodeURI(file)) : path;
      const destText = pages[dest] ?? (existsSync(dest) ? (dest.endsWith(".md") ? readFileSync(dest, "utf8") : "") : undefined);
      if (destText === undefined) { bad.push(`${path}: ${target} (no such file)`); continue; }
      if (anchor && dest.endsWith(".md") && !anchors(destText).has(anchor)) bad.push(`${path}: ${target} (no heading #${anchor})`);
    }
  }
  return bad;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outDir = resolve(args.includes("--out") ? args[args.indexOf("--out") + 1] : join(root, "docs/api"));
  const given = args.includes("--dts") ? resolve(args[args.indexOf("--dts") + 1]) : undefined;
  const dtsDir = given ?? emitDeclarations();
  try {
    const { files, missing, undocumented } = generate({ dtsDir });
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
    const pages = Object.fromEntries(Object.entries(files).map(([n, t]) => [join(outDir, n), t]));
    const bad = brokenLinks(pages);
    console.log(`api docs: ${Object.keys(files).length} pages in ${outDir}; ${undocumented.length} names without a doc comment`);
    if (missing.length) console.error(`declarations not found: ${missing.join(", ")}`);
    if (bad.length) console.error(`broken links:\n${bad.join("\n")}`);
    process.exitCode = missing.length || bad.length ? 1 : 0;
  } finally {
    if (!given) rmSync(dtsDir, { recursive: true, force: true });
  }
}
