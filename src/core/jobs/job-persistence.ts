import { copySnapshot } from "./apply-record.js";
import type { JobHeader, JobRecord, JobSnapshot, JobStore, StoredJob } from "./types.js";

type PersistenceOptions = {
  store: JobStore | undefined;
  maxAgeMs: number;
  maxCount: number;
  log: ((line: string) => void) | undefined;
};

/**
 * Write-ahead persistence of jobs: every record is appended to the store before anyone sees it
 * (`append`, synchronous), and an ended job is compacted in the background (`ended`), writes of
 * one job strictly in order. A store that fails is reported once per job and the job goes on
 * without it: a report is worth more than its resume log.
 */
export class JobPersistence {
  readonly #options: PersistenceOptions;
  readonly #chains = new Map<string, Promise<void>>();
  /** Jobs whose log could not be written: no more appends (a torn line must stay the last one). */
  readonly #broken = new Set<string>();

  constructor(options: PersistenceOptions) {
    this.#options = options;
  }

  /** Appends one record ahead of its delivery. Never throws. */
  append(header: JobHeader, record: JobRecord): void {
    const store = this.#options.store;
    if (!store || this.#broken.has(header.id)) return;
    try {
      store.append(header, record);
    } catch (error) {
      this.#broken.add(header.id);
      this.#options.log?.(
        `report-mcp: could not write session ${header.id} to disk (${reasonOf(error)}); it goes on, but a crash now would lose its events. It is saved again when it ends.`,
      );
    }
  }

  /** Queues the compaction of an ended job (its whole log into its final form). */
  ended(snapshot: JobSnapshot, records: JobRecord[]): void {
    const store = this.#options.store;
    if (!store) return;
    const copy = copySnapshot(snapshot);
    const all = [...records];
    void this.#enqueue(snapshot.id, async () => {
      await store.save(copy, all);
      this.#broken.delete(copy.id);
    });
  }

  /** Waits for every queued write. */
  async flush(): Promise<void> {
    await Promise.all([...this.#chains.values()]);
  }

  async loadAll(): Promise<StoredJob[]> {
    return this.#options.store ? this.#options.store.loadAll() : [];
  }

  /** Removes a job from the store, after any write of it already queued. */
  async remove(id: string): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    this.#broken.delete(id);
    await this.#enqueue(id, () => store.remove(id));
  }

  /** Ids of ended jobs beyond the retention limits (age, then count, newest kept). */
  expired(ended: JobSnapshot[], now: Date): string[] {
    const sorted = [...ended].sort((left, right) =>
      (right.end_time ?? right.start_time).localeCompare(left.end_time ?? left.start_time),
    );
    const cutoff = now.getTime() - this.#options.maxAgeMs;
    return sorted
      .filter(
        (snapshot, index) =>
          index >= this.#options.maxCount || Date.parse(snapshot.end_time ?? snapshot.start_time) < cutoff,
      )
      .map((snapshot) => snapshot.id);
  }

  #enqueue(id: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#chains.get(id) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      this.#options.log?.(`report-mcp: could not persist session ${id}: ${reasonOf(error)}`);
    });
    this.#chains.set(id, next);
    void next.then(() => {
      if (this.#chains.get(id) === next) this.#chains.delete(id);
    });
    return next;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
