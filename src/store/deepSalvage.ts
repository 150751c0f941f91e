/**
 * Deep salvage: results from a file whose group index is gone, read from the structures
 * that survive (hdf5-scan.ts) instead of from the root down.
 *
 * Two situations leave such files. A file cut short loses its end, and with it the root's
 * name heap and link storage, which HDF5 reallocates towards the end as the root grows,
 * while the object headers and data of the early groups lie intact before the cut. A writer
 * killed with the file open (h5py keeps metadata in its cache until close) leaves raw data
 * on disk and few or no headers: there is nothing to name the data by, so it is counted
 * (unlabeled blocks), never attributed.
 *
 * What is recovered is never guessed. A group counts only when its header, its `layout`
 * and `aep` headers and their raw data all lie within the bytes present; it is named by a
 * surviving link, else by its attributes farm_idx/type_idx/ss_seed ("key from attributes").
 * The values found are written into a fresh file and read back by the ordinary reader
 * (read.ts), so the same rules judge them as any other group: a wflo group must carry a
 * checksum its data hash to. A group whose attribute storage is partly lost, or that lacks
 * a checksum in a file whose other groups carry one, is reported lost: its checksum may be
 * among what is missing. Groups without a checksum (the Python tool's) must also look like
 * written data: finite values, a positive AEP, no two turbines at the same point (raw data
 * never written reads as zeros).
 */
import { mkdtempSync, openSync, readSync, closeSync, fstatSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withFile } from "./h5.js";
import { probeSuperblock } from "./hdf5-superblock.js";
import { scanHdf5, type RawGroup, type ScanGeometry } from "./hdf5-scan.js";
import { formatKey, isResultKey } from "./key.js";
import { isGoodStatus, type GroupReport } from "./read.js";
import { inspectFiles } from "./sandbox.js";
import { DTYPE, writeAttr } from "./schema.js";

/** Files larger than this are not read into memory for a deep scan. */
export const DEEP_SALVAGE_MAX_BYTES = 512 * 2 ** 20;

export interface DeepSalvageResult {
  path: string;
  /** Whether the bytes could be scanned at all. */
  scanned: boolean;
  /** Object headers recognised in the bytes. */
  headers: number;
  /** Intact groups read from surviving structures (records as the ordinary reader gives them). */
  groups: GroupReport[];
  /** Of `groups`, the keys named from attributes because no link to them survives. */
  keyFromAttributes: string[];
  /** Groups with their data present but neither a name nor key attributes left. */
  unnamed: number;
  /**
   * Groups with data and key attributes but no surviving name, not taken because the
   * writer's key attributes cannot be trusted to name them (see choose()); also in `lost`.
   */
  untrustedKeys: number;
  /** Result groups found whose data could not be read intact, and why. */
  lost: { key: string; reason: string }[];
  /** Runs of raw float64 data that no surviving structure refers to (see hdf5-scan.ts). */
  unlabeledBlocks: number;
  unlabeledBytes: number;
  errors: string[];
}

export interface DeepSalvageOptions {
  tmpDir?: string;
  timeoutMs?: number;
  /**
   * What groups read by name elsewhere (recover's other inputs beside the file: the same
   * run's workers) say about whether the writer's key attributes match its group names:
   * `agree` groups whose farm_idx/type_idx/ss_seed equal their name, `disagree` groups where
   * one differs or is not an integer. Joined with the same count over the file's own
   * surviving links.
   */
  keyAttrEvidence?: (path: string) => KeyAttrEvidence;
}

export interface KeyAttrEvidence {
  agree: number;
  disagree: number;
}

const DATASETS = ["layout", "aep", "aep_per_turbine", "layout_initial", "aep_history", "aep_history_iter"] as const;

