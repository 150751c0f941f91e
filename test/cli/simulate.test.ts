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
