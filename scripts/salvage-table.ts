// What recover gets back from damaged files, beside what h5py reads, per cut level:
//   node --import tsx scripts/salvage-table.ts [--seed 7] [--groups 20] [--keep]
// Writes, in a temp dir: the Python tool's worker files (h5py; make_worker_corpus.py: two in
// h5py's default format, one libver="latest", one with a user block), a 16-result wflo
// output (commit protocol + merge), writers SIGKILLed with their file open (with and without
// flush) and writers that closed after each group, SIGKILLed too; cuts the intact files at
// 10 %, 20 %, …, 90 %; runs h5py (one forked child per file, zero-padded copies of cut
// files) and `recover`, and checks every recovered value against what the writer wrote
// (the corpus writer's results are a pure function of seed and key; the wflo output's are
// its intact file's). Prints markdown tables (docs/store.md carries the last run's).
// Exit 1 if any recovered value differs from the writer's or recover misses a group h5py
// reads.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { spawnSync } from "node:child_process";
import { parseArgs, flag, numberOption } from "../src/cli/args.js";
import { commitResult, inspectFiles, mergeParts, recover, type GroupReport, type RecoverReport } from "../src/store/index.js";
import { scanHdf5 } from "../src/store/hdf5-scan.js";
import { h5pyGroupsAll, makeCorpus, MAKE_CORPUS, PYTHON } from "../test/fixtures/python/corpus.js";
import { record } from "../test/store/helpers.js";

const p = parseArgs(process.argv.slice(2), { seed: "value", groups: "value", keep: "flag" });
const seed = numberOption(p, "seed", { integer: true, min: 0 }) ?? 7;
const groups = numberOption(p, "groups", { integer: true, min: 4 }) ?? 20;
const CUTS = [10, 20, 30, 40, 50, 60, 70, 80, 90];
const dir = mkdtempSync(join(tmpdir(), "wflo-salvage-table-"));
let bad = 0;
const problem = (m: string) => { bad++; console.error(`PROBLEM: ${m}`); };

// --- writers -------------------------------------------------------------------------
const corpus = makeCorpus({ seed, dir: join(dir, "corpus"), groups, kills: 4, reopenKills: 4 });
const good = corpus.files.filter((f) => f.kind === "good").map((f) => join(corpus.dir, f.file));
const killed = corpus.files.filter((f) => f.kind === "killed");
const flips = corpus.files.filter((f) => f.kind === "bitflip").map((f) => join(corpus.dir, f.file));

const wfloOut = join(dir, "wflo", "layouts.h5");
mkdirSync(join(dir, "wflo"));
for (let s = 0; s < 16; s++) {
  // Farms 7 and 8: no key shared with the Python files (farms 0-5) recovered beside it.
  const r = record(s, { n: 16, farm: 7 + (s % 2), type: 0 });
  r.aepHistoryGWh = new Float64Array(40).map((_, i) => r.aepGWh - 40 + i);
  await commitResult(wfloOut, r);
}
await mergeParts(wfloOut, { root: { spec_json: JSON.stringify({ note: "salvage table" }), total_configs: 16 } });
const [wfloIntact] = await inspectFiles([wfloOut], { withRecords: true });
const wfloChecksum = new Map(wfloIntact.groups.map((g) => [g.key, g.record!.checksum!]));
const wfloBytes = readFileSync(wfloOut);
const wfloScan = scanHdf5(new Uint8Array(wfloBytes), { baseAddress: 0, sizeOfOffsets: 8, sizeOfLengths: 8 });

// An intact worker of the same run (farm 5, seeds 100+), for the "beside the run's other
// files" column: groups read by name there show how this writer's attributes name groups.
const sibling = join(dir, "sibling.h5");
{
  const code = `import sys; sys.path.insert(0, ${JSON.stringify(join(MAKE_CORPUS, ".."))})\n` +
    `from make_worker_corpus import write_good\n` +
    `write_good(${JSON.stringify(sibling)}, 9, [(5, 0, s) for s in range(100, 104)], ${seed})\n`;
  const w = spawnSync(PYTHON, ["-c", code], { encoding: "utf8" });
  if (w.status !== 0) throw new Error(`writing the sibling worker failed: ${w.stderr}`);
}

/** The corpus writer's layout and AEP of each key (make_worker_corpus.result_for). */
function writerTruth(keys: string[]): Map<string, { layout: number[]; aep: number }> {
  const code = `import json, sys; sys.path.insert(0, ${JSON.stringify(join(MAKE_CORPUS, ".."))})\n` +
    `from make_worker_corpus import result_for\n` +
    `out = {}\n` +
    `for k in json.loads(sys.argv[1]):\n` +
    `    f, t, s = k[4:].split('_t')[0], k.split('_t')[1].split('_s')[0], k.split('_s')[1]\n` +
    `    layout, aep, _ = result_for(${seed}, int(f), int(t), int(s))\n` +
    `    out[k] = {'layout': layout.ravel().tolist(), 'aep': float(aep)}\n` +
    `print(json.dumps(out))`;
  const r = spawnSync(PYTHON, ["-c", code, JSON.stringify(keys)], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`result_for failed: ${r.stderr}`);
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, { layout: number[]; aep: number }>));
}

