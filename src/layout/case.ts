/**
 * The layout part of a case file, on top of physics' `parseCaseModel`:
 *   "boundary": {"circle": {"center": [x, y], "radius": r}}
 *             | {"polygon": [[x, y], ...], "exclusions"?: [[[x, y], ...], ...]}
 *             | {"polygons": [[[x, y], ...], ...], "exclusions"?: [[[x, y], ...], ...]}
 *             | {"builtin": "iea37-cs3" | "iea37-cs4"}
 *   "n_turbines": integer ≥ 1
 *   "min_spacing_m": number ≥ 0 (default: 2 rotor diameters, the IEA 37 rule)
 * Coordinates in metres, in the same frame as the turbine positions.
 */
import { InputError, namingFile } from "../errors.js";
import { parseCaseModel, readReferenced, type CaseModel, type CaseOptions } from "../physics/index.js";
import { boundaryFromCsv, boundaryFromGeoJson, boundaryFromIea37Yaml, type BoundaryObject } from "./boundaryFile.js";
import {
  type Boundary, type BoundaryPolygon, boundaryCanHold, circleBoundary, polygon, polygonBoundary,
} from "./boundary.js";
import { IEA37_CS3_REGIONS, IEA37_CS4_REGIONS, type Region } from "./data/iea37cs34.js";

/** Built-in boundaries: the IEA 37 case-study 3 region and the five case-study 4 regions (one union). */
export const BUILTIN_BOUNDARY_NAMES = ["iea37-cs3", "iea37-cs4"] as const;
export type BuiltinBoundaryName = (typeof BUILTIN_BOUNDARY_NAMES)[number];

export function builtinBoundary(name: BuiltinBoundaryName): Boundary {
  const regions: readonly Region[] = name === "iea37-cs3" ? IEA37_CS3_REGIONS : IEA37_CS4_REGIONS;
  return polygonBoundary(regions.map((r) => polygon(r.vertices.map((v) => [v[0], v[1]]), { field: `boundary ${name} region ${r.name}` })));
}

