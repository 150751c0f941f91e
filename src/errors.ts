/**
 * Errors that reach a user. Every one names what is wrong (file, group, field) so the
 * CLI can print it without a stack trace and exit 2 for bad input.
 */

/** Bad input: a spec, case file, argument or data file the user can fix. CLI exit code 2. */
export class InputError extends Error {
  /** Dotted path of the offending field, e.g. `model.deficit` or `farms[2].boundary`. */
  readonly field?: string;
  /** File the input came from, when there is one. */
  readonly file?: string;
  constructor(message: string, opts: { field?: string; file?: string } = {}) {
    const where = [opts.file, opts.field].filter(Boolean).join(": ");
    super(where ? `${where}: ${message}` : message);
    this.name = "InputError";
    this.field = opts.field;
    this.file = opts.file;
  }
}

/** Raised by CLI argument parsing. CLI exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
