// Inputs in the units other tools use, through the CLI: a wind rose in percent and a power
// curve in kW are refused before any work (no output file appears); nothing renormalises or
// rescales them, so each would give every AEP 100 or 1000 times off. A CSV saved with ';'
// between columns says so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { smallSpec, tempDir, wfloCli as wflo } from "../batch/helpers.js";

test("wflo run refuses a rose in percent before any work; wflo aep names the CSV's separator", () => {
  const { dir, cleanup } = tempDir("wflo-rose-");
  try {
    const rows = ["direction_deg,direction_frequency,speed_mps,speed_probability_given_direction"];
    for (let d = 0; d < 360; d += 90) for (const [u, p] of [[8, 50], [11, 50]]) rows.push(`${d},25,${u},${p}`);
    writeFileSync(join(dir, "rose.csv"), rows.join("\n") + "\n");
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify(smallSpec({ site: "rose.csv" })));
    const out = join(dir, "out.h5");
    const r = wflo(["run", spec, "--out", out]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /rose\.csv: direction_frequency: .*sum to 100, more than 1.*divide them by 100/);
    assert.equal(existsSync(out), false, "nothing written");

    writeFileSync(join(dir, "semi.csv"), rows.map((l) => l.replaceAll(",", ";")).join("\n"));
    const cse = join(dir, "case.json");
    writeFileSync(cse, JSON.stringify({ site: "semi.csv", turbine: "IEA37_3.35MW", layout: "iea37-16", model: { preset: "IEA37CaseStudy1" } }));
    const a = wflo(["aep", cse, "--json"]);
    assert.equal(a.status, 2, a.stderr);
    assert.match(a.stderr, /semi\.csv: line 1: the header lacks the column "direction_deg".*separated by ';'.*save it as comma-separated/);
  } finally {
    cleanup();
  }
});

test("wflo run refuses a turbine file whose power curve is in kW, naming the file and field", () => {
  const { dir, cleanup } = tempDir("wflo-units-");
  try {
    // the V80's curve as windpowerlib and many data sheets give it: kW
    writeFileSync(join(dir, "v80kw.json"), JSON.stringify({
      name: "V80kW", diameter_m: 80, hub_height_m: 70, ws: [3, 4, 8, 12, 16, 25], power_W: [0, 66.6, 696, 1866, 2000, 2000], ct: [0, 0.818, 0.806, 0.709, 0.21, 0.053],
    }));
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify(smallSpec({ turbines: ["v80kw.json"] })));
    const out = join(dir, "out.h5");
    const r = wflo(["run", spec, "--out", out]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /v80kw\.json: .*power_W: peaks at 2000 W: 0\.4 W per m² of its 80 m rotor.*in kW\? multiply it by 1000/);
    assert.equal(existsSync(out), false, "nothing written");
  } finally {
    cleanup();
  }
});

test("wflo run on a boundary in degrees (a GIS export not yet projected) says so before any work", () => {
  const { dir, cleanup } = tempDir("wflo-units-");
  try {
    const farm = { name: "lonlat", boundary: { polygon: [[7.85, 55.48], [7.95, 55.48], [7.95, 55.53], [7.85, 55.53]] }, n_turbines: 8, min_spacing_m: 390 };
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify(smallSpec({ farms: [farm] })));
    const out = join(dir, "out.h5");
    const r = wflo(["run", spec, "--out", out]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /farms\[0\]\.n_turbines: .*cannot fit.*spans only 0\.1 × 0\.05 m: are its coordinates in km or in degrees \(longitude, latitude\)\? wflo works in metres/);
    assert.equal(existsSync(out), false, "nothing written");
  } finally {
    cleanup();
  }
});

test("random_pct 0.3 meant as 30 %: wflo run and wflo smart-start warn on stderr and still run", () => {
  const { dir, cleanup } = tempDir("wflo-units-");
  try {
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify(smallSpec({ random_pct: 0.3, seeds: 1, farms: [(smallSpec().farms as unknown[])[0]], optimizer: { hops: 0, outer_iterations: 1, inner_iterations: 5 } })));
    const r = wflo(["run", spec, "--out", join(dir, "out.h5")]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /wflo run: warning: .*spec\.json: random_pct 0\.3 means 0\.3 % .*for 30 % write 30/);
    const s = wflo(["smart-start", "examples/cases/iea37-16-optimize.json", "--random-pct", "0.3", "--json"]);
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stderr, /wflo smart-start: warning: --random-pct 0\.3 means 0\.3 % .*the greedy start of random_pct 0/);
    const quiet = wflo(["smart-start", "examples/cases/iea37-16-optimize.json", "--random-pct", "30", "--json"]);
    assert.equal(quiet.stderr, "");
  } finally {
    cleanup();
  }
});
