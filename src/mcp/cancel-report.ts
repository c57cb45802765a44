import { z } from "zod";
import { unknownReport } from "./get-report.js";
import { reportStatus, reportStatusResult, reportStatusSchema } from "./job-view.js";
import type { ToolContext } from "./tool-context.js";
import { errorResult, outputSchemaWithError } from "./tool-output.js";

/** `cancel_report`: stops a report job at once (no further model or search calls). */
export function registerCancelReport(context: ToolContext): void {
  const { server, jobs } = context;
  server.registerTool(
    "cancel_report",
    {
      title: "Cancel a background report",
      description:
        "Stops a report started with start_report. Returns its final status (cancelled, or how it ended if it had already finished).",
      inputSchema: z
        .object({
          report_id: z
            .string()
            .trim()
            .min(1, "report_id must not be empty")
            .describe("The report_id returned by start_report."),
        })
        .strict(),
      outputSchema: outputSchemaWithError(reportStatusSchema),
      annotations: { destructiveHint: false, idempotentHint: true },
    },
    async ({ report_id }) => {
      await jobs.ready();
      if (!(await jobs.get(report_id))) return errorResult(unknownReport(report_id));
      await jobs.cancel(report_id);
      const snapshot = await jobs.get(report_id);
      if (!snapshot) return errorResult(unknownReport(report_id));
      const status = reportStatus(snapshot);
      return reportStatusResult(status);
    },
  );
}
