/**
 * Deep scan of HDF5 bytes: what survives of a file's structures when its group index does
 * not (a file cut short after its root's name heap moved to the end, a writer killed with
 * metadata in its cache). The HDF5 library opens a file from its root down and gives up at
 * the first broken link; this reads the file the other way round, from every structure it
 * can recognise by itself:
 *
 * - object headers version 2 ("OHDR", lookup3 checksum: a header that passes is intact)
 *   and version 1 (no signature: found at the addresses symbol-table nodes name, and by a
 *   byte scan whose hits count only if every message parses and the sizes add up exactly);
 * - symbol-table nodes ("SNOD") with the local heap ("HEAP") of their group and its B-tree
 *   ("TREE"), the v1 groups h5py writes by default;
 * - link and attribute messages, compact (in the header) or dense (objects of a fractal
 *   heap's direct blocks, "FHDB", matched to their heap by the header address they carry);
 * - global heap collections ("GCOL") for variable-length strings.
 *
 * Nothing here guesses a value: a dataset is read only when its header parses, its type is
 * float64, and its raw data lies wholly inside the bytes present; an attribute only when
 * its message parses whole. Anything else is reported as a problem, not filled in. Reading
 * is bounded by the bytes given (every offset is checked) and never throws.
 *
 * Reference: the HDF5 File Format Specification, version 3.0 (sections III.A–IV.A.2).
 */
import { lookup3 } from "./hdf5-superblock.js";

export type RawAttrValue = { kind: "int64"; value: bigint } | { kind: "float64"; value: number } | { kind: "string"; value: string };

export interface RawDataset {
  shape: number[];
  data: Float64Array;
  /** Absolute byte range of the raw data (contiguous) or of the header (compact). */
  dataStart: number;
  dataEnd: number;
}

export interface RawGroup {
  /** Absolute offset of the group's object header. */
  addr: number;
  /** Its name as a parent group's link or symbol table gives it, when one survives. */
  name?: string;
  attrs: Map<string, RawAttrValue>;
  /** Attributes present but not read (non-scalar, unsupported type, cut short). */
  attrProblems: string[];
  datasets: Map<string, RawDataset>;
  /** Children named but not read (header missing, not float64, data past the end…). */
  datasetProblems: string[];
  /** Whether the group's own attribute storage was all found (dense storage may be partly lost). */
  attrsComplete: boolean;
  /** Last byte (exclusive) of every structure this group's reading used. */
  end: number;
  /**
   * Last byte (exclusive) of the group's object header (with the global-heap strings its
   * attributes hold) and its datasets' headers and data: what reading it back needs.
   */
  coreEnd: number;
}

export interface ScanResult {
  groups: RawGroup[];
  /** Object headers recognised (both versions). */
  headers: number;
  /**
   * Runs of raw bytes not used by any structure found, that read as plausible float64
   * values (finite, |v| < 1e15, not all zero), each at least 4 values long: data blocks
   * whose metadata never reached the disk. Counted, never attributed to a group.
   */
  unlabeledBlocks: number;
  /** Bytes in those runs. */
  unlabeledBytes: number;
  /** Where the first runs lie (absolute [start, end) byte ranges, at most 1,000). */
  unlabeledRuns: [number, number][];
}

const UNDEF = -1;

interface Ctx {
  d: Uint8Array;
  v: DataView;
  base: number;
  so: number; // size of offsets
  sl: number; // size of lengths
  /** Byte ranges known to be structure or referenced data (for the unlabeled count). */
  used: [number, number][];
}

interface Msg { type: number; start: number; end: number }

interface Header {
  addr: number;
  version: 1 | 2;
  msgs: Msg[];
  end: number;
  ranges: [number, number][];
}

function uint(c: Ctx, p: number, n: number): number {
  if (p < 0 || p + n > c.d.length) return NaN;
  let allOnes = true;
  let x = 0;
  for (let i = n - 1; i >= 0; i--) {
    const b = c.d[p + i];
    if (b !== 0xff) allOnes = false;
    x = x * 256 + b;
  }
  if (allOnes && n >= 4) return UNDEF;
  return x;
}

