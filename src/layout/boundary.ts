/**
 * Farm boundaries: a circle, or one or more polygons (convex or concave, either
 * orientation) minus exclusion zones. Everything the optimizer needs is a signed distance
 * `sd(p)` (m): positive inside the feasible region, zero on its edge, negative outside,
 * with its gradient, evaluated for many points at once.
 *
 * For several polygons and exclusions the region is (∪ polygons) \ (∪ exclusions) and the
 * signed distance is the usual constructive-geometry combination
 * `sd = min(max_i sdPolygon_i, min_j −sdExclusion_j)`: its sign is exact everywhere (it is
 * ≥ 0 exactly on the feasible region), it is 1-Lipschitz, and its magnitude is the true
 * distance to the region's edge wherever one piece is nearest (disjoint polygons,
 * exclusions that do not overlap each other) — which is what a constraint needs.
 */
import { InputError } from "../errors.js";

export interface BoundaryCircle {
  readonly kind: "circle";
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
}

/** A simple polygon as vertex arrays, not closed (the last vertex ≠ the first). */
export interface BoundaryPolygon {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Signed area (m²): > 0 counter-clockwise. */
  readonly signedArea: number;
}

export interface PolygonBoundary {
  readonly kind: "polygons";
  readonly polygons: readonly BoundaryPolygon[];
  readonly exclusions: readonly BoundaryPolygon[];
}

export type Boundary = BoundaryCircle | PolygonBoundary;

/**
 * m points evenly along the closed outline (circle, or polygon vertices in order) by arc
 * length, the first at `phase` (0–1) of a step from the start; appended to xs, ys.
 */
export function pointsAlongOutline(o: BoundaryCircle | BoundaryPolygon, m: number, phase: number, xs: number[], ys: number[]): void {
  if ("kind" in o) {
    for (let q = 0; q < m; q++) {
      const t = (2 * Math.PI * (q + phase)) / m;
      xs.push(o.cx + o.radius * Math.cos(t)); ys.push(o.cy + o.radius * Math.sin(t));
    }
    return;
  }
  const nv = o.x.length;
  const step = outlineLength(o) / m;
  let i = 0, at = 0;
  let len = Math.hypot(o.x[1 % nv] - o.x[0], o.y[1 % nv] - o.y[0]);
  for (let q = 0; q < m; q++) {
    const t = (q + phase) * step;
    while (t > at + len && i < nv - 1) {
      at += len; i++;
      const j = (i + 1) % nv;
      len = Math.hypot(o.x[j] - o.x[i], o.y[j] - o.y[i]);
    }
    const j = (i + 1) % nv;
    const f = len > 0 ? Math.min(1, (t - at) / len) : 0;
    xs.push(o.x[i] + f * (o.x[j] - o.x[i])); ys.push(o.y[i] + f * (o.y[j] - o.y[i]));
  }
}

/** Axis-aligned bounding box of the region's outer edges (what the candidate grid spans). */
export interface BBox { xmin: number; xmax: number; ymin: number; ymax: number }

type Where = { file?: string; field?: string };

function fail(msg: string, where: Where, sub?: string): never {
  const field = [where.field, sub].filter(Boolean).join("");
  throw new InputError(msg, { file: where.file, field: field || undefined });
}

export function circleBoundary(center: readonly [number, number] | readonly number[], radius: number, where: Where = {}): BoundaryCircle {
  if (!Array.isArray(center) || center.length !== 2 || !center.every((v) => typeof v === "number" && Number.isFinite(v))) {
    fail("circle center must be [x, y] with two finite numbers (m)", where, ".center");
  }
  if (typeof radius !== "number" || !Number.isFinite(radius) || radius <= 0) {
    fail(`circle radius must be a finite number > 0 (m), got ${radius}`, where, ".radius");
  }
  return { kind: "circle", cx: center[0], cy: center[1], radius };
}

/** Orientation of (a, b, c): > 0 left turn. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

function segmentsIntersect(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return true;
  if (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return true;
  return false;
}

/**
 * Validates and stores a polygon given as [[x, y], ...]. A repeated closing vertex is
 * dropped. Rejected: fewer than 3 distinct vertices, non-finite coordinates, repeated
 * consecutive vertices, zero area, and edges that cross or touch (self-intersection).
 */
