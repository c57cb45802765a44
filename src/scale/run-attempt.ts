import { randomUUID } from "node:crypto";
import { ReportError, toReportError } from "../core/errors.js";
import type { ReportRuntime } from "../core/runtime.js";
import { AttemptAppender, AttemptStoppedError } from "./attempt-appender.js";
import type { RunStore } from "./run-store.js";
import { workerConfirmer } from "./worker-confirmer.js";

/** The abort reason of a run whose worker shuts down: the run goes back to the queue. */
export class HandBack extends Error {
  constructor() {
    super("the worker is shutting down; the report goes back to the queue");
    this.name = "HandBack";
  }
}

export type AttemptContext = {
  store: RunStore;
  runtime: () => Promise<ReportRuntime>;
  /** Restarts allowed after worker failures (a shutdown's hand-back does not count). */
  retries: number;
  confirmTimeoutMs: number;
  /** Runs of this worker, by id: cancel notices, a lost Redis and shutdown abort them. */
  active: Map<string, AbortController>;
  /** "A decision may be waiting" callbacks of runs awaiting confirmation, by id. */
  wakers: Map<string, () => void>;
  log: (line: string) => void;
  name: string;
};

const RESTARTED_AFTER_FAILURE =
  "Restarted after a worker failure: the worker running this report stopped, so another worker runs its steps again. Events continue from here.";
const RESTARTED_AFTER_HANDBACK =
  "Restarted on another worker: the worker running this report shut down, so another worker runs its steps again. Events continue from here.";

/**
 * One attempt at a run on this worker: claim it (a new owner token), say so when it is a restart,
 * run the pipeline with every event appended to the run's log, and end the log with the result or
 * a typed error. Past the retry budget the run ends `interrupted` at once. Returns "handback" when
 * the worker shuts down mid-run (the caller puts the job back on the queue).
 */
export async function runAttempt(context: AttemptContext, id: string): Promise<"done" | "handback"> {
  const { store, log } = context;
  const token = randomUUID();
  const claim = await store.claim(id, token);
  if (claim.kind !== "ok") return "done";
  const failures = claim.attempt - 1 - claim.handbacks;
  log(`report-mcp ${context.name}: running report ${id} (attempt ${claim.attempt})`);
  const controller = new AbortController();
  const signal = controller.signal;
  const appender = new AttemptAppender({
    store,
    id,
    token,
    head: claim.head,
    onStop: (reason) => {
      log(
        `report-mcp ${context.name}: report ${id} stops here (${reason === "ended" ? "it was cancelled or ended elsewhere" : reason === "fenced" ? "another worker took it over" : reason})`,
      );
      controller.abort(new AttemptStoppedError(reason));
    },
  });
  try {
    if (failures > context.retries) {
      const times = failures === 1 ? "once" : `${failures} times`;
      await appender.append({
        kind: "error",
        error: {
          type: "interrupted",
          message: `The workers running this report failed ${times} (killed or lost) and the retry budget is spent, so it was stopped. Start the report again.`,
        },
      });
      return "done";
    }
    if (claim.attempt > 1) {
      const message = claim.handedBack ? RESTARTED_AFTER_HANDBACK : RESTARTED_AFTER_FAILURE;
      await appender.append({
        kind: "event",
        event: {
          type: "progress",
          status: "warning",
          message,
          details: { attempt: claim.attempt },
          progress: claim.head.progress,
        },
      });
    }
    context.active.set(id, controller);
    const runtime = await context.runtime();
    if (signal.aborted) throw signal.reason;
    const stop = (error: ReportError): void => {
      appender.append({ kind: "error", error: error.toRecord() }).catch((failure: unknown) => {
        if (!(failure instanceof AttemptStoppedError))
          log(`report-mcp ${context.name}: could not end report ${id}: ${String(failure)}`);
      });
      controller.abort(error);
    };
    const result = await runtime.runReport(claim.head.params, {
      signal,
      onEvent: (event) => (signal.aborted ? undefined : appender.append({ kind: "event", event })),
      confirmOutline:
        claim.confirm === "none"
          ? undefined
          : workerConfirmer({
              id,
              store,
              appender,
              wakers: context.wakers,
              timeoutMs: context.confirmTimeoutMs,
              stop,
              log,
            }),
    });
    if (signal.aborted) throw signal.reason;
    await appender.append({ kind: "result", result });
  } catch (error) {
    const reason: unknown = signal.aborted ? (signal.reason ?? error) : error;
    if (reason instanceof HandBack) return (await store.handback(id, token)) ? "handback" : "done";
    if (appender.stopped || reason instanceof AttemptStoppedError) return "done";
    const reportError = toReportError(reason);
    await appender.append({ kind: "error", error: reportError.toRecord() }).catch((failure: unknown) => {
      if (!(failure instanceof AttemptStoppedError)) throw failure;
    });
  } finally {
    context.active.delete(id);
  }
  return "done";
}