/** An address field, made absolute; UNDEF for HDF5's undefined address, NaN when out of the bytes. */
function addr(c: Ctx, p: number): number {
  const a = uint(c, p, c.so);
  if (Number.isNaN(a) || a === UNDEF) return a;
  return a + c.base;
}

function inBytes(c: Ctx, p: number, n = 1): boolean {
  return Number.isInteger(p) && p >= 0 && n >= 0 && p + n <= c.d.length;
}

function sig(c: Ctx, p: number, s: string): boolean {
  if (!inBytes(c, p, 4)) return false;
  for (let i = 0; i < 4; i++) if (c.d[p + i] !== s.charCodeAt(i)) return false;
  return true;
}

function cstring(c: Ctx, p: number, max: number): string | undefined {
  const end = Math.min(c.d.length, p + max);
  for (let i = p; i < end; i++) {
    if (c.d[i] === 0) return utf8(c.d.subarray(p, i));
  }
  return undefined;
}

const decoder = new TextDecoder("utf-8", { fatal: false });
function utf8(b: Uint8Array): string {
  return decoder.decode(b);
}

function findAll(d: Uint8Array, s: string): number[] {
  const out: number[] = [];
  const b0 = s.charCodeAt(0), b1 = s.charCodeAt(1), b2 = s.charCodeAt(2), b3 = s.charCodeAt(3);
  for (let i = d.indexOf(b0); i >= 0 && i + 4 <= d.length; i = d.indexOf(b0, i + 1)) {
    if (d[i + 1] === b1 && d[i + 2] === b2 && d[i + 3] === b3) out.push(i);
  }
  return out;
}

const KNOWN_MSG_MAX = 0x18;

// ---------------------------------------------------------------- object headers

function parseV1Messages(c: Ctx, start: number, len: number, msgs: Msg[], want: number): boolean {
  let p = start;
  const end = start + len;
  if (!inBytes(c, start, len)) return false;
  while (p + 8 <= end && msgs.length < want) {
    const type = uint(c, p, 2), size = uint(c, p + 2, 2);
    if (type > KNOWN_MSG_MAX || size % 8 !== 0 || p + 8 + size > end) return false;
    msgs.push({ type, start: p + 8, end: p + 8 + size });
    p += 8 + size;
  }
  return p === end || msgs.length === want;
}

function parseHeaderV1(c: Ctx, a: number): Header | undefined {
  if (!inBytes(c, a, 16) || c.d[a] !== 1 || c.d[a + 1] !== 0) return undefined;
  const nmsgs = uint(c, a + 2, 2), refs = uint(c, a + 4, 4), hsize = uint(c, a + 8, 4);
  if (nmsgs < 1 || nmsgs > 4096 || refs < 1 || refs > 1 << 20 || hsize < 8 || hsize % 8 !== 0 || hsize > 1 << 20) return undefined;
  const msgs: Msg[] = [];
  if (!parseV1Messages(c, a + 16, hsize, msgs, nmsgs)) return undefined;
  const ranges: [number, number][] = [[a, a + 16 + hsize]];
  // Continuation blocks: raw message lists elsewhere in the file.
  for (let i = 0; i < msgs.length && msgs.length < nmsgs; i++) {
    const m = msgs[i];
    if (m.type !== 0x10) continue;
    const at = addr(c, m.start), len = uint(c, m.start + c.so, c.sl);
    if (!(at >= 0) || !(len > 0) || !inBytes(c, at, len)) return { addr: a, version: 1, msgs, end: maxEnd(ranges), ranges };
    if (!parseV1Messages(c, at, len, msgs, nmsgs)) return undefined;
    ranges.push([at, at + len]);
  }
  return { addr: a, version: 1, msgs, end: maxEnd(ranges), ranges };
}

function parseV2Messages(c: Ctx, start: number, end: number, tracked: boolean, msgs: Msg[]): boolean {
  const hl = tracked ? 6 : 4;
  let p = start;
  while (p + hl <= end) {
    const type = c.d[p], size = uint(c, p + 1, 2);
    if (type > KNOWN_MSG_MAX || p + hl + size > end) return false;
    msgs.push({ type, start: p + hl, end: p + hl + size });
    p += hl + size;
  }
  return true;
}

function checksumOk(c: Ctx, start: number, end: number): boolean {
  if (!inBytes(c, start, end - start + 4)) return false;
  return lookup3(c.d.subarray(start, end)) === c.v.getUint32(end, true);
}

