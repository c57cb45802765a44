import type { TaskParams } from "../params.js";
import type { OutlineDecision } from "../runtime.js";
import type { JobRecord, JobSnapshot, StartJobOptions } from "./types.js";

/** A value now, or later: the in-process registry answers at once, a shared one (Redis) after a round trip. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The job registry the faces (HTTP sessions, MCP tools, Tasks and `report://` resources) run on.
 * Two implementations: `ReportJobs` (one process, sessions in the data folder) and the Redis
 * registry of `serve --redis` (any replica serves any job; workers run them). Faces `await` every
 * answer, so both fit.
 *
 * Errors: an unknown id is a ReportError `session_not_found` where noted; a shared registry that
 * cannot reach its store throws a ReportError with `status: 503` and `retryAfterMs`, which the
 * HTTP face answers with 503 and `Retry-After`.
 */
export interface JobRegistry {
  /**
   * Starts (or, shared, queues) a run and returns its first snapshot. Throws ReportError
   * `too_many_sessions` past the cap on unfinished runs, `invalid_params` for an id already in use.
   */
  start(params: TaskParams, options?: StartJobOptions): MaybePromise<JobSnapshot>;
  get(id: string): MaybePromise<JobSnapshot | undefined>;
  /** Known jobs, newest first. A shared registry may leave `sections` empty here (read one job with `get`). */
  list(): MaybePromise<JobSnapshot[]>;
  /** Records with seq > afterSeq (all by default). Throws `session_not_found` for an unknown id. */
  records(id: string, afterSeq?: number): MaybePromise<JobRecord[]>;
  /**
   * Replays records with seq > afterSeq, then delivers new ones live, in order, each exactly once;
   * a listener that throws is dropped; no listener is kept after the terminal record. Resolves
   * with unsubscribe. Throws `session_not_found` for an unknown id.
   */
  subscribe(id: string, afterSeq: number, listener: (record: JobRecord) => void): MaybePromise<() => void>;
  /** Resolves when the job has a record with seq > afterSeq or has ended, or after timeoutMs, or on abort. */
  waitForChange(id: string, options: { afterSeq: number; timeoutMs: number; signal?: AbortSignal }): Promise<void>;
  /** Resolves with the final snapshot when the job ends. Rejects `session_not_found` for an unknown id. */
  done(id: string): Promise<JobSnapshot>;
  /** Ends a running job as `cancelled` and stops its work. False when unknown or already ended. */
  cancel(id: string): MaybePromise<boolean>;
  /** Delivers an outline decision; only while the job is awaiting_confirmation, false otherwise. */
  confirm(id: string, decision: OutlineDecision): MaybePromise<boolean>;
  /** Resolves once the registry can answer (a restore in progress has loaded). Never rejects. */
  ready(): Promise<void>;
  /** Stops what this process runs and releases its resources. */
  close(): Promise<void>;
}
