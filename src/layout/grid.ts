/**
 * Candidate grid for smart start, built as TopFarm's users build it:
 * `XX, YY = np.meshgrid(np.linspace(xmin, xmax, g), np.linspace(ymin, ymax, g))` over the
 * boundary's bounding box, flattened row-major (x varies fastest), then the points outside
 * the boundary dropped with the order kept. The order matters: smart start's random pick
 * is an index into this list.
 */
import { type Boundary, boundingBox, signedDistance } from "./boundary.js";

/** numpy's `linspace(start, stop, num)`: `start + i·step`, the last point set to `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`linspace num must be a non-negative integer, got ${num}`);
  const out = new Float64Array(num);
  if (num === 0) return out;
  const div = num - 1;
  if (div === 0) { out[0] = start; return out; }
  const delta = stop - start;
  const step = delta / div;
  if (step === 0) {
    for (let i = 0; i < num; i++) out[i] = (i / div) * delta + start;
  } else {
    for (let i = 0; i < num; i++) out[i] = i * step + start;
  }
  out[num - 1] = stop;
  return out;
}

export interface CandidateGrid {
  x: Float64Array;
  y: Float64Array;
  /** Points in the full g×g grid before the outside ones were dropped. */
  total: number;
}

/**
 * The g × g grid over the bounding box with the outside points dropped. A point is kept
 * when its signed distance is ≥ 0 (for a circle `R − |p − c| ≥ 0`, TopFarm's rule).
 */
export function candidateGrid(boundary: Boundary, gridSize: number): CandidateGrid {
  if (!Number.isInteger(gridSize) || gridSize < 1) throw new RangeError(`grid size must be an integer ≥ 1, got ${gridSize}`);
  const bb = boundingBox(boundary);
  const xs = linspace(bb.xmin, bb.xmax, gridSize);
  const ys = linspace(bb.ymin, bb.ymax, gridSize);
  const total = gridSize * gridSize;
  const X = new Float64Array(total), Y = new Float64Array(total);
  for (let r = 0; r < gridSize; r++) {
    for (let c = 0; c < gridSize; c++) { X[r * gridSize + c] = xs[c]; Y[r * gridSize + c] = ys[r]; }
  }
  const sd = signedDistance(boundary, X, Y, new Float64Array(total));
  let m = 0;
  for (let i = 0; i < total; i++) if (sd[i] >= 0) m++;
  const x = new Float64Array(m), y = new Float64Array(m);
  for (let i = 0, k = 0; i < total; i++) if (sd[i] >= 0) { x[k] = X[i]; y[k] = Y[i]; k++; }
  return { x, y, total };
}
