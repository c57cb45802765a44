import { randomUUID } from "node:crypto";
import { ReportError, cancelledError } from "../core/errors.js";
import type { JobRecord, JobRegistry, JobSnapshot, StartJobOptions } from "../core/jobs/index.js";
import type { TaskParams } from "../core/params.js";
import type { OutlineDecision } from "../core/runtime.js";
import { confirmationDriver } from "./confirm-driver.js";
import { guard, isUnavailable, unavailableError } from "./connect.js";
import type { EventHub } from "./event-hub.js";
import type { ConfirmMode, RunStore } from "./run-store.js";

export type RedisJobsOptions = {
  store: RunStore;
  hub: EventHub;
  /** Puts a reserved run on the queue (BullMQ), where a worker picks it up. */
  enqueue: (id: string) => Promise<void>;
  /** Unfinished runs (queued, running, awaiting confirmation) allowed across the cluster. */
  maxUnfinished: number;
  /** How long an outline decision waits for its worker. */
  decisionTtlMs: number;
  log: (line: string) => void;
};

/** Runs listed at most (newest first), as the single-process registry keeps 200 by default. */
const LIST_LIMIT = 200;
const TOO_MANY_RETRY_AFTER_MS = 5000;
const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The job registry of `serve --redis`: any replica starts, reads, streams, cancels and confirms
 * any run; workers (`report-mcp worker`, or in-process) run them. The cap on unfinished runs holds
 * across the cluster. While Redis is away every call throws a 503-type ReportError.
 */
export class RedisJobs implements JobRegistry {
  readonly #options: RedisJobsOptions;
  readonly #store: RunStore;
  /** Local followers (onRecord callbacks, confirmation drivers), stopped on close. */
  readonly #follows = new Set<() => void>();
  #closed = false;

  constructor(options: RedisJobsOptions) {
    this.#options = options;
    this.#store = options.store;
  }

