import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  builtinTurbine, turbineCt, turbineFromDefinition, turbineFromIea37Yaml, turbinePowerCt, turbinePowerW,
  InputError,
} from "../../src/index.js";
import { assertAllClose, refPath, reference } from "./helpers.js";

// Curves sampled from PyWake: pywake_hornsrev1_iea37.json curves.*
const curves = reference("pywake_hornsrev1_iea37.json").curves;

test("V80 curves: np.interp on the table, 0 below, last row kept above 25 m/s", () => {
  const v80 = builtinTurbine("V80");
  assertAllClose(curves.ws.map((w: number) => turbinePowerW(v80, w)), curves.V80_power_W, 1e-12, "V80_power_W");
  assertAllClose(curves.ws.map((w: number) => turbineCt(v80, w)), curves.V80_ct, 1e-12, "V80_ct");
  assertAllClose(curves.V80_table_ws.map((w: number) => turbinePowerW(v80, w)), curves.V80_table_power_W, 0, "table rows exact");
});

test("IEA 37 3.35 MW curves: cubic to rated, cut-out after 25 m/s, Ct 8/9 everywhere", () => {
  const t = builtinTurbine("IEA37_3.35MW");
  assertAllClose(curves.ws.map((w: number) => turbinePowerW(t, w)), curves.IEA37_335MW_power_W, 1e-12, "IEA37_335MW_power_W");
  assertAllClose(curves.ws.map((w: number) => turbineCt(t, w)), curves.IEA37_335MW_ct, 1e-15, "IEA37_335MW_ct");
});

test("the IEA 37 turbine YAML read as it is equals the built-in", () => {
  // ../shared/reference/data/iea37_cs1/iea37-335mw.yaml (the case study's own file)
  const t = turbineFromIea37Yaml(readFileSync(refPath("data/iea37_cs1/iea37-335mw.yaml"), "utf8"), "iea37-335mw.yaml");
  const b = builtinTurbine("IEA37_3.35MW");
  assert.equal(t.kind, "cubic");
  assert.equal(t.diameterM, 130);
  assert.equal(t.hubHeightM, 110);
  for (const w of curves.ws) assert.equal(turbinePowerW(t, w), turbinePowerW(b, w));
  assert.throws(() => turbineFromIea37Yaml("definitions: {}", "bad.yaml"), /bad\.yaml: definitions\.wind_turbine\.id\.description: is missing/);
});

test("turbine from a JSON definition: table or cubic; bad fields named", () => {
  const t = turbineFromDefinition({ name: "toy", diameter_m: 100, hub_height_m: 90, ws: [4, 10, 20], power_W: [0, 1e6, 2e6], ct: [0.8, 0.8, 0.2] });
  const o = new Float64Array(4);
  turbinePowerCt(t, 7, o);
  assertAllClose(o, [5e5, 0.8, 1e6 / 6, 0], 1e-14, "power, ct and slopes at 7 m/s");
  turbinePowerCt(t, 15, o);
  assertAllClose(o, [1.5e6, 0.5, 1e5, -0.06], 1e-14, "power, ct and slopes at 15 m/s");
  const cubic = turbineFromDefinition({ diameter_m: 130, hub_height_m: 110, cut_in_ws: 4, rated_ws: 9.8, cut_out_ws: 25, rated_power_W: 3.35e6 });
  assert.equal(turbinePowerW(cubic, 7), turbinePowerW(builtinTurbine("IEA37_3.35MW"), 7));
  const bad = (def: unknown, re: RegExp) => assert.throws(() => turbineFromDefinition(def, "turbine", "case.json"), (e: unknown) => e instanceof InputError && re.test(e.message));
  bad({ diameter_m: -80, hub_height_m: 70, ws: [3, 4], power_W: [0, 1], ct: [0, 1] }, /case\.json: turbine\.diameter_m: must be a positive number/);
  bad({ hub_height_m: 70 }, /turbine\.diameter_m: is missing/);
  bad({ diameter_m: 80, hub_height_m: 70, ws: [3, 4, 5], power_W: [0, 1], ct: [0, 1, 1] }, /turbine\.power_W: has 2 values for 3 wind speeds/);
  bad({ diameter_m: 80, hub_height_m: 70, ws: [3, 5, 4], power_W: [0, 1, 2], ct: [0, 1, 1] }, /turbine\.ws: must be finite and strictly increasing/);
  bad({ diameter_m: 80, hub_height_m: 70 }, /needs either a table/);
  bad("V90", /must be a built-in turbine name or an object/);
});

