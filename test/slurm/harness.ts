/**
 * A real one-host Slurm cluster in a temp dir, for tests and for trying `wflo submit` by
 * hand (scripts/slurm-cluster.ts). Facts behind each setting: ../shared/slurm-facts.md.
 *
 * - Everything (config, state, spool, pids, logs) lives under one `mkdtemp` dir and is
 *   found through `SLURM_CONF`; the machine's own /etc/slurm is never read or written.
 * - auth/none + cred/none: no munged. proctrack/linuxproc + task/none: no cgroups.
 * - The node is `ci1` at 127.0.0.1 and slurmd starts as `slurmd -D -N ci1`, so nothing
 *   depends on the machine's hostname.
 *
 * Teardown is layered so that a failing or killed test still leaves nothing behind:
 * `stop()` (call it from t.after/finally) → a process 'exit'/SIGINT/SIGTERM handler that
 * kills synchronously → a detached watchdog shell that kills the daemons by pid and
 * removes the dir when the owning process disappears (covers SIGKILL of the test).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, readdirSync, existsSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, availableParallelism, userInfo } from "node:os";
import { join } from "node:path";

export const SLURM_BINARIES = ["slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo"] as const;

/** Names of the Slurm binaries missing from PATH (and /usr/sbin, where Debian puts the daemons). */
export function missingSlurmBinaries(): string[] {
  return SLURM_BINARIES.filter((b) => findBinary(b) === undefined);
}

export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin", "/sbin"];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export interface SlurmCluster {
  /** The temp dir holding everything; removed by stop(). */
  dir: string;
  confPath: string;
  nodeName: string;
  cpus: number;
  /** process.env plus SLURM_CONF: pass to every sbatch/squeue/scontrol and to `wflo submit`. */
  env: NodeJS.ProcessEnv;
  /** Runs a Slurm client command against this cluster; throws with its stderr on failure. */
  run(cmd: string, args: string[]): string;
  /** The tail of the daemons' logs, for failure messages. */
  logs(lines?: number): string;
  /** Idempotent: cancels every job, stops both daemons by pid (SIGTERM, SIGKILL after a deadline), removes the dir. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/**
 * Processes started for this cluster that outlive the daemons: slurmstepd and job scripts
 * carry our SLURM_CONF in their environment (slurmd passes its own env to slurmstepd, and
 * sbatch exports the submitter's). Matching on our unique temp path, never on a name,
 * keeps teardown from touching anything else on the machine.
 */
