// Turbine files in batch specs: read at parse time relative to the spec, inlined as definitions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../src/errors.js";
import { buildTurbine, checkSpecCompatible, expandConfigs, parseBatchSpec, readBatchSpec, specJson } from "../../src/batch/index.js";
import { builtinSite, builtinTurbine, parseSite, turbineFromDefinition, turbineFromIea37Yaml } from "../../src/physics/index.js";

const ref = new URL("../../../shared/reference/data/", import.meta.url);
const YAML_335 = new URL("iea37_cs1/iea37-335mw.yaml", ref).pathname;
const YAML_10 = new URL("iea37_cs34/originals/iea37-10mw.yaml", ref).pathname;
const JSON_10_REF = new URL("iea37_cs34/turbine_iea37_10mw.json", ref).pathname;

const inline = { name: "small", diameter_m: 80, hub_height_m: 70, ws: [3, 10, 25], power_W: [0, 1e6, 2e6], ct: [0.8, 0.8, 0.1] };

function specWith(turbines: unknown[]): Record<string, unknown> {
  return {
    site: "iea37",
    model: { deficit: "IEA37SimpleBastankhahGaussian" },
    turbines,
    farms: [{ boundary: { circle: { center: [0, 0], radius: 2000 } }, n_turbines: 9, min_spacing_m: 400 }],
    seeds: [5, 2],
    grid_size: 18,
    random_pct: 30,
  };
}

/** A directory with spec.json and turbines/ (the IEA 37 3.35 MW YAML as .yaml and .yml, the 10 MW one, a wflo JSON definition). */
function setup(turbines: unknown[]): { dir: string; spec: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "wflo-spec-turbines-"));
  mkdirSync(join(dir, "turbines"));
  copyFileSync(YAML_335, join(dir, "turbines", "iea37-335mw.yaml"));
  copyFileSync(YAML_335, join(dir, "turbines", "copy.yml"));
  copyFileSync(YAML_10, join(dir, "turbines", "iea37-10mw.yaml"));
  writeFileSync(join(dir, "turbines", "my.json"), JSON.stringify(inline));
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(specWith(turbines)));
  return { dir, spec, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts fn throws an InputError with this file and field, its message matching every pattern. */
function rejects(fn: () => unknown, file: string | undefined, field: string, ...msg: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.equal(e.file, file, e.message);
    assert.equal(e.field, field, e.message);
    for (const m of msg) assert.match(e.message, m);
    return true;
  });
}

test("turbine files (IEA 37 YAML, .yml, wflo JSON) are read relative to the spec and inlined; type indices unchanged", (t) => {
  const s = setup(["IEA37_3.35MW", "turbines/iea37-335mw.yaml", inline, "turbines/copy.yml", "turbines/my.json"]);
  t.after(s.done);
  const cwd = process.cwd();
  process.chdir(tmpdir()); // relative to the spec's directory, not the working directory
  let spec;
  try { spec = readBatchSpec(s.spec); } finally { process.chdir(cwd); }

  assert.equal(spec.turbines[0], "IEA37_3.35MW");
  assert.deepEqual(spec.turbines[2], inline);
  // iea37-335mw.yaml: radius default 65.0, hub height default 110.0, cut-in 4.0, rated 9.8,
  // cut-out 25.0, power maximum 3350000.0; Ct 8/9 as iea37-aepcalc.py hard-codes it.
  assert.deepEqual(spec.turbines[1], {
    name: "IEA37_335MW", diameter_m: 130, hub_height_m: 110, cut_in_ws: 4, rated_ws: 9.8, cut_out_ws: 25, rated_power_W: 3350000, ct: 8 / 9,
  });
  assert.deepEqual(spec.turbines[3], spec.turbines[1]);
  assert.deepEqual(spec.turbines[4], { ...inline });

  // The inlined definition builds exactly the turbine physics reads from the file.
  assert.deepEqual(buildTurbine(spec, 1), turbineFromIea37Yaml(readFileSync(YAML_335, "utf8"), "turbines/iea37-335mw.yaml"));
  assert.deepEqual(buildTurbine(spec, 4), turbineFromDefinition(inline));

  // spec_json is self-contained: no path left, and it parses with no file reader at all.
  const stored = specJson(spec);
  assert.doesNotMatch(stored, /\.ya?ml|my\.json/);
  assert.equal(specJson(parseBatchSpec(JSON.parse(stored))), stored);

  // Keys keep the type index of the list as written.
  assert.deepEqual(expandConfigs(spec).map((c) => c.key), [0, 1, 2, 3, 4].flatMap((ti) => [`farm0_t${ti}_s5`, `farm0_t${ti}_s2`]));
});

