/**
 * The one door to h5wasm for all of src/store.
 *
 * h5wasm's errors are silent by default (a failed open returns file_id -1 and prints to
 * stderr), so the first call here switches on the throwing error handler once per
 * instance (one instance per thread: every worker_thread gets its own). Everything else
 * in the store imports `h5()` from here, never "h5wasm/node" directly.
 */
import type * as H5Module from "h5wasm/node";
import type { File as H5File, Group as H5Group, Dataset as H5Dataset, Attribute as H5Attribute } from "h5wasm/node";

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
 * HDF5 type classes as h5wasm reports them in `metadata.type` (H5T_class_t).
 * Used to check what a file really holds, independent of the JS value we got back.
 */
export const H5T_CLASS = { INTEGER: 0, FLOAT: 1, STRING: 3, ENUM: 8 } as const;

/**
 * Opens `path`, runs `fn`, and closes the file in every case (a process that exits
 * without close() leaves a broken HDF5 file; a second close() throws, so close once).
 */
export async function withFile<T>(path: string, mode: "r" | "w" | "a" | "x", fn: (f: H5File) => T | Promise<T>): Promise<T> {
  const lib = await h5();
  let f: H5File;
  try {
    f = new lib.File(path, mode);
  } catch (err) {
    sweepLeakedStreams();
    throw err;
  }
  try {
    return await fn(f);
  } catch (err) {
    sweepLeakedStreams();
    throw err;
  } finally {
    try { f.close(); } catch { /* a failed close on a damaged file is reported by the caller's read errors */ }
  }
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
