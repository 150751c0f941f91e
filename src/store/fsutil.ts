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
