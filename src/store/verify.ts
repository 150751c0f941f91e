/**
 * The check an output gets after it is written under its temp name and before it replaces
 * the old one, shared by merge and recover: the root attributes read, the result and
 * failure groups are exactly the expected ones, and the groups asked for read back intact
 * (with the checksum planned for them, when given). A problem is returned in words; the
 * caller keeps the old output.
 */
import { withFile, h5ErrorSummary, type H5Group } from "./h5.js";
import { isGoodStatus } from "./read.js";
import { FAILED_GROUP, isResultKey, readFailureGroup, readResultGroup, readRootAttrs } from "./schema.js";

export interface OutputExpectation {
  /** Exactly these result groups. */
  results: ReadonlySet<string>;
  /** Exactly these `_failed` groups. */
  failures: ReadonlySet<string>;
  /** Result groups read back (the rest are only counted). Default: all of `results`. */
  read?: Iterable<string>;
  /** Checksums the groups read must carry; a group listed here must verify ("ok", not merely "no-checksum"). */
  checksums?: ReadonlyMap<string, string>;
  /** Read every failure group back too (else only their names are compared). */
  readFailures?: boolean;
}

/** Verifies the written file at `path` against `e`; a problem description, or null when it holds what was planned. */
export async function verifyOutput(path: string, e: OutputExpectation): Promise<string | null> {
  try {
    return await withFile(path, "r", (f) => {
      const root = readRootAttrs(f);
      if (root.problems.length > 0) return root.problems.map((p) => p.message).join("; ");
      const got = new Set(f.keys().filter(isResultKey));
      if (got.size !== e.results.size) return `${got.size} result groups, expected ${e.results.size}`;
      for (const k of e.results) if (!got.has(k)) return `result ${k} missing`;
      const fg = f.get(FAILED_GROUP) as H5Group | null;
      const fkeys = new Set(fg ? fg.keys() : []);
      if (fkeys.size !== e.failures.size) return `${fkeys.size} failure groups, expected ${e.failures.size}`;
      for (const k of e.failures) {
        if (!fkeys.has(k)) return `failure ${k} missing`;
        if (e.readFailures) {
          const r = readFailureGroup(fg!.get(k) as H5Group);
          if (r.problems.length > 0) return r.problems.map((p) => p.message).join("; ");
        }
      }
      for (const k of e.read ?? e.results) {
        const r = readResultGroup(f.get(k) as H5Group);
        const want = e.checksums?.get(k);
        const ok = want !== undefined ? r.status === "ok" : isGoodStatus(r.status);
        if (!ok) return `/${k}: ${r.status}: ${r.problems.map((p) => p.message).join("; ")}`;
        if (want !== undefined && r.record?.checksum !== want) return `/${k}: checksum ${r.record?.checksum}, planned ${want}`;
      }
      return null;
    });
  } catch (err) {
    return h5ErrorSummary(err);
  }
}
