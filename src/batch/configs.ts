/**
 * A batch is the product farms × turbine types × seeds. Each element is one optimization,
 * named `farm{f}_t{t}_s{seed}` as the Python tool named its HDF5 groups (f and t are
 * 0-based indices into the spec's lists; the seed is the seed's value, not its index).
 * The order is fixed (farm, then type, then seed in the spec's order), so a config's
 * index — and with it its shard — is the same on every machine.
 */
import { UsageError } from "../errors.js";

export interface BatchConfig {
  /** Position in the expanded batch, 0-based. Shards are taken by `index mod n`. */
  readonly index: number;
  /** `farm{farmIdx}_t{typeIdx}_s{seed}`: the group name in the output. */
  readonly key: string;
  readonly farmIdx: number;
  readonly typeIdx: number;
  readonly seed: number;
}

/** What expansion needs to know about a spec (a validated `BatchSpec` has all three). */
export interface Expandable {
  readonly farms: readonly unknown[];
  readonly turbines: readonly unknown[];
  readonly seeds: readonly number[];
}

export function configKey(farmIdx: number, typeIdx: number, seed: number): string {
  return `farm${farmIdx}_t${typeIdx}_s${seed}`;
}

/** Parses a config key back into its parts; undefined for any other name. */
export function parseConfigKey(key: string): { farmIdx: number; typeIdx: number; seed: number } | undefined {
  const m = /^farm(\d+)_t(\d+)_s(\d+)$/.exec(key);
  return m ? { farmIdx: Number(m[1]), typeIdx: Number(m[2]), seed: Number(m[3]) } : undefined;
}

/** Every config of the spec in the fixed order farm → turbine type → seed. */
export function expandConfigs(spec: Expandable): BatchConfig[] {
  const out: BatchConfig[] = [];
  for (let f = 0; f < spec.farms.length; f++) {
    for (let t = 0; t < spec.turbines.length; t++) {
      for (const seed of spec.seeds) {
        out.push({ index: out.length, key: configKey(f, t, seed), farmIdx: f, typeIdx: t, seed });
      }
    }
  }
  return out;
}

/** Shard i of n (0 ≤ i < n), as Slurm array task ids count. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `"i/n"` → { index: i, count: n }. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard must be i/n with integers 0 ≤ i < n (e.g. 0/4), got "${text}"`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || index >= count) {
    throw new UsageError(`--shard ${text}: need 0 ≤ i < n and n ≥ 1 (Slurm array ids 0..n-1)`);
  }
  return { index, count };
}

/**
 * The configs of one shard: those whose index ≡ shard.index (mod shard.count). Taking
 * every n-th config, rather than a contiguous block, spreads the expensive farms (large
 * n_turbines sit together in the expansion) evenly over the shards.
 */
export function shardConfigs<T extends { index: number }>(configs: readonly T[], shard?: Shard): T[] {
  if (!shard || shard.count === 1) return configs.slice();
  return configs.filter((c) => c.index % shard.count === shard.index);
}

/**
 * The lock a run takes in the parts directory: "writer" for a whole (unsharded) run, which
 * also merges into the output; `shard-i-of-n` for a shard, which never merges, so shards
 * do not refuse each other but two runs of the same shard do.
 */
export function runLockName(shard?: Shard): string {
  return shard ? `shard-${shard.index}-of-${shard.count}` : "writer";
}
