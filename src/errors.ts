/**
 * Errors that reach a user. Every wflo error extends `WfloError`, which carries the CLI's
 * exit code and a machine-readable `kind`, so the CLI maps errors once (cli/main.ts) and a
 * notebook or script can branch on `err.kind` instead of on message text. Every one names
 * what is wrong (file, group, field) so it prints without a stack trace.
 */

/** What went wrong, for programs: stable strings, one per error class. */
export type WfloErrorKind =
  | "input" | "usage" | "lock-held" | "commit-conflict" | "no-feasible-position" | "worker-start" | "aborted" | "storage";

/** The base of every wflo error: a message for people, `kind` for programs, `exitCode` for the CLI. */
export class WfloError extends Error {
  readonly kind: WfloErrorKind;
  /** The CLI's exit code for this error: 2 bad input or usage (the user can fix it), 1 otherwise. */
  readonly exitCode: number;
  constructor(message: string, kind: WfloErrorKind, exitCode: number) {
    super(message);
    this.name = "WfloError";
    this.kind = kind;
    this.exitCode = exitCode;
  }
}

/** Bad input: a spec, case file, argument or data file the user can fix. CLI exit code 2. */
export class InputError extends WfloError {
  /** Dotted path of the offending field, e.g. `model.deficit` or `farms[2].boundary`. */
  readonly field?: string;
  /** File the input came from, when there is one. */
  readonly file?: string;
  /** The message without the file and field in front. */
  readonly detail: string;
  constructor(message: string, opts: { field?: string; file?: string } = {}) {
    const where = [opts.file, opts.field].filter(Boolean).join(": ");
    super(where ? `${where}: ${message}` : message, "input", 2);
    this.name = "InputError";
    this.field = opts.field;
    this.file = opts.file;
    this.detail = message;
  }
}

/**
 * Runs `f`; an InputError it raises naming no file (a constructor's, which knows no file) is
 * raised again naming `file`, its field kept or, with `rename`, mapped to the reader's own key.
 */
export function namingFile<T>(file: string | undefined, f: () => T, rename?: (field: string | undefined) => string | undefined): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof InputError) || e.file !== undefined || (file === undefined && !rename)) throw e;
    throw new InputError(e.detail, { field: rename ? rename(e.field) : e.field, file });
  }
}

/** Raised by CLI argument parsing. CLI exit code 2. */
export class UsageError extends WfloError {
  constructor(message: string) {
    super(message, "usage", 2);
    this.name = "UsageError";
  }
}

/** True for errors the user fixes by changing what they gave (exit code 2): no stack trace, no "last printed" note. */
export function isUserError(err: unknown): err is WfloError {
  return err instanceof WfloError && err.exitCode === 2;
}
