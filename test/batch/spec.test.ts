import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { InputError, UsageError } from "../../src/errors.js";
import {
  checkSpecCompatible, expandConfigs, mergeSeeds, parseBatchSpec, parseShard, readBatchSpec,
  runLockName, shardConfigs, specJson, tryParseKey,
} from "../../src/batch/index.js";

const base = () => ({
  site: "iea37",
  model: { deficit: "IEA37SimpleBastankhahGaussian" },
  turbines: ["IEA37_3.35MW", { name: "small", diameter_m: 80, hub_height_m: 70, ws: [3, 10, 25], power_W: [0, 1e6, 2e6], ct: [0.8, 0.8, 0.1] }],
  farms: [
    { boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 16, min_spacing_m: 260 },
    { boundary: { polygon: [[0, 0], [2000, 0], [2000, 1500], [0, 1500]] }, n_turbines: 6, min_spacing_m: 300 },
  ],
  seeds: [3, 1, 7],
  grid_size: 18,
  random_pct: 30,
});

/** The error names `field` as its field. */
function names(e: InputError, field: string): boolean {
  return e.field === field;
}

/** Asserts `fn` throws an InputError naming `field`, with a message matching `msg`. */
function rejects(fn: () => unknown, field: string, msg?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.ok(names(e, field), `expected field ${field}: ${e.message}`);
    if (msg) assert.match(e.message, msg);
    return true;
  });
}

test("configs expand farm → type → seed with keys as the Python tool named them", () => {
  const spec = parseBatchSpec(base());
  const c = expandConfigs(spec);
  assert.equal(c.length, 2 * 2 * 3);
  assert.deepEqual(c.slice(0, 4).map((x) => x.key), ["farm0_t0_s3", "farm0_t0_s1", "farm0_t0_s7", "farm0_t1_s3"]);
  assert.equal(c[11].key, "farm1_t1_s7");
  c.forEach((x, i) => assert.equal(x.index, i));
  assert.deepEqual(tryParseKey("farm1_t0_s42"), { farmIdx: 1, typeIdx: 0, seed: 42 });
  assert.equal(tryParseKey("farm1_t0"), undefined);
});

test("a seed count n means seeds 0..n-1", () => {
  const spec = parseBatchSpec({ ...base(), seeds: 4 });
  assert.deepEqual(spec.seeds, [0, 1, 2, 3]);
});

test("shards partition the configs: disjoint, complete, by index mod n", () => {
  const all = expandConfigs(parseBatchSpec({ ...base(), seeds: 10 }));
  const n = 3;
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const part = shardConfigs(all, parseShard(`${i}/${n}`));
    for (const c of part) {
      assert.equal(c.index % n, i);
      seen.set(c.key, (seen.get(c.key) ?? 0) + 1);
    }
  }
  assert.equal(seen.size, all.length);
  assert.ok([...seen.values()].every((v) => v === 1));
  assert.equal(runLockName(parseShard("2/5")), "shard-2-of-5");
  assert.equal(runLockName(undefined), "writer");
  for (const bad of ["3/3", "1", "a/b", "-1/2", "0/0"]) assert.throws(() => parseShard(bad), UsageError, bad);
});

test("missing required fields are rejected, naming the field", () => {
  for (const k of ["site", "model", "turbines", "farms", "seeds", "grid_size", "random_pct"]) {
    const s: Record<string, unknown> = base();
    delete s[k];
    rejects(() => parseBatchSpec(s, { file: "spec.json" }), k, /required/);
  }
  const s = base();
  delete (s.farms[1] as Record<string, unknown>).min_spacing_m;
  rejects(() => parseBatchSpec(s), "farms[1].min_spacing_m", /required/);
  const m = base();
  (m.model as Record<string, unknown>).deficit = undefined;
  rejects(() => parseBatchSpec(m), "model.deficit");
});

test("a turbine definition with a negative diameter is rejected, naming the field", () => {
  const s = base();
  (s.turbines[1] as Record<string, unknown>).diameter_m = -80;
  rejects(() => parseBatchSpec(s, { file: "spec.json" }), "turbines[1].diameter_m");
  try { parseBatchSpec(s, { file: "spec.json" }); } catch (e) { assert.match((e as Error).message, /^spec\.json: turbines\[1\]\.diameter_m: /); }
});

test("a boundary that cannot hold n turbines at the spacing is rejected before work starts", () => {
  const s = base();
  s.farms[0].n_turbines = 80; // a 1300 m circle holds at most ~ 2A/(√3 s²) + P/(2s) + 1 ≈ 106 at 260 m, but at 400 m far fewer
  s.farms[0].min_spacing_m = 400;
  rejects(() => parseBatchSpec(s), "farms[0].n_turbines", /cannot fit.*at most \d+/);
  // The smart-start grid must have at least n points inside.
  const g = base();
  g.grid_size = 4;
  rejects(() => parseBatchSpec(g), "grid_size", /raise grid_size/);
});

