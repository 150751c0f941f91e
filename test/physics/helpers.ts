// Shared by the physics tests: reference files and relative-error helpers.
import { existsSync, readFileSync } from "node:fs";
import assert from "node:assert/strict";

// ../shared/reference beside the checkout: /work/main's is /work/shared, a worktree's
// (/work/wt/NAME) one more level up; the nearest one going up is the one meant.
const refDir = ((): URL => {
  for (const up of ["../../../", "../../../../"]) {
    const u = new URL(`${up}shared/reference/`, import.meta.url);
    if (existsSync(u)) return u;
  }
  return new URL("../../../shared/reference/", import.meta.url);
})();

/** Parsed JSON of a file in ../shared/reference (tests only; the library never reads it). */
export function reference<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, refDir), "utf8")) as T;
}

export function refPath(name: string): string {
  return new URL(name, refDir).pathname;
}

export function relErr(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

/** Largest relative error over two arrays; an exact 0 in the reference must be matched to 1e-12 absolute. */
export function maxRelErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, "length");
  let m = 0;
  for (let i = 0; i < expected.length; i++) {
    m = Math.max(m, expected[i] === 0 ? Math.abs(actual[i]) / 1e-3 : relErr(actual[i], expected[i]));
  }
  return m;
}

export function assertClose(actual: number, expected: number, tol: number, what: string): void {
  const e = relErr(actual, expected);
  assert.ok(e <= tol, `${what}: ${actual} vs ${expected} (rel ${e.toExponential(2)} > ${tol})`);
}

export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  const e = maxRelErr(actual, expected);
  assert.ok(e <= tol, `${what}: max rel error ${e.toExponential(2)} > ${tol}`);
}
