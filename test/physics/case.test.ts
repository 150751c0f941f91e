import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { aepGWh, InputError, parseCase, parseCaseModel, parseSite } from "../../src/index.js";
import { assertClose, refPath, reference } from "./helpers.js";

test("parseCase: built-in names give the reference model (IEA 37 16: iea37_cs1.json baseline.16.aep_MWh)", () => {
  const c = parseCase({ site: "iea37", turbine: "IEA37_3.35MW", layout: "iea37-16", model: { deficit: "IEA37SimpleBastankhahGaussian", superposition: "squared" } });
  assert.equal(c.layout.x.length, 16);
  assert.equal(c.wdDeg.length, 16);
  assertClose(aepGWh(c.model, c.layout.x, c.layout.y, { wdDeg: c.wdDeg, ws: c.ws }) * 1e3, reference("iea37_cs1.json").baseline["16"].aep_MWh, 1e-9, "aep");
});

test("parseCase: a Weibull site object equal to Horns Rev 1, a turbine YAML through readText, wd/ws overrides", () => {
  const hr = reference("pywake_hornsrev1_iea37.json");
  const c = parseCase({
    site: { type: "weibull", sector_freq: [0.0359715203597152, 0.0394868203948682, 0.0516739505167395, 0.07000154070001541, 0.08364547083645471, 0.064348500643485, 0.0864319408643194, 0.117705101177051, 0.151575701515757, 0.14737920147379202, 0.10012050100120501, 0.051659750516597505],
      weibull_A: [9.176929, 9.782334, 9.531809, 9.909545, 10.04269, 9.593921, 9.584007, 10.51499, 11.39895, 11.68746, 11.63732, 10.08803],
      weibull_k: [2.392578, 2.447266, 2.412109, 2.591797, 2.755859, 2.595703, 2.583984, 2.548828, 2.470703, 2.607422, 2.626953, 2.326172], ti: 0.1 },
    turbine: "V80", layout: "hornsrev1", model: { deficit: "NOJ" },
  }, "hr.json");
  // pywake_hornsrev1_iea37.json hornsrev1.models.NOJ.aep_GWh
  assertClose(aepGWh(c.model, c.layout.x, c.layout.y, { wdDeg: c.wdDeg, ws: c.ws }), hr.hornsrev1.models.NOJ.aep_GWh, 1e-9, "aep");
  const y = parseCaseModel({ site: "iea37", turbine: "iea37-335mw.yaml", model: { deficit: "NOJ" }, wd: [0, 90], ws: 8 }, {
    file: "c.json", readText: (p) => readFileSync(refPath(`data/iea37_cs1/${p}`), "utf8"),
  });
  assert.equal(y.model.turbine.diameterM, 130);
  assert.deepEqual(Array.from(y.wdDeg), [0, 90]);
  assert.deepEqual(Array.from(y.ws), [8]);
});

test("parseCase tolerates the layout tools' keys and extraKeys, refuses other unknown keys", () => {
  const base = { site: "iea37", turbine: "IEA37_3.35MW", model: { deficit: "NOJ" } };
  parseCaseModel({ ...base, boundary: { circle: [0, 0, 1300] }, n_turbines: 16, min_spacing_m: 260, _note: "x" });
  // optimizer: the layout tools' (wflo optimize reads and checks it)
  parseCaseModel({ ...base, optimizer: { max_evaluations: 100 } });
  parseCaseModel({ ...base, batch: {} }, { extraKeys: ["batch"] });
  assert.throws(() => parseCaseModel({ ...base, optimiser: {} }, "c.json"), (e: unknown) => e instanceof InputError && e.field === "optimiser" && e.file === "c.json");
  assert.throws(() => parseCase(base), /layout: is missing/);
  assert.throws(() => parseSite({ type: "uniform", p_wd: [1] }), /site\.ws: is missing/);
  assert.throws(() => parseSite({ type: "weibull", sector_freq: [1], weibull_A: [0], weibull_k: [2] }), /site\.weibull_A: \[0\] must be > 0/);
  assert.throws(() => parseCaseModel({ ...base, ws: [-1] }), /ws: \[0\] must be ≥ 0/);
  assert.throws(() => parseCaseModel([1, 2]), /a case must be a JSON object/);
});

// A layout in km (or degrees) is a farm whose rotors overlap: refused naming the field, with
// the likely unit, rather than given an AEP as if it meant something.
test("a case layout whose turbines all lie within one rotor diameter (km, degrees) is refused", () => {
  const base = { site: "iea37", turbine: "IEA37_3.35MW", model: { preset: "IEA37CaseStudy1" } };
  assert.throws(() => parseCase({ ...base, layout: { x: [0, 0.56, 1.12], y: [0, 0, 0.3] } }, "c.json"),
    /c\.json: layout: all 3 turbines lie within 1\.12 × 0\.3 m, less than one rotor diameter \(130 m\): are x and y in km or in degrees\?/);
  assert.ok(parseCase({ ...base, layout: { x: [0, 130], y: [0, 0] } }, "c.json"), "one diameter apart is a (tight) farm");
  assert.ok(parseCase({ ...base, layout: { x: [5], y: [7] } }, "c.json"), "a lone turbine");
});