/**
 * The most vertices one polygon may have. The self-intersection check compares every pair of
 * edges (about 0.5 s at this size); a digitised coastline of more vertices should be
 * simplified first — no farm boundary needs metre-level detail beyond it.
 */
export const MAX_POLYGON_VERTICES = 10_000;

export function polygon(vertices: unknown, where: Where = {}): BoundaryPolygon {
  if (!Array.isArray(vertices)) fail("polygon must be an array of [x, y] vertices (m)", where);
  if (vertices.length > MAX_POLYGON_VERTICES + 1) fail(`polygon has ${vertices.length} vertices; the limit is ${MAX_POLYGON_VERTICES} (simplify it first)`, where);
  const pts: [number, number][] = [];
  vertices.forEach((v, i) => {
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "number" || typeof v[1] !== "number" ||
        !Number.isFinite(v[0]) || !Number.isFinite(v[1])) {
      fail("vertex must be [x, y] with two finite numbers (m)", where, `[${i}]`);
    }
    pts.push([v[0], v[1]]);
  });
  if (pts.length >= 2) {
    const a = pts[0], b = pts[pts.length - 1];
    if (a[0] === b[0] && a[1] === b[1]) pts.pop();
  }
  const n = pts.length;
  if (n === 0) fail("polygon is empty: give at least 3 vertices", where);
  if (n < 3) fail(`polygon needs at least 3 distinct vertices, got ${n}`, where);
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) { x[i] = pts[i][0]; y[i] = pts[i][1]; }
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    if (x[i] === x[j] && y[i] === y[j]) fail(`polygon is degenerate: vertices ${i} and ${j} coincide`, where);
  }
  let area2 = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    area2 += x[i] * y[j] - x[j] * y[i];
    scale = Math.max(scale, Math.abs(x[i]), Math.abs(y[i]));
  }
  // Edges that cross, touch or overlap make the inside ambiguous.
  for (let i = 0; i < n; i++) {
    const i2 = (i + 1) % n;
    for (let j = i + 1; j < n; j++) {
      const j2 = (j + 1) % n;
      if (j === i2 || j2 === i) continue; // adjacent edges share a vertex by design
      if (segmentsIntersect(x[i], y[i], x[i2], y[i2], x[j], y[j], x[j2], y[j2])) {
        fail(`polygon is self-intersecting: edge ${i}-${i2} meets edge ${j}-${j2}`, where);
      }
    }
    // Adjacent edges folding back on themselves (a spike of zero width).
    const i0 = (i + n - 1) % n;
    if (orient(x[i0], y[i0], x[i], y[i], x[i2], y[i2]) === 0) {
      const dot = (x[i] - x[i0]) * (x[i2] - x[i]) + (y[i] - y[i0]) * (y[i2] - y[i]);
      if (dot < 0) fail(`polygon is self-intersecting: it folds back at vertex ${i}`, where);
    }
  }
  if (!(Math.abs(area2) > 1e-12 * Math.max(1, scale * scale))) fail("polygon is degenerate: its area is zero", where);
  return { x, y, signedArea: area2 / 2 };
}

/** Several polygons (union) minus exclusion zones. */
export function polygonBoundary(polygons: readonly BoundaryPolygon[], exclusions: readonly BoundaryPolygon[] = [], where: Where = {}): PolygonBoundary {
  if (polygons.length === 0) fail("needs at least one polygon", where, ".polygons");
  return { kind: "polygons", polygons, exclusions };
}

/**
 * Signed distance (m) from (px, py) to a polygon's edge, > 0 inside, and its gradient.
 * Inside is decided by the crossing rule, so orientation does not matter.
 */
function polygonSd(poly: BoundaryPolygon, px: number, py: number, grad: Float64Array | null): number {
  const { x, y } = poly;
  const n = x.length;
  let best = Infinity, bqx = 0, bqy = 0, bex = 0, bey = 0;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ax = x[j], ay = y[j], bx = x[i], by = y[i];
    if ((ay > py) !== (by > py) && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
    const ex = bx - ax, ey = by - ay;
    const len2 = ex * ex + ey * ey;
    let t = ((px - ax) * ex + (py - ay) * ey) / len2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const qx = ax + t * ex, qy = ay + t * ey;
    const d2 = (px - qx) * (px - qx) + (py - qy) * (py - qy);
    if (d2 < best) { best = d2; bqx = qx; bqy = qy; bex = ex; bey = ey; }
  }
  const d = Math.sqrt(best);
  const s = inside ? 1 : -1;
  if (grad) {
    if (d > 0) {
      // |p − q| grows moving away from the nearest edge point q; sd = ±|p − q|.
      grad[0] = (s * (px - bqx)) / d;
      grad[1] = (s * (py - bqy)) / d;
    } else {
      // On the edge: the inward normal of the nearest edge.
      const l = Math.hypot(bex, bey);
      const ccw = poly.signedArea > 0 ? 1 : -1;
      grad[0] = (-ccw * bey) / l;
      grad[1] = (ccw * bex) / l;
    }
  }
  return d === 0 ? 0 : s * d;
}