test("editing a turbine file after a run makes the stored spec differ, naming the turbine field", (t) => {
  const s = setup(["IEA37_3.35MW", "turbines/iea37-335mw.yaml"]);
  t.after(s.done);
  const stored = specJson(readBatchSpec(s.spec));
  // Unchanged file (and more seeds): compatible.
  checkSpecCompatible(stored, readBatchSpec(s.spec), { where: "o.h5 (spec_json)", out: "o.h5", file: s.spec });

  const y = join(s.dir, "turbines", "iea37-335mw.yaml");
  writeFileSync(y, readFileSync(y, "utf8").replace("maximum: 3350000.0", "maximum: 3400000.0"));
  const edited = readBatchSpec(s.spec);
  assert.equal((edited.turbines[1] as Record<string, unknown>).rated_power_W, 3.4e6);
  rejects(() => checkSpecCompatible(stored, edited, { where: "o.h5 (spec_json)", out: "o.h5", file: s.spec }),
    s.spec, "turbines[1].rated_power_W", /3350000, now 3400000/, /new output/);
});

test("turbine file errors name the spec file, turbines[i] and the turbine file", (t) => {
  const s = setup([]);
  t.after(s.done);
  const write = (turbines: unknown[]) => writeFileSync(s.spec, JSON.stringify(specWith(turbines)));

  write(["IEA37_3.35MW", "turbines/missing.yaml"]);
  rejects(() => readBatchSpec(s.spec), s.spec, "turbines[1]", /turbines\/missing\.yaml/, /ENOENT/);

  writeFileSync(join(s.dir, "turbines", "norotor.yaml"), readFileSync(YAML_335, "utf8").replace(/^ {2}rotor:/m, "  rotorx:"));
  write(["turbines/norotor.yaml"]);
  rejects(() => readBatchSpec(s.spec), s.spec, "turbines[0]", /turbine file: turbines\/norotor\.yaml: definitions\.rotor\.properties\.radius\.default: is missing/);

  writeFileSync(join(s.dir, "turbines", "broken.json"), "{ not json");
  write(["V80", "turbines/broken.json"]);
  rejects(() => readBatchSpec(s.spec), s.spec, "turbines[1]", /turbines\/broken\.json: is not JSON/);

  // The IEA 37 cs3/cs4 10 MW YAML (its own layout, read by physics since) is inlined as read
  // (iea37-10mw.yaml: diameter 198.0, hub 119.0, 4.0 / 11.0 / 25.0 m/s, rated_power maximum 10000000.0);
  // with its rated power gone, the error names that layout's field.
  write(["IEA37_3.35MW", "turbines/iea37-10mw.yaml"]);
  assert.deepEqual(readBatchSpec(s.spec).turbines[1], {
    name: "IEA37_10MW", diameter_m: 198, hub_height_m: 119, cut_in_ws: 4, rated_ws: 11, cut_out_ws: 25, rated_power_W: 10e6, ct: 8 / 9,
  });
  writeFileSync(join(s.dir, "turbines", "nopower.yaml"), readFileSync(YAML_10, "utf8").replace(/^ {4}rated_power:/m, "    rated_powr:"));
  write(["IEA37_3.35MW", "turbines/nopower.yaml"]);
  rejects(() => readBatchSpec(s.spec), s.spec, "turbines[1]", /turbine file: turbines\/nopower\.yaml: definitions\.wind_turbine\.rated_power\.maximum: is missing/);

  // The reference's summary JSON of the 10 MW turbine is not a wflo definition (rotor_diameter_m, …).
  copyFileSync(JSON_10_REF, join(s.dir, "turbines", "ten.json"));
  write(["turbines/ten.json"]);
  rejects(() => readBatchSpec(s.spec), s.spec, "turbines[0]", /turbines\/ten\.json: turbine\.diameter_m: is missing/);

  // A definition in a file with a bad value: physics' field survives under the file name.
  writeFileSync(join(s.dir, "turbines", "neg.json"), JSON.stringify({ ...inline, diameter_m: -1 }));
  write(["turbines/neg.json"]);
  rejects(() => readBatchSpec(s.spec), s.spec, "turbines[0]", /turbines\/neg\.json: turbine\.diameter_m: must be a positive number/);

  // parseBatchSpec without a reader cannot resolve a path; a name that is no file stays an unknown built-in.
  rejects(() => parseBatchSpec(specWith(["turbines/iea37-335mw.yaml"]), { file: "spec.json" }), "spec.json", "turbines[0]", /readBatchSpec/);
  rejects(() => parseBatchSpec(specWith(["V90"]), { file: "spec.json" }), "spec.json", "turbines[0]", /unknown built-in turbine "V90"/);
});

