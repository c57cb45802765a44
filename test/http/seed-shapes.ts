/**
 * The four JSON-RPC message shapes of the original orchestrator's guide (SPEC §6), as zod
 * schemas written from the SPEC text — not imported from src, so drift in the code is caught.
 * Strict objects: a field the seed does not have is an error, except the ones SPEC names
 * (`level`, `logger` over MCP, `estimated`, the result's extra structured fields).
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";

/** SPEC §6.1's step vocabulary. */
export const SPEC_STATUSES = [
  "task_started",
  "analyzing_intent",
  "generating_outline",
  "awaiting_confirmation",
  "searching",
  "assessing_quality",
  "supplementing_search",
  "generating_sections",
  "generating_summary",
  "assembling_report",
  "task_completed",
  "warning",
] as const;

/** SPEC §6.4's `data.type` vocabulary. */
export const SPEC_ERROR_TYPES = [
  "invalid_params",
  "parse_error",
  "session_not_found",
  "no_search_source",
  "search_failed",
  "model_call_failed",
  "model_output_invalid",
  "report_generation_failed",
  "cancelled",
  "interrupted",
  "rate_limited",
  "too_many_sessions",
  "insufficient_evidence",
  "budget_exceeded",
] as const;

const rpcId = z.union([z.string(), z.number().int()]);
/** MCP adds `logger: "report-mcp"` to notifications/message (SPEC §3); the SSE API does not. */
const logger = z.literal("report-mcp").optional();

/** §6.1 progress message. A finished section carries `{id, name, content}` in `details`. */
export const progressMessageShape = z
  .object({
    jsonrpc: z.literal("2.0"),
    method: z.literal("notifications/message"),
    params: z
      .object({
        level: z.enum(["info", "warning"]),
        logger,
        data: z
          .object({
            msg: z
              .object({
                status: z.enum(SPEC_STATUSES),
                message: z.string().min(1),
                details: z.record(z.string(), z.unknown()),
              })
              .strict(),
          })
          .strict(),
        extra: z.null(),
      })
      .strict(),
  })
  .strict()
  .superRefine((message, context) => {
    const { status, details } = message.params.data.msg;
    if (status !== "generating_sections" || !("content" in details)) return;
    const section = z
      .object({ id: z.number().int().nonnegative(), name: z.string().min(1), content: z.string().min(1) })
      .safeParse(details);
    if (!section.success)
      context.addIssue({
        code: "custom",
        message: "a finished section's details must be {id, name, content}",
        path: ["params", "data", "msg", "details"],
      });
  });

/** §6.2 model-usage message (one per model call). */
export const usageMessageShape = z
  .object({
    jsonrpc: z.literal("2.0"),
    method: z.literal("notifications/message"),
    params: z
      .object({
        level: z.literal("info"),
        logger,
        data: z
          .object({
            msg: z
              .object({
                type: z.literal("model_usage"),
                data: z
                  .object({
                    model_provider: z.string().min(1),
                    model_name: z.string().min(1),
                    input_tokens: z.number().int().nonnegative(),
                    output_tokens: z.number().int().nonnegative(),
                    estimated: z.literal(true).optional(),
                    // Issue #13: the call's cost when the model's price is known, after the seed's fields (docs/cost.md).
                    cost: z
                      .object({ amount: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) })
                      .strict()
                      .optional(),
                  })
                  .strict(),
              })
              .strict(),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

const structuredReport = z
  .object({
    status: z.literal("completed"),
    task: z.string().min(1),
    task_type: z.enum(["news_report", "research_report", "industry_analysis"]),
    report_content: z.string().startsWith("# "),
    summary: z.string(),
    sections: z.array(z.object({ id: z.number().int(), name: z.string(), content: z.string() }).loose()).min(1),
    sources: z.array(
      z
        .object({
          id: z.number().int(),
          title: z.string(),
          url: z.string(),
          published_at: z.string().nullable(),
          provider: z.string(),
        })
        .loose(),
    ),
    quality: z
      .object({
        overall: z.number(),
        relevance: z.number(),
        depth: z.number(),
        accuracy: z.number(),
        completeness: z.number(),
        timeliness: z.number(),
        iterations: z.number().int(),
      })
      .loose(),
    metadata: z
      .object({
        topic: z.string().min(1),
        language: z.string(),
        sections_count: z.number().int().positive(),
        final_quality_score: z.number(),
        engine: z.string(),
        duration_ms: z.number(),
        usage: z
          .object({
            input_tokens: z.number().int(),
            output_tokens: z.number().int(),
            by_model: z.record(z.string(), z.unknown()),
            by_step: z.record(z.string(), z.unknown()),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();

/**
 * §6.3 final result. Over the SSE API `content` is the one text block holding the JSON of
 * `structuredContent` and `isError` is `false`; over MCP the text is the Markdown report (plus a
 * resource link) and `isError` may be left out (MCP's default is false).
 */
export function resultMessageShape(options: { transport: "sse" | "mcp" }) {
  const textBlock = z.object({ type: z.literal("text"), text: z.string().min(1) }).strict();
  return z
    .object({
      jsonrpc: z.literal("2.0"),
      id: rpcId,
      result: z
        .object({
          content:
            options.transport === "sse" ? z.tuple([textBlock]) : z.array(z.object({ type: z.string() }).loose()).min(1),
          structuredContent: structuredReport,
          isError: options.transport === "sse" ? z.literal(false) : z.literal(false).optional(),
        })
        .strict(),
    })
    .strict()
    .superRefine((message, context) => {
      const [first] = message.result.content;
      if (first?.type !== "text")
        return context.addIssue({
          code: "custom",
          message: "the first content block must be text",
          path: ["result", "content", 0],
        });
      const text = (first as { text: string }).text;
      const matches =
        options.transport === "sse"
          ? isDeepStrictEqual(JSON.parse(text), message.result.structuredContent)
          : text === message.result.structuredContent.report_content;
      if (!matches)
        context.addIssue({
          code: "custom",
          message: `the text block must be ${options.transport === "sse" ? "the structured result as JSON" : "the Markdown report"}`,
          path: ["result", "content", 0, "text"],
        });
    });
}

/** §6.4 error (also the shape of every HTTP 4xx body); `fields` names the offending fields of a bad request. */
export const errorMessageShape = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: rpcId.nullable(),
    error: z
      .object({
        code: z.number().int(),
        message: z.string().min(1),
        data: z
          .object({
            type: z.enum(SPEC_ERROR_TYPES),
            message: z.string().min(1),
            fields: z.array(z.string()).optional(),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

/** SPEC §5: the first event of every SSE stream. */
export const sessionStartedShape = z
  .object({
    jsonrpc: z.literal("2.0"),
    method: z.literal("session/started"),
    params: z.object({ session_id: z.string().min(1), task: z.string().min(1), timestamp: z.iso.datetime() }).strict(),
  })
  .strict();

/** A notifications/message is §6.1 or §6.2; which one it is. */
export function notificationKind(message: unknown): "progress" | "usage" {
  const progress = progressMessageShape.safeParse(message);
  if (progress.success) return "progress";
  const usage = usageMessageShape.safeParse(message);
  if (usage.success) return "usage";
  throw new Error(
    `neither §6.1 nor §6.2: ${JSON.stringify(message)}\n§6.1: ${z.prettifyError(progress.error)}\n§6.2: ${z.prettifyError(usage.error)}`,
  );
}
