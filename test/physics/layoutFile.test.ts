// Layout files as other tools write them: the IEA 37 layout YAML and a CSV of x_m,y_m rows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { builtinLayout } from "../../src/physics/layouts.js";
import { layoutFromCsv, layoutFromIea37Yaml } from "../../src/physics/layoutFile.js";
import { parseCase } from "../../src/physics/case.js";
import { aepGWh } from "../../src/physics/engine.js";
import { InputError } from "../../src/errors.js";
import { reference, refPath } from "./helpers.js";

const read = (name: string) => readFileSync(refPath(name), "utf8");

test("the IEA 37 example YAML (data/iea37_cs1/iea37-ex16.yaml) as a case's layout: the published 366,941.57 MWh", () => {
  // iea37_cs1.json: baseline["16"] is that file's layout and its AEP by iea37-aepcalc.py
  const ref = reference("iea37_cs1.json").baseline["16"];
  const l = layoutFromIea37Yaml(read("data/iea37_cs1/iea37-ex16.yaml"), "iea37-ex16.yaml");
  assert.deepEqual(Array.from(l.x), ref.x);
  assert.deepEqual(Array.from(l.y), ref.y);
  const c = parseCase({ site: "iea37", turbine: "IEA37_3.35MW", model: { preset: "IEA37CaseStudy1" }, layout: "iea37-ex16.yaml" },
    { file: "case.json", readText: (p) => read(`data/iea37_cs1/${p}`) });
  assert.ok(Math.abs(1000 * aepGWh(c.model, c.layout.x, c.layout.y) - ref.aep_MWh) < 1e-6 * ref.aep_MWh);
});

test("a layout CSV (data/hornsrev1_layout.csv: wt,x_m,y_m) reads as the built-in Horns Rev 1 layout; x,y headers and comments too", () => {
  const l = layoutFromCsv(read("data/hornsrev1_layout.csv"), "hornsrev1_layout.csv");
  const b = builtinLayout("hornsrev1");
  assert.deepEqual(Array.from(l.x), Array.from(b.x));
  assert.deepEqual(Array.from(l.y), Array.from(b.y));
  const plain = layoutFromCsv("\uFEFF# exported\r\nX,Y,type\r\n0,0,a\r\n\r\n500,10,b\r\n", "p.csv");
  assert.deepEqual([Array.from(plain.x), Array.from(plain.y)], [[0, 500], [0, 10]]);
});

test("a layout saved by numpy's savetxt: its '# x,y' header line, blank-separated columns; without a header it is refused with the savetxt call that adds one", () => {
  const b = builtinLayout("hornsrev1");
  const e = (v: number) => v.toExponential(18); // savetxt's default format, "%.18e"
  const rows = (sep: string) => Array.from(b.x, (x, i) => `${e(x)}${sep}${e(b.y[i])}`).join("\n") + "\n";
  for (const text of [`# x,y\n${rows(",")}`, `# x y\n${rows(" ")}`, `# x_m\ty_m\n${rows("\t")}`]) {
    const l = layoutFromCsv(text, "np.csv");
    assert.deepEqual([Array.from(l.x), Array.from(l.y)], [Array.from(b.x), Array.from(b.y)]);
  }
  assert.throws(() => layoutFromCsv(rows(","), "np.csv"),
    /^InputError: np\.csv: line 1: has no header: its first row is numbers .*add the line x_m,y_m above the rows \(numpy: np\.savetxt\(.*header="x_m,y_m", comments=""\)\)/);
  // A comment that is not a header (a note) does not make one.
  assert.throws(() => layoutFromCsv(`# exported by a tool\n${rows(",")}`, "np.csv"), /has no header/);
});

