import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reference } from "../physics/helpers.js";
import { assertAllClose, assertClose } from "../physics/helpers.js";

const dev = ["--import", "tsx", "src/cli/dev.ts"];
const wflo = (...args: string[]) => spawnSync(process.execPath, [...dev, ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "wflo-aep-"));
function caseFile(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

test("wflo aep --json on Horns Rev 1 (NOJ) prints exactly the contract's fields with PyWake's numbers", () => {
  const r = wflo("aep", "examples/cases/hornsrev1-noj.json", "--json");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ["aep_GWh", "aep_no_wake_GWh", "aep_per_turbine_GWh", "aep_per_wd_GWh", "aep_per_ws_GWh"]);
  // pywake_hornsrev1_iea37.json hornsrev1.models.NOJ.*
  const ref = reference("pywake_hornsrev1_iea37.json").hornsrev1.models.NOJ;
  assertClose(out.aep_GWh, ref.aep_GWh, 1e-9, "aep_GWh");
  assertClose(out.aep_no_wake_GWh, ref.aep_no_wake_GWh, 1e-9, "aep_no_wake_GWh");
  assertAllClose(out.aep_per_turbine_GWh, ref.aep_per_wt_GWh, 1e-9, "per turbine");
  assertAllClose(out.aep_per_wd_GWh, ref.aep_per_wd_GWh, 1e-9, "per direction");
  assertAllClose(out.aep_per_ws_GWh, ref.aep_per_ws_GWh, 1e-9, "per speed");
});

test("examples/cases/hornsrev1-files.json (Weibull table, curve CSV, layout CSV) gives PyWake's Horns Rev 1 BastankhahGaussian numbers", () => {
  const r = wflo("aep", "examples/cases/hornsrev1-files.json", "--json");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // pywake_hornsrev1_iea37.json hornsrev1.models.BastankhahGaussian.*
  const ref = reference("pywake_hornsrev1_iea37.json").hornsrev1.models.BastankhahGaussian;
  assertClose(out.aep_GWh, ref.aep_GWh, 1e-9, "aep_GWh");
  assertAllClose(out.aep_per_turbine_GWh, ref.aep_per_wt_GWh, 1e-9, "per turbine");
  assertAllClose(out.aep_per_ws_GWh, ref.aep_per_ws_GWh, 1e-9, "per speed");
});

test("wflo aep --repeat N adds timing_s {min, median} of the computation", () => {
  const r = wflo("aep", "examples/cases/iea37-16.json", "--json", "--repeat", "5");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // iea37_cs1.json baseline.16.aep_MWh
  assertClose(out.aep_GWh * 1e3, reference("iea37_cs1.json").baseline["16"].aep_MWh, 1e-9, "aep");
  assert.deepEqual(Object.keys(out.timing_s), ["min", "median"]);
  assert.ok(out.timing_s.min > 0 && out.timing_s.min <= out.timing_s.median && out.timing_s.median < 5);
  assert.equal(wflo("aep", "examples/cases/iea37-16.json", "--repeat", "0").status, 2);
});

test("a case with its own site, turbine table and layout; ignores the layout tools' keys", () => {
  const p = caseFile("own.json", {
    site: { type: "uniform", p_wd: [1], ws: [10] },
    turbine: { diameter_m: 80, hub_height_m: 70, ws: [3, 4, 25], power_W: [0, 1e5, 2e6], ct: [0, 0.8, 0.8] },
    layout: { x: [0, 400], y: [0, 0] },
    model: { deficit: "BastankhahGaussian" },
    wd: [270],
    boundary: { circle: { center: [0, 0], radius_m: 1300 } }, n_turbines: 2, min_spacing_m: 260,
  });
  const r = wflo("aep", p, "--json");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.aep_per_wd_GWh.length, 1);
  assert.ok(out.aep_per_turbine_GWh[1] < out.aep_per_turbine_GWh[0]);
});