  async start(params: TaskParams, options: StartJobOptions = {}): Promise<JobSnapshot> {
    if (this.#closed)
      throw new ReportError(
        "interrupted",
        "The server is shutting down; start the report again on another replica or once it is back.",
      );
    const id = options.id ?? randomUUID();
    if (!ID_PATTERN.test(id))
      throw new ReportError(
        "invalid_params",
        `A report id must be 1-128 letters, digits, '.', '_' or '-' (got "${id}").`,
      );
    const { head, first } = newRun({ id, params, requestId: options.requestId ?? null });
    const confirm: ConfirmMode =
      options.confirm === "external" ? "external" : typeof options.confirm === "function" ? "driven" : "none";
    const outcome = await this.#guard(() =>
      this.#store.reserve({ head, first, confirm, cap: this.#options.maxUnfinished }),
    );
    if (outcome === "exists")
      throw new ReportError("invalid_params", `A report with id "${id}" already exists; choose another id.`);
    if (outcome === "full") {
      throw new ReportError(
        "too_many_sessions",
        `${this.#options.maxUnfinished} reports are already queued or running across this deployment, the most it takes at once. Wait for one to finish (or cancel one) and try again.`,
        { retryable: true, retryAfterMs: TOO_MANY_RETRY_AFTER_MS },
      );
    }
    // Followers start from record 1, so they see everything whenever they attach.
    const onRecord = options.onRecord;
    if (onRecord) this.#follow(id, onRecord);
    const confirmOutline = options.confirm;
    if (typeof confirmOutline === "function") {
      const driver = confirmationDriver({
        id,
        confirmOutline,
        confirm: (decision) => this.confirm(id, decision),
        fail: (error) => this.#end(id, error),
        log: this.#options.log,
      });
      this.#follow(id, driver.listener, driver.stop);
    }
    try {
      await this.#options.enqueue(id);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // If Redis is away this fails too; the workers' sweep ends the run once it is back.
      await this.#end(
        id,
        new ReportError("interrupted", `The report could not be queued for a worker (${reason}); start it again.`),
      ).catch((failure: unknown) => {
        this.#options.log(
          `report-mcp: report ${id} could not be queued nor ended (${failure instanceof Error ? failure.message : String(failure)}); the workers' sweep will end it.`,
        );
      });
      throw isUnavailable(error, this.#store.redis) ? unavailableError(error) : error;
    }
    return head;
  }

  get(id: string): Promise<JobSnapshot | undefined> {
    return this.#guard(() => this.#store.snapshot(id));
  }

  list(): Promise<JobSnapshot[]> {
    return this.#guard(() => this.#store.list(LIST_LIMIT));
  }

  async records(id: string, afterSeq = 0): Promise<JobRecord[]> {
    const records = await this.#guard(() => this.#store.records(id, afterSeq));
    if (!records) throw notFound(id);
    return records;
  }

  async subscribe(id: string, afterSeq: number, listener: (record: JobRecord) => void): Promise<() => void> {
    await this.#require(id);
    return this.#guard(() => this.#options.hub.watch(id, afterSeq, listener));
  }

  async waitForChange(
    id: string,
    options: { afterSeq: number; timeoutMs: number; signal?: AbortSignal },
  ): Promise<void> {
    const state = await this.#require(id);
    if (state.seq > options.afterSeq || state.ended || options.signal?.aborted) return;
    let unsubscribe: () => void = () => undefined;
    let finish: () => void = () => undefined;
    const changed = new Promise<void>((resolve) => (finish = resolve));
    const timer = setTimeout(finish, Math.max(0, options.timeoutMs));
    options.signal?.addEventListener("abort", finish, { once: true });
    try {
      unsubscribe = await this.#guard(() =>
        this.#options.hub.watch(id, state.seq, (record) => {
          if (record.seq > options.afterSeq || record.kind === "result" || record.kind === "error") finish();
        }),
      );
      await changed;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", finish);
      unsubscribe();
    }
  }

  async done(id: string): Promise<JobSnapshot> {
    const state = await this.#require(id);
    if (!state.ended) {
      let ended: () => void = () => undefined;
      let abandon: () => void = () => undefined;
      const ending = new Promise<void>((resolve, reject) => {
        ended = resolve;
        abandon = () =>
          reject(
            new ReportError(
              "interrupted",
              "This server is shutting down; the report goes on: follow it on another replica.",
            ),
          );
      });
      const unsubscribe = await this.#guard(() =>
        this.#options.hub.watch(id, state.seq, (record) => {
          if (record.kind === "result" || record.kind === "error") ended();
        }),
      );
      this.#follows.add(abandon);
      try {
        await ending;
      } finally {
        this.#follows.delete(abandon);
        unsubscribe();
      }
    }
    const final = await this.get(id);
    if (!final) throw notFound(id);
    return final;
  }

  async cancel(id: string): Promise<boolean> {
    const ended = await this.#end(id, cancelledError());
    if (ended) await this.#notifyWorkers({ kind: "cancel", id });
    return ended;
  }

  async confirm(id: string, decision: OutlineDecision): Promise<boolean> {
    const outcome = await this.#guard(() => this.#store.offerDecision(id, decision, this.#options.decisionTtlMs));
    return outcome === "accepted";
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const stop of [...this.#follows]) stop();
    this.#follows.clear();
  }

  /** Ends a run now with `error` (its worker stops at its next record or on the control notice). */
  async #end(id: string, error: ReportError): Promise<boolean> {
    const ended = await this.#guard(() => this.#store.end(id, error.toRecord()));
    if (ended && error.type !== "cancelled") await this.#notifyWorkers({ kind: "cancel", id });
    return ended;
  }

  async #notifyWorkers(notice: { kind: "cancel"; id: string }): Promise<void> {
    await this.#guard(() => this.#store.redis.publish(this.#store.keys.control, JSON.stringify(notice)));
  }

  /**
   * Feeds every record of run `id` (from the first) to `listener` in this process until the run
   * ends or the registry closes; `onStop` runs then.
   */
  #follow(id: string, listener: (record: JobRecord) => void, onStop?: () => void): void {
    let unsubscribe: (() => void) | null = null;
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      this.#follows.delete(stop);
      unsubscribe?.();
      onStop?.();
    };
    this.#follows.add(stop);
    this.#options.hub
      .watch(id, 0, (record) => {
        try {
          listener(record);
        } catch (error) {
          this.#options.log(
            `report-mcp: a listener of report ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        if (record.kind === "result" || record.kind === "error") stop();
      })
      .then(
        (unsubscribeNow) => {
          unsubscribe = unsubscribeNow;
          if (stopped) unsubscribeNow();
        },
        (error: unknown) => {
          this.#options.log(
            `report-mcp: could not follow report ${id}: ${error instanceof Error ? error.message : String(error)}`,
          );
          stop();
        },
      );
  }

  async #require(id: string): Promise<{ seq: number; ended: boolean }> {
    const state = await this.#guard(() => this.#store.state(id));
    if (!state) throw notFound(id);
    return state;
  }

  #guard<T>(call: () => Promise<T>): Promise<T> {
    return guard(this.#store.redis, call);
  }
}

/** A new run: its head (as after its first record) and that first `started` record. */
export function newRun(options: { id: string; params: TaskParams; requestId: string | number | null }): {
  head: JobSnapshot;
  first: JobRecord;
} {
  const time = new Date().toISOString();
  const { id, params } = options;
  const head: JobSnapshot = {
    id,
    status: "running",
    task: params.task,
    task_type: params.task_type,
    params,
    request_id: options.requestId,
    start_time: time,
    end_time: null,
    progress: 0,
    message: "",
    current_status: null,
    outline: null,
    sections: [],
    result: null,
    error: null,
    last_seq: 1,
  };
  return { head, first: { seq: 1, time, kind: "started" } };
}

function notFound(id: string): ReportError {
  return new ReportError(
    "session_not_found",
    `No report session "${id}" exists (it may have expired); list sessions or start a new report.`,
  );
}
