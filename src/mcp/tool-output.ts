import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { toReportError } from "../core/errors.js";
import { reportErrorSchema, type ReportErrorPayload } from "../core/result.js";

/**
 * Output schemas and results shared by every tool.
 *
 * The MCP spec asks a failed tool call to carry its error as `structuredContent` with
 * `isError: true`, and the SDK client (1.32) validates `structuredContent` against the declared
 * `outputSchema` even on error results. So each tool declares "its success shape OR the
 * `{type, message}` error of SPEC §6.4": a top-level `type: "object"` JSON Schema (what MCP
 * requires) whose `anyOf` lists both, generated from the zod schemas (never hand-written).
 * The server validates with the same zod union before replying.
 */

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/** JSON Schema (draft-07, the SDK's Ajv dialect) of a zod schema, without its `$schema` marker. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: "draft-7", io: "output" });
  return rest;
}

/**
 * The declared `outputSchema` of a tool: `success` or the SPEC §6.4 error payload. Validation in
 * zod is real (the SDK checks non-error results with it); the JSON Schema carries `anyOf`.
 */
export function outputSchemaWithError(success: ObjectSchema): z.ZodType<Record<string, unknown>> {
  const union = z.union([success, reportErrorSchema]);
  return z
    .looseObject({})
    .superRefine((value, context) => {
      const parsed = union.safeParse(value);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) {
        context.addIssue({ code: "custom", message: issue.message, path: issue.path.map(String) });
      }
    })
    .meta({ anyOf: [jsonSchemaOf(success), jsonSchemaOf(reportErrorSchema)] });
}

/** The SPEC §6.4 payload of anything thrown (ReportErrors keep their type and message). */
export function errorPayload(error: unknown): ReportErrorPayload {
  const reportError = toReportError(error);
  return { type: reportError.type, message: reportError.message };
}

/** A tool execution error: `isError: true`, `{type, message}` as structured content and as text. */
export function errorResult(error: unknown): CallToolResult {
  const payload = errorPayload(error);
  return {
    isError: true,
    structuredContent: payload,
    content: [{ type: "text", text: JSON.stringify(payload) }],
  };
}

/** A successful tool result: structured content plus a text block (JSON unless given). */
export function successResult(structured: Record<string, unknown>, text?: string): CallToolResult {
  return {
    structuredContent: structured,
    content: [{ type: "text", text: text ?? JSON.stringify(structured) }],
  };
}
