import { randomUUID } from "node:crypto";
import { ReportError, cancelledError, toReportError } from "../errors.js";
import type { PipelineEvent } from "../events/index.js";
import type { TaskParams } from "../params.js";
import type { ReportResult } from "../result.js";
import type { OutlineDecision, ReportRuntime } from "../runtime.js";
import { applyRecord, copySnapshot, initialSnapshot, replayRecords } from "./apply-record.js";
import { externalConfirmer, type Job } from "./external-confirmer.js";
import { JobPersistence } from "./job-persistence.js";
import type { JobRegistry } from "./registry.js";
import {
  TERMINAL_JOB_STATUSES,
  type JobError,
  type JobRecord,
  type JobSnapshot,
  type ReportJobsOptions,
  type StartJobOptions,
} from "./types.js";

type RecordBody =
  | { kind: "started" }
  | { kind: "event"; event: PipelineEvent }
  | { kind: "result"; result: ReportResult }
  | { kind: "error"; error: JobError };

const DEFAULT_CONFIRM_TIMEOUT_MS = 30 * 60 * 1000;
const TOO_MANY_RETRY_AFTER_MS = 5000;

/**
 * The registry of report runs shared by MCP (start/get/cancel, Tasks) and HTTP (sessions).
 * Wire-agnostic: each job is an append-only log of records plus a derived snapshot.
 */
export class ReportJobs implements JobRegistry {
  readonly #jobs = new Map<string, Job>();
  readonly #runtimeSource: ReportJobsOptions["runtime"];
  #runtimePromise: Promise<ReportRuntime> | null = null;
  readonly #maxConcurrent: number;
  readonly #now: () => Date;
  readonly #confirmTimeoutMs: number;
  readonly #persistence: JobPersistence;
  #closed = false;
  #restored: Promise<void> = Promise.resolve();

