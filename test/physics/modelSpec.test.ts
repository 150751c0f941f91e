// The case/spec "model" contract (src/physics/modelSpec.ts, issue 15): presets by PyWake's names,
// parts by name, parameters; a wrong name or parameter is an InputError naming the field.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../src/errors.js";
import { PRESET_NAMES, parseWakeModel } from "../../src/physics/modelSpec.js";

function fails(v: unknown, field: string): void {
  assert.throws(() => parseWakeModel(v, "model", "case.json"), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal((e as InputError).field, field, (e as Error).message);
    assert.match((e as Error).message, new RegExp(`^case\\.json: ${field.replace(/[.[\]]/g, "\\$&")}: `));
    return true;
  });
}

test("presets carry PyWake's literature settings", () => {
  const ny = parseWakeModel({ preset: "Nygaard_2022" });
  assert.equal(ny.deficit.kind, "TurboGaussian");
  assert.equal(ny.rotorAverage, "GaussianOverlap");
  assert.equal(ny.superposition, "squared");
  assert.deepEqual(ny.deficit.kind === "TurboGaussian" && [ny.deficit.A, ny.deficit.ct2a, ny.deficit.ground], [0.04, "mom1d", "Mirror"]);
  const np = parseWakeModel({ preset: "Niayifar_PorteAgel_2016" });
  assert.equal(np.superposition, "linear");
  assert.equal(np.turbulence?.kind, "CrespoHernandez");
  assert.deepEqual(np.turbulence?.kind === "CrespoHernandez" && np.turbulence.c, [0.73, 0.8325, 0.0325, -0.32]);
  assert.deepEqual(np.deficit.kind === "NiayifarGaussian" && np.deficit.a, [0.3837, 0.003678]);
  const bp = parseWakeModel({ preset: "Bastankhah_PorteAgel_2014", k: 0.04 });
  assert.deepEqual(bp.deficit.kind === "BastankhahGaussian" && [bp.deficit.k, bp.deficit.ct2a, bp.deficit.useEffectiveWs], [0.04, "mom1d", true]);
  assert.equal(parseWakeModel({ preset: "Jensen_1983" }).deficit.kind, "NOJ");
  assert.equal(parseWakeModel({ preset: "IEA37CaseStudy1" }).deficit.kind, "IEA37SimpleBastankhahGaussian");
  for (const p of PRESET_NAMES) if (p !== "Bastankhah_PorteAgel_2014") parseWakeModel({ preset: p });
});

test("parts and parameters", () => {
  const m = parseWakeModel({ deficit: "TurboGaussian", superposition: "linear", A: 0.05, cTI: [1.4, 0.9], ceps: 0.3, ground: "none", rotor_average: "GaussianOverlap" });
  assert.deepEqual(m.deficit.kind === "TurboGaussian" && [m.deficit.A, m.deficit.cTI, m.deficit.ceps, m.deficit.ground], [0.05, [1.4, 0.9], 0.3, "none"]);
  assert.equal(m.rotorAverage, "GaussianOverlap");
  const n = parseWakeModel({ deficit: "NiayifarGaussian", turbulence: "STF2017", use_effective_ti: false, turbulence_sum: "squared", turbulence_c: [1.4, 0.7] });
  assert.deepEqual(n.deficit.kind === "NiayifarGaussian" && n.deficit.useEffectiveTi, false);
  assert.deepEqual(n.turbulence, { kind: "STF2017", c: [1.4, 0.7], sum: "squared" });
  assert.equal(n.superposition, "squared");
  // old cases: deficit + superposition only
  const o = parseWakeModel({ deficit: "NOJ", superposition: "linear" });
  assert.deepEqual([o.deficit.kind, o.superposition, o.turbulence, o.rotorAverage], ["NOJ", "linear", undefined, "center"]);
});

test("a wrong name or parameter names the field", () => {
  fails("Nygaard_2022", "model");
  fails({ preset: "Nygaard2022" }, "model.preset");
  fails({ preset: "Nygaard_2022", k: 0.1 }, "model.k");
  fails({ preset: "Bastankhah_PorteAgel_2014" }, "model.k");
  fails({ preset: "Niayifar_PorteAgel_2016", a: [0.3] }, "model.a");
  fails({ superposition: "squared" }, "model.deficit");
  fails({ deficit: "Jensen" }, "model.deficit");
  fails({ deficit: "NOJ", superposition: "max" }, "model.superposition");
  fails({ deficit: "NOJ", turbulence: "Frandsen" }, "model.turbulence");
  fails({ deficit: "NOJ", rotor_average: "GaussianOverlap" }, "model.rotor_average");
  fails({ deficit: "BastankhahGaussian", rotor_average: "disc" }, "model.rotor_average");
  fails({ deficit: "BastankhahGaussian", A: 0.04 }, "model.A");
  fails({ deficit: "BastankhahGaussian", k: -1 }, "model.k");
  fails({ deficit: "BastankhahGaussian", ct2a: "betz" }, "model.ct2a");
  fails({ deficit: "TurboGaussian", cTI: [1.5, 0] }, "model.cTI");
  fails({ deficit: "TurboGaussian", ground: "Flat" }, "model.ground");
  fails({ deficit: "TurboGaussian", ctlim: 1.2 }, "model.ctlim");
  fails({ deficit: "NiayifarGaussian", use_effective_ti: "yes" }, "model.use_effective_ti");
  fails({ deficit: "NiayifarGaussian", turbulence_sum: "linear" }, "model.turbulence_sum");
  fails({ deficit: "NiayifarGaussian", turbulence: "STF2017", turbulence_sum: "mean" }, "model.turbulence_sum");
  fails({ deficit: "NiayifarGaussian", turbulence: "STF2017", turbulence_c: [1, 2, 3] }, "model.turbulence_c");
  fails({ deficit: "NiayifarGaussian", turbulence: "GCL", turbulence_ct2a: "mom1d" }, "model.turbulence_ct2a");
});
