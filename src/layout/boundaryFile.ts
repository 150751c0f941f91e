/**
 * Boundary files. A CSV as GIS tools and the IEA 37 case studies export one (boundary_cs4.csv): one
 * row per vertex in metres, `x_m,y_m` (or `x,y`), with an optional `region` column making one
 * polygon per region (in order of first appearance: any turbine may sit in any region) and an
 * optional `vertex_index` ordering each region's vertices. It becomes the object form
 * (`{"polygon"}` or `{"polygons"}`), so a batch spec carries it inline and a resume compares it.
 */
import { InputError } from "../errors.js";
import { readXyCsv } from "../physics/layoutFile.js";
import { loadYaml } from "../physics/textFormats.js";

export type BoundaryObject = ({ polygon: number[][] } | { polygons: number[][][] }) & { exclusions?: number[][][] };

export function boundaryFromCsv(text: string, file?: string): BoundaryObject {
  const r = readXyCsv(text, file, "vertices", { groupColumn: "region", indexColumn: "vertex_index" });
  const regions = new Map<string, { x: number; y: number; k: number }[]>();
  r.x.forEach((x, i) => {
    const g = r.group?.[i] ?? "";
    let list = regions.get(g);
    if (!list) regions.set(g, (list = []));
    list.push({ x, y: r.y[i], k: r.index?.[i] ?? i });
  });
  const polygons = [...regions].map(([name, vs]) => {
    if (r.index) {
      vs.sort((a, b) => a.k - b.k);
      for (let i = 1; i < vs.length; i++) {
        if (vs[i].k === vs[i - 1].k) throw new InputError(`${name ? `region ${name}: ` : ""}vertex_index ${vs[i].k} appears twice`, { file });
      }
    }
    if (vs.length < 3) throw new InputError(`${name ? `region ${name} has` : "has"} ${vs.length} vertices; a polygon needs at least 3`, { file });
    return vs.map((v) => [v.x, v.y]);
  });
  return polygons.length === 1 ? { polygon: polygons[0] } : { polygons };
}

/**
 * A GeoJSON boundary (`.geojson`): a Polygon or MultiPolygon geometry, bare or in a Feature or
 * FeatureCollection (every polygon of every feature), coordinates in metres in a projected
 * frame (UTM, as GIS tools export a site for layout work). A polygon's inner rings become
 * exclusion zones. Coordinates that look like longitude/latitude (RFC 7946's default) are
 * refused with what to do: a layout in degrees would be a farm a few metres across.
 */
export function boundaryFromGeoJson(text: string, file?: string): BoundaryObject {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new InputError(`is not JSON: ${(e as Error).message}`, { file });
  }
  const outers: number[][][] = [];
  const holes: number[][][] = [];
  const ring = (r: unknown, where: string) => ringOf(r, where, file);
  const polygon = (rings: unknown, where: string) => {
    if (!Array.isArray(rings) || rings.length === 0) throw new InputError("must be a list of rings (the outline, then any holes)", { file, field: where });
    outers.push(ring(rings[0], `${where}[0]`));
    for (let k = 1; k < rings.length; k++) holes.push(ring(rings[k], `${where}[${k}]`));
  };
  const geometry = (g: unknown, where: string) => {
    const o = g as { type?: unknown; coordinates?: unknown; geometries?: unknown } | null;
    if (o?.type === "Polygon") polygon(o.coordinates, `${where}.coordinates`);
    else if (o?.type === "MultiPolygon" && Array.isArray(o.coordinates)) o.coordinates.forEach((p, i) => polygon(p, `${where}.coordinates[${i}]`));
    else if (o?.type === "GeometryCollection" && Array.isArray(o.geometries)) o.geometries.forEach((x, i) => geometry(x, `${where}.geometries[${i}]`));
    else throw new InputError(`is a ${JSON.stringify(o?.type)} geometry; a boundary needs Polygon or MultiPolygon`, { file, field: where });
  };
  const top = doc as { type?: unknown; features?: unknown; geometry?: unknown } | null;
  if (top?.type === "FeatureCollection" && Array.isArray(top.features)) {
    if (top.features.length === 0) throw new InputError("has no features", { file, field: "features" });
    top.features.forEach((f, i) => geometry((f as { geometry?: unknown })?.geometry, `features[${i}].geometry`));
  } else if (top?.type === "Feature") {
    geometry(top.geometry, "geometry");
  } else {
    geometry(top, "(top level)");
  }
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of outers.flat()) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  if (minX >= -180 && maxX <= 180 && minY >= -90 && maxY <= 90 && maxX - minX < 5 && maxY - minY < 5) {
    throw new InputError(`its coordinates look like longitude/latitude (x ${minX}…${maxX}, y ${minY}…${maxY}); wflo works in metres: ` +
      "export it in a projected frame (e.g. the site's UTM zone), in the same frame as the turbines", { file });
  }
  const base = outers.length === 1 ? { polygon: outers[0] } : { polygons: outers };
  return holes.length ? { ...base, exclusions: holes } : base;
}

/** A ring of at least 3 positions `[x, y]` (a GeoJSON position may carry a third value: ignored). */
function ringOf(r: unknown, where: string, file: string | undefined): number[][] {
  if (!Array.isArray(r) || r.length < 3) throw new InputError("must be a ring of at least 3 positions", { file, field: where });
  return r.map((pt, i) => {
    if (!Array.isArray(pt) || pt.length < 2 || !pt.slice(0, 2).every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new InputError(`[${i}] must be a position [x, y], got ${JSON.stringify(pt)}`, { file, field: where });
    }
    return [pt[0] as number, pt[1] as number];
  });
}

/**
 * The IEA 37 boundary YAML (iea37-boundary-cs3.yaml, iea37-boundary-cs4.yaml): `boundaries`
 * maps each region's name to its vertices `[x, y]` in metres, in the frame of the case study's
 * layouts (its `location` block, the UTM origin, is not applied: the layouts are not in UTM
 * either). Several regions are one union, any turbine in any region, as the case study rules.
 */
export function boundaryFromIea37Yaml(text: string, file?: string): BoundaryObject {
  const doc = loadYaml(text, file) as { boundaries?: unknown } | null;
  const b = doc?.boundaries;
  if (typeof b !== "object" || b === null || Array.isArray(b)) {
    throw new InputError("is missing or not a map of region name to its vertices (an IEA 37 boundary YAML, as iea37-boundary-cs4.yaml)", { file, field: "boundaries" });
  }
  const polygons = Object.entries(b).map(([name, vs]) => ringOf(vs, `boundaries.${name}`, file));
  if (polygons.length === 0) throw new InputError("has no regions", { file, field: "boundaries" });
  return polygons.length === 1 ? { polygon: polygons[0] } : { polygons };
}
