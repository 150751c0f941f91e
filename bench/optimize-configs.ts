/**
 * The batch bench's hardware ceiling: optimizes the given configurations of a spec in this
 * process, with nothing of the batch around them (no pool, no store, no progress, no merge).
 * Two of these side by side, each with half the configurations, is the most two cores can
 * give for the same work; the batch's 2-worker speedup is read against it.
 *
 *   node --import tsx bench/optimize-configs.ts <spec.json> <first> <count>
 * prints {"cpuS": …, "wallS": …, "aepGWh": [...]} on stdout.
 */
import { readFileSync } from "node:fs";
import { optimizeLayout } from "../src/layout/index.js";
import { buildBoundary, buildModel, optimizerOptions, spacingM } from "../src/batch/build.js";
import { parseBatchSpec } from "../src/batch/spec.js";

const [specPath, first, count] = process.argv.slice(2);
const spec = parseBatchSpec(JSON.parse(readFileSync(specPath, "utf8")));
const model = buildModel(spec, 0);
const boundary = buildBoundary(spec, 0);
const farm = spec.farms[0];
const c0 = process.cpuUsage();
const t0 = performance.now();
const aepGWh: number[] = [];
for (let seed = Number(first); seed < Number(first) + Number(count); seed++) {
  const r = optimizeLayout({
    model, boundary, nTurbines: farm.n_turbines, minSpacingM: spacingM(spec, 0, 0),
    gridSize: spec.grid_size, randomPct: spec.random_pct, seed, optimizer: optimizerOptions(spec),
  });
  aepGWh.push(r.aepGWh);
}
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000, aepGWh }));