test("parseBatchSpec reads turbine files through the given readText, path as written", () => {
  const asked: string[] = [];
  const spec = parseBatchSpec(specWith(["a/b.yaml"]), { file: "x.json", readText: (p) => { asked.push(p); return readFileSync(YAML_335, "utf8"); } });
  assert.deepEqual(asked, ["a/b.yaml"]);
  assert.equal((spec.turbines[0] as Record<string, unknown>).diameter_m, 130);
});

test("runBatch on a spec object (a notebook's literal) reads the files it names from the working directory, or beside opts.file", async () => {
  const { runBatch } = await import("../../src/batch/run.js");
  const { dir, done } = setup([]);
  const cwd = process.cwd();
  try {
    const spec = { ...specWith(["turbines/iea37-335mw.yaml"]), seeds: 1, farms: [{ boundary: { circle: { center: [0, 0], radius: 1300 } }, n_turbines: 3, min_spacing_m: 260 }], optimizer: { hops: 0, max_evaluations: 50 } };
    process.chdir(dir);
    const s = await runBatch(spec, { out: join(dir, "a.h5"), workers: 1 });
    assert.equal(s.done, 1);
    process.chdir(cwd);
    // from elsewhere, with the spec's own place given
    const t = await runBatch(spec, { out: join(dir, "b.h5"), workers: 1, file: join(dir, "spec.json") });
    assert.equal(t.done, 1);
    await assert.rejects(runBatch(spec, { out: join(dir, "c.h5"), workers: 1 }), /turbines\[0\]: cannot read "turbines\/iea37-335mw\.yaml"/);
  } finally {
    process.chdir(cwd);
    done();
  }
});

test("a turbine whose curve is a CSV beside the spec ({diameter_m, hub_height_m, curve}) is inlined whole; spec_json stands alone", () => {
  const s = setup([{ name: "V80", diameter_m: 80, hub_height_m: 70, curve: "turbines/v80.csv" }]);
  try {
    copyFileSync(new URL("hornsrev1_V80_power_ct.csv", ref).pathname, join(s.dir, "turbines", "v80.csv"));
    const spec = readBatchSpec(s.spec);
    const t = spec.turbines[0] as Record<string, unknown>;
    assert.equal(t.curve, undefined, "the file is read, not referred to");
    assert.deepEqual(buildTurbine(spec, 0), builtinTurbine("V80"));
    // A resume compares the stored spec: the same file gives the same spec.
    assert.doesNotThrow(() => checkSpecCompatible(specJson(spec), readBatchSpec(s.spec), { where: "x", out: "o.h5" }));
    writeFileSync(join(s.dir, "turbines", "v80.csv"), "ws,power,ct\n4,66.6,0.8\n");
    assert.throws(() => readBatchSpec(s.spec), (e: unknown) => e instanceof InputError && /power.*does not say its unit/.test(e.message) && /v80\.csv/.test(e.message));
  } finally {
    s.done();
  }
});

test("a Weibull sector CSV as the spec's site is read beside it and carried inline as a weibull site object", () => {
  const s = setup(["V80"]);
  try {
    copyFileSync(new URL("hornsrev1_site_weibull.csv", ref).pathname, join(s.dir, "hr.csv"));
    writeFileSync(s.spec, JSON.stringify({ ...specWith(["V80"]), site: "hr.csv", model: { deficit: "BastankhahGaussian" }, wd: [0, 90, 180, 270], ws: [8, 10] }));
    const spec = readBatchSpec(s.spec);
    const site = spec.site as Record<string, unknown>;
    assert.equal(site.type, "weibull");
    assert.equal((site.weibull_A as number[]).length, 12);
    assert.deepEqual(parseSite(site), builtinSite("hornsrev1"));
  } finally {
    s.done();
  }
});
