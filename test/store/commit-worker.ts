// Runs in a worker_thread for commit.test.ts: commits the seeds it is given, posts the outcomes.
import { parentPort, workerData } from "node:worker_threads";
import { commitResult } from "../../src/store/index.js";
import { record } from "./helpers.js";

const { out, seeds } = workerData as { out: string; seeds: number[] };
const statuses: string[] = [];
for (const s of seeds) statuses.push((await commitResult(out, record(s))).status);
parentPort!.postMessage(statuses);
