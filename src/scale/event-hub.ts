import type { Redis } from "ioredis";
import type { JobRecord } from "../core/jobs/index.js";
import { runIdOfChannel } from "./keys.js";
import { decodeRecord } from "./record-codec.js";
import type { RunStore } from "./run-store.js";

type Tail = {
  id: string;
  /** Seq of the last record delivered. */
  last: number;
  listener: (record: JobRecord) => void;
  /** Records that arrived live while the log was being read, or after a gap. */
  pending: JobRecord[];
  catchingUp: boolean;
  closed: boolean;
};

/**
 * This process's live view of run logs. One pub/sub connection carries every run it watches (each
 * run's channel is subscribed while someone here watches it); each watcher gets the log after its
 * seq from the stream, then the records published since, merged by seq: in order, none twice, none
 * missed. A gap (a message lost while the connection was down) is filled from the log, and every
 * watcher catches up when the connection comes back.
 */
export class EventHub {
  readonly #subscriber: Redis;
  readonly #store: RunStore;
  readonly #log: (line: string) => void;
  readonly #tails = new Map<string, Set<Tail>>();
  readonly #subscribed = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(options: { subscriber: Redis; store: RunStore; log: (line: string) => void }) {
    this.#subscriber = options.subscriber;
    this.#store = options.store;
    this.#log = options.log;
    this.#subscriber.on("message", (channel: string, message: string) => this.#onMessage(channel, message));
    this.#subscriber.on("ready", () => void this.#resync());
  }

  /** Runs watched by this process right now. */
  get watchedRuns(): number {
    return this.#tails.size;
  }

  /**
   * Delivers the records of run `id` after `afterSeq`, then live ones, until the terminal record or
   * unsubscribe. Resolves (with unsubscribe) once the log so far has been delivered.
   */
  async watch(id: string, afterSeq: number, listener: (record: JobRecord) => void): Promise<() => void> {
    if (this.#closed) throw new Error("the event hub is closed");
    const tail: Tail = { id, last: afterSeq, listener, pending: [], catchingUp: false, closed: false };
    let tails = this.#tails.get(id);
    if (!tails) {
      tails = new Set();
      this.#tails.set(id, tails);
      this.#subscribed.set(id, this.#subscriber.subscribe(this.#store.keys.events(id)));
    }
    tails.add(tail);
    const unsubscribe = (): void => this.#drop(tail);
    try {
      await this.#subscribed.get(id);
      await this.#catchUp(tail, true);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Stops every watch (no more deliveries). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const tails of [...this.#tails.values()]) for (const tail of [...tails]) this.#drop(tail);
  }

  #onMessage(channel: string, message: string): void {
    const id = runIdOfChannel(this.#store.keys, channel);
    const tails = id === null ? undefined : this.#tails.get(id);
    if (!id || !tails) return;
    let record: JobRecord;
    try {
      record = decodeRecord(message, id);
    } catch (error) {
      this.#log(
        `report-mcp: ignored a message on ${channel}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    for (const tail of [...tails]) this.#offer(tail, record);
  }

  #offer(tail: Tail, record: JobRecord): void {
    if (tail.closed || record.seq <= tail.last) return;
    if (!tail.catchingUp && record.seq === tail.last + 1) {
      this.#deliver(tail, record);
      return;
    }
    tail.pending.push(record);
    // A gap: an earlier record never reached us live; read it from the log.
    if (!tail.catchingUp) void this.#catchUp(tail, false);
  }

  /** Reads the log after the tail's last seq, delivers it, then what arrived live meanwhile. */
  async #catchUp(tail: Tail, first: boolean): Promise<void> {
    if (tail.catchingUp || tail.closed) return;
    tail.catchingUp = true;
    try {
      const records = (await this.#store.records(tail.id, tail.last)) ?? [];
      for (const record of records) {
        if (tail.closed) return;
        if (record.seq === tail.last + 1) this.#deliver(tail, record);
      }
    } catch (error) {
      if (first) throw error;
      this.#log(
        `report-mcp: could not read the log of report ${tail.id} (${error instanceof Error ? error.message : String(error)}); retrying when Redis is back.`,
      );
      return;
    } finally {
      tail.catchingUp = false;
    }
    const pending = tail.pending.sort((left, right) => left.seq - right.seq);
    tail.pending = [];
    for (const record of pending) this.#offer(tail, record);
  }

  #deliver(tail: Tail, record: JobRecord): void {
    tail.last = record.seq;
    try {
      tail.listener(record);
    } catch {
      this.#drop(tail);
      return;
    }
    if (record.kind === "result" || record.kind === "error") this.#drop(tail);
  }

  #drop(tail: Tail): void {
    if (tail.closed) return;
    tail.closed = true;
    const tails = this.#tails.get(tail.id);
    if (!tails) return;
    tails.delete(tail);
    if (tails.size > 0) return;
    this.#tails.delete(tail.id);
    this.#subscribed.delete(tail.id);
    // Failing to unsubscribe (Redis away) only leaves a channel whose messages nobody here reads.
    this.#subscriber.unsubscribe(this.#store.keys.events(tail.id)).catch((error: unknown) => {
      if (!this.#closed)
        this.#log(
          `report-mcp: could not unsubscribe from report ${tail.id} (${error instanceof Error ? error.message : String(error)}).`,
        );
    });
  }

  /** After a reconnect: make sure every channel is subscribed again, then fill what was missed. */
  async #resync(): Promise<void> {
    const ids = [...this.#tails.keys()];
    if (ids.length === 0) return;
    try {
      await this.#subscriber.subscribe(...ids.map((id) => this.#store.keys.events(id)));
    } catch (error) {
      this.#log(
        `report-mcp: could not resubscribe to report events (${error instanceof Error ? error.message : String(error)}).`,
      );
      return;
    }
    for (const id of ids) for (const tail of [...(this.#tails.get(id) ?? [])]) void this.#catchUp(tail, false);
  }
}