function parseHeaderV2(c: Ctx, a: number): Header | undefined {
  if (!sig(c, a, "OHDR") || c.d[a + 4] !== 2) return undefined;
  const flags = c.d[a + 5];
  let q = a + 6;
  if (flags & 0x20) q += 16;
  if (flags & 0x10) q += 4;
  const w = 1 << (flags & 3);
  const size = uint(c, q, w);
  q += w;
  if (!(size >= 0) || !inBytes(c, q, size + 4) || !checksumOk(c, a, q + size)) return undefined;
  const msgs: Msg[] = [];
  const tracked = (flags & 0x04) !== 0;
  if (!parseV2Messages(c, q, q + size, tracked, msgs)) return undefined;
  const ranges: [number, number][] = [[a, q + size + 4]];
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (m.type !== 0x10) continue;
    const at = addr(c, m.start), len = uint(c, m.start + c.so, c.sl);
    // A continuation block lost (past the cut) leaves the messages read so far: the caller
    // decides whether what it needs is among them.
    if (!(at >= 0) || !(len >= 8) || !sig(c, at, "OCHK") || !checksumOk(c, at, at + len - 4)) continue;
    if (!parseV2Messages(c, at + 4, at + len - 4, tracked, msgs)) continue;
    ranges.push([at, at + len]);
  }
  return { addr: a, version: 2, msgs, end: maxEnd(ranges), ranges };
}

function maxEnd(r: [number, number][]): number {
  let e = 0;
  for (const [, b] of r) e = Math.max(e, b);
  return e;
}

// ---------------------------------------------------------------- messages

interface Dataspace { shape: number[]; count: number }

function parseDataspace(c: Ctx, p: number, end: number): Dataspace | undefined {
  const ver = c.d[p], rank = c.d[p + 1], flags = c.d[p + 2];
  let q: number;
  if (ver === 1) q = p + 8;
  else if (ver === 2) {
    const type = c.d[p + 3];
    if (type === 2) return { shape: [], count: 0 };
    if (type === 0) return { shape: [], count: 1 };
    q = p + 4;
  } else return undefined;
  if (rank > 32 || q + rank * c.sl * ((flags & 1) ? 2 : 1) > end) return undefined;
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const n = uint(c, q + i * c.sl, c.sl);
    if (!(n >= 0) || n > 2 ** 40) return undefined;
    shape.push(n);
    count *= n;
  }
  return { shape, count };
}

type Dtype =
  | { cls: "float"; size: number; le: boolean }
  | { cls: "int"; size: number; le: boolean; signed: boolean }
  | { cls: "fstring"; size: number }
  | { cls: "vstring" }
  | { cls: "other"; size: number; what: string };

function parseDatatype(c: Ctx, p: number, end: number): Dtype | undefined {
  if (p + 8 > end) return undefined;
  const cls = c.d[p] & 0x0f, b1 = c.d[p + 1], size = uint(c, p + 4, 4);
  switch (cls) {
    case 0: return { cls: "int", size, le: (b1 & 1) === 0, signed: (b1 & 8) !== 0 };
    case 1: return { cls: "float", size, le: (b1 & 1) === 0 };
    case 3: return { cls: "fstring", size };
    case 9: return (b1 & 0x0f) === 1 ? { cls: "vstring" } : { cls: "other", size, what: "variable-length sequence" };
    default: return { cls: "other", size, what: `HDF5 type class ${cls}` };
  }
}

function dtypeSize(c: Ctx, t: Dtype): number {
  return t.cls === "vstring" ? 4 + c.so + 4 : t.size;
}

interface Layout { kind: "compact" | "contiguous"; start: number; size: number }

function parseLayout(c: Ctx, p: number, end: number): Layout | string {
  const ver = c.d[p];
  if (ver !== 3 && ver !== 4) return `data layout message version ${ver}`;
  const cls = c.d[p + 1];
  if (cls === 0) {
    const size = uint(c, p + 2, 2);
    if (p + 4 + size > end) return "compact data cut short";
    return { kind: "compact", start: p + 4, size };
  }
  if (cls === 1) {
    const at = addr(c, p + 2), size = uint(c, p + 2 + c.so, c.sl);
    if (at === UNDEF) return "raw data never allocated";
    if (!(at >= 0) || !(size >= 0)) return "raw data address out of the file";
    return { kind: "contiguous", start: at, size };
  }
  return cls === 2 ? "chunked storage (not read by deep salvage)" : `layout class ${cls}`;
}

