// Input files as users' editors save them: a UTF-8 byte-order mark (Windows Notepad, Excel's
// "CSV UTF-8") is dropped, so a spec, a case file or a turbine file with one reads as without.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readInputText } from "../../src/util/files.js";
import { smallSpec, tempDir, wfloCli as wflo } from "../batch/helpers.js";

const BOM = "\ufeff";

test("readInputText drops a leading byte-order mark and nothing else", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const f = join(dir, "a.json");
  writeFileSync(f, `${BOM}{"a": "x${BOM}y"}`);
  assert.equal(readInputText(f, "test file"), `{"a": "x${BOM}y"}`);
  writeFileSync(f, "plain");
  assert.equal(readInputText(f, "test file"), "plain");
});

test("wflo run takes a spec saved with a byte-order mark, and its turbine file too", (t) => {
  const { dir, cleanup } = tempDir(); t.after(cleanup);
  const turbine = { name: "T", diameter_m: 130, hub_height_m: 110, ws: [4, 9.8, 25], power_W: [0, 3.35e6, 3.35e6], ct: [0.8, 0.8, 0.2] };
  writeFileSync(join(dir, "turbine.json"), BOM + JSON.stringify(turbine));
  const spec = join(dir, "spec.json");
  writeFileSync(spec, BOM + JSON.stringify(smallSpec({ seeds: 1, turbines: ["turbine.json"] }), null, 2));
  const out = join(dir, "o.h5");
  const r = wflo(["run", spec, "--out", out, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const v = wflo(["validate", out, "--json"]);
  assert.equal(JSON.parse(v.stdout).results, 2);
});

test("wflo aep takes a case file saved with a byte-order mark", () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = join(dir, "case.json");
    writeFileSync(c, BOM + JSON.stringify({ site: "iea37", turbine: "IEA37_3.35MW", model: { deficit: "IEA37SimpleBastankhahGaussian" }, layout: "iea37-16" }));
    const r = wflo(["aep", c, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).aep_GWh > 300);
  } finally { cleanup(); }
});