async function outputGroups(rep: RecoverReport, out: string): Promise<GroupReport[]> {
  if (rep.recovered === 0) return [];
  const [r] = await inspectFiles([out], { withRecords: true });
  return r.groups;
}

/** Every Python-tool group of `gs` must be what the writer wrote under that key. */
function checkPython(gs: GroupReport[], where: string): void {
  const py = gs.filter((g) => !wfloChecksum.has(g.key));
  const truth = writerTruth(py.map((g) => g.key));
  for (const g of py) {
    const t = truth.get(g.key)!;
    const same = t.aep === g.record!.aepGWh && t.layout.length === g.record!.layout.length && t.layout.every((v, i) => v === g.record!.layout[i]);
    if (!same) problem(`${where}: ${g.key} recovered with data its writer did not write under that key`);
  }
}

// --- cut levels ----------------------------------------------------------------------
interface Row { h5py: number; alone: number; aloneDeep: number; beside: number; besideDeep: number; besideAttr: number; wBefore: number; wRec: number; wDeep: number }
const rows = new Map<number, Row>();
for (const pct of CUTS) {
  const alone = join(dir, `cut${pct}`), beside = join(dir, `cut${pct}-beside`);
  mkdirSync(alone); mkdirSync(beside);
  const cuts: string[] = [];
  for (const src of good) {
    const b = readFileSync(src);
    const name = basename(src).replace(/\.h5$/, `.cut${pct}.h5`);
    writeFileSync(join(alone, name), b.subarray(0, Math.floor((b.length * pct) / 100)));
    copyFileSync(join(alone, name), join(beside, name));
    cuts.push(name);
  }
  copyFileSync(sibling, join(beside, "sibling.h5"));
  const wCut = join(dir, "wflo", `layouts.cut${pct}.h5`);
  const wCutBytes = Math.floor((wfloBytes.length * pct) / 100);
  writeFileSync(wCut, wfloBytes.subarray(0, wCutBytes));

  const views = await h5pyGroupsAll(cuts.map((c) => join(alone, c)), 2);
  const recA = await recover([...cuts.map((c) => join(alone, c)), wCut], join(alone, "recovered.h5"));
  const recB = await recover([...cuts.map((c) => join(beside, c)), join(beside, "sibling.h5")], join(beside, "recovered.h5"));
  const outA = await outputGroups(recA, join(alone, "recovered.h5"));
  const outB = await outputGroups(recB, join(beside, "recovered.h5"));
  checkPython(outA, `cut ${pct} %`);
  checkPython(outB, `cut ${pct} % beside an intact worker`);
  const row: Row = { h5py: 0, alone: 0, aloneDeep: 0, beside: 0, besideDeep: 0, besideAttr: 0, wBefore: 0, wRec: 0, wDeep: 0 };
  const keysA = new Set(outA.map((g) => g.key));
  for (const [path, v] of views) {
    for (const [key, g] of Object.entries(v.groups)) {
      if (g.beyond_eof) continue;
      row.h5py++;
      if (!keysA.has(key)) problem(`${path}: h5py reads ${key}, recover lost it`);
    }
  }
  for (const f of recA.files) {
    if (f.path === wCut) { row.wRec = f.salvaged; row.wDeep = f.deepSalvaged; continue; }
    row.alone += f.salvaged; row.aloneDeep += f.deepSalvaged;
  }
  for (const f of recB.files) {
    if (basename(f.path) === "sibling.h5") continue;
    row.beside += f.salvaged; row.besideDeep += f.deepSalvaged; row.besideAttr += f.keyFromAttributes.length;
  }
  row.wBefore = wfloScan.groups.filter((g) => g.name && wfloChecksum.has(g.name) && g.coreEnd <= wCutBytes).length;
  for (const g of outA) {
    if (!wfloChecksum.has(g.key)) continue;
    if (g.record!.checksum !== wfloChecksum.get(g.key)) problem(`wflo output cut at ${pct} %: ${g.key} differs from the intact file`);
  }
  rows.set(pct, row);
  console.error(`cut ${pct} % done`);
}