interface Attr { name: string; value?: RawAttrValue; problem?: string; end: number; heapEnd?: number }

/** Parses an attribute message at p (in a header or a fractal heap); undefined when it does not parse. */
function parseAttribute(c: Ctx, p: number, limit: number, gheaps: GlobalHeaps): Attr | undefined {
  if (!inBytes(c, p, 8)) return undefined;
  const ver = c.d[p];
  if (ver < 1 || ver > 3 || (ver < 3 && c.d[p + 1] !== 0 && ver === 1)) return undefined;
  const nameSize = uint(c, p + 2, 2), dtSize = uint(c, p + 4, 2), dsSize = uint(c, p + 6, 2);
  if (nameSize < 1 || nameSize > 65535 || dtSize < 8 || dsSize < 4) return undefined;
  const pad = (n: number) => (ver === 1 ? Math.ceil(n / 8) * 8 : n);
  let q = p + (ver === 3 ? 9 : 8);
  const nameAt = q;
  q += pad(nameSize);
  const dtAt = q;
  q += pad(dtSize);
  const dsAt = q;
  q += pad(dsSize);
  if (q > limit || !inBytes(c, nameAt, nameSize) || c.d[nameAt + nameSize - 1] !== 0) return undefined;
  const name = utf8(c.d.subarray(nameAt, nameAt + nameSize - 1));
  const t = parseDatatype(c, dtAt, dtAt + dtSize);
  const s = parseDataspace(c, dsAt, dsAt + dsSize);
  if (!t || !s) return undefined;
  const esize = dtypeSize(c, t);
  const dataLen = esize * s.count;
  if (!(dataLen >= 0) || q + dataLen > limit || !inBytes(c, q, dataLen)) return undefined;
  const end = q + dataLen;
  if (s.count !== 1) return { name, problem: `attribute ${name} has ${s.count} elements; only scalars are salvaged`, end };
  const val = scalarValue(c, t, q, gheaps);
  if (typeof val === "string") return { name, problem: `attribute ${name}: ${val}`, end };
  // A variable-length string lives in a global heap: part of what the group needs.
  const heapEnd = t.cls === "vstring" ? heapObjectEnd(c, q, gheaps) : undefined;
  return { name, value: val, end, heapEnd };
}

function heapObjectEnd(c: Ctx, p: number, gheaps: GlobalHeaps): number | undefined {
  const obj = gheaps.get(addr(c, p + 4))?.get(uint(c, p + 4 + c.so, 4));
  return obj ? obj.byteOffset - c.d.byteOffset + obj.length : undefined;
}

function scalarValue(c: Ctx, t: Dtype, p: number, gheaps: GlobalHeaps): RawAttrValue | string {
  switch (t.cls) {
    case "int": {
      if (!t.le || t.size < 1 || t.size > 8) return "big-endian or odd-sized integer";
      let x = 0n;
      for (let i = t.size - 1; i >= 0; i--) x = (x << 8n) | BigInt(c.d[p + i]);
      if (t.signed && c.d[p + t.size - 1] & 0x80) x -= 1n << BigInt(8 * t.size);
      return { kind: "int64", value: x };
    }
    case "float":
      if (!t.le) return "big-endian float";
      if (t.size === 8) return { kind: "float64", value: c.v.getFloat64(p, true) };
      if (t.size === 4) return { kind: "float64", value: c.v.getFloat32(p, true) };
      return `float of ${t.size} bytes`;
    case "fstring": {
      const b = c.d.subarray(p, p + t.size);
      let n = b.indexOf(0);
      if (n < 0) n = b.length;
      return { kind: "string", value: utf8(b.subarray(0, n)).replace(/ +$/, "") };
    }
    case "vstring": {
      const len = uint(c, p, 4), col = addr(c, p + 4), idx = uint(c, p + 4 + c.so, 4);
      const obj = gheaps.get(col)?.get(idx);
      if (!obj || obj.length < len) return "variable-length string whose global heap is lost";
      return { kind: "string", value: utf8(obj.subarray(0, len)) };
    }
    default:
      return t.what;
  }
}

