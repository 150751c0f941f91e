// Literature presets (src/physics/literature.ts): a model in one line, checked against the
// publication's own numbers.
import { test } from "node:test";
import { aepGWh, builtinLayout, iea37CaseStudy1, literature } from "../../src/index.js";
import { assertClose, reference } from "./helpers.js";

test("iea37CaseStudy1(): the 16-turbine baseline's AEP (iea37_cs1.json baseline.16.aep_MWh)", () => {
  const l = builtinLayout("iea37-16");
  assertClose(aepGWh(iea37CaseStudy1(), l.x, l.y) * 1e3, reference("iea37_cs1.json").baseline["16"].aep_MWh, 1e-9, "aep");
});

test("case studies 3 and 4 (data/iea37_cs34/iea37_cs34_reference.json baseline.cs3.recomputed_aep_MWh, cs4.recomputed_aep_MWh_360dir)", () => {
  const REF = reference("data/iea37_cs34/iea37_cs34_reference.json");
  const cs3 = builtinLayout("iea37-cs3-baseline"), cs4 = builtinLayout("iea37-cs4-baseline");
  assertClose(aepGWh(literature.iea37CaseStudy3(), cs3.x, cs3.y) * 1e3, REF.baseline.cs3.recomputed_aep_MWh, 1e-9, "cs3");
  assertClose(aepGWh(literature.iea37CaseStudy4(), cs4.x, cs4.y) * 1e3, REF.baseline.cs4.recomputed_aep_MWh_360dir, 1e-9, "cs4");
});