const good = { site: "iea37", turbine: "IEA37_3.35MW", layout: "iea37-16", model: { deficit: "IEA37SimpleBastankhahGaussian" } };
const badCases: [string, unknown, RegExp][] = [
  ["unknown model", { ...good, model: { deficit: "Jensen" } }, /model\.deficit: unknown model "Jensen" \(known: NOJ, /],
  ["unknown superposition", { ...good, model: { deficit: "NOJ", superposition: "max" } }, /model\.superposition: unknown superposition/],
  ["missing field", { site: "iea37", layout: "iea37-16", model: { deficit: "NOJ" } }, /turbine: is missing/],
  ["missing layout", { ...good, layout: undefined }, /layout: is missing/],
  ["negative diameter", { ...good, turbine: { diameter_m: -130, hub_height_m: 110, cut_in_ws: 4, rated_ws: 9.8, cut_out_ws: 25, rated_power_W: 3.35e6 } }, /turbine\.diameter_m: must be a positive number of metres, got -130/],
  ["mismatched x/y lengths", { ...good, layout: { x: [0, 1, 2], y: [0, 1] } }, /layout: x has 3 values but y has 2/],
  ["non-number coordinate", { ...good, layout: { x: [0, "a"], y: [0, 1] } }, /layout\.x: \[1\] must be a number, got "a"/],
  ["unknown site", { ...good, site: "northsea" }, /site: unknown built-in site "northsea"/],
  ["unknown top-level key", { ...good, wdd: [0] }, /wdd: unknown key/],
  ["weibull lengths", { ...good, site: { type: "weibull", sector_freq: [0.5, 0.5], weibull_A: [9], weibull_k: [2, 2] } }, /site\.weibull_A: has 1 values for 2 sectors/],
];
for (const [what, content, re] of badCases) {
  test(`bad input (${what}): exit 2, the field named, no stack trace`, () => {
    const p = caseFile(`${what.replace(/\W+/g, "-")}.json`, content);
    const r = wflo("aep", p, "--json");
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, re);
    assert.ok(r.stderr.includes(p), "names the file");
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, "");
  });
}

test("a file that is not JSON, or not there: exit 2 naming the file", () => {
  const p = caseFile("broken.json", "{ site: iea37 ");
  const r = wflo("aep", p, "--json");
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`${p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: is not JSON`));
  const missing = wflo("aep", join(dir, "nope.json"));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.json: cannot read the case file: ENOENT/);
  assert.equal(wflo("aep").status, 2);
});

test("a case whose layout is a file: the IEA 37 example YAML beside it gives the published AEP; a missing one names the file", () => {
  // iea37_cs1.json: baseline["16"] is iea37-ex16.yaml's layout and its AEP by iea37-aepcalc.py
  const ref = reference("iea37_cs1.json").baseline["16"];
  writeFileSync(join(dir, "ex16.yaml"), `definitions:\n  position:\n    units: m\n    items:\n      xc: ${JSON.stringify(ref.x)}\n      yc: ${JSON.stringify(ref.y)}\n`);
  const c = caseFile("ex16-case.json", { site: "iea37", turbine: "IEA37_3.35MW", model: { preset: "IEA37CaseStudy1" }, layout: "ex16.yaml" });
  const r = wflo("aep", c, "--json");
  assert.equal(r.status, 0, r.stderr);
  assertClose(1000 * JSON.parse(r.stdout).aep_GWh, ref.aep_MWh, 1e-9, "AEP of iea37-ex16.yaml");
  const m = wflo("aep", caseFile("missing-layout.json", { site: "iea37", turbine: "IEA37_3.35MW", model: { preset: "IEA37CaseStudy1" }, layout: "nowhere.csv" }));
  assert.equal(m.status, 2, m.stderr);
  assert.match(m.stderr, /missing-layout\.json: layout: cannot read "nowhere\.csv"/);
});
