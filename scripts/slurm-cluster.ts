// Starts a throwaway one-host Slurm cluster (the one test/slurm/cluster.test.ts uses) to
// try `wflo submit` by hand, and stops it on Ctrl-C, removing everything it made:
//
//   node --import tsx scripts/slurm-cluster.ts            # prints: export SLURM_CONF=…
//   export SLURM_CONF=…   # in another shell, then:
//   node --import tsx src/cli/dev.ts submit examples/iea37-quick.json --out /tmp/q.h5 --shards 4
//   squeue; node --import tsx src/cli/dev.ts status /tmp/q.h5
//
// Needs Debian's slurmctld, slurmd and slurm-client (scripts/setup-system.sh) and root,
// or a user that Slurm may run as (SlurmUser is set to the current user).
import { startCluster } from "../test/slurm/harness.js";

const cluster = await startCluster();
console.log(`one-host Slurm cluster up: node ${cluster.nodeName}, ${cluster.cpus} CPUs, files in ${cluster.dir}`);
console.log(`export SLURM_CONF=${cluster.confPath}`);
console.log("Ctrl-C stops it (jobs cancelled, daemons stopped, directory removed).");
await new Promise<void>((resolve) => {
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.once("SIGINT", () => resolve());
  process.once("SIGTERM", () => resolve());
});
await cluster.stop();
console.log("stopped");
