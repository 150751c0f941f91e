// Slurm: job arrays of shards plus a merge job (`wflo submit`); the batch's status is ../status.ts.
export {
  planSubmission, renderDryRun, slurmDirOf, currentWfloCommand, shellQuote, arrayRanges, readSubmissions, submissionsPath,
  type SlurmSubmitRequest, type SlurmPlan, type SlurmSubmission,
} from "./plan.js";
export {
  parseSbatchJobId, parseScontrolJobs, slurmJobs, activeJobIds, waitForJobs, FINAL_STATES,
  type RunOptions, type SlurmJobInfo,
} from "./client.js";
export {
  prepareSlurmSubmission, submitPrepared, submitPlan,
  type PrepareRequest, type PreparedSubmission,
} from "./submit.js";
