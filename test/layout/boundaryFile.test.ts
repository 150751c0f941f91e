// Boundary CSVs as the IEA 37 case studies (boundary_cs3.csv, boundary_cs4.csv) and GIS tools
// export them: one row per vertex, regions by a column, read into the object form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { boundaryFromCsv, boundaryFromGeoJson, boundaryFromIea37Yaml } from "../../src/layout/boundaryFile.js";
import { builtinBoundary, parseBoundary, parseLayoutCase } from "../../src/layout/case.js";
import { parseBatchSpec } from "../../src/batch/spec.js";
import { refPath } from "../physics/helpers.js";

const csv = (name: string) => readFileSync(refPath(`data/iea37_cs34/${name}`), "utf8");

test("data/iea37_cs34/boundary_cs4.csv reads as the built-in iea37-cs4 boundary, region by region, vertex for vertex", () => {
  for (const name of ["cs3", "cs4"] as const) {
    const fromCsv = parseBoundary(`boundary_${name}.csv`, "boundary", "case.json", (p) => csv(p));
    assert.deepEqual(fromCsv, builtinBoundary(`iea37-${name}`), name);
  }
  const obj = boundaryFromCsv(csv("boundary_cs4.csv"), "boundary_cs4.csv");
  assert.ok("polygons" in obj && obj.polygons.length === 5);
});

test("the organisers' boundary YAML (originals/iea37-boundary-cs3.yaml, -cs4.yaml) reads as the built-in boundary, in a case and in a batch spec", () => {
  const original = (p: string) => csv(`originals/${p}`);
  for (const name of ["cs3", "cs4"] as const) {
    assert.deepEqual(parseBoundary(`iea37-boundary-${name}.yaml`, "boundary", "case.json", original), builtinBoundary(`iea37-${name}`), name);
  }
  const spec = parseBatchSpec({
    site: "iea37-cs4", model: { preset: "IEA37CaseStudy1" }, turbines: ["IEA37_10MW"], seeds: 1, grid_size: 18, random_pct: 30,
    farms: [{ boundary: "iea37-boundary-cs4.yaml", n_turbines: 81, min_spacing_m: 396 }],
  }, { file: "spec.json", readText: original });
  assert.deepEqual(spec.farms[0].boundary, boundaryFromCsv(csv("boundary_cs4.csv")));
  assert.throws(() => boundaryFromIea37Yaml("title: x\nboundaries:\n  IIIa:\n    - [0, 0]\n    - [1, 0]\n", "b.yaml"),
    /^InputError: b\.yaml: boundaries\.IIIa: must be a ring of at least 3 positions/);
  assert.throws(() => boundaryFromIea37Yaml("title: x\n", "b.yaml"), /^InputError: b\.yaml: boundaries: is missing/);
  assert.throws(() => boundaryFromIea37Yaml("boundaries:\n  A:\n    - [0, 0]\n    - [1, 0]\n    - [1, north]\n", "b.yaml"),
    /b\.yaml: boundaries\.A: \[2\] must be a position \[x, y\], got \[1,"north"\]/);
});

test("rows in any order are put in vertex_index order per region; a plain x,y file is one polygon", () => {
  const rows = ["region,vertex_index,x_m,y_m", "B,2,10,20", "A,1,100,0", "B,0,0,0", "A,0,0,0", "B,1,10,0", "A,2,100,100"];
  assert.deepEqual(boundaryFromCsv(rows.join("\n"), "b.csv"), {
    polygons: [[[0, 0], [10, 0], [10, 20]], [[0, 0], [100, 0], [100, 100]]],
  });
  assert.deepEqual(boundaryFromCsv("x,y\n0,0\n1000,0\n1000,800\n", "p.csv"), { polygon: [[0, 0], [1000, 0], [1000, 800]] });
});