// A curve in kW (data sheets, windpowerlib; PyWake's tables carry a power_unit) or a Ct in
// percent is refused: nothing rescales them, and every AEP would be 1000 times too small.
test("power curves below 10 W per m² of rotor (kW) and Ct above 2 (percent) are refused, naming the field", () => {
  const rotor = { diameter_m: 80, hub_height_m: 70 };
  assert.throws(() => turbineFromDefinition({ ...rotor, ws: [3, 10, 25], power_W: [0, 1500, 2000], ct: [0.8, 0.8, 0.1] }, "turbine", "t.json"),
    /t\.json: turbine\.power_W: peaks at 2000 W: 0\.4 W per m² of its 80 m rotor.*in kW\? multiply it by 1000/);
  assert.throws(() => turbineFromDefinition({ ...rotor, cut_in_ws: 4, rated_ws: 10, cut_out_ws: 25, rated_power_W: 2000 }),
    /turbine\.rated_power_W: peaks at 2000 W/);
  assert.throws(() => turbineFromDefinition({ ...rotor, ws: [3, 10, 25], power_W: [0, 1.5e6, 2e6], ct: [81.8, 80.4, 5.3] }),
    /turbine\.ct: reaches 81\.8.*percent\? give fractions/);
  // every built-in passes, and so does a low-specific-power rotor (GE 1.5 MW on a 100 m rotor: 191 W/m²)
  for (const name of ["V80", "IEA37_3.35MW", "IEA37_10MW"] as const) assert.ok(builtinTurbine(name));
  assert.ok(turbineFromDefinition({ diameter_m: 100, hub_height_m: 80, cut_in_ws: 3.5, rated_ws: 11, cut_out_ws: 25, rated_power_W: 1.5e6 }));
});

// The IEA 37 turbine files state the power's units beside it (W in both case-study files): a
// file in kW or MW is read as such; a kW value labelled W is refused naming the file's own key.
test("IEA 37 turbine YAML: the power's units are read (kW, MW); a kW value labelled W is refused by its YAML key", () => {
  const text = readFileSync(refPath("data/iea37_cs1/iea37-335mw.yaml"), "utf8");
  assert.match(text, /units: W\n\s+minimum: 0\.0\n\s+maximum: 3350000\.0/, "the fixture's power block as the edits below expect");
  const edit = (units: string, max: string) => text.replace(/units: W(\n\s+minimum: 0\.0\n\s+maximum: )3350000\.0/, `units: ${units}$1${max}`);
  const rated = (yaml: string, file: string) => (turbineFromIea37Yaml(yaml, file) as { ratedPowerW: number }).ratedPowerW;
  assert.equal(rated(edit("kW", "3350.0"), "kw.yaml"), 3.35e6);
  assert.equal(rated(edit("MW", "3.35"), "mw.yaml"), 3.35e6);
  assert.throws(() => turbineFromIea37Yaml(edit("W", "3350.0"), "t.yaml"),
    /t\.yaml: definitions\.wind_turbine_lookup\.properties\.power\.maximum: peaks at 3350 W: .*in kW\?/);
  assert.throws(() => turbineFromIea37Yaml(edit("hp", "4500.0"), "hp.yaml"), /hp\.yaml: definitions\.wind_turbine_lookup\.properties\.power\.units: is "hp"; known: W, kW, MW/);
});
