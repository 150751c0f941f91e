// Wind roses as users' tools write them, through the CLI: a rose in percent is refused before
// any work (no output file appears), and a CSV saved with ';' between columns says so.
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
