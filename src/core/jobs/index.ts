/**
 * The job registry shared by MCP (start_report/get_report/cancel_report, MCP Tasks) and HTTP
 * (streaming sessions). Wire-agnostic: no JSON-RPC, no HTTP, no env, no console.
 */
export { ReportJobs } from "./report-jobs.js";
export type { JobRegistry, MaybePromise } from "./registry.js";
export { applyRecord, initialSnapshot, intentOf, outlineOf, replayRecords, sectionOf } from "./apply-record.js";
export {
  TERMINAL_JOB_STATUSES,
  type JobError,
  type JobHeader,
  type JobRecord,
  type JobSnapshot,
  JOB_STATUSES,
  type JobStatus,
  type JobStore,
  type ReportJobsOptions,
  type StartJobOptions,
  type StoredJob,
} from "./types.js";