function processesOfCluster(confPath: string): number[] {
  const needle = `SLURM_CONF=${confPath}\0`;
  const pids: number[] = [];
  let entries: string[] = [];
  try { entries = readdirSync("/proc"); } catch { return pids; }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`, "latin1");
      if ((env + "\0").includes(needle)) pids.push(pid);
    } catch { /* gone or not ours to read */ }
  }
  return pids;
}

export interface StartOptions {
  /** CPUs the node offers (default: the machine's). */
  cpus?: number;
  /** How long to wait for the node to become idle (default 20 s). */
  readyTimeoutMs?: number;
}

export async function startCluster(opts: StartOptions = {}): Promise<SlurmCluster> {
  const missing = missingSlurmBinaries();
  if (missing.length) throw new Error(`Slurm is not installed (missing ${missing.join(", ")}): run scripts/setup-system.sh`);
  const slurmctld = findBinary("slurmctld")!;
  const slurmd = findBinary("slurmd")!;

  const dir = mkdtempSync(join(tmpdir(), "wflo-slurm-"));
  // slurmstepd and jobs may run as another uid when not root; keep the tree traversable.
  chmodSync(dir, 0o755);
  for (const d of ["etc", "state", "spool", "run", "log"]) mkdirSync(join(dir, d));
  const confPath = join(dir, "etc", "slurm.conf");
  const nodeName = "ci1";
  const cpus = opts.cpus ?? availableParallelism();
  const user = userInfo().username;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const conf = [
    "ClusterName=wfloci",
    "SlurmctldHost=localhost",
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${dPort}`,
    "AuthType=auth/none",
    "CredType=cred/none",
    `SlurmUser=${user}`,
    `SlurmdUser=${user}`,
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/run/slurmctld.pid`,
    `SlurmdPidFile=${dir}/run/slurmd.pid`,
    `SlurmctldLogFile=${dir}/log/slurmctld.log`,
    `SlurmdLogFile=${dir}/log/slurmd.log`,
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none",
    "AccountingStorageType=accounting_storage/none",
    "MailProg=/bin/true",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core",
    "ReturnToService=2",
    // Finished jobs stay visible to `scontrol show job` (there is no slurmdbd for sacct).
    "MinJobAge=3600",
    // The default 3 s between scheduling rounds doubles a short test's run time.
    "SchedulerParameters=batch_sched_delay=0",
    `NodeName=${nodeName} NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=${cpus} State=UNKNOWN`,
    `PartitionName=debug Nodes=${nodeName} Default=YES MaxTime=INFINITE State=UP`,
    "",
  ].join("\n");
  writeFileSync(confPath, conf);

  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: confPath };
  // The test runner marks its children; a job's node must not think it is one.
  delete env.NODE_TEST_CONTEXT;

  const daemons: ChildProcess[] = [];
  let stopped = false;
  let watchdog: ChildProcess | undefined;

  const killSync = () => {
    if (stopped) return;
    stopped = true;
    for (const p of processesOfCluster(confPath)) { try { process.kill(p, "SIGKILL"); } catch { /* gone */ } }
    for (const d of daemons) { if (isAlive(d.pid)) { try { process.kill(d.pid!, "SIGKILL"); } catch { /* gone */ } } }
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort at exit */ }
    if (watchdog?.pid && isAlive(watchdog.pid)) { try { process.kill(watchdog.pid, "SIGKILL"); } catch { /* gone */ } }
  };
  const onSignal = (sig: NodeJS.Signals) => { killSync(); process.exit(sig === "SIGINT" ? 130 : 143); };
  process.on("exit", killSync);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const startDaemon = (bin: string, args: string[], name: string) => {
    const p = spawn(bin, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr!.on("data", (b: Buffer) => { err = (err + b.toString()).slice(-4000); });
    p.on("exit", (code, sig) => {
      if (!stopped) earlyExit = `${name} exited early (code ${code}, signal ${sig}): ${err.trim()}`;
    });
    daemons.push(p);
    return p;
  };
  let earlyExit: string | undefined;

  const run = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { env, encoding: "utf8", timeout: 30_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const logs = (lines = 30): string => {
    const out: string[] = [];
    for (const f of ["slurmctld.log", "slurmd.log"]) {
      const p = join(dir, "log", f);
      if (!existsSync(p)) continue;
      out.push(`--- ${f}`, ...readFileSync(p, "utf8").trimEnd().split("\n").slice(-lines));
    }
    return out.join("\n");
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    // Cancel jobs first: job steps survive slurmd.
    try {
      const ids = run("squeue", ["-h", "-o", "%A"]).split(/\s+/).filter(Boolean);
      if (ids.length) spawnSync("scancel", ids, { env, timeout: 10_000 });
    } catch { /* controller already gone: the pid sweep below still finds the jobs */ }
    for (const d of [...daemons].reverse()) {
      if (isAlive(d.pid)) { try { process.kill(d.pid!, "SIGTERM"); } catch { /* gone */ } }
    }
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && daemons.some((d) => d.exitCode === null && d.signalCode === null)) await sleep(50);
    killSync();
    process.removeListener("exit", killSync);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  };

  try {
    const ctld = startDaemon(slurmctld, ["-D", "-i"], "slurmctld");
    const node = startDaemon(slurmd, ["-D", "-N", nodeName], "slurmd");
    // Last line of defence: if this process dies without running any handler (SIGKILL),
    // the watchdog stops the daemons by pid, any job left behind, and removes the dir.
    const script = [
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
      `kill -KILL ${ctld.pid} ${node.pid} 2>/dev/null`,
      `for e in /proc/[0-9]*/environ; do if tr '\\0' '\\n' < "$e" 2>/dev/null | grep -qxF "SLURM_CONF=${confPath}"; then p=\${e#/proc/}; kill -KILL "\${p%/environ}" 2>/dev/null; fi; done`,
      `rm -rf '${dir}'`,
    ].join("\n");
    watchdog = spawn("/bin/sh", ["-c", script], { detached: true, stdio: "ignore", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    watchdog.unref();

    const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
    for (;;) {
      if (earlyExit) throw new Error(earlyExit);
      const r = spawnSync("sinfo", ["-h", "-n", nodeName, "-o", "%T"], { env, encoding: "utf8", timeout: 5_000 });
      if (r.status === 0 && /^idle/.test(r.stdout.trim())) break;
      if (Date.now() > deadline) throw new Error(`Slurm node ${nodeName} not idle after ${opts.readyTimeoutMs ?? 20_000} ms (sinfo: ${(r.stdout || r.stderr).trim()})\n${logs()}`);
      await sleep(100);
    }
  } catch (err) {
    const text = logs();
    await stop();
    if (err instanceof Error && !err.message.includes("---") && text) err.message += `\n${text}`;
    throw err;
  }

  return { dir, confPath, nodeName, cpus, env, run, logs, stop };
}