interface Link { name: string; target: number }

function parseLink(c: Ctx, p: number, limit: number): { link?: Link; end: number } | undefined {
  if (!inBytes(c, p, 3) || c.d[p] !== 1) return undefined;
  const flags = c.d[p + 1];
  if (flags & 0xe0) return undefined;
  let q = p + 2;
  let ltype = 0;
  if (flags & 0x08) ltype = c.d[q++];
  if (flags & 0x04) q += 8;
  if (flags & 0x10) q += 1;
  const w = 1 << (flags & 3);
  const nlen = uint(c, q, w);
  q += w;
  if (!(nlen >= 1) || nlen > 65535 || q + nlen > limit || !inBytes(c, q, nlen)) return undefined;
  const name = utf8(c.d.subarray(q, q + nlen));
  q += nlen;
  if (ltype === 0) {
    const t = addr(c, q);
    q += c.so;
    if (q > limit || !(t >= 0)) return undefined;
    return { link: { name, target: t }, end: q };
  }
  if (ltype === 1 || ltype === 64) {
    const n = uint(c, q, 2);
    if (!(n >= 0)) return undefined;
    return { end: q + 2 + n };
  }
  return undefined;
}

// ---------------------------------------------------------------- heaps

type GlobalHeaps = Map<number, Map<number, Uint8Array>>;

function globalHeaps(c: Ctx): GlobalHeaps {
  const out: GlobalHeaps = new Map();
  for (const a of findAll(c.d, "GCOL")) {
    if (c.d[a + 4] !== 1) continue;
    const size = uint(c, a + 8, c.sl);
    if (!(size >= 16)) continue;
    const end = Math.min(c.d.length, a + size);
    const objs = new Map<number, Uint8Array>();
    let p = a + 8 + c.sl;
    while (p + 8 + c.sl <= end) {
      const idx = uint(c, p, 2), n = uint(c, p + 8, c.sl);
      if (idx === 0 || !(n >= 0)) break;
      const start = p + 8 + c.sl;
      if (start + n > end) break; // an object cut short is not read
      objs.set(idx, c.d.subarray(start, start + n));
      p = start + Math.ceil(n / 8) * 8;
    }
    out.set(a, objs);
    c.used.push([a, end]);
  }
  return out;
}

interface FractalHeap { addr: number; offsetBytes: number; checksummed: boolean }

function fractalHeaps(c: Ctx): Map<number, FractalHeap> {
  const out = new Map<number, FractalHeap>();
  for (const a of findAll(c.d, "FRHP")) {
    if (c.d[a + 4] !== 0) continue;
    const flags = c.d[a + 9];
    // Fixed fields before "maximum heap size": see the spec's fractal heap header.
    const p = a + 4 + 1 + 2 + 2 + 1 + 4 + c.sl + c.so + c.sl + c.so + 8 * c.sl + 2 + c.sl + c.sl;
    const maxHeapBits = uint(c, p, 2);
    if (!(maxHeapBits > 0) || maxHeapBits > 64) continue;
    out.set(a, { addr: a, offsetBytes: Math.ceil(maxHeapBits / 8), checksummed: (flags & 2) !== 0 });
    c.used.push([a, p + 2 + 2 + c.so + 2 + 4]);
  }
  return out;
}

/** Start of each direct block's objects, by the heap header it names. */
function directBlocks(c: Ctx, heaps: Map<number, FractalHeap>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const a of findAll(c.d, "FHDB")) {
    if (c.d[a + 4] !== 0) continue;
    const h = addr(c, a + 5);
    const heap = heaps.get(h);
    // A block whose heap header is lost: the block-offset width is then unknown; HDF5's
    // default (a 40-bit heap) is what every writer here uses, and a wrong guess only
    // makes the objects fail to parse.
    const offsetBytes = heap?.offsetBytes ?? 5;
    const checksummed = heap?.checksummed ?? false;
    const start = a + 5 + c.so + offsetBytes + (checksummed ? 4 : 0);
    if (!inBytes(c, start)) continue;
    let list = out.get(h);
    if (!list) out.set(h, (list = []));
    list.push(start);
  }
  return out;
}

