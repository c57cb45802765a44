import { z } from "zod";
import { taskParamsSchema, taskParamsShape, type TaskParams } from "../core/params.js";
import { kwargsConflictMessage, kwargsSchema, mergeKwargs } from "../core/task-kwargs.js";

const { task: taskField } = taskParamsShape;

const ID_RULE = "id must be a string of at most 200 characters or an integer";

/** The JSON-RPC id echoed by the final message; default 1. */
export const requestIdSchema = z
  .union([z.string().max(200, ID_RULE), z.number().int(ID_RULE)], { error: ID_RULE })
  .describe("Echoed as the `id` of the final JSON-RPC result or error (default 1).");

/** The task and its options (top level or under `kwargs`): a plain body without `id`, or an envelope's `arguments`. */
export const orchestratorArgumentsSchema = z
  .object({
    ...taskParamsShape,
    task: taskField,
    kwargs: kwargsSchema.optional(),
  })
  .strict();

/** Body of `POST /mcp/streaming/orchestrator` and `POST /mcp/orchestrator` (the seed's form). */
export const orchestratorBodySchema = orchestratorArgumentsSchema.extend({ id: requestIdSchema.optional() }).strict();

export const outlineBodySchema = z
  .object({
    title: z.string().trim().min(1).max(500).describe("Report title"),
    sections: z
      .array(
        z.object({
          id: z.number().int().nonnegative().describe("Section id"),
          name: z.string().trim().min(1).max(300).describe("Section heading"),
          goal: z.string().max(2000).default("").describe("What the section must establish"),
          queries: z
            .array(z.string().min(1).max(500))
            .max(20)
            .default([])
            .describe("Searches that gather its evidence"),
        }),
      )
      .min(1, "outline.sections must not be empty")
      .max(30),
  })
  .describe("An edited outline (approve with changes)");

/** Body of `POST /mcp/streaming/sessions/{id}/confirm`. */
export const confirmBodySchema = z
  .object({
    approve: z
      .boolean()
      .describe("true approves the outline (edited when `outline` is given); false rejects it and ends the run"),
    outline: outlineBodySchema.optional(),
    feedback: z.string().max(2000).optional().describe("Why the outline was rejected"),
  })
  .strict();
export type ConfirmBody = z.infer<typeof confirmBodySchema>;

export type BodyProblem = { type: "parse_error" | "invalid_params"; message: string; fields: string[] };
export type ParsedOrchestratorBody = { params: TaskParams; requestId: string | number | null };

/** Parses raw JSON text; a problem of type parse_error when it is not JSON. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; problem: BodyProblem } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problem: { type: "parse_error", message: `The request body is not valid JSON (${reason}).`, fields: [] },
    };
  }
}

/** Turns zod issues into one message naming every offending field. */
export function describeIssues(error: z.ZodError, prefix = ""): BodyProblem {
  const fields: string[] = [];
  const parts: string[] = [];
  for (const issue of error.issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const field = base ? `${base}.${key}` : key;
        fields.push(field);
        parts.push(`${field}: unknown field`);
      }
      continue;
    }
    const field = base || "(body)";
    fields.push(field);
    parts.push(`${field}: ${issue.message}`);
  }
  return { type: "invalid_params", message: `Invalid params: ${parts.join("; ")}.`, fields: [...new Set(fields)] };
}

/**
 * Validates the task and its options: at the top level or under `kwargs` (the same value in both
 * places is fine, different values are an error). Never clamps. `prefix` names where the object
 * sits in the body (`params.arguments` in a tools/call envelope) so every message names the
 * field as the client wrote it.
 */
export function parseTaskArguments(options: {
  value: unknown;
  schema: z.ZodType;
  prefix?: string;
}): { ok: true; params: TaskParams } | { ok: false; problem: BodyProblem } {
  const { value, schema, prefix = "" } = options;
  const where = prefix || "the body";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      problem: {
        type: "invalid_params",
        message: `Invalid params: ${where} must be a JSON object with a \`task\`.`,
        fields: [prefix || "(body)"],
      },
    };
  }
  const checked = schema.safeParse(value);
  if (!checked.success) return { ok: false, problem: describeIssues(checked.error, prefix) };
  const { kwargs, id: _id, ...topLevel } = value as Record<string, unknown>;
  const merge = mergeKwargs({ topLevel, kwargs });
  if (!merge.ok) {
    const fields = merge.conflicts
      .flatMap((key) => [key, `kwargs.${key}`])
      .map((field) => (prefix ? `${prefix}.${field}` : field));
    return {
      ok: false,
      problem: { type: "invalid_params", message: `Invalid params: ${kwargsConflictMessage(merge.conflicts)}`, fields },
    };
  }
  const params = taskParamsSchema.safeParse(merge.merged);
  if (!params.success) return { ok: false, problem: describeIssues(params.error, prefix) };
  return { ok: true, params: params.data };
}

/** Validates an orchestrator body in the seed's form: `{task, task_type?, kwargs?, id?}`. */
export function parseOrchestratorBody(
  value: unknown,
): { ok: true; body: ParsedOrchestratorBody } | { ok: false; problem: BodyProblem } {
  const parsed = parseTaskArguments({ value, schema: orchestratorBodySchema });
  if (!parsed.ok) return parsed;
  const id = requestIdSchema.safeParse((value as Record<string, unknown>)["id"]);
  return { ok: true, body: { params: parsed.params, requestId: id.success ? id.data : null } };
}
