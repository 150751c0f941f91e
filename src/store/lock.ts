/**
 * One writer per scope: an exclusive lock file `<partsDir>/<name>.lock` holding {pid, host,
 * started_utc, ...}, written whole to a temp file and hard-linked to its name (fails if the
 * name exists, as O_EXCL does), so no one ever reads a half-written lock. h5wasm has no
 * file locking at all (two writers on one file silently lose data), so the application
 * enforces it here.
 *
 * `name` is the scope: a whole-output writer takes "writer", Slurm shard i of n takes
 * "shard-i-of-n" (shards share one parts directory and must not refuse each other), and
 * merge takes "merge". Two holders of the SAME name are refused with the holder named.
 *
 * When a lock is stale, and why it is broken without asking anyone:
 * - Same host: the pid is dead (or a zombie, killed and not yet reaped), or alive but started at another time than the holder
 *   recorded (/proc/<pid>/stat field 22: the pid was reused). The kernel's word is proof,
 *   so the lock is broken at once with one line naming the holder it replaced, and the
 *   run resumes: resuming after a crash is the same command again, no flag, no reading.
 * - Another host (Slurm shards on a shared file system): its pid cannot be checked from
 *   here, so the holder keeps a lease: it touches the lock file's mtime every
 *   LEASE_REFRESH_S seconds (an unref'd timer, so it never keeps a process alive). A lease
 *   silent for longer than the lease timeout (default 120 s; WFLO_LOCK_LEASE_TIMEOUT_S) is
 *   expired: its holder is dead or cut off, and the lock is broken the same way. The
 *   timeout is 24 refresh periods: a holder stalled by a loaded machine or an NFS hiccup
 *   for less than two minutes keeps its lock, and the mtime is set by the file server, so
 *   only clock skew between this host and the server beyond the timeout could misjudge.
 * - What cannot be judged still needs a person: an unreadable lock file (garbled; a crash
 *   leaves none where hard links work: `breakStale`, the CLI's --break-lock) and a live
 *   lease from another host that the user knows is dead (`force`, --break-lock --force).
 * - A live holder on this host is never broken, whatever the flags: it may be stopped
 *   (SIGSTOP, Ctrl-Z) and resume writing at any moment.
 */
import { closeSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { WfloError } from "../errors.js";
import { asStorageError, ensureDirWritable, fsyncDir, writeTempBeside } from "../util/fs.js";

export interface LockInfo {
  name: string;
  pid: number;
  host: string;
  started_utc: string;
  /** Kernel start time of the pid (clock ticks since boot), to tell a reused pid from ours. */
  pid_start?: number;
  /** Random token: release() removes the file only if it is still ours. */
  token: string;
  argv?: string[];
  /** The holder's working directory: its argv's relative paths are relative to it. */
  cwd?: string;
  slurm_job_id?: string;
}

export interface LockHandle {
  path: string;
  info: LockInfo;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

export interface AcquireOptions {
  /** Break an unreadable lock file (a dead holder's is broken anyway, see the header). */
  breakStale?: boolean;
  /** Also break a live lease from another host (the user vouches that run is gone). Never a live holder on this host. */
  force?: boolean;
  /** Told, in one line, of every lock broken on the way (default: written to stderr). */
  onBreak?: (message: string) => void;
}

/**
 * free: no lock; held: a live holder on this host; stale: its holder is dead on this host;
 * foreign: another host's, lease alive; expired: another host's, lease silent too long;
 * unreadable: a garbled file.
 */
export type LockState = "free" | "held" | "stale" | "foreign" | "expired" | "unreadable";

/** How often a holder touches its lock file (seconds). */
export const LEASE_REFRESH_S = 5;

/** How long another host's lease may stay silent before it is expired (seconds). */
export function leaseTimeoutS(): number {
  const v = Number(process.env.WFLO_LOCK_LEASE_TIMEOUT_S);
  return Number.isFinite(v) && v > 0 ? v : 24 * LEASE_REFRESH_S;
}

/**
 * Thrown when a lock is held (or stale and not broken). `state` says which. Exit code 2 at
 * the CLI: another process is using the output, which the user resolves (wait, stop it, or
 * --break-lock a stale lock), as for bad input.
 */
export class LockError extends WfloError {
  readonly state: LockState;
  readonly holder?: LockInfo;
  readonly path: string;
  constructor(message: string, state: LockState, path: string, holder?: LockInfo) {
    super(message, "lock-held", 2);
    this.name = "LockError";
    this.state = state;
    this.path = path;
    this.holder = holder;
  }
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function lockPath(partsDir: string, name: string): string {
  if (!NAME_RE.test(name)) throw new Error(`lock name "${name}" must be letters, digits, '.', '_' or '-'`);
  return join(partsDir, `${name}.lock`);
}

/**
 * State letter and start time of a pid from /proc (Linux); undefined where there is no /proc
 * or no such pid.
 */
function procStat(pid: number): { state: string; startTime: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], startTime: Number(fields[19]) }; // fields 3 and 22 overall
  } catch {
    return undefined;
  }
}

