import { z } from "zod";
import { outlineSchema } from "../core/author.js";
import { runEstimateSchema } from "../core/cost/estimate-schema.js";
import { ERROR_TYPES } from "../core/errors.js";
import { JOB_STATUSES } from "../core/jobs/index.js";
import { PROGRESS_STATUSES } from "../core/events/index.js";
import { reportErrorSchema, reportResultSchema } from "../core/result.js";
import { toolCallEnvelopeSchema } from "./orchestrator-request.js";
import { confirmBodySchema, orchestratorBodySchema } from "./schemas.js";

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const rpcErrorSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number(), z.null()]),
  error: z.object({
    code: z
      .number()
      .int()
      .describe(
        "-32700 parse error, -32602 invalid params, -32603 run failed, -32001 session not found, -32000 server error",
      ),
    message: z.string(),
    data: z
      .object({
        type: z.enum(ERROR_TYPES).optional(),
        message: z.string(),
        fields: z.array(z.string()).optional().describe("The offending fields of an invalid body"),
      })
      .optional(),
  }),
});

/** `GET /mcp/streaming/sessions/{id}`: the schema the OpenAPI document publishes and `sessionView` is typed by. */
export const sessionSchema = z.object({
  session_id: z.string(),
  status: z.enum(JOB_STATUSES),
  task: z.string(),
  task_type: z.string(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  progress: z.number().min(0).max(100),
  message: z.string().describe("The latest progress message"),
  current_status: z
    .enum(PROGRESS_STATUSES)
    .nullable()
    .describe("The latest step (SPEC §6.1 vocabulary), null before the first"),
  outline: outlineSchema.nullable().describe("The outline once planned (the edited one after an approved edit)"),
  sections: z
    .array(z.object({ id: z.number().int(), name: z.string(), content: z.string() }))
    .describe("Sections finished so far, in the order they finished"),
  last_event_id: z.number().int().describe("The id of the session's latest event (resume with Last-Event-ID)"),
  messages: z
    .array(z.record(z.string(), z.unknown()))
    .describe("Every JSON-RPC message of the session so far, in stream order"),
  result: reportResultSchema.nullable(),
  error: reportErrorSchema.nullable(),
});

const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const errorResponse = (description: string) => ({
  description,
  content: json({ $ref: "#/components/schemas/RpcError" }),
});
const orchestratorRequest = json({
  oneOf: [{ $ref: "#/components/schemas/OrchestratorBody" }, { $ref: "#/components/schemas/ToolCallEnvelope" }],
});
const sessionIdParameter = { name: "session_id", in: "path", required: true, schema: { type: "string" } };
const sse = {
  description:
    "text/event-stream: one JSON-RPC message per event with `id:` = its sequence number — session/started, notifications/message (progress §6.1, model_usage §6.2), then one final result (§6.3) or error (§6.4).",
  content: { "text/event-stream": { schema: { type: "string" } } },
};

/** The OpenAPI 3.1 document of the HTTP API, built from the zod schemas that validate it. */
export function buildOpenApiDocument(options: { version: string }): JsonSchema {
  return {
    openapi: "3.1.0",
    info: {
      title: "report-mcp HTTP API",
      version: options.version,
      description: "Cited research reports over SSE, JSON and MCP Streamable HTTP (`/mcp`).",
    },
    components: {
      schemas: {
        OrchestratorBody: schemaOf(orchestratorBodySchema, "input"),
        ToolCallEnvelope: schemaOf(toolCallEnvelopeSchema, "input"),
        ConfirmBody: schemaOf(confirmBodySchema, "input"),
        ReportResult: schemaOf(reportResultSchema, "output"),
        Session: schemaOf(sessionSchema, "output"),
        RpcError: schemaOf(rpcErrorSchema, "output"),
        RunEstimate: schemaOf(runEstimateSchema, "output"),
      },
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "Required on every route but /health when the server runs with --token / REPORT_MCP_TOKEN.",
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/mcp/streaming/orchestrator": {
        post: {
          summary: "Start a report and stream its progress (SSE)",
          requestBody: { required: true, content: orchestratorRequest },
          responses: {
            "200": sse,
            "400": errorResponse("Malformed JSON (-32700) or invalid params (-32602)"),
            "413": errorResponse("Body too large"),
            "429": errorResponse("Too many running reports; see Retry-After"),
          },
        },
      },
      "/mcp/streaming/estimate": {
        post: {
          summary:
            "Quote a report before running it: model calls, tokens (low/expected/high) and cost with the server's settings",
          requestBody: { required: true, content: orchestratorRequest },
          responses: {
            "200": {
              description: "The estimate (docs/cost.md)",
              content: json({ $ref: "#/components/schemas/RunEstimate" }),
            },
            "400": errorResponse("Malformed JSON (-32700) or invalid params (-32602)"),
          },
        },
      },
      "/mcp/orchestrator": {
        post: {
          summary: "Run a report and answer with one JSON-RPC result or error (no streaming)",
          requestBody: { required: true, content: orchestratorRequest },
          responses: {
            "200": { description: "JSON-RPC result (§6.3) or error (§6.4)", content: json({ type: "object" }) },
            "400": errorResponse("Invalid body"),
            "429": errorResponse("Too many running reports"),
          },
        },
      },
      "/mcp/streaming/sessions": {
        get: {
          summary: "List sessions, newest first",
          responses: { "200": { description: "{sessions: [...]}", content: json({ type: "object" }) } },
        },
      },
      "/mcp/streaming/sessions/{session_id}": {
        get: {
          summary: "A session's state and every message so far",
          parameters: [sessionIdParameter],
          responses: {
            "200": { description: "The session", content: json({ $ref: "#/components/schemas/Session" }) },
            "404": errorResponse("Unknown session"),
          },
        },
      },
      "/mcp/streaming/sessions/{session_id}/events": {
        get: {
          summary: "Re-attach to a session's stream; resumes after Last-Event-ID",
          parameters: [
            sessionIdParameter,
            { name: "Last-Event-ID", in: "header", required: false, schema: { type: "integer", minimum: 0 } },
          ],
          responses: {
            "200": sse,
            "204": {
              description:
                "The session has ended and Last-Event-ID is its last event: nothing left to send (EventSource stops reconnecting)",
            },
            "400": errorResponse("Last-Event-ID is not a sequence number, or is above the session's last event"),
            "404": errorResponse("Unknown session"),
          },
        },
      },
      "/mcp/streaming/sessions/{session_id}/cancel": {
        post: {
          summary: "Cancel a running session",
          parameters: [sessionIdParameter],
          responses: {
            "200": { description: "{session_id, cancelled, status}", content: json({ type: "object" }) },
            "404": errorResponse("Unknown session"),
          },
        },
      },
      "/mcp/streaming/sessions/{session_id}/confirm": {
        post: {
          summary: "Approve (optionally edited) or reject the outline of a session awaiting confirmation",
          parameters: [sessionIdParameter],
          requestBody: { required: true, content: json({ $ref: "#/components/schemas/ConfirmBody" }) },
          responses: {
            "200": { description: "Decision accepted", content: json({ type: "object" }) },
            "400": errorResponse("Invalid body"),
            "404": errorResponse("Unknown session"),
            "409": errorResponse("Not awaiting confirmation"),
          },
        },
      },
      "/corpus/document": {
        get: {
          summary: "The text of a corpus document cited by a report (only files inside the server's corpus folders)",
          parameters: [
            {
              name: "url",
              in: "query",
              required: true,
              description: "The citation's file:/// URL",
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": { description: "text/plain: title, date, location, then the document's text" },
            "400": errorResponse("Not a file: URL"),
            "403": errorResponse("Outside the corpus folders"),
            "404": errorResponse("No such document"),
          },
        },
      },
      "/health": {
        get: {
          summary: "Liveness",
          security: [],
          responses: { "200": { description: '{status: "ok", version}', content: json({ type: "object" }) } },
        },
      },
      "/mcp": {
        post: {
          summary: "MCP Streamable HTTP endpoint (also GET for the standalone stream, DELETE to end a session)",
          responses: { "200": { description: "MCP" } },
        },
      },
      "/": { get: { summary: "The web page", responses: { "200": { description: "text/html" } } } },
    },
  };
}