  constructor(options: ReportJobsOptions) {
    this.#runtimeSource = options.runtime;
    this.#maxConcurrent = options.maxConcurrent ?? 4;
    this.#now = options.now ?? (() => new Date());
    this.#confirmTimeoutMs = options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
    this.#persistence = new JobPersistence({
      store: options.store,
      maxAgeMs: options.retention?.maxAgeMs ?? 30 * 24 * 60 * 60 * 1000,
      maxCount: options.retention?.maxCount ?? 200,
      log: options.log,
    });
  }

  /** Jobs currently running or awaiting confirmation. */
  get activeCount(): number {
    let count = 0;
    for (const job of this.#jobs.values()) if (!isEnded(job)) count += 1;
    return count;
  }

  /**
   * Starts a run at once and returns its first snapshot. Throws ReportError `too_many_sessions`
   * past maxConcurrent active jobs, `invalid_params` for an id already in use.
   */
  start(params: TaskParams, options: StartJobOptions = {}): JobSnapshot {
    if (this.#closed)
      throw new ReportError("interrupted", "The server is shutting down; start the report again once it is back.");
    if (this.activeCount >= this.#maxConcurrent) {
      throw new ReportError(
        "too_many_sessions",
        `${this.#maxConcurrent} reports are already running, the most this server runs at once. Wait for one to finish (or cancel one) and try again.`,
        { retryable: true, retryAfterMs: TOO_MANY_RETRY_AFTER_MS },
      );
    }
    const id = options.id ?? randomUUID();
    if (this.#jobs.has(id))
      throw new ReportError("invalid_params", `A report with id "${id}" already exists; choose another id.`);
    let resolveDone: (snapshot: JobSnapshot) => void = () => undefined;
    const done = new Promise<JobSnapshot>((resolve) => (resolveDone = resolve));
    const header = {
      id,
      task: params.task,
      task_type: params.task_type,
      params,
      request_id: options.requestId ?? null,
      start_time: this.#now().toISOString(),
    };
    const job: Job = {
      header,
      snapshot: initialSnapshot(header),
      records: [],
      controller: new AbortController(),
      listeners: new Set(),
      onRecord: options.onRecord,
      pendingConfirmation: null,
      confirmsExternally: options.confirm === "external",
      earlyDecision: null,
      done,
      resolveDone,
    };
    this.#jobs.set(id, job);
    this.#append(job, { kind: "started" });
    void this.#run(job, options.confirm ?? "none");
    return copySnapshot(job.snapshot);
  }

  get(id: string): JobSnapshot | undefined {
    const job = this.#jobs.get(id);
    return job ? copySnapshot(job.snapshot) : undefined;
  }

  /** All known jobs, newest first. */
  list(): JobSnapshot[] {
    return [...this.#jobs.values()]
      .map((job) => copySnapshot(job.snapshot))
      .sort((left, right) => right.start_time.localeCompare(left.start_time));
  }

  /** Records with seq > afterSeq (all by default). Throws `session_not_found` for an unknown id. */
  records(id: string, afterSeq = 0): JobRecord[] {
    return this.#require(id).records.filter((record) => record.seq > afterSeq);
  }

  /**
   * Replays records with seq > afterSeq, then delivers new ones live, in order, each exactly once.
   * A listener that throws is unsubscribed. Returns unsubscribe.
   */
  subscribe(id: string, afterSeq: number, listener: (record: JobRecord) => void): () => void {
    const job = this.#require(id);
    const unsubscribe = (): void => void job.listeners.delete(listener);
    // Replay over the live array, so a record appended by the listener itself is delivered in order.
    for (const record of job.records) {
      if (record.seq <= afterSeq) continue;
      if (!deliver(listener, record)) return unsubscribe;
    }
    // An ended job gets no more records: keep no listener.
    if (!isEnded(job)) job.listeners.add(listener);
    return unsubscribe;
  }

  /** Resolves when the job has a record with seq > afterSeq or has ended, or after timeoutMs, or on abort. */
  waitForChange(id: string, options: { afterSeq: number; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    const job = this.#require(id);
    if (job.snapshot.last_seq > options.afterSeq || isEnded(job) || options.signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        job.listeners.delete(listener);
        options.signal?.removeEventListener("abort", finish);
        resolve();
      };
      const listener = (record: JobRecord): void => {
        if (record.seq > options.afterSeq) finish();
      };
      const timer = setTimeout(finish, Math.max(0, options.timeoutMs));
      job.listeners.add(listener);
      options.signal?.addEventListener("abort", finish, { once: true });
    });
  }

  /** Resolves with the final snapshot when the job ends. Rejects `session_not_found` for an unknown id. */
  done(id: string): Promise<JobSnapshot> {
    const job = this.#jobs.get(id);
    return job ? job.done : Promise.reject(notFound(id));
  }

  /** Stops a running job at once (its stream ends with a `cancelled` error). False when unknown or already ended. */
  cancel(id: string): boolean {
    const job = this.#jobs.get(id);
    if (!job || isEnded(job)) return false;
    this.#stop(job, cancelledError());
    return true;
  }

  /** Delivers an outline decision; only while the job is awaiting_confirmation, false otherwise. */
  confirm(id: string, decision: OutlineDecision): boolean {
    const job = this.#jobs.get(id);
    if (!job || job.snapshot.status !== "awaiting_confirmation") return false;
    if (job.pendingConfirmation) {
      job.pendingConfirmation.resolve(decision);
      return true;
    }
    // Announced, but the run has not begun to wait yet: keep the decision for the moment it does.
    if (!job.confirmsExternally || job.earlyDecision !== null) return false;
    job.earlyDecision = decision;
    return true;
  }

  /**
   * Loads the store and prunes old jobs. Jobs that were running are marked failed with error
   * type "interrupted" — unless the store says another live process is running them (a data
   * folder shared by several servers, e.g. the stdio servers of different hosts): those are left alone.
   */
  restore(): Promise<void> {
    const restoring = this.#load();
    this.#restored = restoring.catch(() => undefined);
    return restoring;
  }

  /** Resolves once a restore in progress has loaded the store (at once when none is). Never rejects. */
  ready(): Promise<void> {
    return this.#restored;
  }

  async #load(): Promise<void> {
    const entries = await this.#persistence.loadAll();
    for (const entry of entries) {
      const header = { ...entry.header, request_id: entry.header.request_id ?? null };
      if (this.#jobs.has(header.id)) continue;
      const { snapshot, records } = replayRecords(header, entry.records);
      if (entry.liveElsewhere === true && !TERMINAL_JOB_STATUSES.includes(snapshot.status)) continue;
      let resolveDone: (snapshot: JobSnapshot) => void = () => undefined;
      const done = new Promise<JobSnapshot>((resolve) => (resolveDone = resolve));
      const job: Job = {
        header,
        snapshot,
        records,
        controller: new AbortController(),
        listeners: new Set(),
        onRecord: undefined,
        pendingConfirmation: null,
        confirmsExternally: false,
        earlyDecision: null,
        done,
        resolveDone,
      };
      this.#jobs.set(snapshot.id, job);
      if (isEnded(job)) {
        resolveDone(copySnapshot(snapshot));
      } else {
        this.#append(job, {
          kind: "error",
          error: {
            type: "interrupted",
            message: "The server stopped before this report finished; start the report again.",
          },
        });
      }
    }
    await this.#prune();
  }

  /** Stops every running job (they end `failed` / `interrupted`) and flushes the store. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#jobs.values()) {
      if (!isEnded(job)) {
        this.#stop(
          job,
          new ReportError("interrupted", "The server shut down before this report finished; start the report again."),
        );
      }
    }
    await this.#persistence.flush();
  }

  async #run(job: Job, confirm: StartJobOptions["confirm"]): Promise<void> {
    const signal = job.controller.signal;
    try {
      const runtime = await this.#runtime();
      if (signal.aborted) throw signal.reason;
      const result = await runtime.runReport(job.snapshot.params, {
        signal,
        onEvent: (event) => {
          if (!signal.aborted) this.#append(job, { kind: "event", event });
        },
        confirmOutline:
          confirm === "external"
            ? externalConfirmer({
                job,
                timeoutMs: this.#confirmTimeoutMs,
                stop: (error) => this.#stop(job, error),
                announce: (event) => this.#append(job, { kind: "event", event }),
              })
            : confirm === "none"
              ? undefined
              : confirm,
      });
      if (signal.aborted) throw signal.reason;
      this.#append(job, { kind: "result", result });
    } catch (error) {
      const reportError = signal.aborted ? toReportError(signal.reason ?? error) : toReportError(error);
      this.#append(job, { kind: "error", error: reportError.toRecord() });
    }
  }

  /** Ends a job now with the given error and aborts its run. */
  #stop(job: Job, error: ReportError): void {
    if (isEnded(job)) return;
    this.#append(job, { kind: "error", error: error.toRecord() });
    job.controller.abort(error);
  }

  #append(job: Job, body: RecordBody): void {
    if (isEnded(job)) return;
    const record = { ...body, seq: job.snapshot.last_seq + 1, time: this.#now().toISOString() } as JobRecord;
    // Write-ahead: the record is in the store before any listener, stream or snapshot shows it.
    this.#persistence.append(job.header, record);
    job.records.push(record);
    applyRecord(job.snapshot, record);
    const ended = isEnded(job);
    if (ended) job.pendingConfirmation = null;
    if (job.onRecord) deliver(job.onRecord, record);
    for (const listener of [...job.listeners]) {
      if (!deliver(listener, record)) job.listeners.delete(listener);
    }
    if (ended) {
      this.#persistence.ended(job.snapshot, job.records);
      job.listeners.clear();
      job.resolveDone(copySnapshot(job.snapshot));
      void this.#prune();
    }
  }

  async #prune(): Promise<void> {
    const ended = [...this.#jobs.values()].filter(isEnded).map((job) => job.snapshot);
    for (const id of this.#persistence.expired(ended, this.#now())) {
      this.#jobs.delete(id);
      await this.#persistence.remove(id);
    }
  }

  #runtime(): Promise<ReportRuntime> {
    const source = this.#runtimeSource;
    if (typeof source !== "function") return Promise.resolve(source);
    if (!this.#runtimePromise) {
      this.#runtimePromise = source().catch((error: unknown) => {
        this.#runtimePromise = null;
        throw error;
      });
    }
    return this.#runtimePromise;
  }

  #require(id: string): Job {
    const job = this.#jobs.get(id);
    if (!job) throw notFound(id);
    return job;
  }
}

function isEnded(job: Job): boolean {
  return TERMINAL_JOB_STATUSES.includes(job.snapshot.status);
}

function notFound(id: string): ReportError {
  return new ReportError(
    "session_not_found",
    `No report session "${id}" exists (it may have been pruned); list sessions or start a new report.`,
  );
}

/** Calls a listener; false when it threw (the caller drops it). */
function deliver(listener: (record: JobRecord) => void, record: JobRecord): boolean {
  try {
    listener(record);
    return true;
  } catch {
    return false;
  }
}
