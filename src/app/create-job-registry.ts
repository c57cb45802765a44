import path from "node:path";
import { ReportJobs, type JobRegistry } from "../core/jobs/index.js";
import type { ReportRuntime } from "../core/runtime.js";
import { FileJobStore } from "../providers/job-store/file-job-store.js";
import { lazyRuntime } from "./lazy-runtime.js";
import { loadScale } from "./load-scale.js";
import type { Settings } from "./settings.js";

/** Scale-out on Redis (`serve --redis`): where the queue and event logs live and how this process takes part. */
export type RedisRegistryOptions = {
  url: string;
  /** Runs this process also takes from the queue at once; 0 = a pure front end. Default 4. */
  workers?: number;
  /** Finished runs stay readable this long; default 30 days. */
  retentionMs?: number;
  /** A silent worker's runs go to another worker after this; default 30 s. */
  stallTimeoutMs?: number;
  /** Prefix of every Redis key; default `report-mcp`. */
  keyPrefix?: string;
};

export type CreateJobRegistryOptions = {
  settings: Settings;
  runtime: () => Promise<ReportRuntime>;
  /** Absent: one process, sessions in `<home>/sessions`. */
  redis?: RedisRegistryOptions;
  /** One process: reports running at once. Redis: reports queued or running across the cluster. */
  maxConcurrent?: number;
  /** One process: ended sessions kept (age, count); Redis uses `redis.retentionMs`. */
  retention?: { maxAgeMs?: number; maxCount?: number };
  confirmTimeoutMs?: number;
  log: (line: string) => void;
};

export type JobRegistryHandle = {
  jobs: JobRegistry;
  /** Where runs live, for the start-up line. */
  describe: string;
  close(): Promise<void>;
};

const DEFAULT_CONFIRM_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * The job registry the faces run on: `ReportJobs` with sessions on disk (the default), or the
 * Redis registry of a scaled-out deployment (loaded only then, so nothing else needs Redis).
 */
export async function createJobRegistry(options: CreateJobRegistryOptions): Promise<JobRegistryHandle> {
  const { settings, runtime, log } = options;
  if (!options.redis) {
    const jobs = new ReportJobs({
      runtime,
      maxConcurrent: options.maxConcurrent,
      store: new FileJobStore({ directory: path.join(settings.home, "sessions"), log }),
      retention: options.retention,
      confirmTimeoutMs: options.confirmTimeoutMs,
      log,
    });
    await jobs.restore();
    return { jobs, describe: "sessions in this process", close: () => jobs.close() };
  }
  const { createRedisFrontEnd, SCALE_DEFAULTS, redactRedisUrl } = await loadScale();
  const redis = options.redis;
  const frontEnd = await createRedisFrontEnd({
    url: redis.url,
    runtime,
    workers: redis.workers ?? SCALE_DEFAULTS.workers,
    maxUnfinished: options.maxConcurrent ?? SCALE_DEFAULTS.maxUnfinished,
    retentionMs: redis.retentionMs ?? SCALE_DEFAULTS.retentionMs,
    stallTimeoutMs: redis.stallTimeoutMs ?? SCALE_DEFAULTS.stallTimeoutMs,
    confirmTimeoutMs: options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS,
    keyPrefix: redis.keyPrefix,
    log,
  });
  const workers = frontEnd.worker
    ? `, running up to ${redis.workers ?? SCALE_DEFAULTS.workers} report(s) here`
    : ", front end only";
  return {
    jobs: frontEnd.jobs,
    describe: `runs in Redis at ${redactRedisUrl(redis.url)}${workers}`,
    close: () => frontEnd.close(),
  };
}

/**
 * The runtime and jobs of the stdio MCP server. Settings load lazily (after `initialize` has been
 * answered), so the runtime and the store's folder wait for them. Finished reports outlive the
 * process in `<home>/mcp-reports` (a host restarting the server keeps its report:// list); every
 * stdio server of every host shares that folder, and restoring leaves live servers' running jobs alone.
 */
export function createStdioJobs(options: { settings: () => Promise<Settings>; log: (line: string) => void }): {
  runtime: () => Promise<ReportRuntime>;
  jobs: ReportJobs;
} {
  const { settings, log } = options;
  const runtime = lazyRuntime({ settings, log });
  const store = new FileJobStore({ directory: async () => path.join((await settings()).home, "mcp-reports"), log });
  return { runtime, jobs: new ReportJobs({ runtime, log, store }) };
}
