import {
  applyRecord,
  TERMINAL_JOB_STATUSES,
  type JobError,
  type JobRecord,
  type JobSnapshot,
} from "../core/jobs/index.js";
import type { PipelineEvent } from "../core/events/index.js";
import type { ReportResult } from "../core/result.js";
import { encodeRecord } from "./record-codec.js";
import type { RunStore } from "./run-store.js";

export type RecordBody =
  | { kind: "event"; event: PipelineEvent }
  | { kind: "result"; result: ReportResult }
  | { kind: "error"; error: JobError };

/** Why an attempt may no longer write: the run ended elsewhere (cancel), another worker took it, or it is gone. */
export type StopReason = "ended" | "fenced" | "missing" | "diverged";

/**
 * Writes one attempt's records to its run's log, one at a time and in order, each in Redis (and
 * so visible to clients) before the next. The head snapshot moves along. When the run can no
 * longer be written to, `onStop` is told once and every later append rejects.
 */
export class AttemptAppender {
  readonly #store: RunStore;
  readonly #id: string;
  readonly #token: string;
  readonly #onStop: (reason: StopReason) => void;
  #head: JobSnapshot;
  #last: JobRecord | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #stopped: StopReason | null = null;

  constructor(options: {
    store: RunStore;
    id: string;
    token: string;
    head: JobSnapshot;
    onStop: (reason: StopReason) => void;
  }) {
    this.#store = options.store;
    this.#id = options.id;
    this.#token = options.token;
    this.#head = options.head;
    this.#onStop = options.onStop;
  }

  get head(): JobSnapshot {
    return this.#head;
  }

  /** The last record this attempt appended. */
  get last(): JobRecord | null {
    return this.#last;
  }

  get stopped(): StopReason | null {
    return this.#stopped;
  }

  /** Appends a record after those already queued; after the terminal record, appends do nothing. */
  append(body: RecordBody): Promise<void> {
    return this.#enqueue(() => this.#write(body));
  }

  /** Changes the head without a record (e.g. back to `running` once an outline decision arrived). */
  update(change: (head: JobSnapshot) => void): Promise<void> {
    return this.#enqueue(async () => {
      const head = { ...this.#head };
      change(head);
      const outcome = await this.#store.append({
        id: this.#id,
        token: this.#token,
        expectedSeq: head.last_seq,
        record: null,
        head,
      });
      if (outcome.kind !== "ok") return this.#stop(outcome.kind === "conflict" ? "diverged" : outcome.kind);
      this.#head = head;
    });
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(() => {
      if (this.#stopped) throw new AttemptStoppedError(this.#stopped);
      if (TERMINAL_JOB_STATUSES.includes(this.#head.status)) return;
      return step();
    });
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #write(body: RecordBody): Promise<void> {
    const expectedSeq = this.#head.last_seq;
    const record = { ...body, seq: expectedSeq + 1, time: new Date().toISOString() } as JobRecord;
    // applyRecord only assigns top-level fields (and pushes sections, which the head leaves to the log).
    const head: JobSnapshot = { ...this.#head, sections: [] };
    applyRecord(head, record);
    head.sections = [];
    head.result = null;
    let outcome = await this.#store.append({ id: this.#id, token: this.#token, expectedSeq, record, head });
    // A write resent after a dropped connection may have landed the first time: then it is ours.
    if (outcome.kind === "conflict" && outcome.seq === record.seq && (await this.#landed(record)))
      outcome = { kind: "ok", seq: record.seq };
    if (outcome.kind !== "ok") {
      // A cancel (or sweep) ended the run first: our terminal record is simply not needed.
      if (outcome.kind === "ended" && (body.kind === "error" || body.kind === "result")) return;
      return this.#stop(outcome.kind === "conflict" ? "diverged" : outcome.kind);
    }
    this.#head = head;
    this.#last = record;
  }

  async #landed(record: JobRecord): Promise<boolean> {
    const entries = await this.#store.redis.xrange(
      this.#store.keys.log(this.#id),
      `0-${record.seq}`,
      `0-${record.seq}`,
    );
    return entries[0]?.[1][1] === encodeRecord(record);
  }

  #stop(reason: StopReason): never {
    if (!this.#stopped) {
      this.#stopped = reason;
      this.#onStop(reason);
    }
    throw new AttemptStoppedError(reason);
  }
}

/** Thrown into the pipeline when its run may no longer be written to. */
export class AttemptStoppedError extends Error {
  readonly reason: StopReason;

  constructor(reason: StopReason) {
    super(`this attempt may no longer write to its report (${reason})`);
    this.name = "AttemptStoppedError";
    this.reason = reason;
  }
}
