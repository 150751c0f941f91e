/**
 * Reading the small text files users hand to wflo (batch specs, case files, turbine files)
 * without trusting them: a symlink to /dev/zero, a FIFO or a 10 GB file must be refused
 * before a byte is read, not read until memory runs out.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors.js";

/** The largest input text file wflo reads (bytes): far above any real spec, case or turbine file. */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads a regular file of at most `maxBytes` as UTF-8, without a leading byte-order mark. The
 * size is checked on the opened descriptor (no race with a swapped path) and the read stops at
 * the limit even if the file grows meanwhile. Errors are InputErrors naming the file and `what` it is.
 */
export function readInputText(path: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new InputError(`cannot read the ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`the ${what} is not a regular file (a device, FIFO or directory); refusing to read it`, { file: path });
    if (st.size > maxBytes) throw new InputError(`the ${what} is ${st.size} bytes; the limit is ${maxBytes} bytes`, { file: path });
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n >= buf.length) throw new InputError(`the ${what} grew past ${maxBytes} bytes while being read`, { file: path });
    }
    // A byte-order mark (Windows editors, Excel's "CSV UTF-8") is not content, and
    // JSON.parse refuses it (the CSV and YAML readers happened to skip it already).
    const text = buf.subarray(0, n).toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } finally {
    closeSync(fd);
  }
}
