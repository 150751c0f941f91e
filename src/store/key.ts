/**
 * The name of one configuration's result: `farm{f}_t{t}_s{seed}`, as the Python tool named
 * its HDF5 groups (f and t are 0-based indices into the spec's farms and turbine types; the
 * seed is the seed's value, not its index). One parser and one formatter for every area:
 * the store names groups and part files with it, batch names configs, the report and the
 * notebook read keys back.
 */
import { InputError } from "../errors.js";

/** The three coordinates of a configuration (stored as attributes farm_idx, type_idx, ss_seed). */
export interface ConfigKey {
  readonly farmIdx: number;
  readonly typeIdx: number;
  readonly seed: number;
}

const KEY_RE = /^farm(\d+)_t(\d+)_s(\d+)$/;

/** `{farmIdx: 3, typeIdx: 1, seed: 42}` → `farm3_t1_s42`. */
export function formatKey(k: ConfigKey): string {
  return `farm${k.farmIdx}_t${k.typeIdx}_s${k.seed}`;
}

/** `farm3_t1_s42` → {farmIdx: 3, typeIdx: 1, seed: 42}; undefined for any other name. */
export function tryParseKey(key: string): ConfigKey | undefined {
  const m = KEY_RE.exec(key);
  if (!m) return undefined;
  const k = { farmIdx: Number(m[1]), typeIdx: Number(m[2]), seed: Number(m[3]) };
  return Number.isSafeInteger(k.farmIdx) && Number.isSafeInteger(k.typeIdx) && Number.isSafeInteger(k.seed) ? k : undefined;
}

/** `farm3_t1_s42` → {farmIdx: 3, typeIdx: 1, seed: 42}; InputError naming the key otherwise. */
export function parseKey(key: string): ConfigKey {
  const k = tryParseKey(key);
  if (k) return k;
  if (KEY_RE.test(key)) throw new InputError(`"${key}": index too large`, { field: "key" });
  throw new InputError(`"${key}" is not a result key; expected farm{farm_idx}_t{type_idx}_s{ss_seed}, e.g. farm0_t1_s42`, { field: "key" });
}

/** True for a name of the form `farm{f}_t{t}_s{seed}`. */
export function isResultKey(key: string): boolean {
  return KEY_RE.test(key);
}

/** The attribute each coordinate is stored as. */
export const KEY_ATTRS = { farm_idx: "farmIdx", type_idx: "typeIdx", ss_seed: "seed" } as const satisfies Record<string, keyof ConfigKey>;
