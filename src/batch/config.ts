/**
 * What a configuration of a batch is, in one place: the batch is the product farms × turbine
 * types × seeds, and each element is one optimization, named by the store's key codec
 * (`farm{f}_t{t}_s{seed}`, store/key.ts). The order is fixed (farm, then type, then seed in
 * the spec's order), so a config's index — and with it its shard — is the same on every
 * machine. Here too: what optimizeLayout is asked for a config (`layoutProblem`), the
 * attributes stored with its result (`resultAttrs`, `turbineName`) and the root attributes
 * of a batch's output (`rootAttrs`).
 */
import { UsageError } from "../errors.js";
import type { Boundary, OptimizeLayoutConfig } from "../layout/index.js";
import type { WindFarmModel } from "../physics/index.js";
import { formatKey, type ConfigKey } from "../store/key.js";
import type { AttrValue, RootAttrs } from "../store/schema.js";
import { optimizerOptions, spacingM, wakeModelName } from "./build.js";
import { join } from "node:path";
import { parseBatchSpecText, PARTS_SPEC_FILE, readPartsSpec, specJson } from "./spec.js";
import type { BatchSpec } from "./specTypes.js";

export { formatKey, parseKey, tryParseKey, type ConfigKey } from "../store/key.js";

export interface BatchConfig extends ConfigKey {
  /** Position in the expanded batch, 0-based. Shards are taken by `index mod n`. */
  readonly index: number;
  /** `farm{farmIdx}_t{typeIdx}_s{seed}`: the group name in the output. */
  readonly key: string;
}

/** What expansion needs to know about a spec (a validated `BatchSpec` has all three). */
export interface Expandable {
  readonly farms: readonly unknown[];
  readonly turbines: readonly unknown[];
  readonly seeds: readonly number[];
}

/** Every config of the spec in the fixed order farm → turbine type → seed. */
export function expandConfigs(spec: Expandable): BatchConfig[] {
  const out: BatchConfig[] = [];
  for (let f = 0; f < spec.farms.length; f++) {
    for (let t = 0; t < spec.turbines.length; t++) {
      for (const seed of spec.seeds) {
        out.push({ index: out.length, key: formatKey({ farmIdx: f, typeIdx: t, seed }), farmIdx: f, typeIdx: t, seed });
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

// ---------------------------------------------------------------------------------------
// a config's optimization and what is stored with its result

/**
 * The arguments optimizeLayout gets for config `k` of `spec`, given the config's model and
 * boundary (callers build and cache those: buildModel, buildBoundary). The batch worker,
 * the notebook's re-optimization and the report's smart start all ask through here, so the
 * three retrace the same optimization.
 */
export function layoutProblem(
  spec: BatchSpec, k: ConfigKey, built: { model: WindFarmModel; boundary: Boundary },
): OptimizeLayoutConfig {
  const farm = spec.farms[k.farmIdx];
  return {
    model: built.model,
    boundary: built.boundary,
    nTurbines: farm.n_turbines,
    minSpacingM: spacingM(spec, k.farmIdx, k.typeIdx),
    gridSize: spec.grid_size,
    randomPct: spec.random_pct,
    seed: k.seed,
    optimizer: optimizerOptions(spec),
  };
}

/** A turbine type's display name: its built-in name, its definition's `name`, else `turbines[t]`. */
export function turbineName(spec: BatchSpec, t: number): string {
  const d = spec.turbines[t];
  if (d === undefined) return `turbines[${t}]`;
  return typeof d === "string" ? d : typeof d.name === "string" ? d.name : `turbines[${t}]`;
}

/** A farm's display name: its `name`, else `farm{f}`. */
export function farmName(spec: BatchSpec, f: number): string {
  return spec.farms[f]?.name ?? `farm${f}`;
}

/**
 * The config's settings stored with its result (store schema RESULT_ATTRS): the wake model,
 * turbine type, farm name (when it has one), spacing and the smart-start settings. The
 * optimizer's own numbers (aep_initial, iterations, elapsed_s) are added by the worker.
 */
export function resultAttrs(spec: BatchSpec, k: ConfigKey): Record<string, AttrValue> {
  const farm = spec.farms[k.farmIdx];
  return {
    n_turbines: farm.n_turbines,
    wake_model: wakeModelName(spec),
    turbine: turbineName(spec, k.typeIdx),
    ...(farm.name ? { farm: farm.name } : {}),
    // Always metres in the output, however the spec gave it.
    min_spacing_m: spacingM(spec, k.farmIdx, k.typeIdx),
    grid_size: spec.grid_size,
    random_pct: spec.random_pct,
  };
}

/** The root attributes of a batch's output: smart-start settings, how many configs, the spec itself. */
export function rootAttrs(spec: BatchSpec): Required<Pick<RootAttrs, "grid_size" | "random_pct" | "total_configs" | "spec_json">> {
  return {
    grid_size: spec.grid_size,
    random_pct: spec.random_pct,
    total_configs: expandConfigs(spec).length,
    spec_json: specJson(spec),
  };
}

/**
 * The root attributes an unsharded `wflo run` gives its output (grid_size, random_pct,
 * total_configs, spec_json), from the spec every `wflo run` — shard or not — keeps in
 * `<parts>/spec.json`. `wflo merge` applies them, so shards merged by a Slurm merge job
 * make the same output as one machine would. undefined when the directory has no spec.
 */
export function rootAttrsOfPartsSpec(partsDir: string): { grid_size: number; random_pct: number; total_configs: number; spec_json: string } | undefined {
  const text = readPartsSpec(partsDir);
  if (text === undefined) return undefined;
  const spec = parseBatchSpecText(text, { file: join(partsDir, PARTS_SPEC_FILE) });
  return rootAttrs(spec);
}