// --- killed writers and bit flips ----------------------------------------------------
const killedPaths = killed.map((k) => join(corpus.dir, k.file));
const kViews = await h5pyGroupsAll(killedPaths, 2);
const kRep = await recover(killedPaths, join(dir, "killed-recovered.h5"));
checkPython(await outputGroups(kRep, join(dir, "killed-recovered.h5")), "killed writers");
const fViews = await h5pyGroupsAll(flips, 2);
const fRep = await recover([...flips], join(dir, "flips-recovered.h5"));
const fOut = await outputGroups(fRep, join(dir, "flips-recovered.h5"));
// A flip in raw data changes a value in h5py's reading too (these files carry no
// checksum), and a flip in a datatype message makes h5py scale every value (its exponent
// bias) where recover reads IEEE float64: recover's data must be h5py's, or nearer the
// writer's. A group h5py lists under a damaged name ("far}2_t1_s9") is no key: counted apart.
const fOutBy = new Map(fOut.map((g) => [g.key, g]));
const fTruth = writerTruth([...new Set([...fViews.values()].flatMap((v) => Object.keys(v.groups)).filter((k) => /^farm\d+_t\d+_s\d+$/.test(k)))]);
const off = (xs: ArrayLike<number>, t: number[]) => t.reduce((n, v, i) => n + (xs[i] === v ? 0 : 1), 0);
let damagedNames = 0;
for (const [path, v] of fViews) {
  for (const [key, g] of Object.entries(v.groups)) {
    if (g.beyond_eof) continue;
    if (!fTruth.has(key)) { damagedNames++; console.error(`note: ${path}: h5py lists ${key}: a damaged name, no key`); continue; }
    const o = fOutBy.get(key);
    const c = fRep.conflicts.find((x) => x.key === key);
    if (o) {
      const t = fTruth.get(key)!;
      if (off(o.record!.layout, t.layout) > off(g.layout.flat(), t.layout)) problem(`${path}: ${key}: recover's layout is farther from the writer's than h5py's`);
    } else if (!c?.variants.some((x) => x.sources.includes(path))) problem(`${path}: h5py reads ${key}, recover lost it`);
  }
}
// --- tables --------------------------------------------------------------------------
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`Cut files (seed ${seed}): the Python tool's 4 worker files of ${groups} groups each, and a 16-result wflo output.`);
console.log("");
console.log(`| cut | ${CUTS.map((c) => `${c} %`).join(" | ")} |`);
console.log(`|---|${CUTS.map(() => "---").join("|")}|`);
const line = (label: string, f: (r: Row) => string | number) => console.log(`| ${label} | ${CUTS.map((c) => pad(f(rows.get(c)!), 2)).join(" | ")} |`);
line("Python: h5py (zero-padded copy)", (r) => r.h5py);
line("Python: recover, files alone", (r) => r.alone);
line("… of which deep salvage", (r) => r.aloneDeep);
line("Python: recover beside an intact worker of the run", (r) => r.beside);
line("… of which deep salvage (key from attributes)", (r) => `${r.besideDeep} (${r.besideAttr})`);
line("wflo output: groups wholly before the cut", (r) => r.wBefore);
line("wflo output: recover", (r) => r.wRec);
line("… of which deep salvage", (r) => r.wDeep);
console.log("");
console.log("| killed writer | groups reported written | h5py reads | recover | of which deep salvage | unlabeled blocks (bytes) |");
console.log("|---|---|---|---|---|---|");
for (const k of killed) {
  const path = join(corpus.dir, k.file);
  const v = kViews.get(path)!;
  const f = kRep.files.find((x) => x.path === path)!;
  const how = k.detail.close_each ? "closed after each group" : k.detail.flush_each ? "kept open, flush after each group" : "kept open, never flushed";
  console.log(`| ${k.file} (${how}) | ${k.detail.groups_reported_written} | ${v.opened ? Object.values(v.groups).filter((g) => !g.beyond_eof).length : `0 (${v.signal ? `signal ${v.signal}` : "cannot open"})`} | ${f.salvaged} | ${f.deepSalvaged} | ${f.unlabeledBlocks} (${f.unlabeledBytes}) |`);
}
console.log("");
console.log("| bit flips | h5py reads | recover | of which deep salvage |");
console.log("|---|---|---|---|");
for (const path of flips) {
  const v = fViews.get(path)!;
  const f = fRep.files.find((x) => x.path === path)!;
  console.log(`| ${basename(path)} | ${v.opened ? Object.values(v.groups).length : `0 (${v.signal ? `signal ${v.signal}` : "cannot open"})`} | ${f.salvaged} | ${f.deepSalvaged} |`);
}
console.log(`(${damagedNames} group(s) h5py lists under a damaged name that is no key: recover reports them lost, with the reason)`);
console.log("");
console.log(bad === 0 ? "every recovered value is the writer's; recover ⊇ h5py everywhere" : `${bad} PROBLEMS (see stderr)`);
if (flag(p, "keep")) console.log(`kept ${dir}`); else rmSync(dir, { recursive: true, force: true });
process.exit(bad === 0 ? 0 : 1);
