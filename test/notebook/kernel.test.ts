// The kernelspec and its launcher: found from the repo with {resource_dir}, no absolute
// paths, and the kernel exits when whoever started it dies (tslab alone lives on under
// PID 1 and keeps a CI job's stdout open).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

const root = new URL("../../", import.meta.url).pathname;
const launcher = join(root, "kernels", "wflo", "launch.cjs");

test("kernel.json runs the launcher through {resource_dir}, with no absolute path", () => {
  const spec = JSON.parse(readFileSync(join(root, "kernels", "wflo", "kernel.json"), "utf8")) as { argv: string[]; language: string };
  assert.equal(spec.argv[0], "node");
  assert.ok(spec.argv.includes("{resource_dir}/launch.cjs"));
  assert.equal(spec.argv.at(-1), "{connection_file}");
  assert.ok(spec.argv.every((a) => !a.startsWith("/")), "no absolute paths");
  assert.equal(spec.language, "typescript");
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Resolves once something listens on the port (the kernel binds its sockets when started). */
async function listening(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s: Socket = connect(port, "127.0.0.1", () => (s.destroy(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function connectionFile(dir: string): Promise<string> {
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await Promise.all([1, 2, 3, 4, 5].map(freePort));
  const file = join(dir, "kernel.json");
  writeFileSync(file, JSON.stringify({
    shell_port, iopub_port, stdin_port, control_port, hb_port, ip: "127.0.0.1", key: randomBytes(16).toString("hex"),
    transport: "tcp", signature_scheme: "hmac-sha256", kernel_name: "wflo",
  }));
  return file;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

const env = { ...process.env, WFLO_KERNEL_PARENT_POLL_MS: "100" };

test("the kernel exits when its parent process is killed", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-kernel-"));
  const conn = await connectionFile(dir);
  // A stand-in for nbconvert: starts the kernel, reports its pid, then is SIGKILLed.
  const parent: ChildProcess = spawn(process.execPath, ["-e", `
    const c = require("child_process").spawn(process.execPath, [${JSON.stringify(launcher)}, ${JSON.stringify(conn)}], { stdio: "ignore" });
    console.log(c.pid); setInterval(() => {}, 1000);`], { env: { ...env, JPY_PARENT_PID: "" }, stdio: ["ignore", "pipe", "inherit"] });
  const kernelPid = await new Promise<number>((resolve) => parent.stdout!.once("data", (d) => resolve(Number(String(d).trim()))));
  t.after(() => {
    if (alive(kernelPid)) process.kill(kernelPid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  // Starting tslab blocks the kernel's event loop for seconds on a busy machine: wait
  // until it listens, so what is measured is the watch, not the start-up.
  const hb = (JSON.parse(readFileSync(conn, "utf8")) as { hb_port: number }).hb_port;
  assert.ok(await listening(hb, 60_000), "the kernel started and bound its heartbeat port");
  assert.ok(alive(kernelPid), "the kernel runs while its parent lives");
  parent.kill("SIGKILL");
  assert.ok(await waitGone(kernelPid, 5000), "the kernel exited within 5 s of its parent's death");
});

test("the kernel exits when the process named by JPY_PARENT_PID is gone", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "wflo-kernel-"));
  const conn = await connectionFile(dir);
  const jupyter = spawn("sleep", ["60"], { stdio: "ignore" });
  const kernel = spawn(process.execPath, [launcher, conn], { env: { ...env, JPY_PARENT_PID: String(jupyter.pid) }, stdio: "ignore" });
  t.after(() => {
    kernel.kill("SIGKILL");
    jupyter.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  const hb = (JSON.parse(readFileSync(conn, "utf8")) as { hb_port: number }).hb_port;
  assert.ok(await listening(hb, 60_000), "the kernel started and bound its heartbeat port");
  assert.equal(kernel.exitCode, null, "running while Jupyter lives");
  jupyter.kill("SIGKILL");
  const code = await new Promise<number | null>((resolve) => kernel.once("exit", (c) => resolve(c)));
  assert.equal(code, 0);
});

test("the launcher without a connection file says how it is meant to run", async () => {
  const p = spawn(process.execPath, [launcher], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  p.stderr!.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => p.once("exit", (c) => resolve(c)));
  assert.equal(code, 2);
  assert.match(err, /usage: launch\.cjs <connection_file>/);
});
