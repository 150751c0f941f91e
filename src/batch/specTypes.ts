/**
 * The batch spec's types, apart from its parser (spec.ts) and from what builds objects out
 * of it (build.ts), so those two do not import each other. Two forms: `BatchSpecInput` as
 * users write it (a seed count, turbine and wind-rose files by path), and `BatchSpec`, what
 * `parseBatchSpec` returns — seeds a list, files read and inlined — which the workers receive
 * and the output stores as `spec_json`. docs/batch.md documents the fields.
 */
import type { FaultTable } from "./faults.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One farm: where turbines may stand, how many, how far apart. */
export interface FarmSpec {
  /** Free text, shown in reports. */
  name?: string;
  /** `{"circle": {"center": [x, y], "radius": r}} | {"polygon": [[x, y], …]} | {"polygons": [[[x, y], …], …], "exclusions": [[[x, y], …], …]}` (m). */
  boundary: { [k: string]: Json };
  n_turbines: number;
  /** Minimum distance between turbines (m), the same for every turbine type. */
  min_spacing_m?: number;
  /**
   * Or in rotor diameters of the configuration's turbine type: one value for every type
   * (each in its own diameter), or a list with one value per turbine type (index t).
   * Exactly one of min_spacing_m and min_spacing_D is given; spacingM() gives metres.
   */
  min_spacing_D?: number | number[];
}

/** The validated, normalised spec (`parseBatchSpec`'s result): self-contained plain JSON. */
export interface BatchSpec {
  /** Free text. */
  name?: string;
  description?: string;
  /**
   * A built-in site name ("iea37", "hornsrev1", "iea37-cs3", "iea37-cs4") or a site definition
   * as in case files. A wind-rose file (`.yaml`/`.yml`/`.csv`) is replaced here by its table.
   */
  site: string | { [k: string]: Json };
  /** Wake model: deficit and superposition names, as in case files. */
  model: { preset?: string; deficit?: string; superposition?: string; [param: string]: Json | undefined };
  /** Flow cases: wind directions (deg) and speeds (m/s); default: the site's own. */
  wd?: number[];
  ws?: number[];
  /**
   * Turbine types: built-in names ("IEA37_3.35MW", "V80") or definitions; index t in keys.
   * A file path in the spec (`.yaml`/`.yml`/`.json`) is replaced here by its definition.
   */
  turbines: (string | { [k: string]: Json })[];
  /** Farms; index f in keys. */
  farms: FarmSpec[];
  /** Smart-start seeds, always a list (a count n in the input means 0..n-1). */
  seeds: number[];
  /** Smart-start candidate grid: grid_size × grid_size points over the bounding box. */
  grid_size: number;
  /** Smart start picks among the best random_pct % of candidates (0 = greedy). */
  random_pct: number;
  /** Optimizer settings passed to optimizeLayout (see docs/layout.md). */
  optimizer?: { [k: string]: Json };
  /** Test-only fault injection, active only with WFLO_TEST_FAULTS=1 (see faults.ts). */
  _fault?: FaultTable;
}

/**
 * A spec as users write it (the JSON file, or an object in a notebook cell): seeds may be a
 * count (`"seeds": 4` means 0..3), the site a wind-rose file and turbine types files, read
 * relative to the spec file. `parseBatchSpec` turns it into a `BatchSpec`.
 */
export interface BatchSpecInput extends Omit<BatchSpec, "seeds" | "_fault"> {
  /** A list of distinct seeds, or a count n meaning 0..n-1. */
  seeds: number | number[];
  /** Test-only (see faults.ts); unchecked in the input. */
  _fault?: unknown;
}
