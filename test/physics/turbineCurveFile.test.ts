// Power and thrust curves as CSV files beside the rotor's definition.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { turbineCurveFromCsv } from "../../src/physics/turbineCurveFile.js";
import { builtinTurbine } from "../../src/physics/turbine.js";
import { parseCase } from "../../src/physics/case.js";
import { aepGWh } from "../../src/physics/engine.js";
import { InputError } from "../../src/errors.js";
import { refPath } from "./helpers.js";

const v80Csv = readFileSync(refPath("data/hornsrev1_V80_power_ct.csv"), "utf8");

test("data/hornsrev1_V80_power_ct.csv with the V80's rotor is the built-in V80: the same tables, the same Horns Rev 1 AEP", () => {
  const b = builtinTurbine("V80");
  assert.equal(b.kind, "tabular");
  const c = turbineCurveFromCsv(v80Csv, "v80.csv");
  assert.deepEqual(c.ws, Array.from(b.kind === "tabular" ? b.wsTable : []));
  assert.deepEqual(c.power_W, Array.from(b.kind === "tabular" ? b.powerTableW : []));
  assert.deepEqual(c.ct, Array.from(b.kind === "tabular" ? b.ctTable : []));
  const read = (p: string) => { assert.equal(p, "v80.csv"); return v80Csv; };
  const base = { site: "hornsrev1", layout: "hornsrev1", model: { deficit: "BastankhahGaussian" } };
  const fromFile = parseCase({ ...base, turbine: { name: "V80", diameter_m: 80, hub_height_m: 70, curve: "v80.csv" } }, { file: "c.json", readText: read });
  const builtin = parseCase({ ...base, turbine: "V80" }, { file: "c.json" });
  assert.equal(aepGWh(fromFile.model, fromFile.layout.x, fromFile.layout.y), aepGWh(builtin.model, builtin.layout.x, builtin.layout.y));
});

test("power in kW or MW by its column name, numpy's '# ' header, blanks as separators; a bare 'power' column and a headerless file are refused", () => {
  const kw = turbineCurveFromCsv("# Wind speed,ignored\nwind_speed_m_s,Power_kW,Ct\n4,66.6,0.818\n5,154,0.806\n", "kw.csv");
  assert.deepEqual(kw, { ws: [4, 5], power_W: [66600, 154000], ct: [0.818, 0.806] });
  assert.deepEqual(turbineCurveFromCsv("# ws power_MW ct\n4 0.0666 0.818\n5 0.154 0.806\n", "np.csv").power_W, [66600, 154000]);
  // A data sheet's header, units in brackets.
  assert.deepEqual(turbineCurveFromCsv("Wind Speed [m/s],Power (kW),Ct [-]\n4,66.6,0.818\n", "sheet.csv"), { ws: [4], power_W: [66600], ct: [0.818] });
  const err = (text: string) => {
    try { turbineCurveFromCsv(text, "t.csv"); } catch (e) { assert.ok(e instanceof InputError); return (e as Error).message; }
    assert.fail("accepted");
  };
  assert.match(err("ws,power,ct\n4,66.6,0.8\n"), /^t\.csv: line 1: the header "ws,power,ct" lacks a power column with its unit .*"power" does not say its unit: name it power_W, power_kW or power_MW/);
  assert.match(err("4,66600,0.8\n"), /^t\.csv: line 1: has no header: its first row is numbers .*; add the line ws_m_s,power_W,ct/);
  assert.match(err("ws,power_W,ct\n4,x,0.8\n"), /line 2: power_W must be a number, got "x"/);
  // The case names the field and the file; a curve beside tables is refused.
  assert.throws(() => parseCase({ site: "hornsrev1", layout: "hornsrev1", model: { deficit: "NOJ" }, turbine: { diameter_m: 80, hub_height_m: 70, curve: "v.csv", ws: [4] } },
    { file: "c.json", readText: () => v80Csv }), /c\.json: turbine: gives both a curve file and ws: keep one/);
  assert.throws(() => parseCase({ site: "hornsrev1", layout: "hornsrev1", model: { deficit: "NOJ" }, turbine: { diameter_m: 80, hub_height_m: 70, curve: "missing.csv" } },
    { file: "c.json", readText: () => { throw new InputError("cannot read", { file: "missing.csv" }); } }), /missing\.csv/);
});
