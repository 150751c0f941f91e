// IEA 37 case studies 3/4 on the layout side: the built-in boundaries (one concave region;
// five separate regions as one union), checked against the reference's own feasibility
// verdicts on the organisers' baselines, and smart start over the five regions.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  boundaryArea, builtinBoundary, builtinLayout, feasibilityCheck, InputError, parseBoundary, parseLayoutCase,
  signedDistanceAt, smartStartLayout,
} from "../../src/internal.js";
import { reference } from "./helpers.js";

// ../shared/reference/data/iea37_cs34/iea37_cs34_reference.json layouts.*.feasibility
const REF = reference("data/iea37_cs34/iea37_cs34_reference.json");

test("built-in boundaries: {builtin: iea37-cs3} one region, {builtin: iea37-cs4} five; unknown names refused", () => {
  const b3 = parseBoundary({ builtin: "iea37-cs3" });
  const b4 = parseBoundary({ builtin: "iea37-cs4" });
  assert.equal(b3.kind, "polygons");
  assert.equal(b4.kind, "polygons");
  if (b3.kind !== "polygons" || b4.kind !== "polygons") return;
  assert.equal(b3.polygons.length, 1);
  assert.equal(b4.polygons.length, 5);
  assert.deepEqual(b4.polygons[0].x, b3.polygons[0].x, "cs3 is region IIIa of cs4");
  // Areas: IIIa 14.08 km², the five together 36.13 km² (shoelace on the reference vertices).
  assert.ok(Math.abs(boundaryArea(b3) - 14.0799e6) < 1e3 && Math.abs(boundaryArea(b4) - 36.1290e6) < 1e3, `${boundaryArea(b3)} ${boundaryArea(b4)}`);
  assert.throws(() => parseBoundary({ builtin: "borssele" }, "farms[0].boundary", "s.json"),
    (e: unknown) => e instanceof InputError && e.field === "farms[0].boundary.builtin" && /known: iea37-cs3, iea37-cs4/.test(e.message));
  assert.throws(() => parseBoundary({ builtin: "iea37-cs3", polygon: [[0, 0], [1, 0], [0, 1]] }),
    (e: unknown) => e instanceof InputError && e.field === "boundary.polygon");
});

test("the baselines' feasibility as the reference judges it (points outside, worst distance, spacing)", () => {
  for (const [name, layout, b] of [["cs3_baseline", "iea37-cs3-baseline", "iea37-cs3"], ["cs4_baseline", "iea37-cs4-baseline", "iea37-cs4"]] as const) {
    const ref = REF.layouts[name].feasibility;
    const l = builtinLayout(layout);
    const boundary = builtinBoundary(b);
    const exact = feasibilityCheck(boundary, l.x, l.y, 396, 0);
    assert.equal(exact.outside.length, ref.n_outside_boundary, `${name} outside`);
    assert.ok(Math.abs(exact.maxBoundaryViolationM - ref.max_outside_distance_m) < 1e-4, `${name} worst ${exact.maxBoundaryViolationM}`);
    assert.ok(Math.abs(exact.minSpacingM - ref.min_spacing_m) < 1e-4, `${name} spacing ${exact.minSpacingM}`);
    // The README's note: 4-decimal turbines on 1-decimal vertices need ~0.1 m of tolerance.
    assert.ok(feasibilityCheck(boundary, l.x, l.y, 396, 0.1).feasible, `${name} within 0.1 m`);
  }
});

test("no point in the gaps between the case-study 4 regions is feasible; every region's inside is", () => {
  const b = builtinBoundary("iea37-cs4");
  if (b.kind !== "polygons") throw new Error("polygons");
  // Midpoints between neighbouring regions' nearest vertices lie in the gaps (the regions are separate).
  // IIIa vertex (6098.3, 3297.5) and IIIb vertex (5588.4, 3791.3); IIIb (4670.7, 4680.2) and IVb (4176.8, 5158.6).
  for (const [x, y] of [[(6098.3 + 5588.4) / 2, (3297.5 + 3791.3) / 2], [(4670.7 + 4176.8) / 2, (4680.2 + 5158.6) / 2], [6000, 9200], [7000, 8200], [5000, 8000]]) {
    assert.ok(signedDistanceAt(b, x, y) < 0, `(${x}, ${y}) is outside`);
  }
  // Each region's vertex centroid (all five are convex or nearly so there) is inside.
  for (const p of b.polygons) {
    let cx = 0, cy = 0;
    for (let i = 0; i < p.x.length; i++) { cx += p.x[i]; cy += p.y[i]; }
    cx /= p.x.length; cy /= p.y.length;
    assert.ok(signedDistanceAt(b, cx, cy) > 0, `centroid (${cx}, ${cy}) inside`);
  }
});

test("case file with a built-in boundary: smart start puts 81 turbines over the five regions, all feasible", () => {
  const c = parseLayoutCase({
    site: "iea37-cs3", turbine: "IEA37_10MW", model: { deficit: "IEA37SimpleBastankhahGaussian" },
    boundary: { builtin: "iea37-cs4" }, n_turbines: 81,
  }, "cs4.json");
  assert.equal(c.minSpacingM, 396, "2 D by default");
  const ss = smartStartLayout({ ...c, gridSize: 30, randomPct: 30, seed: 0 });
  const f = feasibilityCheck(c.boundary, ss.x, ss.y, c.minSpacingM, 0);
  assert.ok(f.feasible, JSON.stringify({ out: f.outside, close: f.tooClose }));
  const b = c.boundary;
  if (b.kind !== "polygons") throw new Error("polygons");
  // Every turbine is in exactly one region, and more than one region is used.
  const used = new Set<number>();
  for (let i = 0; i < 81; i++) {
    const inside: (readonly [number, number])[] = b.polygons.map((p, r) => [r, signedDistanceAt({ kind: "polygons", polygons: [p], exclusions: [] }, ss.x[i], ss.y[i])] as const).filter(([, sd]) => sd >= 0);
    assert.equal(inside.length, 1, `turbine ${i}`);
    used.add(inside[0][0]);
  }
  assert.ok(used.size >= 4, `regions used: ${[...used]}`);
});

test("repair brings a turbine in from the tip of case study 3's needle-thin spike (where Newton steps flip sides)", async () => {
  const { repairLayout } = await import("../../src/layout/constraints.js");
  const b = builtinBoundary("iea37-cs3");
  // boundary_cs3.csv vertices 4, 5, 6, (9360.8, 360.2), (9361.5, 126.9), (9361.3, 137.1): a
  // sliver 0–0.17 m wide over its last 10 m; the optimizer drives a turbine to its tip.
  const x = Float64Array.of(9361.500042185484, 8000), y = Float64Array.of(126.90188851668934, 3000);
  assert.ok(signedDistanceAt(b, x[0], y[0]) < 0, "starts outside");
  assert.equal(repairLayout(b, x, y, 396), true);
  assert.ok(signedDistanceAt(b, x[0], y[0]) >= 0);
  // The sliver is too thin to stand in with the margin: the turbine goes to where the region
  // widens, 10 m up (vertex 6), not across the farm.
  assert.ok(Math.hypot(x[0] - 9361.5, y[0] - 126.9) < 20, `moved by less than 20 m: (${x[0]}, ${y[0]})`);
});
