import { lazyRuntime } from "../app/lazy-runtime.js";
import { loadScale } from "../app/load-scale.js";
import { CliUsageError, EXIT_CODES, type CliContext } from "./cli-io.js";
import { loadSettings } from "./load-settings.js";
import { parseCount, scaleTimings, type ScaleFlags } from "./scale-flags.js";

export type WorkerFlags = ScaleFlags & {
  concurrency?: string;
  corpus?: string[];
};

const DEFAULT_CONCURRENCY = 4;

/**
 * `report-mcp worker --redis URL [--concurrency N]`: runs reports from the queue that
 * `serve --redis` front ends fill, with the same model, search and corpus settings as `serve`.
 * Redis out of reach at start is a usage error (exit 2). On Ctrl-C / SIGTERM it stops taking
 * reports and hands the running ones back to the queue, then exits 0.
 */
export async function workerCommand(options: { flags: WorkerFlags; context: CliContext }): Promise<number> {
  const { flags, context } = options;
  const concurrency =
    flags.concurrency === undefined ? DEFAULT_CONCURRENCY : parseCount("--concurrency", flags.concurrency, 1, 1000);
  const timings = scaleTimings(flags);
  const settings = await loadSettings({
    flags: { corpus: flags.corpus, redisUrl: flags.redis },
    env: context.env,
    cwd: context.cwd,
  });
  if (!settings.redisUrl) {
    throw new CliUsageError(
      "worker needs the deployment's Redis: pass --redis redis://host:6379 (or set REPORT_MCP_REDIS_URL, or `report-mcp config set redisUrl <url>`)",
    );
  }
  const log = (line: string): void => void context.stderr.write(`${line}\n`);
  const { startReportWorker, scaleKeys, SCALE_DEFAULTS, redactRedisUrl } = await loadScale();
  const runtime = lazyRuntime({ settings: async () => settings, log, create: context.createRuntime });
  const worker = await startReportWorker({
    url: settings.redisUrl,
    keys: scaleKeys(),
    runtime,
    concurrency,
    retentionMs: timings.retentionMs ?? SCALE_DEFAULTS.retentionMs,
    stallTimeoutMs: timings.stallTimeoutMs ?? SCALE_DEFAULTS.stallTimeoutMs,
    confirmTimeoutMs: 30 * 60 * 1000,
    name: `worker ${process.pid}`,
    log,
  });
  log(`report-mcp worker: connected to ${redactRedisUrl(settings.redisUrl)}.`);
  await new Promise<void>((resolve) => {
    const unsubscribe = context.onInterrupt(() => {
      unsubscribe();
      resolve();
    });
  });
  log(`report-mcp worker: shutting down; handing ${worker.running} running report(s) back to the queue.`);
  await worker.close();
  return EXIT_CODES.success;
}
