import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { toReportError } from "../core/errors.js";
import { reportErrorSchema, type ReportErrorPayload } from "../core/result.js";
import { mcpErrorPayload } from "./hint-advice.js";

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

/** Keywords that describe a value rather than constrain it: they stay outside an `anyOf` split. */
const ANNOTATIONS = new Set(["title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly"]);

/**
 * Rewrites what strict clients flag as unportable (the MCP Inspector's strict mode, some model
 * providers' schema parsers): a `type` array such as `["string", "null"]` becomes an `anyOf` of
 * one-type branches, and an empty `additionalProperties: {}` (same as absent) is dropped.
 */
export function portableSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(portableSchema);
  if (typeof node !== "object" || node === null) return node;
  const entries = Object.entries(node).flatMap(([key, value]): Array<[string, unknown]> => {
    if (
      key === "additionalProperties" &&
      typeof value === "object" &&
      value !== null &&
      Object.keys(value).length === 0
    )
      return [];
    return [[key, portableSchema(value)]];
  });
  const schema = Object.fromEntries(entries) as Record<string, unknown>;
  if (!Array.isArray(schema.type)) return schema;
  const outer: Record<string, unknown> = {};
  const constraints: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "type") continue;
    (ANNOTATIONS.has(key) ? outer : constraints)[key] = value;
  }
  const types = schema.type.map(String);
  return { ...outer, anyOf: types.map((type) => (type === "null" ? { type } : { type, ...constraints })) };
}

/** JSON Schema (draft-07, the SDK's Ajv dialect) of a zod schema, portable, without its `$schema` marker. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: "draft-7", io: "output" });
  return portableSchema(rest) as Record<string, unknown>;
}

/**
 * The declared `outputSchema` of a tool: `success` or the SPEC §6.4 error payload. Validation in
 * zod is real (the SDK checks non-error results with it); the JSON Schema carries `anyOf`.
 */
export function outputSchemaWithError(success: ObjectSchema): z.ZodType<Record<string, unknown>> {
  const union = z.union([success, reportErrorSchema]);
  return (
    z
      .looseObject({})
      .superRefine((value, context) => {
        const parsed = union.safeParse(value);
        if (parsed.success) return;
        for (const issue of parsed.error.issues) {
          context.addIssue({ code: "custom", message: issue.message, path: issue.path.map(String) });
        }
      })
      // `additionalProperties: true` replaces the `{}` the loose wrapper would declare (the branches constrain).
      .meta({ anyOf: [jsonSchemaOf(success), jsonSchemaOf(reportErrorSchema)], additionalProperties: true })
  );
}

/** The SPEC §6.4 payload of anything thrown (ReportErrors keep their type and message; a hint becomes MCP advice). */
export function errorPayload(error: unknown): ReportErrorPayload {
  return mcpErrorPayload(toReportError(error).toRecord());
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
