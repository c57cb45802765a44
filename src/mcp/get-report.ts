import { z } from "zod";
import { ReportError } from "../core/errors.js";
import type { JobRegistry } from "../core/jobs/index.js";
import { reportStatus, reportStatusResult, reportStatusSchema } from "./job-view.js";
import { createRequestNotifier } from "./request-notifier.js";
import type { ToolContext } from "./tool-context.js";
import { errorResult, outputSchemaWithError } from "./tool-output.js";

const inputShape = {
  report_id: z
    .string()
    .trim()
    .min(1, "report_id must not be empty")
    .describe("The report_id returned by start_report."),
  wait_seconds: z
    .number()
    .min(0, "wait_seconds must be between 0 and 50")
    .max(50, "wait_seconds must be between 0 and 50")
    .default(20)
    .describe(
      "How long to wait (0-50 s) for the report to finish before answering with its current status. Default 20.",
    ),
  after_seq: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      "Answer as soon as anything happens after this seq (from a previous get_report) instead of waiting for the end.",
    ),
};

/** Waits until the job ends (or, with afterSeq, changes), the timeout passes, or the call is cancelled. */
async function waitForNews(
  jobs: JobRegistry,
  id: string,
  options: { afterSeq?: number; timeoutMs: number; signal: AbortSignal },
): Promise<void> {
  if (options.afterSeq !== undefined) {
    // The end is news too, even for an after_seq past the report's last record.
    const stop = new AbortController();
    const signal = AbortSignal.any([options.signal, stop.signal]);
    try {
      await Promise.race([
        jobs.waitForChange(id, { afterSeq: options.afterSeq, timeoutMs: options.timeoutMs, signal }),
        jobs.done(id).then(() => undefined),
      ]);
    } finally {
      stop.abort();
    }
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, options.timeoutMs);
    onAbort = resolve;
    options.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([jobs.done(id).then(() => undefined), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal.removeEventListener("abort", onAbort);
  }
}

/**
 * `get_report`: the status of a report job, long-polling up to `wait_seconds` (≤ 50) for it to
 * finish. While it waits, the job's progress is forwarded to the call's progress token.
 */
export function registerGetReport(context: ToolContext): void {
  const { server, jobs, gate, log } = context;
  server.registerTool(
    "get_report",
    {
      title: "Get a background report",
      description:
        "Returns the status, progress, finished sections and, once done, the full report of a report started with start_report. Waits up to wait_seconds for the report to finish, so call it repeatedly until status is completed, failed or cancelled.",
      inputSchema: z.object(inputShape).strict(),
      outputSchema: outputSchemaWithError(reportStatusSchema),
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    async ({ report_id, wait_seconds, after_seq }, extra) => {
      await jobs.ready();
      const before = await jobs.get(report_id);
      if (!before) return errorResult(unknownReport(report_id));
      const notifier = createRequestNotifier({
        send: extra.sendNotification,
        progressToken: extra._meta?.progressToken,
        gate,
        sessionId: extra.sessionId,
        heartbeatMs: context.heartbeatMs,
        initial: { progress: before.progress, step: before.message },
        log,
      });
      const unsubscribe = await jobs.subscribe(report_id, before.last_seq, (record) => {
        if (record.kind === "event") notifier.handle(record.event);
      });
      try {
        await waitForNews(jobs, report_id, {
          afterSeq: after_seq,
          timeoutMs: wait_seconds * 1000,
          signal: extra.signal,
        });
      } finally {
        unsubscribe();
        await notifier.flush();
        notifier.close();
      }
      const after = await jobs.get(report_id);
      if (!after) return errorResult(unknownReport(report_id));
      const status = reportStatus(after);
      return reportStatusResult(status);
    },
  );
}

/** The `session_not_found` error of an unknown report_id. */
export function unknownReport(id: string): ReportError {
  return new ReportError(
    "session_not_found",
    `No report with report_id "${id}" exists on this server (it may have been pruned). Check the id returned by start_report, or start a new report.`,
  );
}
