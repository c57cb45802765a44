/**
 * In-process pieces of a scaled-out deployment for tests: `serve --redis` front ends (each with
 * its own Redis connections, as on separate machines) and workers, over one real Redis, each
 * test under its own key prefix. Logs are kept so a test can wait for a line (an event) instead
 * of sleeping.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { settingsSchema } from "../../src/app/settings.js";
import type { ReportRuntime } from "../../src/core/runtime.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { scaleKeys, startReportWorker, type ReportWorkerHandle } from "../../src/scale/index.js";
import { readSse, type SseEvent, type SseRead } from "../http/sse-client.js";

/** Lines logged by one component; `waitFor` resolves when a matching line has been logged. */
export class LogWatch {
  readonly lines: string[] = [];
  readonly #waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();

  readonly log = (line: string): void => {
    this.lines.push(line);
    for (const waiter of [...this.#waiters]) {
      if (waiter.pattern.test(line)) {
        this.#waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };

  /** Resolves with the first line (already logged or to come) matching `pattern` after `fromIndex`. */
  waitFor(pattern: RegExp, fromIndex = 0): Promise<string> {
    const seen = this.lines.slice(fromIndex).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.add({ pattern, resolve }));
  }
}

/** Wraps a runtime so a test can wait for a run (by task) to start and for its signal to fire. */
export function observeRuns(runtime: ReportRuntime): {
  runtime: ReportRuntime;
  started(task: string): Promise<void>;
  aborted(task: string): Promise<unknown>;
} {
  const started = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const aborted = new Map<string, { promise: Promise<unknown>; resolve: (reason: unknown) => void }>();
  const slot = <T>(map: Map<string, { promise: Promise<T>; resolve: (value: T) => void }>, task: string) => {
    let entry = map.get(task);
    if (!entry) {
      let resolve: (value: T) => void = () => undefined;
      const promise = new Promise<T>((done) => (resolve = done));
      entry = { promise, resolve };
      map.set(task, entry);
    }
    return entry;
  };
  return {
    runtime: {
      ...runtime,
      runReport(params, options) {
        slot(started, params.task).resolve();
        options.signal?.addEventListener("abort", () => slot(aborted, params.task).resolve(options.signal?.reason), {
          once: true,
        });
        return runtime.runReport(params, options);
      },
    },
    started: (task) => slot(started, task).promise,
    aborted: (task) => slot(aborted, task).promise,
  };
}

export type ScaleCluster = {
  prefix: string;
  frontEnds: HttpServerHandle[];
  frontEndLogs: LogWatch[];
  workers: ReportWorkerHandle[];
  workerLogs: LogWatch[];
  close(): Promise<void>;
};

export async function startCluster(options: {
  redisUrl: string;
  runtime: ReportRuntime;
  frontEnds?: number;
  workers?: number;
  concurrency?: number;
  maxConcurrent?: number;
  retentionMs?: number;
  stallTimeoutMs?: number;
}): Promise<ScaleCluster> {
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-scale-"));
  const settings = settingsSchema.parse({ home });
  const frontEndLogs: LogWatch[] = [];
  const workerLogs: LogWatch[] = [];
  const frontEnds: HttpServerHandle[] = [];
  const workers: ReportWorkerHandle[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(frontEnds.map((frontEnd) => frontEnd.close()));
    await Promise.all(workers.map((worker) => worker.close()));
    await rm(home, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < (options.frontEnds ?? 2); index += 1) {
      const watch = new LogWatch();
      frontEndLogs.push(watch);
      frontEnds.push(
        await serveHttp({
          settings,
          port: 0,
          keepAliveMs: 100,
          runtime: options.runtime,
          maxConcurrent: options.maxConcurrent,
          redis: {
            url: options.redisUrl,
            workers: 0,
            keyPrefix: prefix,
            retentionMs: options.retentionMs,
            stallTimeoutMs: options.stallTimeoutMs,
          },
          log: watch.log,
        }),
      );
    }
    for (let index = 0; index < (options.workers ?? 1); index += 1) {
      const watch = new LogWatch();
      workerLogs.push(watch);
      workers.push(
        await startReportWorker({
          url: options.redisUrl,
          keys: scaleKeys(prefix),
          runtime: async () => options.runtime,
          concurrency: options.concurrency ?? 4,
          retentionMs: options.retentionMs ?? 60_000,
          stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
          confirmTimeoutMs: 60_000,
          name: `worker ${index + 1}`,
          log: watch.log,
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { prefix, frontEnds, frontEndLogs, workers, workerLogs, close };
}

/**
 * Reads an SSE response to its end in the background, keeping every event in `events`;
 * `until(matches)` resolves once an event that matches has arrived, `reached(status)` once a
 * progress event with that status has.
 */
export function followStream(response: Response): {
  events: SseEvent[];
  until(matches: (event: SseEvent) => boolean): Promise<void>;
  reached(status: string): Promise<void>;
  done: Promise<SseRead>;
} {
  const events: SseEvent[] = [];
  const waiters: Array<{ matches: (event: SseEvent) => boolean; resolve: () => void }> = [];
  const done = readSse(response, {
    stopAfter: (event) => {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (!waiter.matches(event)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      return false;
    },
  });
  const until = (matches: (event: SseEvent) => boolean): Promise<void> =>
    events.some(matches) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ matches, resolve }));
  return {
    events,
    done,
    until,
    reached: (status) => until((event) => event.message.params?.data?.msg?.status === status),
  };
}
