/**
 * A boundary CSV as GIS tools and the IEA 37 case studies export one (boundary_cs4.csv): one
 * row per vertex in metres, `x_m,y_m` (or `x,y`), with an optional `region` column making one
 * polygon per region (in order of first appearance: any turbine may sit in any region) and an
 * optional `vertex_index` ordering each region's vertices. It becomes the object form
 * (`{"polygon"}` or `{"polygons"}`), so a batch spec carries it inline and a resume compares it.
 */
import { InputError } from "../errors.js";
import { readXyCsv } from "../physics/layoutFile.js";

export type BoundaryObject = { polygon: number[][] } | { polygons: number[][][] };

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