const scratch = new Float64Array(2);

/**
 * Signed distance (m) of each point to the boundary, > 0 inside; fills `gradX`, `gradY`
 * (∂sd/∂x, ∂sd/∂y) when given. A circle uses `R − |p − c|` exactly as TopFarm does.
 */
export function signedDistance(
  b: Boundary, x: Float64Array, y: Float64Array, out: Float64Array,
  gradX?: Float64Array, gradY?: Float64Array,
): Float64Array {
  const n = x.length;
  if (b.kind === "circle") {
    for (let i = 0; i < n; i++) {
      const dx = x[i] - b.cx, dy = y[i] - b.cy;
      const r = Math.sqrt(dx * dx + dy * dy);
      out[i] = b.radius - r;
      if (gradX && gradY) {
        if (r > 0) { gradX[i] = -dx / r; gradY[i] = -dy / r; } else { gradX[i] = 0; gradY[i] = 0; }
      }
    }
    return out;
  }
  const wantGrad = !!(gradX && gradY);
  for (let i = 0; i < n; i++) {
    const px = x[i], py = y[i];
    let sd = -Infinity, gx = 0, gy = 0;
    for (const p of b.polygons) {
      const v = polygonSd(p, px, py, wantGrad ? scratch : null);
      if (v > sd) { sd = v; gx = scratch[0]; gy = scratch[1]; }
    }
    for (const e of b.exclusions) {
      const v = -polygonSd(e, px, py, wantGrad ? scratch : null);
      if (v < sd) { sd = v; gx = -scratch[0]; gy = -scratch[1]; }
    }
    out[i] = sd;
    if (wantGrad) { gradX![i] = gx; gradY![i] = gy; }
  }
  return out;
}

/** Signed distance of one point (m), > 0 inside. */
export function signedDistanceAt(b: Boundary, px: number, py: number): number {
  const o = new Float64Array(1);
  signedDistance(b, Float64Array.of(px), Float64Array.of(py), o);
  return o[0];
}

export function boundingBox(b: Boundary): BBox {
  if (b.kind === "circle") {
    return { xmin: b.cx - b.radius, xmax: b.cx + b.radius, ymin: b.cy - b.radius, ymax: b.cy + b.radius };
  }
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const p of b.polygons) {
    for (let i = 0; i < p.x.length; i++) {
      if (p.x[i] < xmin) xmin = p.x[i];
      if (p.x[i] > xmax) xmax = p.x[i];
      if (p.y[i] < ymin) ymin = p.y[i];
      if (p.y[i] > ymax) ymax = p.y[i];
    }
  }
  return { xmin, xmax, ymin, ymax };
}

/** Area of the feasible region (m²); overlapping polygons or exclusions make it an upper bound. */
export function boundaryArea(b: Boundary): number {
  if (b.kind === "circle") return Math.PI * b.radius * b.radius;
  let a = 0;
  for (const p of b.polygons) a += Math.abs(p.signedArea);
  for (const e of b.exclusions) a -= Math.abs(e.signedArea);
  return a;
}

/** Length of one outline: a circle's circumference or a polygon's perimeter. */
export function outlineLength(o: BoundaryCircle | BoundaryPolygon): number {
  return "kind" in o ? 2 * Math.PI * o.radius : perimeter(o);
}

function perimeter(p: BoundaryPolygon): number {
  let s = 0;
  const n = p.x.length;
  for (let i = 0, j = n - 1; i < n; j = i++) s += Math.hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]);
  return s;
}

function isConvex(p: BoundaryPolygon): boolean {
  const n = p.x.length;
  const sign = p.signedArea > 0 ? 1 : -1;
  for (let i = 0; i < n; i++) {
    const a = (i + n - 1) % n, c = (i + 1) % n;
    if (sign * orient(p.x[a], p.y[a], p.x[i], p.y[i], p.x[c], p.y[c]) < 0) return false;
  }
  return true;
}