test("a layout CSV in degrees, kilometres or with ';' is refused with what to do, naming the file and line", () => {
  const err = (text: string) => {
    try { layoutFromCsv(text, "l.csv"); } catch (e) { assert.ok(e instanceof InputError); return (e as Error).message; }
    assert.fail("accepted");
  };
  assert.match(err("lon,lat\n7.9,55.5\n"), /^l\.csv: line 1: .*lacks an x and a y column in metres.*longitude\/latitude in degrees: project them to metres/);
  assert.match(err("x_km,y_km\n1,2\n"), /kilometres: multiply by 1000/);
  assert.match(err("x_m;y_m\n1;2\n"), /separated by ';'/);
  assert.match(err("x_m,y_m\n1,2\n3,\n"), /^l\.csv: line 3: y_m must be a number, got ""/);
  assert.match(err("x_m,y_m\n"), /has a header but no turbines/);
  assert.throws(() => layoutFromIea37Yaml("definitions:\n  position:\n    units: km\n    items:\n      xc: [0, 1]\n      yc: [0, 1]\n", "l.yaml"),
    /l\.yaml: definitions\.position\.units: is "km"; wflo reads positions in metres/);
  assert.throws(() => layoutFromIea37Yaml("definitions:\n  position:\n    items:\n      xc: [0, 1]\n", "l.yaml"), /definitions\.position\.items\.yc: is missing/);
});

test("case studies 3 and 4 read as the organisers ship them (originals/: windrose, 10 MW turbine, boundary and layout YAML, its items [x, y] pairs): the baselines 938,573.6295 and (its rose the 360-direction one) 2,851,096.41252 MWh", () => {
  // iea37_cs34_reference.json: baseline.cs3.stated_aep_MWh and baseline.cs4.recomputed_aep_MWh_360dir (iea37-aepcalc.py on these files)
  const ref = reference("data/iea37_cs34/iea37_cs34_reference.json").baseline;
  for (const [cs, want] of [["3", ref.cs3.stated_aep_MWh], ["4", ref.cs4.recomputed_aep_MWh_360dir]] as const) {
    const c = parseCase({
      site: `iea37-windrose-cs${cs}.yaml`, turbine: "iea37-10mw.yaml", model: { deficit: "IEA37SimpleBastankhahGaussian" },
      layout: `iea37-ex-opt${cs}.yaml`, boundary: `iea37-boundary-cs${cs}.yaml`,
    }, { file: "case.json", readText: (p) => read(`data/iea37_cs34/originals/${p}`) });
    assert.equal(c.layout.x.length, cs === "3" ? 25 : 81);
    const mwh = 1000 * aepGWh(c.model, c.layout.x, c.layout.y);
    assert.ok(Math.abs(mwh - want) <= 1e-9 * want, `cs${cs}: ${mwh} against ${want}`);
  }
});

test("a participant's layout YAML as PyYAML dumps it (block pairs, keys sorted, a stale annual_energy_production left in) reads its positions; a bad pair is named by index", () => {
  // the shape of the case-study 4 re-run submissions (byuflowlab/iea37-casestudies-extrafiles, ifpen_layout.yaml)
  const yaml = [
    "definitions:", "  plant_energy:", "    properties:", "      annual_energy_production:", "        default: 2861182.50569", "        units: MWh",
    "  position:", "    items:", "    - - 9361.358090363085", "      - 134.178169839371", "    - - 8953.2", "      - 11900.9", "    units: m",
    "title: IEA Wind Task 37 case study 4", "",
  ].join("\n");
  const l = layoutFromIea37Yaml(yaml, "ifpen_layout.yaml");
  assert.deepEqual([Array.from(l.x), Array.from(l.y)], [[9361.358090363085, 8953.2], [134.178169839371, 11900.9]]);
  assert.throws(() => layoutFromIea37Yaml("definitions:\n  position:\n    items:\n      - [1, 2]\n      - [3]\n", "l.yaml"),
    /^InputError: l\.yaml: definitions\.position\.items\[1\]: must be an \[x, y\] pair of numbers in metres, got \[3\]/);
  assert.throws(() => layoutFromIea37Yaml("definitions:\n  position:\n    items: []\n", "l.yaml"), /definitions\.position\.items: is an empty list/);
});
