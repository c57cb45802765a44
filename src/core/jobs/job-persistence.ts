import { copySnapshot } from "./apply-record.js";
import type { JobRecord, JobSnapshot, JobStore } from "./types.js";

type PersistenceOptions = {
  store: JobStore | undefined;
  debounceMs: number;
  maxAgeMs: number;
  maxCount: number;
  log: ((line: string) => void) | undefined;
};

type Pending = { timer: NodeJS.Timeout | null; snapshot: JobSnapshot; records: JobRecord[] };

/**
 * Batches writes of job state to a JobStore: at most one write per debounce window while a job
 * runs, an immediate write when it ends, and writes of one job strictly in order.
 */
export class JobPersistence {
  readonly #options: PersistenceOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #chains = new Map<string, Promise<void>>();

  constructor(options: PersistenceOptions) {
    this.#options = options;
  }

  /** Queues a write of this job's state; `immediate` writes now (terminal states). */
  schedule(snapshot: JobSnapshot, records: JobRecord[], immediate: boolean): void {
    if (!this.#options.store) return;
    const existing = this.#pending.get(snapshot.id);
    if (existing) {
      existing.snapshot = snapshot;
      existing.records = records;
      if (!immediate) return;
      if (existing.timer) clearTimeout(existing.timer);
      this.#write(snapshot.id);
      return;
    }
    const pending: Pending = { timer: null, snapshot, records };
    this.#pending.set(snapshot.id, pending);
    if (immediate) {
      this.#write(snapshot.id);
      return;
    }
    pending.timer = setTimeout(() => this.#write(snapshot.id), this.#options.debounceMs);
    pending.timer.unref?.();
  }

  /** Writes everything still queued and waits for all writes. */
  async flush(): Promise<void> {
    for (const [id, pending] of this.#pending) {
      if (pending.timer) clearTimeout(pending.timer);
      this.#write(id);
    }
    await Promise.all([...this.#chains.values()]);
  }

  async loadAll(): ReturnType<JobStore["loadAll"]> {
    return this.#options.store ? this.#options.store.loadAll() : [];
  }

  /** Removes a job from the store, after any write of it already queued. */
  async remove(id: string): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    const pending = this.#pending.get(id);
    if (pending?.timer) clearTimeout(pending.timer);
    this.#pending.delete(id);
    await this.#enqueue(id, () => store.remove(id));
  }

  /** Ids of ended jobs beyond the retention limits (age, then count, newest kept). */
  expired(ended: JobSnapshot[], now: Date): string[] {
    const sorted = [...ended].sort((left, right) => (right.end_time ?? right.start_time).localeCompare(left.end_time ?? left.start_time));
    const cutoff = now.getTime() - this.#options.maxAgeMs;
    return sorted
      .filter((snapshot, index) => index >= this.#options.maxCount || Date.parse(snapshot.end_time ?? snapshot.start_time) < cutoff)
      .map((snapshot) => snapshot.id);
  }

  #write(id: string): void {
    const store = this.#options.store;
    const pending = this.#pending.get(id);
    if (!store || !pending) return;
    this.#pending.delete(id);
    const snapshot = copySnapshot(pending.snapshot);
    const records = [...pending.records];
    void this.#enqueue(id, () => store.save(snapshot, records));
  }

  #enqueue(id: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#chains.get(id) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.#options.log?.(`report-mcp: could not persist session ${id}: ${reason}`);
    });
    this.#chains.set(id, next);
    void next.then(() => {
      if (this.#chains.get(id) === next) this.#chains.delete(id);
    });
    return next;
  }
}
