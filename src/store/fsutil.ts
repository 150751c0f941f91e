/**
 * The durability primitives of the commit protocol. `close()` puts a file in the page
 * cache, not on disk; `rename` is atomic but not durable until the directory is synced.
 */
import { closeSync, fsyncSync, openSync } from "node:fs";

/** fsync a file's data and metadata. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync a directory so a rename/link/unlink in it survives a power cut. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return; // some platforms cannot open directories; the rename is still atomic there
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    // EINVAL/EISDIR: filesystems that cannot sync a directory handle; nothing more to do.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EISDIR" && code !== "EBADF") throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Failures of the storage itself: nothing a retry or another configuration can fix. A batch
 * that meets one stops (its results so far stay committed) and resumes by the same command
 * once the cause (a full disk, a failing device, a read-only mount) is gone.
 */
const STORAGE_CODES: Record<string, string> = {
  ENOSPC: "no space left on device", EDQUOT: "disk quota exceeded", EIO: "input/output error",
  EROFS: "read-only file system", EACCES: "permission denied", EPERM: "operation not permitted",
};

/** HDF5 (through h5wasm) reports the C library's strerror text, not a Node errno code. */
const STORAGE_TEXTS: [RegExp, string][] = [
  [/No space left on device/i, "ENOSPC"], [/Disk quota exceeded/i, "EDQUOT"], [/Input\/output error/i, "EIO"],
  [/Read-only file system/i, "EROFS"], [/Permission denied/i, "EACCES"],
];

/** A storage failure, naming the file and the errno code; `code` crosses worker boundaries. */
export class StorageError extends Error {
  readonly code: string;
  readonly path: string;
  constructor(path: string, code: string) {
    super(`${path}: ${STORAGE_CODES[code] ?? code} (${code})`);
    this.name = "StorageError";
    this.code = code;
    this.path = path;
  }
}

/** The errno code when `err` is a storage failure (Node's code or HDF5's message), else undefined. */
export function storageErrorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === "string" && e.code in STORAGE_CODES) return e.code;
  const text = typeof e?.message === "string" ? e.message : String(err);
  for (const [re, code] of STORAGE_TEXTS) if (re.test(text)) return code;
  return undefined;
}

/** `err` as a StorageError for `path` when it is a storage failure; otherwise `err` unchanged. */
export function asStorageError(err: unknown, path: string): unknown {
  if (err instanceof StorageError) return err;
  const code = storageErrorCode(err);
  return code ? new StorageError(path, code) : err;
}