function pidStartTime(pid: number): number | undefined {
  return procStat(pid)?.startTime;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed holder whose parent has not reaped it yet (Z; in a container whose init never
  // reaps, for good) still answers signal 0, but it will never write again.
  const state = procStat(pid)?.state;
  return state !== "Z" && state !== "X";
}

/** Reads a lock file; undefined when absent; throws LockError("unreadable") when garbled. */
export function readLock(path: string): LockInfo | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    if (typeof info.pid !== "number" || typeof info.host !== "string") throw new Error("missing pid/host");
    return info;
  } catch {
    // Garbled by hand, or left empty by a crash where the file system has no hard links
    // (createFrom's fallback): nothing proves a holder.
    throw new LockError(`lock ${path} is unreadable (${text.length} bytes); if no wflo run uses it, rerun with --break-lock`, "unreadable", path);
  }
}

/**
 * Whether the holder of `info` is alive ("held"), dead on this host ("stale"), or elsewhere
 * with a live ("foreign") or silent ("expired") lease; `mtimeMs` is the lock file's.
 */
export function lockState(info: LockInfo, mtimeMs?: number): Exclude<LockState, "free" | "unreadable"> {
  if (info.host !== hostname()) {
    return mtimeMs !== undefined && Date.now() - mtimeMs > leaseTimeoutS() * 1000 ? "expired" : "foreign";
  }
  if (!pidAlive(info.pid)) return "stale";
  if (info.pid_start !== undefined) {
    const now = pidStartTime(info.pid);
    if (now !== undefined && now !== info.pid_start) return "stale"; // pid reused by another process
  }
  return "held";
}

function mtimeOf(path: string): number | undefined {
  try { return statSync(path).mtimeMs; } catch { return undefined; }
}

function describe(info: LockInfo): string {
  return `pid ${info.pid} on host ${info.host} since ${info.started_utc}${info.slurm_job_id ? ` (Slurm job ${info.slurm_job_id})` : ""}`;
}

/** Errors of a file system without hard links (some FUSE and SMB mounts). */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/**
 * Creates `path` holding `text` unless it exists (false then): by hard link from `tmp`, or
 * where links are not supported, by O_EXCL create and write (a crash in between can then
 * leave an empty lock, which --break-lock clears).
 */
function createFrom(tmp: string, path: string, text: string): boolean {
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_LINKS.has(code)) throw asStorageError(err, path);
  }
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw asStorageError(err, path);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    // A lock that could not be written (a full disk) must not be left behind empty.
    closeSync(fd);
    try { unlinkSync(path); } catch { /* gone already */ }
    throw asStorageError(err, path);
  }
  closeSync(fd);
  return true;
}

/**
 * Takes the lock `name` in `partsDir` (created if needed). Throws LockError naming the
 * holder if someone has it; a stale lock is broken only with `breakStale` (or `force`).
 */
export function acquireLock(partsDir: string, name: string, opts: AcquireOptions = {}): LockHandle {
  ensureDirWritable(partsDir);
  const path = lockPath(partsDir, name);
  const info: LockInfo = {
    name, pid: process.pid, host: hostname(), started_utc: new Date().toISOString(),
    pid_start: pidStartTime(process.pid), token: randomBytes(8).toString("hex"),
    argv: process.argv.slice(1), cwd: process.cwd(), slurm_job_id: process.env.SLURM_JOB_ID,
  };
  // The lock appears whole or not at all: written to a temp file, then hard-linked to its
  // name (link fails if the name exists, like O_EXCL). A process killed between create and
  // write left an empty lock that only a person could break (the merge lock is taken right
  // after each commit, so a kill lands there); a crash now leaves at most the temp file,
  // which the next merge removes as a dead writer's.
  const text = JSON.stringify(info, null, 1) + "\n";
  let tmp: string;
  try {
    tmp = writeTempBeside(path, text);
  } catch (err) {
    throw asStorageError(err, path);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (createFrom(tmp, path, text)) {
        fsyncDir(partsDir);
        return makeHandle(path, info);
      }
      let holder: LockInfo | undefined;
      let state: LockState;
      try {
        holder = readLock(path);
        state = holder ? lockState(holder, mtimeOf(path)) : "free";
      } catch (e) {
        if (!(e instanceof LockError)) throw e;
        state = "unreadable";
      }
      if (state === "free") continue; // released between our attempt and read: try again
      const breakIt = state === "stale" || state === "expired"
        || (state === "unreadable" && (opts.breakStale || opts.force))
        || (state === "foreign" && opts.force);
      if (!breakIt) {
        const msg =
          state === "held" ? `${path} is held by ${describe(holder!)}: another wflo run is using this output (lock "${name}")` +
            (opts.force || opts.breakStale ? "; a live process on this host is never broken, even with --break-lock --force (it may be stopped, not dead): end it first" : "")
          : state === "foreign" ? `${path} is held by ${describe(holder!)}, whose lease is alive (refreshed within ${leaseTimeoutS()} s) and cannot be checked from ${hostname()}; if that run is gone, rerun with --break-lock --force`
          : `lock ${path} is unreadable; if no wflo run uses it, rerun with --break-lock`;
        throw new LockError(msg, state, path, holder);
      }
      if (breakLockFile(path, holder?.token)) {
        const why = state === "stale" ? "no longer runs"
          : state === "expired" ? `has not renewed its lease for more than ${leaseTimeoutS()} s`
          : state === "foreign" ? "was declared gone (--force)" : "left an unreadable lock file";
        const message = `wflo: broke the lock ${path}: ${holder ? describe(holder) : "its holder"} ${why}; resuming`;
        (opts.onBreak ?? ((m: string) => process.stderr.write(m + "\n")))(message);
      }
    }
  } finally {
    try { unlinkSync(tmp); } catch { /* linked or gone: the lock keeps its own name */ }
  }
  throw new LockError(`could not take ${path}: it keeps changing hands`, "held", path);
}

