import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertAllClose, reference } from "../physics/helpers.js";

const dev = ["--import", "tsx", "src/cli/dev.ts"];
const wflo = (...args: string[]) => spawnSync(process.execPath, [...dev, ...args], { encoding: "utf8" });

test("wflo simulate --wd --ws --json: ws_eff, power_W, ct, ti_eff per turbine (PyWake small case)", () => {
  const c = reference("pywake_hornsrev1_iea37.json").small_cases.row3_5D_offset_wd270_ws10;
  const dir = mkdtempSync(join(tmpdir(), "wflo-sim-"));
  const p = join(dir, "row.json");
  writeFileSync(p, JSON.stringify({ site: "hornsrev1", turbine: "V80", layout: { x: c.x, y: c.y }, model: { deficit: "BastankhahGaussian" } }));
  const r = wflo("simulate", p, "--wd", "270", "--ws", "10", "--json");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ["ws_eff", "power_W", "ct", "ti_eff"]);
  // pywake_hornsrev1_iea37.json small_cases.row3_5D_offset_wd270_ws10.models.BastankhahGaussian
  const m = c.models.BastankhahGaussian;
  assertAllClose(out.ws_eff, m.WS_eff, 1e-9, "WS_eff");
  assertAllClose(out.power_W, m.Power_W, 1e-9, "Power_W");
  assertAllClose(out.ct, m.CT, 1e-9, "CT");
  // no turbulence model: the effective TI is the site's ambient TI (Horns Rev 1: 0.1)
  assert.deepEqual(out.ti_eff, [0.1, 0.1, 0.1]);
  // --layout: the same turbines from a CSV in the working directory's terms replace the case's
  // (here a case with another layout): the same flow.
  const other = join(dir, "other.json");
  writeFileSync(other, JSON.stringify({ site: "hornsrev1", turbine: "V80", layout: "hornsrev1", model: { deficit: "BastankhahGaussian" } }));
  const csv = join(dir, "row.csv");
  writeFileSync(csv, "x_m,y_m\n" + c.x.map((x: number, i: number) => `${x},${c.y[i]}`).join("\n") + "\n");
  const l = wflo("simulate", other, "--wd", "270", "--ws", "10", "--json", "--layout", csv);
  assert.equal(l.status, 0, l.stderr);
  assert.deepEqual(JSON.parse(l.stdout), out);
});

test("wflo simulate needs --wd and --ws; a turbine YAML path resolves beside the case", () => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-sim-"));
  const p = join(dir, "c.json");
  writeFileSync(p, JSON.stringify({ site: "iea37", turbine: "missing.yaml", layout: "iea37-16", model: { deficit: "NOJ" } }));
  const noWs = wflo("simulate", p, "--wd", "270");
  assert.equal(noWs.status, 2);
  assert.match(noWs.stderr, /--ws <m\/s> is required/);
  const r = wflo("simulate", p, "--wd", "270", "--ws", "9.8", "--json");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /turbine: cannot read "missing\.yaml"/);
});

test("wflo simulate --json: a literature preset's ti_eff, ws_eff, power (pywake_models2.json Niayifar_PorteAgel_2016)", () => {
  const v = reference("pywake_models2.json").models.Niayifar_PorteAgel_2016;
  const fc = v.flow_cases.find((f: { layout: string; ti: number; wd: number; ws: number }) => f.layout === "irregular9" && f.ti === 0.06 && f.wd === 225);
  const dir = mkdtempSync(join(tmpdir(), "wflo-sim-"));
  const p = join(dir, "np.json");
  const site = { type: "uniform", p_wd: [1], ti: fc.ti, ws: [fc.ws] };
  writeFileSync(p, JSON.stringify({ site, turbine: "V80", layout: v.layouts.irregular9, model: { preset: "Niayifar_PorteAgel_2016" } }));
  const r = wflo("simulate", p, "--wd", String(fc.wd), "--ws", String(fc.ws), "--json");
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // pywake_models2.json models.Niayifar_PorteAgel_2016.flow_cases (irregular9, ti 0.06, wd 225, ws 10)
  assertAllClose(out.ti_eff, fc.TI_eff, 1e-9, "TI_eff");
  assertAllClose(out.ws_eff, fc.WS_eff, 1e-9, "WS_eff");
  assertAllClose(out.power_W, fc.Power_W, 1e-9, "Power_W");
  assert.ok(Math.max(...out.ti_eff) > fc.ti * 1.5, "wake-added turbulence shows");
});

test("wflo simulate: a wrong model name or parameter exits 2 naming the field", () => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-sim-"));
  for (const [model, field] of [
    [{ preset: "Nygaard_2023" }, "model.preset"],
    [{ deficit: "NiayifarGaussian", turbulence: "STF2019" }, "model.turbulence"],
    [{ preset: "Nygaard_2022", k: 0.04 }, "model.k"],
    [{ deficit: "TurboGaussian", rotor_average: "gaussian" }, "model.rotor_average"],
  ] as const) {
    const p = join(dir, "bad.json");
    writeFileSync(p, JSON.stringify({ site: "hornsrev1", turbine: "V80", layout: { x: [0, 400], y: [0, 0] }, model }));
    const r = wflo("simulate", p, "--wd", "270", "--ws", "8", "--json");
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(`${field}:`), r.stderr);
  }
});
