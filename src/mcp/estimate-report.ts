import { ReportError } from "../core/errors.js";
import { runEstimateSchema } from "../core/cost/estimate-schema.js";
import { describeEstimate } from "../core/cost/estimate-text.js";
import { taskParamsSchema } from "../core/params.js";
import { detectLanguage } from "../core/text/language.js";
import type { ToolContext } from "./tool-context.js";
import { errorResult, outputSchemaWithError, successResult } from "./tool-output.js";

/** `estimate_report`: a quote (model calls, tokens, cost) for generate_report's arguments; nothing is run or spent. */
export function registerEstimateReport(context: ToolContext): void {
  const { server, runtime } = context;
  server.registerTool(
    "estimate_report",
    {
      title: "Estimate a report's cost",
      description:
        "Quotes what generate_report would spend for the same arguments with the server's current model and settings: model calls, tokens (low / expected / high) and cost, and whether it fits max_tokens / max_cost. Runs nothing.",
      inputSchema: taskParamsSchema,
      outputSchema: outputSchemaWithError(runEstimateSchema),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args) => {
      try {
        const params = taskParamsSchema.parse(args);
        const ready = await runtime();
        if (!ready.estimate) throw new ReportError("invalid_params", "This server's runtime cannot estimate a run.");
        const estimate = await ready.estimate(params);
        return successResult(estimate, describeEstimate(estimate, params.language ?? detectLanguage(params.task)));
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
