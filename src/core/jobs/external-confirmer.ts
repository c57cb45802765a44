import { ReportError, cancelledError } from "../errors.js";
import type { PipelineEvent } from "../events/index.js";
import type { ConfirmOutline, OutlineDecision } from "../runtime.js";
import type { JobHeader, JobRecord, JobSnapshot } from "./types.js";

export type PendingConfirmation = { resolve: (decision: OutlineDecision) => void };

export type Job = {
  /** What the store writes ahead of the first record. */
  header: JobHeader;
  snapshot: JobSnapshot;
  records: JobRecord[];
  controller: AbortController;
  listeners: Set<(record: JobRecord) => void>;
  onRecord: ((record: JobRecord) => void) | undefined;
  pendingConfirmation: PendingConfirmation | null;
  /** Whether outline decisions come through `ReportJobs.confirm()` (`confirm: "external"`). */
  confirmsExternally: boolean;
  /**
   * A decision that arrived after the outline was announced but before the run began to wait
   * for it (a client that answers the `awaiting_confirmation` event at once): used when it does.
   */
  earlyDecision: OutlineDecision | null;
  done: Promise<JobSnapshot>;
  resolveDone: (snapshot: JobSnapshot) => void;
};

/**
 * The confirmer of a job started with `confirm: "external"`: the job waits in
 * `awaiting_confirmation` until `ReportJobs.confirm()` resolves `pendingConfirmation`, the run is
 * cancelled, or `timeoutMs` passes (the job is then stopped as cancelled).
 */
export function externalConfirmer(options: {
  job: Job;
  timeoutMs: number;
  stop: (error: ReportError) => void;
  announce: (event: PipelineEvent) => void;
}): ConfirmOutline {
  const { job, timeoutMs, stop, announce } = options;
  return ({ outline, signal }) =>
    new Promise<OutlineDecision>((resolve, reject) => {
      const early = job.earlyDecision;
      if (early) {
        job.earlyDecision = null;
        if (job.snapshot.status === "awaiting_confirmation") job.snapshot.status = "running";
        if (early.action === "edit") job.snapshot.outline = early.outline;
        resolve(early);
        return;
      }
      const settle = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        job.pendingConfirmation = null;
        if (job.snapshot.status === "awaiting_confirmation") job.snapshot.status = "running";
      };
      const onAbort = (): void => {
        settle();
        reject(cancelledError(signal.reason));
      };
      const timer = setTimeout(() => {
        const minutes = Math.round(timeoutMs / 60000);
        settle();
        const error = new ReportError(
          "cancelled",
          `No decision on the outline arrived within ${minutes} minute(s), so the run was stopped. Start it again and approve or reject the outline sooner, or use auto_confirm: true.`,
        );
        stop(error);
        reject(error);
      }, timeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      job.pendingConfirmation = {
        resolve: (decision) => {
          settle();
          if (decision.action === "edit") job.snapshot.outline = decision.outline;
          resolve(decision);
        },
      };
      job.snapshot.status = "awaiting_confirmation";
      job.snapshot.outline = outline;
      const last = job.records[job.records.length - 1];
      const announced =
        last?.kind === "event" && last.event.type === "progress" && last.event.status === "awaiting_confirmation";
      if (!announced) {
        announce({
          type: "progress",
          status: "awaiting_confirmation",
          message: "Waiting for the outline to be approved, edited or rejected.",
          details: { outline },
          progress: job.snapshot.progress,
        });
      }
    });
}
