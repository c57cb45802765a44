import type { Redis } from "ioredis";
import { z } from "zod";
import { outlineSchema, type WrittenSection } from "../core/author.js";
import {
  applyRecord,
  sectionOf,
  TERMINAL_JOB_STATUSES,
  type JobError,
  type JobRecord,
  type JobSnapshot,
} from "../core/jobs/index.js";
import type { ReportResult } from "../core/result.js";
import type { OutlineDecision } from "../core/runtime.js";
import type { ScaleKeys } from "./keys.js";
import { APPEND, CLAIM, CONFIRM, HANDBACK, RESERVE } from "./lua.js";
import { decodeHead, decodeRecord, encodeHead, encodeRecord } from "./record-codec.js";

/** Who puts the outline to a person: nobody, an HTTP client (/confirm) or the front end that started the run (e.g. MCP elicitation). */
export type ConfirmMode = "none" | "external" | "driven";

export type AppendOutcome =
  | { kind: "ok"; seq: number }
  | { kind: "missing" }
  | { kind: "ended"; seq: number }
  | { kind: "fenced"; seq: number }
  | { kind: "conflict"; seq: number };

export type Claim =
  | {
      kind: "ok";
      seq: number;
      attempt: number;
      handbacks: number;
      handedBack: boolean;
      head: JobSnapshot;
      confirm: ConfirmMode;
    }
  | { kind: "missing" }
  | { kind: "ended" };

export type RunState = { head: JobSnapshot; seq: number; ended: boolean };

const confirmModeSchema = z.enum(["none", "external", "driven"]);
const decisionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("approve") }),
  z.object({
    action: z.literal("edit"),
    outline: outlineSchema,
  }),
  z.object({ action: z.literal("reject"), feedback: z.string().optional() }),
]);

// Shapes of Redis replies, built once (they are checked on every call).
const reserveReply = z.enum(["ok", "exists", "full"]);
const appendReply = z.tuple([z.enum(["ok", "missing", "ended", "fenced", "conflict"]), z.number()]);
const claimReply = z.union([
  z.tuple([z.literal("ok"), z.string(), z.number(), z.string(), z.string(), z.string(), z.string()]),
  z.tuple([z.enum(["missing", "ended"])]),
]);
const transactionReply = z.tuple([z.tuple([z.unknown(), z.unknown()]), z.tuple([z.unknown(), z.unknown()])]);
const fieldsReply = z.array(z.string().nullable());
const streamReply = z.array(z.tuple([z.string(), z.array(z.string())]));

/** Attempts of a front end's compare-and-set append against a worker appending at the same time. */
const MAX_AUTHORITY_ATTEMPTS = 50;

/**
 * A run's state in Redis (see keys.ts): the head snapshot, the log of records, the owner token.
 * Shared by front ends and workers; every change is one Lua script, so the log, the head and the
 * published record never disagree.
 */
export class RunStore {
  readonly redis: Redis;
  readonly keys: ScaleKeys;
  readonly #retentionMs: number;
  readonly #content = new Map<string, LogContent>();