/** Σ over convex vertices of the exterior angle (rad): the corner sectors of the dilation. */
function convexCornerTurn(p: BoundaryPolygon): number {
  const n = p.x.length;
  const sign = p.signedArea > 0 ? 1 : -1;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const a = (i + n - 1) % n, c = (i + 1) % n;
    const e1x = p.x[i] - p.x[a], e1y = p.y[i] - p.y[a];
    const e2x = p.x[c] - p.x[i], e2y = p.y[c] - p.y[i];
    const turn = Math.atan2(e1x * e2y - e1y * e2x, e1x * e2x + e1y * e2y) * sign;
    if (turn > 0) t += turn;
  }
  return t;
}

export interface CapacityCheck {
  /** False when n turbines at `minSpacingM` certainly cannot fit. True does not promise a fit. */
  possible: boolean;
  /** The largest n the bound allows. */
  maxTurbines: number;
  /** Which bound was used, for the error message. */
  bound: string;
  /** When the boundary is too small to be a farm in metres: what its coordinates may be in ("; …"), else "". */
  unitsHint: string;
}

/** Largest extent (m) below which a boundary cannot be a wind farm in metres: a few rotors. */
const SMALLEST_FARM_EXTENT_M = 100;

function unitsHint(b: Boundary): string {
  const bb = boundingBox(b);
  const w = bb.xmax - bb.xmin, h = bb.ymax - bb.ymin;
  if (!(Math.max(w, h) < SMALLEST_FARM_EXTENT_M)) return "";
  const fmt = (v: number) => +v.toPrecision(3);
  const degrees = Math.max(Math.abs(bb.xmin), Math.abs(bb.xmax)) <= 180 && Math.max(Math.abs(bb.ymin), Math.abs(bb.ymax)) <= 90;
  return `; the boundary spans only ${fmt(w)} × ${fmt(h)} m: are its coordinates in km${degrees ? " or in degrees (longitude, latitude)" : ""}? ` +
    "wflo works in metres (projected, e.g. UTM)";
}

/**
 * A cheap NECESSARY condition for placing n points pairwise ≥ s apart inside the boundary.
 * - Convex region (circle, one convex polygon, no exclusions): Oler's inequality
 *   n ≤ 2A/(√3 s²) + P/(2s) + 1 (A area, P perimeter), tight to a few percent for large n.
 * - Otherwise: disks of radius s/2 around the points are disjoint and lie in the region
 *   dilated by s/2, whose area is at most A + P·s/2 + (Σ convex-corner turns)·s²/8, so
 *   n ≤ that area / (π s²/4). Exclusions are ignored (they may overlap each other or
 *   the edge, so subtracting them could wrongly reject a spec).
 * If it says impossible, it is impossible; if it says possible, smart start may still fail.
 */
export function boundaryCanHold(b: Boundary, n: number, minSpacingM: number): CapacityCheck {
  if (!(n >= 0) || !Number.isInteger(n)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (n <= 1 || !(minSpacingM > 0)) return { possible: true, maxTurbines: Infinity, bound: "trivial", unitsHint: "" };
  const s = minSpacingM;
  let max: number;
  let bound: string;
  const convex = b.kind === "circle" || (b.polygons.length === 1 && b.exclusions.length === 0 && isConvex(b.polygons[0]));
  if (convex) {
    const A = boundaryArea(b);
    const P = outlineLength(b.kind === "circle" ? b : b.polygons[0]);
    max = Math.floor((2 * A) / (Math.sqrt(3) * s * s) + P / (2 * s) + 1 + 1e-9);
    bound = "Oler's bound 2A/(√3 s²) + P/(2s) + 1";
  } else {
    const r = s / 2;
    let dil = 0;
    for (const p of (b as PolygonBoundary).polygons) dil += Math.abs(p.signedArea) + perimeter(p) * r + (convexCornerTurn(p) * r * r) / 2;
    max = Math.floor(dil / (Math.PI * r * r) + 1e-9);
    bound = "disjoint disks of radius s/2 in the region dilated by s/2";
  }
  return { possible: n <= max, maxTurbines: max, bound, unitsHint: n <= max ? "" : unitsHint(b) };
}