/**
 * Like acquireLock, but waits (polling) up to `waitMs` while a live holder has the lock: for
 * short holders such as a merge, whose end is worth waiting for rather than failing.
 */
export async function acquireLockWaiting(partsDir: string, name: string, opts: AcquireOptions & { waitMs?: number } = {}): Promise<LockHandle> {
  const until = Date.now() + (opts.waitMs ?? 60_000);
  for (;;) {
    try {
      return acquireLock(partsDir, name, opts);
    } catch (err) {
      if (!(err instanceof LockError) || err.state !== "held" || Date.now() >= until) throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Like acquireLock, but returns null instead of throwing when a live holder has it. */
export function tryAcquireLock(partsDir: string, name: string, opts: AcquireOptions = {}): LockHandle | null {
  try {
    return acquireLock(partsDir, name, opts);
  } catch (err) {
    if (err instanceof LockError && err.state === "held") return null;
    throw err;
  }
}

/**
 * Removes a lock file by renaming it aside first, so two processes breaking the same
 * stale lock cannot delete a fresh lock the other has just created.
 */
function breakLockFile(path: string, staleToken: string | undefined): boolean {
  const aside = `${path}.broken.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  let moved: LockInfo | undefined;
  try { moved = readLock(aside); } catch { moved = undefined; }
  let broke = true;
  if (moved && moved.token !== staleToken) {
    // Someone replaced the stale lock with a live one between our read and rename: put it back.
    try { linkSync(aside, path); } catch { /* they will find their lock gone only if a third party took it */ }
    broke = false;
  }
  try { unlinkSync(aside); } catch { /* best effort: the lock is already out of the way */ }
  return broke;
}

/** Inspects lock `name` without taking it. */
export function checkLock(partsDir: string, name: string): { state: LockState; holder?: LockInfo; path: string } {
  const path = lockPath(partsDir, name);
  try {
    const holder = readLock(path);
    if (!holder) return { state: "free", path };
    return { state: lockState(holder, mtimeOf(path)), holder, path };
  } catch (e) {
    if (e instanceof LockError) return { state: "unreadable", path };
    throw e;
  }
}

/** The locks in `partsDir` whose holders are (as far as can be told) alive: who is writing there now. */
export function liveLocks(partsDir: string): { name: string; holder: LockInfo }[] {
  let names: string[];
  try { names = readdirSync(partsDir); } catch { return []; }
  const out: { name: string; holder: LockInfo }[] = [];
  for (const f of names.sort()) {
    const m = /^(.+)\.lock$/.exec(f);
    if (!m || !NAME_RE.test(m[1])) continue;
    const l = checkLock(partsDir, m[1]);
    if ((l.state === "held" || l.state === "foreign") && l.holder) out.push({ name: m[1], holder: l.holder });
  }
  return out;
}

const held = new Set<LockHandle>();
let exitHook = false;

function makeHandle(path: string, info: LockInfo): LockHandle {
  let released = false;
  // The lease: other hosts judge this lock by its mtime (see the header).
  const lease = setInterval(() => {
    try {
      if (readLock(path)?.token !== info.token) return;
      const now = new Date();
      utimesSync(path, now, now);
    } catch { /* a missed refresh is retried; the timeout allows 24 */ }
  }, LEASE_REFRESH_S * 1000);
  lease.unref();
  const handle: LockHandle = {
    path, info,
    release() {
      if (released) return;
      released = true;
      clearInterval(lease);
      held.delete(handle);
      try {
        const now = readLock(path);
        if (now?.token === info.token) unlinkSync(path);
      } catch { /* gone or garbled: not ours to remove */ }
    },
  };
  held.add(handle);
  if (!exitHook) {
    exitHook = true;
    // A normal exit (also process.exit) releases; SIGKILL cannot, which is what stale-lock detection is for.
    process.on("exit", () => { for (const h of [...held]) h.release(); });
  }
  return handle;
}
