// README "Wake models" documents every name and parameter the case/spec "model" contract
// (src/physics/modelSpec.ts) accepts. The parameter lists are read from the parser itself: an
// unknown key's error message lists the known ones, so a parameter added there without a README
// line fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { InputError } from "../../src/errors.js";
import { ADDED_TI_SUMS, TURBULENCE_NAMES } from "../../src/physics/turbulence/index.js";
import { CT2A_NAMES, DEFICIT_SPEC_NAMES, PRESET_NAMES, ROTOR_AVERAGE_NAMES, parseWakeModel } from "../../src/physics/modelSpec.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("## Wake models"), readme.indexOf("\n## ", readme.indexOf("## Wake models") + 5));

function knownKeys(model: Record<string, unknown>): string[] {
  try {
    parseWakeModel({ ...model, not_a_parameter: 1 });
  } catch (e) {
    assert.ok(e instanceof InputError);
    assert.equal(e.field, "model.not_a_parameter");
    const m = /\((?:known|its parameters): ([^)]*)\)/.exec(e.message);
    assert.ok(m, e.message);
    return m[1] === "none" ? [] : m[1].split(", ");
  }
  assert.fail("an unknown parameter was accepted");
}

test("README 'Wake models' names every preset, deficit, turbulence model, sum rule, induction and rotor average", () => {
  assert.ok(section.length > 500, "README has a 'Wake models' section");
  for (const name of [...PRESET_NAMES, ...DEFICIT_SPEC_NAMES, ...TURBULENCE_NAMES, ...ADDED_TI_SUMS, ...CT2A_NAMES, ...ROTOR_AVERAGE_NAMES]) {
    assert.ok(section.includes(`\`${name}\``) || section.includes(`"${name}"`), `README Wake models lacks ${name}`);
  }
});

test("README 'Wake models' documents every parameter the parser accepts", () => {
  const keys = new Set<string>();
  for (const p of PRESET_NAMES) for (const k of knownKeys(p === "Bastankhah_PorteAgel_2014" ? { preset: p, k: 0.03 } : { preset: p })) keys.add(k);
  for (const d of DEFICIT_SPEC_NAMES) for (const k of knownKeys({ deficit: d, turbulence: "CrespoHernandez" })) keys.add(k);
  assert.ok(keys.size >= 15, [...keys].join(","));
  for (const k of keys) assert.ok(section.includes(`\`${k}\``) || section.includes(`"${k}"`), `README Wake models lacks the parameter ${k}`);
});
