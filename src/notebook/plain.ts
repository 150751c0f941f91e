// What happened to a file, in a sentence a researcher understands. The store's messages
// are precise but speak HDF5 internals and h5wasm's own words ("bad object header version
// number", "ring type mismatch occurred for cache entry", "eof = 19588 … stored_eof"):
// the reports show a sentence built from the file's status and counts, and keep the raw
// text, unchanged, in a collapsible details field (HTML) and in the report's `errors`.
import type { FileReport, RecoverFileReport } from "../store/index.js";
import { escapeHtml } from "../figures/html.js";

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/** The raw message without the file's path in front (the table names the file). */
export function withoutPath(message: string, path: string): string {
  return message.startsWith(path) ? message.slice(path.length).replace(/^:\s*/, "") : message;
}

/** Why one result (group) did not read intact, from the store's problem message. */
export function plainGroupProblem(raw: string): string {
  if (/past the end|beyond the end|beyond eof|lie \(partly\) past|cut off/i.test(raw)) return "its data lie past where the file was cut";
  if (/checksum mismatch|checksum does not match/i.test(raw)) return "its data changed after it was written (its checksum no longer matches)";
  if (/incorrect metadata checksum/i.test(raw)) return "bytes changed on disk (HDF5's own checksum of its metadata fails)";
  if (/attribute/i.test(raw)) return "its attributes are corrupt";
  if (/exponent range|out of bounds|not finite|\bNaN\b|values? (is|are) not/i.test(raw)) return "its values are corrupt";
  if (/cannot be written back/i.test(raw)) return "its data do not form a valid result";
  if (/missing|absent|no dataset|does not exist/i.test(raw)) return "part of it is missing";
  if (/shape|dtype|type/i.test(raw)) return "its data have the wrong shape or type";
  return "its data cannot be read";
}

const pctText = (p: number) => (p > 0 && p < 1 ? "under 1 %" : `${Math.round(p)} %`);

/** "cut short at 36,433 of 39,176 bytes (93 %)" from the store's messages, when they say. */
function cutShort(messages: string[]): string {
  for (const m of messages) {
    const a = /truncated \((\d+) of (\d+) bytes, ([\d.]+) %\)/.exec(m);
    if (a) return `cut short at ${Number(a[1]).toLocaleString("en-US")} of ${Number(a[2]).toLocaleString("en-US")} bytes (${pctText(Number(a[3]))})`;
    const b = /eof = (\d+),.*stored_eof = (\d+)/.exec(m);
    if (b && Number(b[2]) > 0) return `cut short at ${Number(b[1]).toLocaleString("en-US")} of ${Number(b[2]).toLocaleString("en-US")} bytes (${pctText((100 * Number(b[1])) / Number(b[2]))})`;
    const c = /superblock cut short: (\d+) of (\d+) bytes/.exec(m);
    if (c) return `cut short at ${c[1]} bytes, inside its HDF5 header`;
  }
  return "cut short";
}

/** The first group problem named in a file's messages, as a plain reason. */
function firstGroupReason(messages: string[]): string | undefined {
  const m = messages.find((e) => /\/farm\d+_t\d+_s\d+/.test(e) && !/deep salvage: \d+ more groups/.test(e));
  return m ? plainGroupProblem(m) : undefined;
}

/** A recover status in words (the codes stay in the report's `status` and the CLI's JSON). */
export function recoverStatusWords(status: RecoverFileReport["status"]): string {
  switch (status) {
    case "ok": return "intact";
    case "damaged": return "damaged, partly read";
    case "truncated-salvaged": return "cut short, partly read";
    case "truncated": return "cut short, unreadable";
    case "not-hdf5": return "not HDF5";
    case "empty": return "empty";
    default: return "unreadable";
  }
}

/** What recover made of one input file, in one sentence (raw messages: `rawDetails`). */
export function recoverFileStory(f: RecoverFileReport): string {
  const read = f.salvaged;
  const damaged = f.lost;
  const why = firstGroupReason(f.errors);
  let s: string;
  switch (f.status) {
    case "ok":
      s = read === 0 ? "intact, but holds no results" : `intact: ${plural(read, "result")} read`;
      break;
    case "damaged":
      s = `damaged: ${plural(read, "result")} read intact` + (damaged ? `, ${damaged} could not be read${why ? ` (${why})` : ""}` : "");
      if (f.errors.some((e) => /group index is unreadable|cannot list groups/.test(e))) s += "; its list of results is damaged, so results were looked up by name (any others in it are unknown)";
      break;
    case "truncated-salvaged":
      s = `${cutShort(f.errors)}: ${plural(read, "result")} read from what is left` + (damaged ? `, ${damaged} cut off` : "");
      if (f.errors.some((e) => /group index is unreadable/.test(e))) s += "; its list of results is gone, so results were looked up by name (any others in it are unknown)";
      break;
    case "truncated":
      s = `${cutShort(f.errors)}: nothing in it can be read, so what it held is unknown`;
      break;
    case "not-hdf5":
      s = "not an HDF5 file (no HDF5 signature at its start): nothing to read, so what it held, if anything, is unknown";
      break;
    case "empty":
      s = "empty (0 bytes): nothing to recover";
      break;
    default:
      s = read > 0
        ? `badly damaged: ${plural(read, "result")} read from what survives`
        : "damaged where HDF5 keeps its structure (as a writer killed before it flushed leaves it): nothing in it can be located, so what it held is unknown";
  }
  if (f.deepSalvaged > 0) s += `; ${f.deepSalvaged} of the results read were found by deep salvage, from the pieces of HDF5 structure that survive`;
  if (f.unlabeledBlocks > 0) s += `; ${plural(f.unlabeledBlocks, "block")} of result data that nothing names any more (unknown results)`;
  if ((f.attributeKeysRefused ?? 0) > 0) s += `; ${plural(f.attributeKeysRefused!, "intact result")} whose configuration cannot be told (unknown)`;
  if (f.metadata > 0) s += `; ${plural(f.metadata, "result")} with attributes off, recovered with the originals kept`;
  return s + ".";
}

/** What validate found in one file, in one sentence (empty for an intact file). */
export function validateFileStory(f: FileReport): string {
  const bad = f.groupsBad;
  const why = firstGroupReason([...f.errors, ...f.groups.flatMap((g) => g.problems.map((p) => `/${g.key}: ${p.message}`))]);
  switch (f.status) {
    case "ok":
    case "no-checksum":
      return "";
    case "metadata":
      return "intact data; some attributes are off (see the groups)";
    case "truncated":
      return `${cutShort(f.errors)}: needs recover to read what is left`;
    case "not-hdf5":
      return f.sizeBytes === 0 ? "empty (0 bytes)" : "not an HDF5 file (no HDF5 signature at its start)";
    default:
      if (f.groupsOk === 0 && bad === 0) return "damaged where HDF5 keeps its structure: it cannot be opened (recover may still find results in it)";
      return `${plural(bad, "result")} damaged${why ? ` (${why})` : ""}, ${f.groupsOk} intact`;
  }
}

/** The raw messages as a collapsible HTML element (nothing when there are none). */
export function rawDetailsHtml(lines: string[], label = "details"): string {
  if (lines.length === 0) return "";
  return `<details><summary style="cursor:pointer;color:#555">${escapeHtml(label)}</summary>` +
    `<pre style="white-space:pre-wrap;font-size:11px;margin:2px 0">${escapeHtml(lines.join("\n"))}</pre></details>`;
}
