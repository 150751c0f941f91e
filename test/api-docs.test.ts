// The API reference (scripts/api-docs.mjs, `npm run docs`) is generated from the TSDoc
// comments of what src/index.ts exports; every link in it, in docs/ and in README resolves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
// @ts-expect-error: a plain .mjs script without declarations
import { anchors, brokenLinks, publicExports } from "../scripts/api-docs.mjs";
import * as wflo from "../src/index.js";

const root = resolve(import.meta.dirname, "..");

test("the API reference documents every public name and has no broken link", (t) => {
  const out = mkdtempSync(join(tmpdir(), "wflo-api-docs-"));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, [join(root, "scripts/api-docs.mjs"), "--out", out], { encoding: "utf8", cwd: root });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const pages = Object.fromEntries(readdirSync(out).map((f) => [join(out, f), readFileSync(join(out, f), "utf8")]));
  const all = Object.values(pages).join("\n");
  const sections: { entries: { name: string }[] }[] = publicExports(readFileSync(join(root, "src/index.ts"), "utf8"));
  const listed = new Set(sections.flatMap((s) => s.entries.map((e) => e.name)));
  for (const name of Object.keys(wflo)) {
    assert.ok(listed.has(name), `${name} is exported but the generator does not see it in src/index.ts`);
    assert.match(all, new RegExp(`^## ${name}$`, "m"), `${name} has no section in the API reference`);
  }
  assert.ok(all.includes("### notebook.runBatch"), "the notebook namespace's members are documented");
  assert.deepEqual(brokenLinks(pages), []);
});

test("links in README.md and docs/*.md resolve to files and headings", () => {
  const files = [join(root, "README.md"), ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join(root, "docs", f))];
  const pages = Object.fromEntries(files.map((f) => [f, readFileSync(f, "utf8")]));
  assert.deepEqual(brokenLinks(pages), []);
});

test("the link check finds a missing file and a missing heading", () => {
  const page = join(root, "docs", "x.md");
  assert.ok(anchors("# A b\n## `c` d\n").has("c-d"));
  assert.deepEqual(brokenLinks({ [page]: "[a](nope.md) [b](physics.md#no-such-heading) [c](https://example.org/x)" }).length, 2);
});
