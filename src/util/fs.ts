/**
 * File-system primitives every area uses: durability (fsync of files and directories),
 * atomic replacement (temp name in the same directory → fsync → rename → fsync the
 * directory), temp names that carry host and pid, and storage failures named as such.
 * `close()` puts a file in the page cache, not on disk; `rename` is atomic but not durable
 * until the directory is synced.
 */
import { accessSync, chmodSync, closeSync, constants as fsConstants, existsSync, fsyncSync, mkdirSync, openSync, readlinkSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { InputError, WfloError } from "../errors.js";


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
export class StorageError extends WfloError {
  readonly code: string;
  readonly path: string;
  constructor(path: string, code: string) {
    super(`${path}: ${STORAGE_CODES[code] ?? code} (${code})`, "storage", 1);
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

// ---------------------------------------------------------------------------------------
// temp names and atomic replacement

const HOST = hostname();
/** The host name as it appears in temp file names (only [A-Za-z0-9_-]). */
export const SAFE_HOST = HOST.replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * A temporary name in the same directory as `finalPath` (so rename is atomic), carrying
 * host and pid so a later run can tell a crashed writer's leftovers from live ones.
 */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${SAFE_HOST}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Host and pid encoded in a temp name by tempPathFor, or undefined for other names. */
export function tempOwner(tempPath: string): { host: string; pid: number } | undefined {
  const m = /\.([A-Za-z0-9_-]+)\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(basename(tempPath));
  return m ? { host: m[1], pid: Number(m[2]) } : undefined;
}

export function thisHost(): string {
  return HOST;
}

/**
 * Writes `finalPath` atomically: `write(tmp)` must produce a complete, closed file at
 * `tmp` (same directory); it is then fsynced, renamed over `finalPath`, and the directory
 * fsynced. On any error the temp file is removed and the old `finalPath` is untouched.
 */
export async function replaceAtomically(finalPath: string, write: (tmpPath: string) => void | Promise<void>): Promise<void> {
  const tmp = tempPathFor(finalPath);
  await removingTempOnError(tmp, () => write(tmp));
  publish(tmp, finalPath);
}

/**
 * replaceAtomically for contents already in memory (a spec copy, a job script, a report):
 * the same temp → fsync → rename → fsync-directory steps, synchronously. `mode` (e.g.
 * 0o755 for a script) is set on the temp file, so the final name never has other rights.
 */
export function writeFileAtomically(finalPath: string, data: string | Uint8Array, opts: { mode?: number } = {}): void {
  const tmp = tempPathFor(finalPath);
  try {
    removingTempOnError(tmp, () => {
      writeFileSync(tmp, data, opts.mode === undefined ? undefined : { mode: opts.mode });
      if (opts.mode !== undefined) chmodSync(tmp, opts.mode); // writeFileSync's mode is masked by the umask
    });
  } catch (err) {
    // "ENOSPC: no space left on device, write" names neither file nor folder: name the file
    throw asStorageError(err, finalPath);
  }
  publish(tmp, finalPath);
}

/**
 * A complete, fsynced temp file beside `finalPath` holding `data`, for a caller that publishes
 * it by hard link rather than rename (a lock must not replace an existing one). Removed if
 * writing fails; once published, the caller removes the temp name.
 */
export function writeTempBeside(finalPath: string, data: string | Uint8Array): string {
  const tmp = tempPathFor(finalPath);
  removingTempOnError(tmp, () => {
    writeFileSync(tmp, data);
    fsyncFile(tmp);
  });
  return tmp;
}

/** Runs `step` (sync or async); if it fails, the temp file is removed before the error goes on. */
function removingTempOnError<T>(tmp: string, step: () => T): T {
  const drop = (err: unknown): never => {
    try { unlinkSync(tmp); } catch { /* never created, or already renamed */ }
    throw err;
  };
  try {
    const r = step();
    return (r instanceof Promise ? r.catch(drop) : r) as T;
  } catch (err) {
    return drop(err);
  }
}

/** The complete temp file fsynced and renamed over `finalPath`, then the directory fsynced. */
function publish(tmp: string, finalPath: string): void {
  removingTempOnError(tmp, () => {
    fsyncFile(tmp);
    renameSync(tmp, finalPath);
  });
  fsyncDir(dirname(finalPath));
}

/**
 * mkdir -p, one level at a time. Node's recursive mkdir spins forever in C++ (100 % CPU, no
 * signal handled: Ctrl-C and SIGTERM do nothing) where a parent exists yet mkdir in it says
 * ENOENT — under /proc or /sys, or in a directory whose mount went stale (measured here with
 * Node 20 on /proc; a stale /tmp mount in openclaw/openclaw#130807).
 * Walking down from the nearest existing ancestor ends on every answer, and the two ways a
 * path can exist yet not hold a directory are named.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.push(d);
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    const d = missing[i];
    try {
      mkdirSync(d);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "EEXIST" && existsSync(d)) continue; // made meanwhile by another process
      if (code === "EEXIST") {
        // There, but not followable: a symbolic link to nowhere (a scratch disk not mounted here).
        let target = "?";
        try { target = readlinkSync(d); } catch { /* not a link */ }
        throw new InputError(`is a symbolic link to ${target}, which does not exist (a disk not mounted on this machine?): cannot create ${dir}`, { file: d });
      }
      if (code === "ENOENT") {
        throw new InputError(`cannot create a directory in ${dirname(d)}: it exists but refuses new entries with ENOENT ` +
          "(a special file system such as /proc or /sys, or a mount gone stale)", { file: d });
      }
      throw err;
    }
  }
}

/** Creates `dir` (and parents), fsyncing the parent so the new directory itself is durable. */
export function ensureDir(dir: string): void {
  if (existsSync(dir)) return;
  makeDirs(dir);
  fsyncDir(dirname(dir));
}
/**
 * mkdir -p that says why it cannot: on a read-only mount mkdir reports ENOENT for a missing
 * parent it cannot create either, which sends users looking for a missing path. The nearest
 * existing ancestor is probed for write access instead, and a storage failure names the
 * directory and errno.
 */
export function ensureDirWritable(dir: string): void {
  try {
    makeDirs(dir);
    return;
  } catch (err) {
    if (err instanceof InputError) throw err;
    let up = dirname(dir);
    while (!existsSync(up) && dirname(up) !== up) up = dirname(up);
    try {
      accessSync(up, fsConstants.W_OK);
    } catch (e) {
      throw asStorageError(e, dir);
    }
    throw asStorageError(err, dir);
  }
}
