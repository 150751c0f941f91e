/**
 * The one door to h5wasm for all of src/store.
 *
 * h5wasm's errors are silent by default (a failed open returns file_id -1 and prints to
 * stderr), so the first call here switches on the throwing error handler once per
 * instance (one instance per thread: every worker_thread gets its own). Everything else
 * in the store imports `h5()` from here, never "h5wasm/node" directly.
 */
import { unlinkSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import type * as H5Module from "h5wasm/node";
import type { File as H5File, Group as H5Group, Dataset as H5Dataset, Attribute as H5Attribute, LIBVER_BOUND } from "h5wasm/node";

export type { H5File, H5Group, H5Dataset, H5Attribute };
export type H5 = typeof H5Module.default;

let ready: Promise<H5> | undefined;
let loaded: typeof H5Module | undefined;

/**
 * h5wasm, ready, with HDF5 errors turned into JS Errors. Safe to call from any thread.
 * Loaded on first use, so a thread that only dispatches to store workers (the CLI's and
 * a notebook kernel's main thread) never instantiates the 4 MB WASM module.
 */
export function h5(): Promise<H5> {
  ready ??= (async () => {
    const mod = await import("h5wasm/node");
    const module = await mod.default.ready;
    module.activate_throwing_error_handler();
    loaded = mod;
    return mod.default;
  })();
  return ready;
}

/**
 * One scalar attribute in two HDF5 calls (metadata, data) instead of h5wasm's three
 * (its Attribute constructor and its value getter each fetch the metadata): attribute
 * reads dominate the cost of reading a result group. Returns undefined when the
 * attribute is not a plain scalar number or string, or h5wasm is not loaded; the caller
 * then takes h5wasm's ordinary path.
 */
export function readScalarAttribute(fileId: bigint, path: string, name: string):
  { kind: "int64" | "float64" | "string"; value: bigint | number | string; size: number; cls: number } | undefined {
  const M = loaded?.Module as unknown as {
    get_attribute_metadata(f: bigint, p: string, n: string): { type: number; size: number; signed: boolean; vlen: boolean; cset?: number; shape: number[] | null; total_size: number; littleEndian: boolean };
    get_attribute_data(f: bigint, p: string, n: string, ptr: bigint): number;
    reclaim_vlen_memory(f: bigint, p: string, n: string, ptr: bigint): number;
    _malloc(n: number): number; _free(p: number): void; HEAPU8: Uint8Array;
    UTF8ToString(p: number): string; AsciiToString(p: number): string;
  } | undefined;
  if (!M) return undefined;
  const md = M.get_attribute_metadata(fileId, path, name);
  if (!md.shape || md.total_size !== 1 || !md.littleEndian) return undefined;
  const isInt = md.type === H5T_CLASS.INTEGER && (md.size === 8 || md.size === 4 || md.size === 2 || md.size === 1);
  const isFloat = md.type === H5T_CLASS.FLOAT && (md.size === 8 || md.size === 4);
  const isVlenStr = md.type === H5T_CLASS.STRING && md.vlen;
  if (!isInt && !isFloat && !isVlenStr) return undefined;
  const ptr = M._malloc(Math.max(8, md.size));
  try {
    M.get_attribute_data(fileId, path, name, BigInt(ptr));
    const view = new DataView(M.HEAPU8.buffer, ptr, Math.max(8, md.size));
    if (isVlenStr) {
      const sp = view.getUint32(0, true);
      const value = md.cset === 1 ? M.UTF8ToString(sp) : M.AsciiToString(sp);
      M.reclaim_vlen_memory(fileId, path, name, BigInt(ptr));
      return { kind: "string", value, size: md.size, cls: md.type };
    }
    if (isFloat) return { kind: "float64", value: md.size === 8 ? view.getFloat64(0, true) : view.getFloat32(0, true), size: md.size, cls: md.type };
    let v: bigint;
    if (md.size === 8) v = md.signed ? view.getBigInt64(0, true) : view.getBigUint64(0, true);
    else if (md.size === 4) v = BigInt(md.signed ? view.getInt32(0, true) : view.getUint32(0, true));
    else if (md.size === 2) v = BigInt(md.signed ? view.getInt16(0, true) : view.getUint16(0, true));
    else v = BigInt(md.signed ? view.getInt8(0) : view.getUint8(0));
    return { kind: "int64", value: v, size: md.size, cls: md.type };
  } finally {
    M._free(ptr);
  }
}

/** Names of an object's attributes without building h5wasm Attribute objects. */
export function attributeNames(fileId: bigint, path: string): string[] | undefined {
  const M = loaded?.Module as unknown as { get_attribute_names(f: bigint, p: string): string[] } | undefined;
  return M ? M.get_attribute_names(fileId, path) : undefined;
}

/**
 * HDF5 type classes as h5wasm reports them in `metadata.type` (H5T_class_t).
 * Used to check what a file really holds, independent of the JS value we got back.
 */
/**
 * Whether this thread's h5wasm instance can still be trusted after reading a damaged file.
 * An instance that ran out of memory or hit abort() is broken for good (Emscripten sets
 * ABORT; every later call fails with "memory access out of bounds" or "Aborted"), and one
 * whose WebAssembly memory grew past `maxHeapBytes` never gives it back. Probes by
 * writing and closing a tiny scratch file.
 */
export async function h5InstanceHealthy(scratchDir: string, maxHeapBytes = 1 << 30): Promise<boolean> {
  try {
    const lib = await h5();
    const heap = (loaded?.Module as unknown as { HEAP8?: { length: number } } | undefined)?.HEAP8?.length ?? 0;
    if (heap > maxHeapBytes) return false;
    const p = join(scratchDir, `.wflo-probe-${process.pid}-${threadId}.h5`);
    try {
      const f = new lib.File(p, "w");
      f.close();
    } finally {
      try { unlinkSync(p); } catch { /* never created */ }
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The format every file wflo writes: the earliest that can hold each object (as h5py
 * writes by default), newer only where an object needs it (an attribute over 64 KB).
 * Why: in the newer format a group of more than 8 attributes keeps them in a fractal heap
 * that HDF5 allocates at close, at the end of the file, so a file cut short loses every
 * group's checksum and key at once; in the earliest format they sit in the group's own
 * object header beside its datasets, and deep salvage (deepSalvage.ts) finds them.
 */
export const WRITE_LIBVER: [LIBVER_BOUND, LIBVER_BOUND] = ["earliest", "latest"];

export const H5T_CLASS = { INTEGER: 0, FLOAT: 1, STRING: 3, ENUM: 8 } as const;

/**
 * Opens `path`, runs `fn`, and closes the file in every case (a process that exits
 * without close() leaves a broken HDF5 file; a second close() throws, so close once).
 */
export async function withFile<T>(path: string, mode: "r" | "w" | "a" | "x", fn: (f: H5File) => T | Promise<T>): Promise<T> {
  const lib = await h5();
  let f: H5File;
  try {
    f = mode === "r" ? new lib.File(path, mode) : new lib.File(path, mode, { libver: WRITE_LIBVER });
  } catch (err) {
    sweepLeakedStreams();
    throw err;
  }
  let result: T;
  try {
    result = await fn(f);
  } catch (err) {
    sweepLeakedStreams();
    try { f.close(); } catch { /* the first error is the one to report */ }
    throw err;
  }
  try {
    f.close();
  } catch (err) {
    sweepLeakedStreams();
    // Reading: a failed close on a damaged file is reported by the caller's read errors.
    // Writing: close is where HDF5 flushes its metadata; a failure there (a full disk, EIO)
    // means the file on disk is not what was written, so the caller must not publish it.
    if (mode !== "r") throw new Error(`${path}: writing failed when the file was closed (${h5ErrorSummary(err)}); the file is incomplete`);
  }
  return result;
}

/**
 * The useful line of an HDF5 error stack: the innermost message, e.g.
 * "file signature not found" or "truncated file: eof = 1024, sblock->base_addr = 0, stored_eof = 4096".
 * h5wasm's JS Error carries the whole HDF5-DIAG stack, which is noise for a user.
 */
export function h5ErrorSummary(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const frames = [...text.matchAll(/#\d+: .*? in [^(]+\(\): (.*)$/gm)];
  if (frames.length > 0) return frames[frames.length - 1][1].trim();
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? text;
}

/**
 * Closes the temporary files HDF5's error reporting leaves open in this h5wasm instance:
 * measured, every failed open or read leaks one `/tmp/tmpfile_*` descriptor, so a reader
 * of many damaged files would run out of descriptors. The streams belong to this
 * thread's instance alone, so closing them cannot touch another thread's files.
 * Returns how many were closed.
 */
export function sweepLeakedStreams(): number {
  const fs = loaded?.FS as unknown as { streams?: ({ path?: string } | null)[]; close(s: unknown): void } | null;
  if (!fs?.streams) return 0;
  let closed = 0;
  for (const s of fs.streams) {
    if (s && typeof s.path === "string" && /^\/tmp\/tmpfile_/.test(s.path)) {
      try { fs.close(s); closed++; } catch { /* already closed */ }
    }
  }
  return closed;
}

/** Classification of an error raised while opening or reading a file. */
export type OpenFailure = "not-hdf5" | "truncated" | "unreadable";

export function classifyOpenError(err: unknown): OpenFailure {
  const text = err instanceof Error ? err.message : String(err);
  if (/file signature not found/.test(text)) return "not-hdf5";
  if (/truncated file/.test(text)) return "truncated";
  return "unreadable";
}