test("a boundary CSV that is no polygon, or in degrees, is refused naming the file", () => {
  assert.throws(() => boundaryFromCsv("region,x_m,y_m\nA,0,0\nA,1,1\n", "b.csv"), /^InputError: b\.csv: region A has 2 vertices; a polygon needs at least 3/);
  assert.throws(() => boundaryFromCsv("vertex_index,x_m,y_m\n0,0,0\n0,1,1\n1,2,0\n", "b.csv"), /b\.csv: vertex_index 0 appears twice/);
  assert.throws(() => boundaryFromCsv("longitude,latitude\n7.9,55.5\n", "b.csv"), /b\.csv: line 1: .*longitude\/latitude in degrees/);
});

test("a case and a batch spec take a boundary CSV; the spec carries it inline, so its spec_json stands alone", () => {
  const readText = (p: string) => csv(p);
  const c = parseLayoutCase({ site: "iea37-cs4", turbine: "IEA37_10MW", model: { preset: "IEA37CaseStudy1" }, boundary: "boundary_cs4.csv", n_turbines: 81, min_spacing_m: 396 },
    { file: "case.json", readText });
  assert.deepEqual(c.boundary, builtinBoundary("iea37-cs4"));
  const spec = parseBatchSpec({
    site: "iea37-cs4", model: { preset: "IEA37CaseStudy1" }, turbines: ["IEA37_10MW"], seeds: 1, grid_size: 18, random_pct: 30,
    farms: [{ boundary: "boundary_cs3.csv", n_turbines: 25, min_spacing_m: 396 }],
  }, { file: "spec.json", readText });
  assert.deepEqual(spec.farms[0].boundary, boundaryFromCsv(csv("boundary_cs3.csv")));
  assert.throws(() => parseBatchSpec({
    site: "iea37-cs4", model: { preset: "IEA37CaseStudy1" }, turbines: ["IEA37_10MW"], seeds: 1, grid_size: 18, random_pct: 30,
    farms: [{ boundary: "nowhere.csv", n_turbines: 25, min_spacing_m: 396 }],
  }, { file: "spec.json", readText }), /spec\.json: farms\[0\]\.boundary: cannot read "nowhere\.csv"/);
});

test("a GeoJSON boundary in metres: MultiPolygon regions (case study 4's five) as the built-in, inner rings as exclusions; degrees refused", () => {
  const cs4 = boundaryFromCsv(csv("boundary_cs4.csv"));
  assert.ok("polygons" in cs4);
  const closed = cs4.polygons.map((p) => [[...p, p[0]]]); // GeoJSON rings repeat their first position
  const fc = { type: "FeatureCollection", features: [{ type: "Feature", properties: { name: "Borssele III/IV" }, geometry: { type: "MultiPolygon", coordinates: closed } }] };
  const b = parseBoundary("cs4.geojson", "boundary", "case.json", () => JSON.stringify(fc));
  assert.deepEqual(b, builtinBoundary("iea37-cs4"));
  const withHole = boundaryFromGeoJson(JSON.stringify({
    type: "Polygon", coordinates: [[[0, 0], [3000, 0], [3000, 2000], [0, 2000], [0, 0]], [[1000, 500], [1500, 500], [1500, 900], [1000, 500]]],
  }), "h.geojson");
  assert.deepEqual(withHole, { polygon: [[0, 0], [3000, 0], [3000, 2000], [0, 2000], [0, 0]], exclusions: [[[1000, 500], [1500, 500], [1500, 900], [1000, 500]]] });
  assert.throws(() => boundaryFromGeoJson(JSON.stringify({ type: "Polygon", coordinates: [[[7.85, 55.48], [7.95, 55.48], [7.95, 55.53], [7.85, 55.48]]] }), "ll.geojson"),
    /ll\.geojson: its coordinates look like longitude\/latitude .*export it in a projected frame/);
  assert.throws(() => boundaryFromGeoJson(JSON.stringify({ type: "Feature", geometry: { type: "Point", coordinates: [0, 0] } }), "p.geojson"),
    /p\.geojson: geometry: is a "Point" geometry; a boundary needs Polygon or MultiPolygon/);
});