  constructor(options: { redis: Redis; keys: ScaleKeys; retentionMs: number }) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.#retentionMs = options.retentionMs;
  }

  /** Creates a run with its first record, unless the id is taken or `cap` runs are unfinished. */
  async reserve(options: {
    head: JobSnapshot;
    first: JobRecord;
    confirm: ConfirmMode;
    cap: number;
  }): Promise<"ok" | "exists" | "full"> {
    const { head, first } = options;
    const id = head.id;
    const metaKey = this.keys.meta(id);
    const answer = await RESERVE.run(
      this.redis,
      [metaKey, this.keys.log(id), this.keys.active, this.keys.index],
      [
        id,
        options.cap,
        encodeHead(head),
        encodeRecord(first),
        options.confirm,
        Date.parse(head.start_time),
        this.keys.events(id),
        `${this.keys.prefix}:run:`,
        ":meta",
      ],
    );
    return reserveReply.parse(answer);
  }

  /**
   * Appends `record` (null: updates the head only) if `token` still owns the run ("*": whoever
   * owns it) and its last seq is `expectedSeq`. `head` is the snapshot with the record applied.
   */
  async append(options: {
    id: string;
    token: string;
    expectedSeq: number;
    record: JobRecord | null;
    head: JobSnapshot;
  }): Promise<AppendOutcome> {
    const { id, record, head } = options;
    const terminal = TERMINAL_JOB_STATUSES.includes(head.status);
    const answer = await APPEND.run(
      this.redis,
      [
        this.keys.meta(id),
        this.keys.log(id),
        this.keys.active,
        this.keys.expiring,
        this.keys.index,
        this.keys.decision(id),
      ],
      [
        options.token,
        options.expectedSeq,
        record ? encodeRecord(record) : "",
        encodeHead(head),
        head.status,
        terminal ? "1" : "0",
        this.#retentionMs,
        id,
        Date.now(),
        this.keys.events(id),
      ],
    );
    const [kind, seq] = appendReply.parse(answer);
    return kind === "missing" ? { kind } : { kind, seq };
  }

  /**
   * Ends a run with an error on behalf of whoever asks (a cancel, a sweep, a front end whose
   * confirmer failed), racing any worker that appends at the same time. False when it had ended.
   */
  async end(id: string, error: JobError): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_AUTHORITY_ATTEMPTS; attempt += 1) {
      const state = await this.state(id);
      if (!state || state.ended) return false;
      const record: JobRecord = { seq: state.seq + 1, time: new Date().toISOString(), kind: "error", error };
      const head = state.head;
      applyRecord(head, record);
      const outcome = await this.append({ id, token: "*", expectedSeq: state.seq, record, head });
      if (outcome.kind === "ok") return true;
      if (outcome.kind !== "conflict") return false;
    }
    throw new Error(`could not end report ${id}: its log kept changing`);
  }

  /** Takes the run for one attempt under a new owner token. */
  async claim(id: string, token: string): Promise<Claim> {
    const answer = await CLAIM.run(this.redis, [this.keys.meta(id)], [token]);
    const parsed = claimReply.parse(answer);
    if (parsed.length === 1) return { kind: parsed[0] };
    const [, seq, attempt, handbacks, head, confirm, handedBack] = parsed;
    return {
      kind: "ok",
      seq: Number(seq),
      attempt,
      handbacks: Number(handbacks),
      handedBack: handedBack === "1",
      head: { ...decodeHead(head, id), last_seq: Number(seq) },
      confirm: confirmModeSchema.parse(confirm),
    };
  }

  /** Gives the run back to the queue's next worker; false when `token` no longer owns it. */
  async handback(id: string, token: string): Promise<boolean> {
    return (await HANDBACK.run(this.redis, [this.keys.meta(id)], [token])) === 1;
  }

  /** The run's head, last seq and whether it ended; null when there is no such run (or it expired). */
  async state(id: string): Promise<RunState | null> {
    const [head, seq, ended] = await this.redis.hmget(this.keys.meta(id), "head", "seq", "ended");
    if (!head || !seq) return null;
    return { head: { ...decodeHead(head, id), last_seq: Number(seq) }, seq: Number(seq), ended: ended === "1" };
  }

  /** Records with seq > afterSeq; null when there is no such run. */
  async records(id: string, afterSeq = 0): Promise<JobRecord[] | null> {
    const read = await this.#read(id, afterSeq);
    return read && read.records;
  }

  /** The whole snapshot: the head, with the sections and result folded in from the log. */
  async snapshot(id: string): Promise<JobSnapshot | undefined> {
    // Polling (get_report, tasks/get, stream opens) reads only the records added since the last read.
    const cached = this.#content.get(id);
    const read = await this.#read(id, cached?.seq ?? 0);
    if (!read) {
      this.#content.delete(id);
      return undefined;
    }
    const { head, seq } = read.state;
    if (cached && (cached.startTime !== head.start_time || cached.seq > seq)) {
      this.#content.delete(id);
      return this.snapshot(id);
    }
    const content = foldContent(
      cached ?? { startTime: head.start_time, seq: 0, sections: [], result: null },
      read.records,
    );
    this.#content.delete(id);
    this.#content.set(id, { ...content, seq });
    for (const oldest of this.#content.keys()) {
      if (this.#content.size <= CONTENT_CACHE_LIMIT) break;
      this.#content.delete(oldest);
    }
    return { ...head, sections: [...content.sections], result: content.result };
  }

  /** The head and the log after `afterSeq`, read in one transaction (they always agree). */
  async #read(id: string, afterSeq: number): Promise<{ state: RunState; records: JobRecord[] } | null> {
    const answers = await this.redis
      .multi()
      .hmget(this.keys.meta(id), "head", "seq", "ended")
      .xrange(this.keys.log(id), `0-${afterSeq + 1}`, "+")
      .exec();
    if (!answers) throw new Error(`reading report ${id} from Redis was aborted`);
    const [[metaError, meta], [logError, log]] = transactionReply.parse(answers);
    if (metaError) throw metaError;
    if (logError) throw logError;
    const [head, seq, ended] = fieldsReply.parse(meta);
    if (!head || !seq) return null;
    const entries = streamReply.parse(log);
    return {
      state: { head: { ...decodeHead(head, id), last_seq: Number(seq) }, seq: Number(seq), ended: ended === "1" },
      records: entries.map(([, fields]) => decodeRecord(fields[1] ?? "", id)),
    };
  }

  /** The newest `limit` runs (sections left out; results in). Index entries of expired runs are dropped. */
  async list(limit: number): Promise<JobSnapshot[]> {
    const ids = await this.redis.zrevrange(this.keys.index, 0, limit - 1);
    if (ids.length === 0) return [];
    const heads = this.redis.pipeline();
    for (const id of ids) heads.hmget(this.keys.meta(id), "head", "seq");
    const answers = (await heads.exec()) ?? [];
    const snapshots: JobSnapshot[] = [];
    const gone: string[] = [];
    ids.forEach((id, index) => {
      const [error, fields] = answers[index] ?? [null, null];
      if (error) throw error;
      const [head, seq] = fieldsReply.parse(fields);
      if (!head || !seq) gone.push(id);
      else snapshots.push({ ...decodeHead(head, id), last_seq: Number(seq) });
    });
    if (gone.length > 0) await this.redis.zrem(this.keys.index, ...gone);
    const finished = snapshots.filter((snapshot) => snapshot.status === "completed");
    if (finished.length > 0) {
      const lasts = this.redis.pipeline();
      for (const snapshot of finished) lasts.xrevrange(this.keys.log(snapshot.id), "+", "-", "COUNT", 1);
      const answers = (await lasts.exec()) ?? [];
      finished.forEach((snapshot, index) => {
        const entries = streamReply.safeParse(answers[index]?.[1]);
        const text = entries.success ? entries.data[0]?.[1][1] : undefined;
        const record = text === undefined ? null : decodeRecord(text, snapshot.id);
        if (record?.kind === "result") snapshot.result = record.result;
      });
    }
    return snapshots;
  }

  /** Leaves a decision for the run's worker if it awaits one. */
  async offerDecision(
    id: string,
    decision: OutlineDecision,
    ttlMs: number,
  ): Promise<"accepted" | "refused" | "missing"> {
    const answer = await CONFIRM.run(
      this.redis,
      [this.keys.meta(id), this.keys.decision(id)],
      [JSON.stringify(decision), ttlMs, this.keys.control, JSON.stringify({ kind: "confirm", id })],
    );
    return answer === 1 ? "accepted" : answer === -1 ? "missing" : "refused";
  }

  /** Takes the decision left for a run (once). */
  async takeDecision(id: string): Promise<OutlineDecision | null> {
    const text = await this.redis.getdel(this.keys.decision(id));
    if (text === null) return null;
    const parsed = decisionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  }
}

/** What only the log holds (sections in the order they finished, the result), read up to `seq`. */
type LogContent = { startTime: string; seq: number; sections: WrittenSection[]; result: ReportResult | null };

/** Runs whose log content this process keeps between reads (the least recently read go first). */
const CONTENT_CACHE_LIMIT = 500;

/** Folds more records into a run's log content (sections as applyRecord collects them, the result). */
function foldContent(content: LogContent, records: JobRecord[]): LogContent {
  const scratch = { sections: [...content.sections], result: content.result };
  for (const record of records) {
    if (record.kind === "result") scratch.result = record.result;
    if (record.kind !== "event") continue;
    const section = record.event.type === "progress" ? sectionOf(record.event) : null;
    if (section && !scratch.sections.some((existing) => existing.id === section.id)) scratch.sections.push(section);
  }
  return { ...content, ...scratch };
}