interface LocalHeap { dataAddr: number; size: number }

function localHeap(c: Ctx, a: number): LocalHeap | undefined {
  if (!sig(c, a, "HEAP") || c.d[a + 4] !== 0) return undefined;
  const size = uint(c, a + 8, c.sl), dataAddr = addr(c, a + 8 + 2 * c.sl);
  if (!(size >= 0) || !(dataAddr >= 0) || !inBytes(c, dataAddr, size)) return undefined;
  c.used.push([a, a + 8 + 2 * c.sl + c.so], [dataAddr, dataAddr + size]);
  return { dataAddr, size };
}

interface SymEntry { nameOff: number; target: number }

function snodEntries(c: Ctx, a: number): SymEntry[] | undefined {
  if (!sig(c, a, "SNOD") || c.d[a + 4] !== 1) return undefined;
  const n = uint(c, a + 6, 2);
  const es = 2 * c.so + 24;
  if (!(n >= 0) || !inBytes(c, a + 8, n * es)) return undefined;
  const out: SymEntry[] = [];
  for (let i = 0; i < n; i++) {
    const p = a + 8 + i * es;
    const nameOff = uint(c, p, c.so), target = addr(c, p + c.so);
    if (nameOff >= 0 && target >= 0) out.push({ nameOff, target });
  }
  c.used.push([a, a + 8 + n * es]);
  return out;
}

/** The SNOD addresses under a v1 group B-tree (depth-bounded). */
function btreeLeaves(c: Ctx, a: number, depth = 0, seen = new Set<number>()): { leaves: number[]; end: number } {
  const none = { leaves: [], end: 0 };
  if (depth > 16 || seen.has(a) || !sig(c, a, "TREE") || c.d[a + 4] !== 0) return none;
  seen.add(a);
  const level = c.d[a + 5], n = uint(c, a + 6, 2);
  const p0 = a + 8 + 2 * c.so;
  if (!(n >= 0) || !inBytes(c, p0, c.sl + n * (c.so + c.sl))) return none;
  let end = p0 + c.sl + n * (c.so + c.sl);
  c.used.push([a, end]);
  const leaves: number[] = [];
  for (let i = 0; i < n; i++) {
    const child = addr(c, p0 + c.sl + i * (c.so + c.sl));
    if (!(child >= 0)) continue;
    if (level === 0) { leaves.push(child); end = Math.max(end, child + 8 + 16 * (2 * c.so + 24)); }
    else {
      const sub = btreeLeaves(c, child, depth + 1, seen);
      leaves.push(...sub.leaves);
      end = Math.max(end, sub.end);
    }
  }
  return { leaves, end };
}

// ---------------------------------------------------------------- the scan

export interface ScanGeometry {
  /** Absolute offset of the superblock's base address (the user block's size). */
  baseAddress: number;
  sizeOfOffsets: number;
  sizeOfLengths: number;
}

/**
 * Scans `bytes` (the whole file as present on disk) and returns every group whose object
 * header survives, with what could be read of its attributes and float64 datasets. Never
 * throws on any input.
 */
