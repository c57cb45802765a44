/**
 * Scale-out on Redis: `serve --redis` front ends share one queue (BullMQ) and one event log per
 * run (a Redis stream) with `report-mcp worker`s. Loaded only when `--redis` is given; nothing
 * else in report-mcp imports Redis.
 */
import { Queue } from "bullmq";
import type { ReportRuntime } from "../core/runtime.js";
import { connectRedis, duplicateConnection } from "./connect.js";
import { EventHub } from "./event-hub.js";
import { DEFAULT_KEY_PREFIX, scaleKeys } from "./keys.js";
import { RedisJobs } from "./redis-jobs.js";
import { startReportWorker, type ReportWorkerHandle } from "./report-worker.js";
import { RunStore } from "./run-store.js";

export { startReportWorker, type ReportWorkerHandle, type ReportWorkerOptions } from "./report-worker.js";
export { DEFAULT_KEY_PREFIX, scaleKeys } from "./keys.js";
export { redactRedisUrl, redisUrlProblem } from "./connect.js";

/** Defaults of the scale-out settings (the CLI documents them). */
export const SCALE_DEFAULTS = {
  /** Unfinished runs across the cluster before 429. */
  maxUnfinished: 100,
  /** Finished runs (log, result) stay readable this long. */
  retentionMs: 30 * 24 * 60 * 60 * 1000,
  /** A silent worker's runs go to another worker after this. */
  stallTimeoutMs: 30_000,
  /** Runs an in-process worker of `serve --redis` takes at once. */
  workers: 4,
} as const;

export type RedisFrontEndOptions = {
  url: string;
  runtime: () => Promise<ReportRuntime>;
  /** Runs this process also takes from the queue at once; 0 = a pure front end. */
  workers: number;
  maxUnfinished: number;
  retentionMs: number;
  stallTimeoutMs: number;
  confirmTimeoutMs: number;
  /** Prefix of every Redis key; default `report-mcp`. */
  keyPrefix?: string;
  log: (line: string) => void;
};

export type RedisFrontEnd = {
  jobs: RedisJobs;
  worker: ReportWorkerHandle | null;
  /** Stops following runs, hands this process's runs back to the queue, closes the connections. */
  close(): Promise<void>;
};

/**
 * The registry of a `serve --redis` replica (plus its in-process workers). Throws ReportError
 * `invalid_params` when Redis cannot be reached now (the CLI exits 2).
 */
export async function createRedisFrontEnd(options: RedisFrontEndOptions): Promise<RedisFrontEnd> {
  const { log } = options;
  const keys = scaleKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  const command = await connectRedis({ url: options.url, role: "front end", name: "serve", log });
  const subscriber = await duplicateConnection(command);
  const store = new RunStore({ redis: command, keys, retentionMs: options.retentionMs });
  const hub = new EventHub({ subscriber, store, log });
  // BullMQ's own event stream is not read by report-mcp (each run has its log): keep it short.
  const queueConnection = await duplicateConnection(command, { enableAutoPipelining: false });
  const queue = new Queue(keys.queueName, {
    connection: queueConnection,
    prefix: keys.bullPrefix,
    streams: { events: { maxLen: 100 } },
  });
  // Queue errors are connection errors: the availability lines below say so once, not per retry.
  queue.on("error", () => undefined);
  const jobs = new RedisJobs({
    store,
    hub,
    enqueue: async (id) => {
      await queue.add("report", { id }, { jobId: id, removeOnComplete: true, removeOnFail: true });
    },
    maxUnfinished: options.maxUnfinished,
    decisionTtlMs: options.confirmTimeoutMs,
    log,
  });
  let away = false;
  command.on("close", () => {
    if (away || closing) return;
    away = true;
    log("report-mcp: lost the connection to Redis; answering 503 (with Retry-After) until it is back.");
  });
  command.on("ready", () => {
    if (!away) return;
    away = false;
    log("report-mcp: Redis connection restored; serving again.");
  });
  let closing = false;
  let worker: ReportWorkerHandle | null = null;
  try {
    if (options.workers > 0) {
      worker = await startReportWorker({
        url: options.url,
        keys,
        runtime: options.runtime,
        concurrency: options.workers,
        retentionMs: options.retentionMs,
        stallTimeoutMs: options.stallTimeoutMs,
        confirmTimeoutMs: options.confirmTimeoutMs,
        name: "serve worker",
        log,
      });
    }
  } catch (error) {
    await Promise.allSettled([queue.close(), subscriber.quit(), queueConnection.quit(), command.quit()]);
    throw error;
  }
  let closed: Promise<void> | null = null;
  return {
    jobs,
    worker,
    close() {
      closed ??= (async () => {
        closing = true;
        await jobs.close();
        await hub.close();
        await worker?.close();
        await Promise.allSettled([queue.close(), subscriber.quit(), queueConnection.quit()]);
        await command.quit().catch(() => command.disconnect());
      })();
      return closed;
    },
  };
}
