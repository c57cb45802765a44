import type { Intent, Outline } from "../core/author.js";
import { toReportError, type ReportError } from "../core/errors.js";
import { intentOf, outlineOf, type JobRecord } from "../core/jobs/index.js";
import type { ConfirmOutline, OutlineDecision } from "../core/runtime.js";

export type ConfirmationDriver = {
  /** Feed it the run's records from the start. */
  listener: (record: JobRecord) => void;
  /** Stops asking (the run ended or this process closes). */
  stop(): void;
};

/**
 * Puts a run's outline to a person from the front end that started it, while the run itself
 * waits on a worker: when the log says `awaiting_confirmation`, `confirmOutline` (e.g. MCP
 * elicitation on this replica's session) is asked, and its decision is delivered like any
 * `/confirm`. A confirmer that fails ends the run with its error, as in one process.
 */
export function confirmationDriver(options: {
  id: string;
  confirmOutline: ConfirmOutline;
  confirm: (decision: OutlineDecision) => Promise<boolean>;
  fail: (error: ReportError) => Promise<unknown>;
  log: (line: string) => void;
}): ConfirmationDriver {
  const { id, log } = options;
  const controller = new AbortController();
  let intent: Intent | null = null;
  let asking = false;

  const ask = async (outline: Outline): Promise<void> => {
    try {
      const decision = await options.confirmOutline({
        outline,
        intent: intent ?? fallbackIntent(outline),
        signal: controller.signal,
      });
      if (controller.signal.aborted) return;
      if (!(await options.confirm(decision)))
        log(`report-mcp: the outline decision for report ${id} came after the report stopped waiting for one.`);
    } catch (error) {
      if (controller.signal.aborted) return;
      await options.fail(toReportError(error)).catch((failure: unknown) => {
        log(
          `report-mcp: could not end report ${id} after its outline confirmation failed: ${failure instanceof Error ? failure.message : String(failure)}`,
        );
      });
    } finally {
      asking = false;
    }
  };

  return {
    listener(record) {
      if (record.kind === "result" || record.kind === "error") {
        controller.abort();
        return;
      }
      if (record.kind !== "event" || record.event.type !== "progress") return;
      intent = intentOf(record.event) ?? intent;
      if (record.event.status !== "awaiting_confirmation" || asking || controller.signal.aborted) return;
      const outline = outlineOf(record.event);
      if (!outline) {
        log(
          `report-mcp: report ${id} awaits confirmation but its event carries no outline; confirm it over HTTP instead.`,
        );
        return;
      }
      asking = true;
      void ask(outline);
    },
    stop() {
      controller.abort();
    },
  };
}

/** Only for a run that announced no intent before its outline (the pipeline always does). */
function fallbackIntent(outline: Outline): Intent {
  return {
    task_type: "research_report",
    topic: outline.title,
    language: "en",
    days: 7,
    time_window: { from: "", to: "" },
    key_terms: [],
  };
}