export function scanHdf5(bytes: Uint8Array, geo: ScanGeometry): ScanResult {
  const c: Ctx = {
    d: bytes, v: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    base: geo.baseAddress, so: geo.sizeOfOffsets, sl: geo.sizeOfLengths, used: [],
  };
  const gheaps = globalHeaps(c);
  const fheaps = fractalHeaps(c);
  const blocks = directBlocks(c, fheaps);

  // Object headers: v2 by signature; v1 at the addresses symbol tables name, and by scan.
  const headers = new Map<number, Header>();
  for (const a of findAll(c.d, "OHDR")) {
    const h = parseHeaderV2(c, a);
    if (h) headers.set(a, h);
  }
  const snods = findAll(c.d, "SNOD");
  const entriesOf = new Map<number, SymEntry[]>();
  for (const a of snods) {
    const e = snodEntries(c, a);
    if (e) entriesOf.set(a, e);
  }
  for (const es of entriesOf.values()) for (const e of es) {
    if (!headers.has(e.target)) { const h = parseHeaderV1(c, e.target); if (h) headers.set(e.target, h); }
  }
  for (let i = c.d.indexOf(1); i >= 0 && i + 16 <= c.d.length; i = c.d.indexOf(1, i + 1)) {
    // Cheap pre-check before a full parse: version 1, reserved 0, a small message count,
    // reference count 1, header size a multiple of 8, reserved padding 0.
    if (c.d[i + 1] !== 0 || c.d[i + 3] !== 0 || c.d[i + 4] !== 1 || c.d[i + 5] !== 0 || c.d[i + 6] !== 0 || c.d[i + 7] !== 0) continue;
    if ((c.d[i + 8] & 7) !== 0 || c.d[i + 12] !== 0 || c.d[i + 13] !== 0 || c.d[i + 14] !== 0 || c.d[i + 15] !== 0) continue;
    if (headers.has(i)) continue;
    const h = parseHeaderV1(c, i);
    if (h) headers.set(i, h);
  }

  // Names: every link (compact, dense) and symbol-table entry pointing at a header.
  const names = new Map<number, string>();
  const groupEnds = new Map<number, number>();
  const childrenOf = new Map<number, Map<string, number>>();
  for (const h of headers.values()) {
    const kids = new Map<string, number>();
    let isGroup = false;
    let end = h.end;
    for (const m of h.msgs) {
      if (m.type === 0x11) {
        isGroup = true;
        const bt = addr(c, m.start), hp = addr(c, m.start + c.so);
        const heap = hp >= 0 ? localHeap(c, hp) : undefined;
        const tree = bt >= 0 ? btreeLeaves(c, bt) : { leaves: [], end: 0 };
        if (heap) end = Math.max(end, heap.dataAddr + heap.size);
        end = Math.max(end, tree.end);
        for (const leaf of tree.leaves) {
          for (const e of entriesOf.get(leaf) ?? snodEntries(c, leaf) ?? []) {
            const nm = heap && e.nameOff < heap.size ? cstring(c, heap.dataAddr + e.nameOff, heap.size - e.nameOff) : undefined;
            if (nm) kids.set(nm, e.target);
          }
        }
      } else if (m.type === 0x06) {
        isGroup = true;
        const l = parseLink(c, m.start, m.end);
        if (l?.link) kids.set(l.link.name, l.link.target);
      } else if (m.type === 0x02) {
        isGroup = true;
        const flags = c.d[m.start + 1];
        const fh = addr(c, m.start + 2 + ((flags & 1) ? 8 : 0));
        for (const start of blocks.get(fh) ?? []) {
          let p = start;
          for (let k = 0; k < 100_000; k++) {
            const l = parseLink(c, p, c.d.length);
            if (!l) break;
            if (l.link) kids.set(l.link.name, l.link.target);
            c.used.push([p, l.end]);
            end = Math.max(end, l.end);
            p = l.end;
          }
        }
      }
    }
    if (!isGroup) continue;
    childrenOf.set(h.addr, kids);
    groupEnds.set(h.addr, end);
    for (const [nm, t] of kids) names.set(t, nm);
  }

  const groups: RawGroup[] = [];
  for (const [ga, kids] of childrenOf) {
    const h = headers.get(ga)!;
    const g: RawGroup = {
      addr: ga, name: names.get(ga), attrs: new Map(), attrProblems: [], datasets: new Map(), datasetProblems: [],
      attrsComplete: true, end: groupEnds.get(ga) ?? h.end, coreEnd: h.end,
    };
    readAttrs(c, h, g, gheaps, blocks);
    for (const [nm, t] of kids) {
      const dh = headers.get(t);
      if (!dh) { if (!childrenOf.has(t)) g.datasetProblems.push(`${nm}: object header not found`); continue; }
      if (childrenOf.has(t)) continue;
      const ds = readDataset(c, dh);
      if (typeof ds === "string") g.datasetProblems.push(`${nm}: ${ds}`);
      else {
        g.datasets.set(nm, ds);
        g.end = Math.max(g.end, dh.end, ds.dataEnd);
        g.coreEnd = Math.max(g.coreEnd, dh.end, ds.dataEnd);
        c.used.push([ds.dataStart, ds.dataEnd]);
      }
    }
    for (const r of h.ranges) c.used.push(r);
    groups.push(g);
  }
  for (const h of headers.values()) for (const r of h.ranges) c.used.push(r);
  return { groups, headers: headers.size, ...countUnlabeled(c) };
}