/** Deep-salvages each path; never throws for damaged content. */
export async function deepSalvage(paths: string[], opts: DeepSalvageOptions = {}): Promise<DeepSalvageResult[]> {
  const out: DeepSalvageResult[] = [];
  const work = mkdtempSync(join(opts.tmpDir ?? tmpdir(), "wflo-deep-"));
  try {
    const rebuilt: { idx: number; file: string; viaAttrs: Set<string> }[] = [];
    for (const [i, path] of paths.entries()) {
      const r: DeepSalvageResult = {
        path, scanned: false, headers: 0, groups: [], keyFromAttributes: [], unnamed: 0, untrustedKeys: 0, lost: [],
        unlabeledBlocks: 0, unlabeledBytes: 0, errors: [],
      };
      out.push(r);
      const bytes = readBytes(path, r);
      if (!bytes) continue;
      const scan = scanHdf5(bytes, geometry(path));
      r.scanned = true;
      r.headers = scan.headers;
      r.unlabeledBlocks = scan.unlabeledBlocks;
      r.unlabeledBytes = scan.unlabeledBytes;
      const chosen = choose(scan.groups, r, opts.keyAttrEvidence?.(path) ?? { agree: 0, disagree: 0 });
      if (chosen.size === 0) continue;
      const file = join(work, `rebuilt-${i}.h5`);
      try {
        await withFile(file, "w", (f) => {
          for (const [key, g] of chosen) {
            const h = f.create_group(key);
            for (const name of DATASETS) {
              const ds = g.group.datasets.get(name);
              if (ds) h.create_dataset({ name, data: ds.data, shape: ds.shape, dtype: DTYPE.float64 });
            }
            for (const [name, a] of g.group.attrs) writeAttr(h, name, a.value, a.kind, true);
          }
        });
      } catch (err) {
        r.errors.push(`${path}: deep salvage could not write its scratch copy: ${(err as Error).message}`);
        continue;
      }
      rebuilt.push({ idx: i, file, viaAttrs: new Set([...chosen].filter(([, g]) => g.viaAttrs).map(([k]) => k)) });
    }
    if (rebuilt.length > 0) {
      const reports = await inspectFiles(rebuilt.map((b) => b.file), { withRecords: true, timeoutMs: opts.timeoutMs });
      for (const [k, b] of rebuilt.entries()) {
        const r = out[b.idx];
        for (const g of reports[k].groups) {
          const prefix = new RegExp(escapeRe(b.file), "g");
          g.problems = g.problems.map((p) => ({ field: p.field, message: p.message.replace(prefix, r.path) }));
          if (isGoodStatus(g.status) && g.record) {
            r.groups.push(g);
            if (b.viaAttrs.has(g.key)) r.keyFromAttributes.push(g.key);
          } else {
            r.lost.push({ key: g.key, reason: `${g.status}: ${g.problems[0]?.message.replace(`${r.path}: `, "") ?? "not intact"}` });
          }
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function readBytes(path: string, r: DeepSalvageResult): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const st = fstatSync(fd);
    if (!st.isFile()) { r.errors.push(`${path}: not a regular file`); return undefined; }
    if (st.size > DEEP_SALVAGE_MAX_BYTES) {
      r.errors.push(`${path}: ${st.size} bytes: larger than the deep scan reads (${DEEP_SALVAGE_MAX_BYTES} bytes); not scanned`);
      return undefined;
    }
    const b = new Uint8Array(st.size);
    let got = 0;
    while (got < b.length) {
      const n = readSync(fd, b, got, b.length - got, got);
      if (n <= 0) break;
      got += n;
    }
    return b.subarray(0, got);
  } catch (err) {
    r.errors.push(`${path}: cannot read for a deep scan: ${(err as Error).message}`);
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function geometry(path: string): ScanGeometry {
  try {
    const p = probeSuperblock(path);
    if (p.kind === "ok") return { baseAddress: p.superblock.baseAddress, sizeOfOffsets: p.superblock.sizeOfOffsets, sizeOfLengths: p.superblock.sizeOfLengths };
    // A superblock that does not parse: its base is where its signature is, and every
    // writer here uses 8-byte offsets and lengths.
    if (p.kind === "bad-superblock") return { baseAddress: p.signatureOffset, sizeOfOffsets: 8, sizeOfLengths: 8 };
  } catch { /* unreadable: scanned with the defaults, which then find nothing */ }
  return { baseAddress: 0, sizeOfOffsets: 8, sizeOfLengths: 8 };
}

function attrInt(g: RawGroup, name: string): number | undefined {
  const a = g.attrs.get(name);
  if (!a || a.kind !== "int64" || a.value < 0n || a.value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(a.value);
}

/**
 * One candidate per key. A header HDF5 moved (it grew) may leave its old copy on disk,
 * still passing its checksum: copies of one key with the same data are one result (the one
 * with the most attributes is kept); copies with different data are not salvaged.
 */
function choose(groups: RawGroup[], r: DeepSalvageResult, across: KeyAttrEvidence): Map<string, { group: RawGroup; viaAttrs: boolean }> {
  const anyChecksum = groups.some((g) => g.attrs.has("checksum"));
  const own = keyAttrEvidence(groups);
  const evidence = { agree: own.agree + across.agree, disagree: own.disagree + across.disagree };
  const byKey = new Map<string, { group: RawGroup; viaAttrs: boolean }[]>();
  for (const g of groups) {
    const named = g.name !== undefined && isResultKey(g.name);
    const hasData = g.datasets.has("layout") && g.datasets.has("aep");
    // The root, `_failed`, anything not a result; but a group with a result's data under a
    // name that is no key (a flipped byte in the name heap: "far}2_t1_s9") is as good as
    // unnamed, and its attributes may name it (under the same rules as below).
    if (g.name !== undefined && !named && !hasData) continue;
    let key = named ? g.name! : undefined;
    if (!key) {
      const f = attrInt(g, "farm_idx"), t = attrInt(g, "type_idx"), s = attrInt(g, "ss_seed");
      if (f !== undefined && t !== undefined && s !== undefined) key = formatKey({ farmIdx: f, typeIdx: t, seed: s });
    }
    if (!key) {
      // The root group of a file (no name, no key attributes, no data) is not a result.
      if (hasData) r.unnamed++;
      continue;
    }
    // A key from attributes is only as good as the writer's habits: the Python tool wrote
    // whatever its config dict held (farm_idx = 0 in group farm10_t0_s0), and such a group
    // would come back as another configuration's result, and could then even block the
    // genuine one as a conflict. Without a checksum to bind attributes and data (wflo
    // groups carry one, over farm_idx/type_idx/ss_seed too), the key is taken only when
    // groups read by name show this writer's key attributes match its names, and none
    // shows otherwise.
    if (!named && !g.attrs.has("checksum") && (evidence.disagree > 0 || evidence.agree === 0)) {
      r.untrustedKeys++;
      r.lost.push({
        key,
        reason: evidence.disagree > 0
          ? `no link to it survives, and the key its attributes give cannot be trusted: ${evidence.disagree} group(s) read by name carry farm_idx/type_idx/ss_seed that disagree with their names (nothing taken rather than a result under another configuration's key)`
          : "no link to it survives, and no group read by name shows that this writer's farm_idx/type_idx/ss_seed match its group names (nothing taken rather than a result under a possibly wrong key)",
      });
      continue;
    }
    const why = unusable(g, anyChecksum);
    if (why) { r.lost.push({ key, reason: why }); continue; }
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({ group: g, viaAttrs: !named });
  }
  const chosen = new Map<string, { group: RawGroup; viaAttrs: boolean }>();
  for (const [key, list] of byKey) {
    const first = list[0];
    if (list.some((c) => !sameData(c.group, first.group))) {
      r.lost.push({ key, reason: `${list.length} copies of its object header survive with different data; none is taken` });
      continue;
    }
    let best = first;
    for (const c of list) if (c.group.attrs.size > best.group.attrs.size || (!c.viaAttrs && best.viaAttrs)) best = c;
    chosen.set(key, { group: best.group, viaAttrs: list.every((c) => c.viaAttrs) });
  }
  return chosen;
}

/** Agreement of key attributes with group names over the groups whose link survives. */
export function keyAttrEvidence(groups: RawGroup[]): KeyAttrEvidence {
  const e = { agree: 0, disagree: 0 };
  for (const g of groups) {
    if (g.name === undefined || !isResultKey(g.name)) continue;
    const present = ["farm_idx", "type_idx", "ss_seed"].filter((n) => g.attrs.has(n));
    if (present.length === 0) continue;
    const f = attrInt(g, "farm_idx"), t = attrInt(g, "type_idx"), s = attrInt(g, "ss_seed");
    if (present.length === 3 && f !== undefined && t !== undefined && s !== undefined && formatKey({ farmIdx: f, typeIdx: t, seed: s }) === g.name) e.agree++;
    else e.disagree++;
  }
  return e;
}

function unusable(g: RawGroup, anyChecksum: boolean): string | undefined {
  const layout = g.datasets.get("layout"), aep = g.datasets.get("aep");
  if (!layout || !aep) {
    const missing = g.datasetProblems.find((p) => p.startsWith("layout") || p.startsWith("aep")) ?? "layout or aep not found";
    return `dataset ${missing}`;
  }
  if (!g.attrsComplete) return "part of its attribute storage is lost (its checksum may be among it)";
  if (g.attrProblems.some((p) => /checksum/.test(p))) return "its checksum attribute does not read";
  // An attribute whose value is lost (a string in a global heap past the cut, a message
  // cut short) would come back as a different record: the group is not taken.
  const lostAttr = g.attrProblems.find((p) => /is lost|does not parse/.test(p));
  if (lostAttr) return `${lostAttr.replace(/^attribute /, "attribute ")} (its value is not in the bytes present)`;
  if (g.attrs.has("checksum")) return undefined; // judged by its checksum when read back
  if (anyChecksum) return "no checksum attribute, while the file's other groups carry one";
  for (const v of layout.data) if (!Number.isFinite(v)) return "layout holds a non-finite value";
  const a = aep.data[0];
  if (aep.data.length === 1 && !Number.isFinite(a)) return `aep is ${a}: not a result`;
  if (aep.data.length !== 1 || a <= 0) return "aep is not a positive number (raw data never written reads as zero)";
  if (layout.shape.length === 2 && layout.shape[0] === 2) {
    const n = layout.shape[1];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const p = `${layout.data[i]},${layout.data[n + i]}`;
      if (seen.has(p)) return "two turbines at the same point (raw data never written reads as zeros)";
      seen.add(p);
    }
  }
  return undefined;
}

function sameData(a: RawGroup, b: RawGroup): boolean {
  for (const name of DATASETS) {
    const x = a.datasets.get(name), y = b.datasets.get(name);
    if (!x || !y) continue;
    if (x.data.length !== y.data.length) return false;
    for (let i = 0; i < x.data.length; i++) if (!Object.is(x.data[i], y.data[i])) return false;
  }
  return true;
}
