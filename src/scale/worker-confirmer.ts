import { ReportError, cancelledError } from "../core/errors.js";
import type { ConfirmOutline, OutlineDecision } from "../core/runtime.js";
import type { AttemptAppender } from "./attempt-appender.js";
import type { RunStore } from "./run-store.js";

/**
 * The outline confirmer of a run on a worker: the run waits in `awaiting_confirmation` until a
 * decision arrives through Redis (`/confirm` on any replica, or the front end that put the
 * outline to a person by MCP elicitation), the run is cancelled, or `timeoutMs` passes (the run
 * then stops as cancelled, as in one process). `wakers` maps run ids to "a decision may be
 * waiting": the control channel calls it on each confirm notice and after a reconnect.
 */
export function workerConfirmer(options: {
  id: string;
  store: RunStore;
  appender: AttemptAppender;
  wakers: Map<string, () => void>;
  timeoutMs: number;
  /** Ends the run with this error and stops its work. */
  stop: (error: ReportError) => void;
  log: (line: string) => void;
}): ConfirmOutline {
  const { id, store, appender, wakers, timeoutMs, stop, log } = options;
  return ({ outline, signal }) =>
    new Promise<OutlineDecision>((resolve, reject) => {
      let settled = false;
      const settle = (): void => {
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        wakers.delete(id);
      };
      const onAbort = (): void => {
        if (settled) return;
        settle();
        reject(cancelledError(signal.reason));
      };
      const check = async (): Promise<void> => {
        const decision = await store.takeDecision(id);
        if (!decision || settled) return;
        settle();
        await appender.update((head) => {
          if (head.status === "awaiting_confirmation") head.status = "running";
          if (decision.action === "edit") head.outline = decision.outline;
        });
        resolve(decision);
      };
      const wake = (): void => {
        check().catch((error: unknown) => {
          if (settled) return reject(error);
          log(
            `report-mcp worker: could not read the outline decision of report ${id}: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
      };
      const timer = setTimeout(() => {
        if (settled) return;
        settle();
        const minutes = Math.round(timeoutMs / 60000);
        const error = new ReportError(
          "cancelled",
          `No decision on the outline arrived within ${minutes} minute(s), so the run was stopped. Start it again and approve or reject the outline sooner, or use auto_confirm: true.`,
        );
        stop(error);
        reject(error);
      }, timeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      wakers.set(id, wake);
      const announced =
        appender.last?.kind === "event" &&
        appender.last.event.type === "progress" &&
        appender.last.event.status === "awaiting_confirmation";
      const waiting = announced
        ? Promise.resolve()
        : appender.append({
            kind: "event",
            event: {
              type: "progress",
              status: "awaiting_confirmation",
              message: "Waiting for the outline to be approved, edited or rejected.",
              details: { outline },
              progress: appender.head.progress,
            },
          });
      // A decision can only be offered once the log says the run awaits one; look for it now too.
      waiting.then(wake, (error: unknown) => {
        if (settled) return;
        settle();
        reject(error);
      });
    });
}