export interface LayoutCase extends CaseModel {
  readonly boundary: Boundary;
  readonly nTurbines: number;
  readonly minSpacingM: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a boundary object; `field` prefixes every error's field path. */
export function parseBoundary(v: unknown, field = "boundary", file?: string, readText?: (path: string) => string): Boundary {
  if (typeof v === "string" && BOUNDARY_FILE.test(v)) {
    const obj = readBoundaryFile(v, field, file, readText);
    return namingFile(v, () => parseBoundary(obj, "boundary", undefined));
  }
  if (!isObj(v)) throw new InputError(`must be an object: {"circle": {...}} | {"polygon": [...]} | {"polygons": [...], "exclusions": [...]} | {"builtin": name}`, { field, file });
  if (v.builtin !== undefined) {
    for (const k of Object.keys(v)) if (k !== "builtin") throw new InputError("a built-in boundary takes no other key", { field: `${field}.${k}`, file });
    if (typeof v.builtin !== "string" || !(BUILTIN_BOUNDARY_NAMES as readonly string[]).includes(v.builtin)) {
      throw new InputError(`unknown built-in boundary ${JSON.stringify(v.builtin)} (known: ${BUILTIN_BOUNDARY_NAMES.join(", ")})`, { field: `${field}.builtin`, file });
    }
    return builtinBoundary(v.builtin as BuiltinBoundaryName);
  }
  const kinds = ["circle", "polygon", "polygons"].filter((k) => v[k] !== undefined);
  for (const k of Object.keys(v)) {
    if (!["circle", "polygon", "polygons", "exclusions"].includes(k)) {
      throw new InputError("unknown key (known: circle, polygon, polygons, exclusions, builtin)", { field: `${field}.${k}`, file });
    }
  }
  if (kinds.length !== 1) {
    throw new InputError(`needs exactly one of "circle", "polygon", "polygons"${kinds.length ? ` (got ${kinds.join(", ")})` : ""}`, { field, file });
  }
  if (kinds[0] === "circle") {
    if (v.exclusions !== undefined) throw new InputError("exclusions are supported with polygon boundaries only", { field: `${field}.exclusions`, file });
    const c = v.circle;
    if (!isObj(c)) throw new InputError(`must be {"center": [x, y], "radius": r}`, { field: `${field}.circle`, file });
    for (const k of Object.keys(c)) {
      if (k !== "center" && k !== "radius") throw new InputError("unknown key (known: center, radius)", { field: `${field}.circle.${k}`, file });
    }
    if (c.center === undefined) throw new InputError("is missing", { field: `${field}.circle.center`, file });
    if (c.radius === undefined) throw new InputError("is missing", { field: `${field}.circle.radius`, file });
    return circleBoundary(c.center as number[], c.radius as number, { field: `${field}.circle`, file });
  }
  const polys: BoundaryPolygon[] = [];
  if (kinds[0] === "polygon") {
    polys.push(polygon(v.polygon, { field: `${field}.polygon`, file }));
  } else {
    if (!Array.isArray(v.polygons)) throw new InputError("must be an array of polygons", { field: `${field}.polygons`, file });
    if (v.polygons.length === 0) throw new InputError("is empty: give at least one polygon", { field: `${field}.polygons`, file });
    v.polygons.forEach((p, i) => polys.push(polygon(p, { field: `${field}.polygons[${i}]`, file })));
  }
  const excl: BoundaryPolygon[] = [];
  if (v.exclusions !== undefined) {
    if (!Array.isArray(v.exclusions)) throw new InputError("must be an array of polygons", { field: `${field}.exclusions`, file });
    v.exclusions.forEach((p, i) => excl.push(polygon(p, { field: `${field}.exclusions[${i}]`, file })));
  }
  return polygonBoundary(polys, excl, { field, file });
}

/** Boundary file names: a vertex CSV, GeoJSON, or the IEA 37 boundary YAML. */
export const BOUNDARY_FILE = /\.(csv|geojson|ya?ml)$/i;

/** A boundary file (CSV, GeoJSON or IEA 37 YAML) a case or spec refers to, read through the caller's reader, in its object form. */
export function readBoundaryFile(path: string, field: string, file: string | undefined, readText?: (path: string) => string): BoundaryObject {
  const text = readReferenced(path, field, file, readText);
  if (/\.csv$/i.test(path)) return boundaryFromCsv(text, path);
  return /\.ya?ml$/i.test(path) ? boundaryFromIea37Yaml(text, path) : boundaryFromGeoJson(text, path);
}

/** A case file for smart start / optimize: model, flow cases, boundary, n_turbines, spacing. */
export function parseLayoutCase(value: unknown, opts: CaseOptions | string = {}): LayoutCase {
  const o = typeof opts === "string" ? { file: opts } : opts;
  const file = o.file;
  const cm = parseCaseModel(value, o);
  const obj = value as Obj;
  if (obj.boundary === undefined) throw new InputError("is missing (smart start and optimize need a boundary)", { field: "boundary", file });
  const boundary = parseBoundary(obj.boundary, "boundary", file, o.readText);
  const n = obj.n_turbines;
  if (n === undefined) throw new InputError("is missing", { field: "n_turbines", file });
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new InputError(`must be an integer ≥ 1, got ${JSON.stringify(n)}`, { field: "n_turbines", file });
  let s = obj.min_spacing_m;
  if (s === undefined) s = 2 * cm.model.turbine.diameterM;
  if (typeof s !== "number" || !Number.isFinite(s) || s < 0) throw new InputError(`must be a number ≥ 0 (m), got ${JSON.stringify(s)}`, { field: "min_spacing_m", file });
  const cap = boundaryCanHold(boundary, n, s);
  if (!cap.possible) {
    throw new InputError(`cannot hold ${n} turbines ${s} m apart: at most ${cap.maxTurbines} fit (${cap.bound})${cap.unitsHint}`, { field: "boundary", file });
  }
  return { ...cm, boundary, nTurbines: n, minSpacingM: s };
}
