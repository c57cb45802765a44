import type { z } from "zod";
import { ReportError } from "../../core/errors.js";
import type { ChatMessage, GenerateObjectRequest } from "../../core/types.js";
import { type ChatConnection, callChat, type ResponseFormat, ResponseFormatRejectedError } from "./chat-call.js";
import {
  type ModelEndpoint,
  RESPONSE_FORMAT_MODES,
  type ResponseFormatMemory,
  type ResponseFormatMode,
} from "./format-memory.js";
import { extractJson } from "./json-extract.js";
import { type ModelJsonSchema, toModelJsonSchema, toSchemaName } from "./json-schema.js";
import { stripThinking } from "./think.js";

type Validation<T> =
  | { ok: true; value: T }
  | { ok: false; problem: string; kind: "no JSON" | "JSON that does not match the expected structure" };

const MAX_ISSUES_SHOWN = 12;

/**
 * Structured output with the fallback chain json_schema → json_object (schema in the prompt) →
 * plain prompt + extraction, starting at the mode `memory` remembers for this endpoint. The
 * reply is validated with zod; an invalid reply gets exactly one repair call. Every HTTP call
 * that returned a reply reports its usage; calls the API rejected (no reply) report none.
 */
export async function generateStructured<T>(options: {
  connection: ChatConnection;
  memory?: ResponseFormatMemory | undefined;
  request: GenerateObjectRequest<T>;
}): Promise<T> {
  const { connection, memory, request } = options;
  const endpoint: ModelEndpoint = {
    provider: connection.provider,
    model: connection.model,
    baseUrl: connection.baseUrl,
  };
  const jsonSchema = toModelJsonSchema(request.schema);
  const name = toSchemaName(request.schemaName);
  const startMode = memory?.get(endpoint) ?? "json_schema";
  const modes = RESPONSE_FORMAT_MODES.slice(RESPONSE_FORMAT_MODES.indexOf(startMode));

  for (const [index, mode] of modes.entries()) {
    const messages = withInstructions(request.messages, mode, jsonSchema, name);
    const responseFormat = formatFor(mode, jsonSchema, name);
    let text: string;
    try {
      ({ text } = await callChat(connection, { ...request, messages, ...(responseFormat ? { responseFormat } : {}) }));
    } catch (error) {
      if (error instanceof ResponseFormatRejectedError && index < modes.length - 1) continue;
      throw error;
    }
    memory?.set(endpoint, mode);

    const first = validate(text, request.schema, jsonSchema);
    if (first.ok) return first.value;

    const repairMessages: ChatMessage[] = [
      ...messages,
      { role: "assistant", content: stripThinking(text) || "(empty reply)" },
      { role: "user", content: repairInstruction(first.problem, jsonSchema) },
    ];
    const repaired = await callChat(connection, {
      ...request,
      messages: repairMessages,
      ...(responseFormat ? { responseFormat } : {}),
    });
    const second = validate(repaired.text, request.schema, jsonSchema);
    if (second.ok) return second.value;
    throw new ReportError(
      "model_output_invalid",
      `The model "${connection.model}" (${connection.provider}) returned ${second.kind} for "${request.schemaName}", ` +
        `even after a repair request (${second.problem}). Try a larger model or another provider.`,
    );
  }
  // Unreachable: the last mode ("prompt") sends no response_format, so it is never rejected for it.
  throw new ReportError(
    "model_call_failed",
    `The model API of ${connection.provider} rejected every structured-output mode.`,
  );
}

function formatFor(mode: ResponseFormatMode, jsonSchema: ModelJsonSchema, name: string): ResponseFormat | undefined {
  if (mode === "json_schema") {
    return { type: "json_schema", json_schema: { name, schema: jsonSchema.schema, strict: jsonSchema.strict } };
  }
  if (mode === "json_object") return { type: "json_object" };
  return undefined;
}

/** Adds the output instructions to the first system message (or a new one). */
function withInstructions(
  messages: ChatMessage[],
  mode: ResponseFormatMode,
  jsonSchema: ModelJsonSchema,
  name: string,
): ChatMessage[] {
  const what = jsonSchema.shape === "array" ? "JSON array" : "JSON object";
  const instruction =
    mode === "json_schema"
      ? `Reply with a single ${what} only (schema "${name}"): no prose, no code fences.`
      : `Reply with a single ${what} only, no prose and no code fences, that conforms to this JSON Schema:\n${JSON.stringify(jsonSchema.schema)}`;
  const systemIndex = messages.findIndex((message) => message.role === "system");
  if (systemIndex < 0) return [{ role: "system", content: instruction }, ...messages];
  return messages.map((message, index) =>
    index === systemIndex ? { role: "system", content: `${message.content}\n\n${instruction}` } : message,
  );
}

function repairInstruction(problem: string, jsonSchema: ModelJsonSchema): string {
  const what = jsonSchema.shape === "array" ? "JSON array" : "JSON object";
  return (
    `Your previous reply could not be used: ${problem}\n` +
    `Reply again with only the corrected ${what} (no prose, no code fences), conforming to this JSON Schema:\n` +
    JSON.stringify(jsonSchema.schema)
  );
}

function validate<T>(text: string, schema: z.ZodType<T>, jsonSchema: ModelJsonSchema): Validation<T> {
  const extracted = extractJson(text, { shape: jsonSchema.shape });
  if (!extracted.ok) return { ok: false, kind: "no JSON", problem: `${extracted.reason}.` };
  const parsed = schema.safeParse(extracted.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const path = issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".");
    return `${path}: ${issue.message}`;
  });
  const more =
    parsed.error.issues.length > MAX_ISSUES_SHOWN ? `; and ${parsed.error.issues.length - MAX_ISSUES_SHOWN} more` : "";
  return {
    ok: false,
    kind: "JSON that does not match the expected structure",
    problem: `${issues.join("; ")}${more}.`,
  };
}
