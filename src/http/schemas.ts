import { z } from "zod";
import { taskParamsSchema, taskParamsShape, type TaskParams } from "../core/params.js";

const { task: taskField, ...optionShape } = taskParamsShape;

/** Task options as they may appear under `kwargs` (the seed's curl example). */
export const kwargsSchema = z
  .object(optionShape)
  .partial()
  .strict()
  .describe("Task options (the seed's form); each may instead sit at the top level, but not in both places with different values.");

const ID_RULE = "id must be a string of at most 200 characters or an integer";

/** The JSON-RPC id echoed by the final message; default 1. */
export const requestIdSchema = z
  .union([z.string().max(200, ID_RULE), z.number().int(ID_RULE)], { error: ID_RULE })
  .describe("Echoed as the `id` of the final JSON-RPC result or error (default 1).");

/** Body of `POST /mcp/streaming/orchestrator` and `POST /mcp/orchestrator`. */
export const orchestratorBodySchema = z
  .object({
    ...taskParamsShape,
    task: taskField,
    kwargs: kwargsSchema.optional(),
    id: requestIdSchema.optional(),
  })
  .strict();

export const outlineBodySchema = z
  .object({
    title: z.string().trim().min(1).max(500).describe("Report title"),
    sections: z
      .array(
        z.object({
          id: z.number().int().nonnegative().describe("Section id"),
          name: z.string().trim().min(1).max(300).describe("Section heading"),
          goal: z.string().max(2000).default("").describe("What the section must establish"),
          queries: z.array(z.string().min(1).max(500)).max(20).default([]).describe("Searches that gather its evidence"),
        }),
      )
      .min(1, "outline.sections must not be empty")
      .max(30),
  })
  .describe("An edited outline (approve with changes)");

/** Body of `POST /mcp/streaming/sessions/{id}/confirm`. */
export const confirmBodySchema = z
  .object({
    approve: z.boolean().describe("true approves the outline (edited when `outline` is given); false rejects it and ends the run"),
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
    return { ok: false, problem: { type: "parse_error", message: `The request body is not valid JSON (${reason}).`, fields: [] } };
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
 * Validates an orchestrator body: options at the top level or under `kwargs` (the same value in
 * both places is fine, different values are an error), optional `id`. Never clamps.
 */
export function parseOrchestratorBody(value: unknown): { ok: true; body: ParsedOrchestratorBody } | { ok: false; problem: BodyProblem } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, problem: { type: "invalid_params", message: "Invalid params: the body must be a JSON object with a `task`.", fields: ["(body)"] } };
  }
  const checked = orchestratorBodySchema.safeParse(value);
  if (!checked.success) return { ok: false, problem: describeIssues(checked.error) };
  const { kwargs, id, ...topLevel } = value as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...topLevel };
  const conflicts: string[] = [];
  for (const [key, option] of Object.entries((kwargs ?? {}) as Record<string, unknown>)) {
    if (key in topLevel && JSON.stringify(topLevel[key]) !== JSON.stringify(option)) conflicts.push(key);
    merged[key] = option;
  }
  if (conflicts.length > 0) {
    const fields = conflicts.flatMap((key) => [key, `kwargs.${key}`]);
    return {
      ok: false,
      problem: { type: "invalid_params", message: `Invalid params: ${conflicts.join(", ")} given both at the top level and under kwargs with different values; give each once.`, fields },
    };
  }
  const params = taskParamsSchema.safeParse(merged);
  if (!params.success) return { ok: false, problem: describeIssues(params.error) };
  return { ok: true, body: { params: params.data, requestId: checked.data.id ?? null } };
}
