import { z } from "zod";
import { JOB_STATUSES, type StartJobOptions } from "../core/jobs/index.js";
import { taskParamsSchema, type TaskParams } from "../core/params.js";
import { createElicitConfirm } from "./elicit-outline.js";
import { clientSupportsFormElicitation, serverElicit, type ToolContext } from "./tool-context.js";
import { errorResult, outputSchemaWithError, successResult } from "./tool-output.js";

const startedSchema = z.object({
  report_id: z.string().describe("Pass to get_report / cancel_report"),
  status: z.enum(JOB_STATUSES),
});

function confirmFor(context: ToolContext, params: TaskParams): StartJobOptions["confirm"] {
  if (params.auto_confirm || !clientSupportsFormElicitation(context.server)) return "none";
  return createElicitConfirm({ elicit: serverElicit(context.server) });
}

/**
 * `start_report`: starts a report job and answers at once with its id, for hosts that cut tool
 * calls off after ~60 s. The job outlives the call; follow it with `get_report`.
 */
export function registerStartReport(context: ToolContext): void {
  const { server, jobs } = context;
  server.registerTool(
    "start_report",
    {
      title: "Start a research report in the background",
      description:
        "Starts the same research report as generate_report but returns {report_id} immediately. Then call get_report with the report_id (it waits up to wait_seconds per call) until status is completed, failed or cancelled; cancel_report stops it. Use this when tool calls time out after about a minute.",
      inputSchema: taskParamsSchema,
      outputSchema: outputSchemaWithError(startedSchema),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (params) => {
      try {
        const snapshot = await jobs.start(params, {
          confirm: confirmFor(context, params),
          onRecord: (record) => {
            if (record.kind === "result") server.sendResourceListChanged();
          },
        });
        const started = { report_id: snapshot.id, status: snapshot.status };
        return successResult(
          started,
          `Started report ${snapshot.id}. Call get_report with report_id "${snapshot.id}" to follow it.`,
        );
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
