import type { Outline, WrittenSection } from "../author.js";
import type { z } from "zod";
import type { PipelineEvent, ProgressStatus } from "../events/index.js";
import type { TaskParams, TaskType } from "../params.js";
import type { jobErrorSchema, ReportResult } from "../result.js";
import type { ConfirmOutline, ReportRuntime } from "../runtime.js";

/** Where a job stands. `awaiting_confirmation` only happens with `auto_confirm: false` and a confirmer (external or a function). */
export const JOB_STATUSES = ["running", "awaiting_confirmation", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses of a job that has ended (no more records will be appended). */
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ["completed", "failed", "cancelled"];

/** A typed error as it appears in records and snapshots: SPEC §6.4 `data` plus the hint faces render. */
export type JobError = z.infer<typeof jobErrorSchema>;

/**
 * One entry of a job's append-only log. `seq` starts at 1 with the `started` record and grows by
 * one per record; exactly one terminal record (`result` or `error`) ends the log.
 */
export type JobRecord =
  | { seq: number; time: string; kind: "started" }
  | { seq: number; time: string; kind: "event"; event: PipelineEvent }
  | { seq: number; time: string; kind: "result"; result: ReportResult }
  | { seq: number; time: string; kind: "error"; error: JobError };

/** The state of a job at one moment, derived from its records. */
export type JobSnapshot = {
  id: string;
  status: JobStatus;
  task: string;
  /** The requested type until the run resolves it; the resolved type once the result is in. */
  task_type: TaskType;
  params: TaskParams;
  /**
   * The caller's own request id (e.g. the JSON-RPC `id` of an HTTP body), echoed in final
   * messages; null when none was given.
   */
  request_id: string | number | null;
  start_time: string;
  end_time: string | null;
  /** 0–100, never decreasing. */
  progress: number;
  /** The latest progress message. */
  message: string;
  current_status: ProgressStatus | null;
  outline: Outline | null;
  /** Sections finished so far, in the order they finished. */
  sections: WrittenSection[];
  result: ReportResult | null;
  error: JobError | null;
  last_seq: number;
};

/** What never changes about a job; a store writes it once, ahead of the job's first record. */
export type JobHeader = Pick<JobSnapshot, "id" | "task" | "task_type" | "params" | "request_id" | "start_time">;

/** One job as a store holds it: its header and its records in order (the snapshot is derived from them). */
export type StoredJob = { header: JobHeader; records: JobRecord[]; liveElsewhere?: boolean };

/**
 * Persists jobs (one entry per job) as a write-ahead log. The file implementation lives outside core.
 *
 * `append` is synchronous on purpose: a record is in the store (for a file: written to the kernel,
 * which keeps it through a crash of this process) before any listener, stream or snapshot sees it.
 * So after a crash no record a client saw is missing, and the `interrupted` record that ends a
 * cut-off job always comes after every record a client saw.
 */
export interface JobStore {
  /** Appends one record of a job (the header goes first, with the job's first record). Throws when it cannot. */
  append(header: JobHeader, record: JobRecord): void;
  /** Writes an ended job in its compact final form (its log is no longer needed). */
  save(snapshot: JobSnapshot, records: JobRecord[]): Promise<void>;
  /** `liveElsewhere`: the job was last written by another process that is still alive (it may be running it). */
  loadAll(): Promise<StoredJob[]>;
  remove(id: string): Promise<void>;
}

export type ReportJobsOptions = {
  /** The runtime, or a lazy factory called once on the first start. */
  runtime: ReportRuntime | (() => Promise<ReportRuntime>);
  /** Running (incl. awaiting confirmation) jobs allowed at once; default 4. */
  maxConcurrent?: number;
  store?: JobStore;
  now?: () => Date;
  /** Ended jobs older than maxAgeMs (default 30 days) or beyond the newest maxCount (default 200) are pruned. */
  retention?: { maxAgeMs?: number; maxCount?: number };
  /** How long a job waits for an external outline decision; default 30 min. */
  confirmTimeoutMs?: number;
  /** Diagnostics (store failures); default: none. */
  log?: (line: string) => void;
};

export type StartJobOptions = {
  /** Job id; default a random UUID. An id already in use is rejected (`invalid_params`). */
  id?: string;
  /** The caller's request id, kept in the snapshot (see JobSnapshot.request_id). */
  requestId?: string | number | null;
  /**
   * "external": with `auto_confirm: false` the job waits in `awaiting_confirmation` until
   * `confirm()`; "none" (default): no confirmer, the pipeline warns and proceeds; or a
   * ConfirmOutline function (e.g. MCP elicitation).
   */
  confirm?: "external" | "none" | ConfirmOutline;
  /** Called synchronously with every record of this job as it is appended. */
  onRecord?: (record: JobRecord) => void;
};