test("other bad values name their field", () => {
  const cases: [string, (s: ReturnType<typeof base>) => void, string][] = [
    ["unknown top-level field", (s) => { (s as Record<string, unknown>).seed = 1; }, "seed"],
    ["unknown farm field", (s) => { (s.farms[0] as Record<string, unknown>).n = 1; }, "farms[0].n"],
    ["negative spacing", (s) => { s.farms[1].min_spacing_m = -1; }, "farms[1].min_spacing_m"],
    ["fractional turbines", (s) => { s.farms[1].n_turbines = 2.5; }, "farms[1].n_turbines"],
    ["duplicate seed", (s) => { s.seeds = [1, 2, 1]; }, "seeds[2]"],
    ["negative seed", (s) => { s.seeds = [-1]; }, "seeds[0]"],
    ["random_pct > 100", (s) => { s.random_pct = 120; }, "random_pct"],
    ["unknown deficit", (s) => { s.model.deficit = "Jensen"; }, "model.deficit"],
    ["unknown site", (s) => { s.site = "nowhere"; }, "site"],
    ["unknown turbine", (s) => { s.turbines[0] = "V90"; }, "turbines[0]"],
    ["self-intersecting polygon", (s) => { s.farms[1].boundary = { polygon: [[0, 0], [1000, 1000], [1000, 0], [0, 1000]] } as never; }, "farms[1].boundary.polygon"],
    ["unknown boundary kind", (s) => { s.farms[0].boundary = { square: 1 } as never; }, "farms[0].boundary.square"],
    ["polygon with an exclusion outside the grid is fine, a bad exclusion is not", (s) => { s.farms[1].boundary = { polygon: [[0, 0], [2000, 0], [2000, 1500], [0, 1500]], exclusions: [[[1, 1], [2, 2]]] } as never; }, "farms[1].boundary.exclusions[0]"],
    ["unknown optimizer key", (s) => { (s as Record<string, unknown>).optimizer = { hopz: 1 }; }, "optimizer.hopz"],
    ["bad optimizer value", (s) => { (s as Record<string, unknown>).optimizer = { hops: -1 }; }, "optimizer.hops"],
    ["zero first penalty weight", (s) => { (s as Record<string, unknown>).optimizer = { penalty_start: 0 }; }, "optimizer.penalty_start"],
    ["bad fault kind", (s) => { (s as Record<string, unknown>)._fault = { "*": { kind: "explode" } }; }, "_fault.*.kind"],
  ];
  for (const [what, mutate, field] of cases) {
    const s = base();
    mutate(s);
    assert.throws(() => parseBatchSpec(s), (e: unknown) => e instanceof InputError && names(e, field), what);
  }
});

test("every example spec is valid", () => {
  const dir = new URL("../../examples/", import.meta.url);
  const specs = readdirSync(dir).filter((f) => f.endsWith(".json") && JSON.parse(readFileSync(new URL(f, dir), "utf8")).farms !== undefined);
  assert.ok(specs.includes("iea37-quick.json"));
  for (const f of specs) readBatchSpec(new URL(f, dir).pathname);
});

test("a stored spec is compatible when only the seeds differ; anything else is refused naming the field", () => {
  const a = parseBatchSpec(base());
  const stored = specJson(a);
  checkSpecCompatible(stored, parseBatchSpec({ ...base(), seeds: [9] }), { where: "x", out: "o.h5" });
  checkSpecCompatible(stored, parseBatchSpec({ ...base(), _fault: { "*": { kind: "sleep" } } }), { where: "x", out: "o.h5" });
  const other = base();
  other.farms[1].n_turbines = 7;
  assert.throws(() => checkSpecCompatible(stored, parseBatchSpec(other), { where: "o.h5 (spec_json)", out: "o.h5", file: "new.json" }),
    (e: unknown) => e instanceof InputError && e.field === "farms[1].n_turbines" && /stored 6|: 6, now 7/.test(e.message) && /new output/.test(e.message));
  assert.throws(() => checkSpecCompatible(stored, parseBatchSpec({ ...base(), grid_size: 20 }), { where: "x", out: "o.h5" }),
    (e: unknown) => e instanceof InputError && e.field === "grid_size");
  // The union of seeds, stored ones first, describes the output after a run with new seeds.
  assert.deepEqual(mergeSeeds(stored, parseBatchSpec({ ...base(), seeds: [7, 8] })).seeds, [3, 1, 7, 8]);
  // Canonical: key order does not matter.
  const shuffled = Object.fromEntries(Object.entries(base()).reverse());
  assert.equal(specJson(parseBatchSpec(shuffled)), stored);
});
