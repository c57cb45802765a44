import { Worker, WaitingError, type Job } from "bullmq";
import { z } from "zod";
import { ReportError, cancelledError } from "../core/errors.js";
import type { ReportRuntime } from "../core/runtime.js";
import { connectRedis, duplicateConnection } from "./connect.js";
import type { ScaleKeys } from "./keys.js";
import { HandBack, runAttempt, type AttemptContext } from "./run-attempt.js";
import { RunStore } from "./run-store.js";
import { sweepLostRuns } from "./sweep.js";

export type ReportWorkerOptions = {
  url: string;
  keys: ScaleKeys;
  runtime: () => Promise<ReportRuntime>;
  /** Runs at once. */
  concurrency: number;
  retentionMs: number;
  /** How long a worker may go silent before its runs are given to another (BullMQ's lock duration and stall check interval). */
  stallTimeoutMs: number;
  /** Restarts after worker failures before a run ends `interrupted`; default 1. */
  retries?: number;
  confirmTimeoutMs: number;
  /** Names this worker in logs ("worker", "serve"). */
  name: string;
  log: (line: string) => void;
};

export type ReportWorkerHandle = {
  /** Runs this worker is running now. */
  readonly running: number;
  /** Stops taking runs and hands the running ones back to the queue (another worker restarts them). */
  close(): Promise<void>;
};

const jobDataSchema = z.object({ id: z.string().min(1) });
/** How long shutdown waits for running reports to be handed back before it lets go regardless. */
const HANDBACK_WAIT_MS = 5000;
const controlSchema = z.object({ kind: z.enum(["cancel", "confirm"]), id: z.string() });

/**
 * `report-mcp worker` (and the workers inside `serve --redis`): takes runs from the shared queue
 * and runs their pipelines, `concurrency` at a time, with its own connections. Cancel and confirm
 * notices reach it on the control channel; losing Redis fails its runs with a typed `interrupted`
 * error (written once Redis is back); a worker that dies is noticed by the others after
 * `stallTimeoutMs` and its runs restart there (once; then they end `interrupted`).
 */
export async function startReportWorker(options: ReportWorkerOptions): Promise<ReportWorkerHandle> {
  const { keys, log, name } = options;
  const retries = options.retries ?? 1;
  const command = await connectRedis({ url: options.url, role: "worker", name, log });
  const subscriber = await duplicateConnection(command);
  // BullMQ runs blocking commands on its connection: no auto-pipelining there.
  const queueConnection = await duplicateConnection(command, { enableAutoPipelining: false });
  const store = new RunStore({ redis: command, keys, retentionMs: options.retentionMs });
  const context: AttemptContext = {
    store,
    runtime: options.runtime,
    retries,
    confirmTimeoutMs: options.confirmTimeoutMs,
    active: new Map(),
    wakers: new Map(),
    log,
    name,
  };
  let closing = false;
  const attempts = new Set<Promise<unknown>>();

  subscriber.on("message", (channel: string, message: string) => {
    if (channel !== keys.control) return;
    const notice = controlSchema.safeParse(safeJson(message));
    if (!notice.success) return;
    if (notice.data.kind === "cancel") context.active.get(notice.data.id)?.abort(cancelledError());
    else context.wakers.get(notice.data.id)?.();
  });
  // A confirm notice sent while we were disconnected is not replayed: look for waiting decisions.
  subscriber.on("ready", () => {
    for (const wake of context.wakers.values()) wake();
  });
  await subscriber.subscribe(keys.control);

  let lost = false;
  command.on("close", () => {
    if (closing || lost) return;
    lost = true;
    log(
      `report-mcp ${name}: lost the connection to Redis; its ${context.active.size} running report(s) stop with an "interrupted" error, written once Redis is back.`,
    );
    const error = new ReportError(
      "interrupted",
      "The worker running this report lost its connection to Redis (the shared queue and event log), so the report was stopped. Start it again.",
    );
    for (const controller of context.active.values()) controller.abort(error);
  });
  command.on("ready", () => {
    if (!lost) return;
    lost = false;
    log(`report-mcp ${name}: Redis connection restored.`);
  });

  const worker = new Worker(
    keys.queueName,
    async (job: Job, token?: string) => {
      const { id } = jobDataSchema.parse(job.data);
      const attempt = runAttempt(context, id);
      attempts.add(attempt);
      void attempt.finally(() => attempts.delete(attempt)).catch(() => undefined);
      if ((await attempt) === "handback") {
        await job.moveToWait(token);
        throw new WaitingError();
      }
    },
    {
      connection: queueConnection,
      prefix: keys.bullPrefix,
      concurrency: options.concurrency,
      lockDuration: options.stallTimeoutMs,
      stalledInterval: options.stallTimeoutMs,
      // One stall more than the budget: the attempt after it writes the typed `interrupted` end.
      maxStalledCount: retries + 1,
    },
  );
  let lastError = 0;
  worker.on("error", (error: Error) => {
    if (closing || Date.now() - lastError < 10_000) return;
    lastError = Date.now();
    log(`report-mcp ${name}: queue error: ${error.message}`);
  });
  worker.on("failed", (job: Job | undefined, error: Error) => {
    const id = job ? jobDataSchema.safeParse(job.data) : null;
    if (!id?.success) return;
    log(`report-mcp ${name}: report ${id.data.id} failed in the queue: ${error.message}`);
    store
      .end(id.data.id, {
        type: "interrupted",
        message: `A worker could not run this report (${error.message}); start it again.`,
      })
      .catch((failure: unknown) => log(`report-mcp ${name}: could not end report ${id.data.id}: ${String(failure)}`));
  });

  const sweepEvery = Math.max(1000, options.stallTimeoutMs);
  const sweeper = setInterval(() => {
    sweepLostRuns({ store, graceMs: 2 * options.stallTimeoutMs + 5000, log, name }).catch((error: unknown) => {
      if (!lost)
        log(
          `report-mcp ${name}: could not check for lost reports: ${error instanceof Error ? error.message : String(error)}`,
        );
    });
  }, sweepEvery);
  sweeper.unref();
  log(`report-mcp ${name}: taking up to ${options.concurrency} report(s) at once from the queue.`);

  let closed: Promise<void> | null = null;
  return {
    get running() {
      return context.active.size;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(sweeper);
        for (const controller of context.active.values()) controller.abort(new HandBack());
        // Handing back needs Redis; without it the runs' locks lapse and other workers restart them.
        let timer: NodeJS.Timeout | undefined;
        const waited = await Promise.race([
          Promise.allSettled([...attempts]).then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), HANDBACK_WAIT_MS))),
        ]);
        clearTimeout(timer);
        if (!waited)
          log(
            `report-mcp ${name}: Redis did not take the running reports back in time; other workers will restart them once their locks lapse.`,
          );
        await worker.close(!waited || command.status !== "ready");
        for (const connection of [subscriber, queueConnection, command]) {
          if (connection.status === "ready") await connection.quit().catch(() => connection.disconnect());
          else connection.disconnect();
        }
      })();
      return closed;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
