import { z } from "zod";
import { SEED_TOOL_NAME } from "../mcp/seed-tool.js";
import {
  describeIssues,
  orchestratorArgumentsSchema,
  parseOrchestratorBody,
  parseTaskArguments,
  requestIdSchema,
  type BodyProblem,
  type ParsedOrchestratorBody,
} from "./schemas.js";
import type { RpcId } from "./wire.js";

/**
 * The body of `POST /mcp/streaming/orchestrator` and `POST /mcp/orchestrator` comes in two forms:
 * the seed's `{task, task_type?, kwargs?, id?}`, or the same request wrapped the way MCP clients
 * wrap a tool call — `{"jsonrpc":"2.0","id":…,"method":"tools/call","params":{"name":
 * "generate_report","arguments":{task, …}}}` — whose `id` is then echoed by the final message.
 */

/** Tools an envelope may name: generate_report, and the original orchestrator's name for it. */
export const ENVELOPE_TOOL_NAMES = ["generate_report", SEED_TOOL_NAME] as const;

const METHOD_RULE = 'method must be "tools/call": this endpoint runs reports (other MCP methods are served at /mcp)';

const envelopeHeadSchema = z
  .object({
    jsonrpc: z.literal("2.0", {
      error: (issue) => `jsonrpc must be "2.0" (got ${JSON.stringify(issue.input) ?? "nothing"})`,
    }),
    id: requestIdSchema.optional(),
    method: z.literal("tools/call", {
      error: (issue) => `${METHOD_RULE}; got ${JSON.stringify(issue.input) ?? "nothing"}`,
    }),
    params: z.unknown().optional(),
  })
  .strict();

const envelopeParamsSchema = z
  .object(
    {
      name: z.enum(ENVELOPE_TOOL_NAMES, {
        error: (issue) =>
          `unknown tool ${JSON.stringify(issue.input) ?? "(missing)"}: this endpoint runs ${ENVELOPE_TOOL_NAMES.join(" or ")} (other tools are served at /mcp)`,
      }),
      arguments: z.record(z.string(), z.unknown(), {
        error: 'arguments must be an object with the task, e.g. {"task": "…"}',
      }),
      _meta: z
        .record(z.string(), z.unknown())
        .optional()
        .describe(
          "MCP request metadata (e.g. progressToken); accepted and ignored: progress arrives as the stream's messages",
        ),
    },
    { error: 'params must be an object: {"name": "generate_report", "arguments": {"task": "…"}}' },
  )
  .strict();

/** The envelope form in full (documentation: OpenAPI). Parsing goes field by field, see below. */
export const toolCallEnvelopeSchema = envelopeHeadSchema
  .extend({
    params: envelopeParamsSchema
      .extend({ arguments: orchestratorArgumentsSchema })
      .strict()
      .describe("The tool and its arguments"),
  })
  .strict()
  .describe("The same request as a JSON-RPC tools/call envelope; the final result or error carries its `id`.");

export type OrchestratorRequestParse =
  { ok: true; body: ParsedOrchestratorBody } | { ok: false; problem: BodyProblem; requestId: RpcId | null };

/** The body's `id` when it is one we would echo (a string of ≤ 200 characters or an integer), else null. */
export function readableRequestId(value: unknown): RpcId | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const id = requestIdSchema.safeParse((value as Record<string, unknown>)["id"]);
  return id.success ? id.data : null;
}

function isEnvelope(value: object): boolean {
  return "jsonrpc" in value || "method" in value || "params" in value;
}

function parseEnvelope(
  value: Record<string, unknown>,
): { ok: true; body: ParsedOrchestratorBody } | { ok: false; problem: BodyProblem } {
  const head = envelopeHeadSchema.safeParse(value);
  if (!head.success) return { ok: false, problem: describeIssues(head.error) };
  const params = envelopeParamsSchema.safeParse(head.data.params);
  if (!params.success) return { ok: false, problem: describeIssues(params.error, "params") };
  const task = parseTaskArguments({
    value: params.data.arguments,
    schema: orchestratorArgumentsSchema,
    prefix: "params.arguments",
  });
  if (!task.ok) return task;
  return { ok: true, body: { params: task.params, requestId: head.data.id ?? null } };
}

/**
 * Validates an orchestrator request in either form. On failure, `requestId` is the body's `id`
 * when it was readable, for the 400 to echo.
 */
export function parseOrchestratorRequest(value: unknown): OrchestratorRequestParse {
  if (Array.isArray(value)) {
    const message =
      'Invalid params: the body must be one JSON object — {"task": "…"} or a JSON-RPC tools/call request (batches are not supported).';
    return { ok: false, problem: { type: "invalid_params", message, fields: ["(body)"] }, requestId: null };
  }
  const parsed =
    typeof value === "object" && value !== null && isEnvelope(value)
      ? parseEnvelope(value as Record<string, unknown>)
      : parseOrchestratorBody(value);
  return parsed.ok ? parsed : { ...parsed, requestId: readableRequestId(value) };
}