function readAttrs(c: Ctx, h: Header, g: RawGroup, gheaps: GlobalHeaps, blocks: Map<number, number[]>): void {
  const add = (a: Attr) => {
    if (a.value) g.attrs.set(a.name, a.value);
    else if (a.problem) g.attrProblems.push(a.problem);
    if (a.heapEnd !== undefined) { g.end = Math.max(g.end, a.heapEnd); g.coreEnd = Math.max(g.coreEnd, a.heapEnd); }
  };
  for (const m of h.msgs) {
    if (m.type === 0x0c) {
      const a = parseAttribute(c, m.start, m.end, gheaps);
      if (a) add(a); else g.attrProblems.push("an attribute message does not parse");
    } else if (m.type === 0x15) {
      const flags = c.d[m.start + 1];
      const fh = addr(c, m.start + 2 + ((flags & 1) ? 2 : 0));
      const starts = blocks.get(fh);
      if (!starts || starts.length === 0) { g.attrsComplete = false; continue; }
      for (const start of starts) {
        let p = start;
        for (let k = 0; k < 100_000; k++) {
          const a = parseAttribute(c, p, c.d.length, gheaps);
          if (!a) break;
          add(a);
          c.used.push([p, a.end]);
          g.end = Math.max(g.end, a.end);
          p = a.end;
        }
      }
    }
  }
}

function readDataset(c: Ctx, h: Header): RawDataset | string {
  let space: Dataspace | undefined, type: Dtype | undefined, layout: Layout | string | undefined;
  for (const m of h.msgs) {
    if (m.type === 0x01) space = parseDataspace(c, m.start, m.end);
    else if (m.type === 0x03) type = parseDatatype(c, m.start, m.end);
    else if (m.type === 0x08) layout = parseLayout(c, m.start, m.end);
    else if (m.type === 0x0b) return "filtered (compressed) data is not read by deep salvage";
  }
  if (!space || !type || layout === undefined) return "dataset header incomplete";
  if (type.cls !== "float" || type.size !== 8 || !type.le) return "not float64";
  if (typeof layout === "string") return layout;
  const bytes = space.count * 8;
  if (layout.size < bytes) return "raw data smaller than its dataspace";
  if (!inBytes(c, layout.start, bytes)) return "raw data lies past the end of the file";
  const data = new Float64Array(space.count);
  for (let i = 0; i < space.count; i++) data[i] = c.v.getFloat64(layout.start + 8 * i, true);
  return { shape: space.shape, data, dataStart: layout.start, dataEnd: layout.start + bytes };
}

// A layout holds at least 2 turbines (4 values); shorter runs of plausible doubles turn up
// inside B-tree records and free-space sections of intact files.
const MIN_RUN = 4;

function countUnlabeled(c: Ctx): Pick<ScanResult, "unlabeledBlocks" | "unlabeledBytes" | "unlabeledRuns"> {
  // Mark used bytes, then count maximal 8-aligned runs of ≥ 2 plausible non-zero doubles.
  const used = new Uint8Array(Math.ceil(c.d.length / 8));
  for (const [a, b] of c.used) for (let w = Math.floor(Math.max(0, a) / 8); w < Math.min(used.length, Math.ceil(b / 8)); w++) used[w] = 1;
  used[0] = 1;
  let blocks = 0, run = 0, bytes = 0;
  const runs: [number, number][] = [];
  const nWords = Math.floor(c.d.length / 8);
  for (let w = 0; w <= nWords; w++) {
    let ok = false;
    if (w < nWords && !used[w]) {
      const x = c.v.getFloat64(8 * w, true);
      ok = Number.isFinite(x) && x !== 0 && Math.abs(x) < 1e15 && Math.abs(x) > 1e-300;
    }
    if (ok) run++;
    else {
      if (run >= MIN_RUN) {
        blocks++;
        bytes += 8 * run;
        if (runs.length < 1000) runs.push([8 * (w - run), 8 * w]);
      }
      run = 0;
    }
  }
  return { unlabeledBlocks: blocks, unlabeledBytes: bytes, unlabeledRuns: runs };
}
