/**
 * The HDF5 superblock, read by hand: where the file says it ends.
 *
 * HDF5 refuses a file shorter than the end-of-file address its superblock stores
 * ("truncated file: eof = N, sblock->base_addr = B, stored_eof = M"), even when most of
 * its objects lie before the cut. Salvage needs that address without HDF5's help, so this
 * module parses the superblock itself (HDF5 File Format Specification 3.0, §II.A):
 *
 * - the signature `\x89HDF\r\n\x1a\n` sits at byte 0 or at 512·2^k (after a user block);
 * - versions 0 and 1: version, free-space/root-symbol/shared-header versions, sizes of
 *   offsets and lengths, B-tree K values, flags, [v1: indexed-storage K + 2 reserved],
 *   then base address, free-space address, end-of-file address, driver-info address;
 * - versions 2 and 3: version, sizes of offsets and lengths, flags, then base address,
 *   extension address, end-of-file address, root object header address, and a Jenkins
 *   lookup3 checksum of all the preceding superblock bytes.
 *
 * HDF5 (1.10 and 2.0 alike) compares `(file size − base) + base` to the stored value, so
 * the stored end-of-file address is, in practice, the byte length the file must have.
 * Measured: a file with a 512-byte user block stores eof = its full size.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export const HDF5_SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);

export interface Superblock {
  /** Byte offset of the signature: 0, or 512·2^k after a user block. */
  signatureOffset: number;
  /** Superblock version 0, 1, 2 or 3. */
  version: number;
  sizeOfOffsets: number;
  sizeOfLengths: number;
  /** Base address (absolute); other addresses in the file are relative to it. */
  baseAddress: number;
  /**
   * The end-of-file address stored in the superblock: the size HDF5 requires the file to
   * have (undefined when the field holds HDF5's "undefined address", all bits set).
   */
  storedEof: number | undefined;
  /** v2/v3 only: whether the superblock's lookup3 checksum matches its bytes. */
  checksumOk?: boolean;
}

export type SuperblockProbe =
  | { kind: "empty"; size: 0 }
  | { kind: "no-signature"; size: number }
  /** Signature found, but the superblock is cut off or its fields make no sense. */
  | { kind: "bad-superblock"; size: number; signatureOffset: number; reason: string }
  | { kind: "ok"; size: number; superblock: Superblock };

/** Largest user block probed: the signature is searched at 0, 512, 1024, … up to this. */
const MAX_SIGNATURE_OFFSET = 2 ** 30;
/** Bytes read at a signature: enough for any superblock with 8-byte offsets. */
const SUPERBLOCK_READ = 128;

/** Reads the superblock of `path` without HDF5: never throws on damaged content. */
export function probeSuperblock(path: string): SuperblockProbe {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { kind: "empty", size: 0 };
    const buf = Buffer.alloc(SUPERBLOCK_READ);
    for (let at = 0; at < size && at <= MAX_SIGNATURE_OFFSET; at = at === 0 ? 512 : at * 2) {
      const n = readSync(fd, buf, 0, SUPERBLOCK_READ, at);
      if (n < HDF5_SIGNATURE.length || !hasSignature(buf)) continue;
      const parsed = parseSuperblock(buf.subarray(0, n), at);
      return typeof parsed === "string"
        ? { kind: "bad-superblock", size, signatureOffset: at, reason: parsed }
        : { kind: "ok", size, superblock: parsed };
    }
    return { kind: "no-signature", size };
  } finally {
    closeSync(fd);
  }
}

function hasSignature(b: Uint8Array): boolean {
  for (let i = 0; i < HDF5_SIGNATURE.length; i++) if (b[i] !== HDF5_SIGNATURE[i]) return false;
  return true;
}

/**
 * Parses superblock bytes `b` (starting at the signature). Returns the reason as a
 * string when the bytes cannot be a superblock (cut short, unknown version, bad sizes).
 */
export function parseSuperblock(b: Uint8Array, signatureOffset = 0): Superblock | string {
  if (b.length < 16) return `superblock cut short at ${b.length} bytes`;
  const version = b[8];
  let sizeOfOffsets: number;
  let sizeOfLengths: number;
  let addrAt: number;
  if (version === 0 || version === 1) {
    sizeOfOffsets = b[13];
    sizeOfLengths = b[14];
    addrAt = version === 0 ? 24 : 28;
  } else if (version === 2 || version === 3) {
    sizeOfOffsets = b[9];
    sizeOfLengths = b[10];
    addrAt = 12;
  } else {
    return `unknown superblock version ${version}`;
  }
  if (![2, 4, 8].includes(sizeOfOffsets)) return `bad size of offsets ${sizeOfOffsets}`;
  if (![2, 4, 8].includes(sizeOfLengths)) return `bad size of lengths ${sizeOfLengths}`;
  const O = sizeOfOffsets;
  // v0/1: base, free-space, eof, driver; v2/3: base, extension, eof, root header, checksum
  const end = addrAt + 4 * O + (version >= 2 ? 4 : 0);
  if (b.length < end) return `superblock cut short: ${b.length} of ${end} bytes`;
  const base = readAddress(b, addrAt, O);
  const eof = readAddress(b, addrAt + 2 * O, O);
  const sb: Superblock = {
    signatureOffset,
    version,
    sizeOfOffsets,
    sizeOfLengths,
    baseAddress: base ?? 0,
    storedEof: eof,
  };
  if (version >= 2) {
    const stored = (b[end - 4] | (b[end - 3] << 8) | (b[end - 2] << 16) | (b[end - 1] << 24)) >>> 0;
    sb.checksumOk = lookup3(b.subarray(0, end - 4)) === stored;
  }
  return sb;
}

/** Little-endian unsigned address of `size` bytes; undefined for all bits set (HADDR_UNDEF). */
function readAddress(b: Uint8Array, at: number, size: number): number | undefined {
  let v = 0;
  let allOnes = true;
  for (let i = size - 1; i >= 0; i--) {
    if (b[at + i] !== 0xff) allOnes = false;
    v = v * 256 + b[at + i];
  }
  return allOnes ? undefined : v;
}

/**
 * Bob Jenkins' lookup3 `hashlittle` with initval 0, as HDF5's H5_checksum_lookup3 uses
 * for v2+ metadata checksums.
 */
export function lookup3(k: Uint8Array, initval = 0): number {
  let length = k.length;
  let a = (0xdeadbeef + length + initval) >>> 0;
  let b = a;
  let c = a;
  const rot = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  let o = 0;
  while (length > 12) {
    a = (a + (k[o] | (k[o + 1] << 8) | (k[o + 2] << 16) | (k[o + 3] << 24))) >>> 0;
    b = (b + (k[o + 4] | (k[o + 5] << 8) | (k[o + 6] << 16) | (k[o + 7] << 24))) >>> 0;
    c = (c + (k[o + 8] | (k[o + 9] << 8) | (k[o + 10] << 16) | (k[o + 11] << 24))) >>> 0;
    // mix(a, b, c)
    a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
    length -= 12;
    o += 12;
  }
  // The last 0..12 bytes, byte by byte as the C switch does: byte i goes into word i>>2.
  if (length === 0) return c;
  for (let i = 0; i < length; i++) {
    const v = (k[o + i] << ((i & 3) * 8)) >>> 0;
    if (i < 4) a = (a + v) >>> 0;
    else if (i < 8) b = (b + v) >>> 0;
    else c = (c + v) >>> 0;
  }
  // final(a, b, c)
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  return c;
}
