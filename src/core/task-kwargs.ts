import { z } from "zod";
import { taskParamsShape } from "./params.js";

/**
 * The original orchestrator took its task options as Python keyword arguments: over HTTP its
 * clients send them under `kwargs` (the seed's curl example), over MCP its FastMCP tool exposed
 * `**kwargs` as an argument named `kwargs`. report-mcp accepts the options either at the top
 * level or under `kwargs`, in both the HTTP API and the seed-named MCP tool; this module is the
 * one rule for both.
 */

const { task: _task, ...optionShape } = taskParamsShape;
type OptionShape = typeof optionShape;

/** A shape's fields, optional and without their defaults. */
type Undefaulted<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer Inner> ? Inner : S[K]>;
};

/**
 * The fields optional and without their defaults, descriptions kept: a parsed value then holds
 * only what the caller gave, so an option given twice can be told from a default.
 */
function undefaulted<S extends Record<string, z.ZodType>>(shape: S): Undefaulted<S> {
  const entries = Object.entries(shape).map(([key, field]) => {
    const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
    const description = field.description ?? inner.description;
    const optional = inner.optional();
    return [key, description ? optional.describe(description) : optional];
  });
  return Object.fromEntries(entries) as Undefaulted<S>;
}

/** Every task option of SPEC §4 but `task`, optional, without defaults (defaults apply after merging). */
export const optionalOptionShape: Undefaulted<OptionShape> = undefaulted(optionShape);

/** Task options as they may appear under `kwargs`. */
export const kwargsSchema = z
  .object(optionalOptionShape)
  .strict()
  .describe(
    "Task options (the original orchestrator's form); each may instead sit at the top level, but not in both places with different values.",
  );

export type KwargsMerge = { ok: true; merged: Record<string, unknown> } | { ok: false; conflicts: string[] };

/**
 * Lifts the options under `kwargs` to the top level. An option given in both places is fine when
 * the values are equal and a conflict otherwise (never silently one or the other). `kwargs`
 * absent or null means no options.
 */
export function mergeKwargs(options: { topLevel: Record<string, unknown>; kwargs: unknown }): KwargsMerge {
  const { topLevel, kwargs } = options;
  const merged: Record<string, unknown> = { ...topLevel };
  const conflicts: string[] = [];
  if (kwargs === undefined || kwargs === null) return { ok: true, merged };
  for (const [key, option] of Object.entries(kwargs as Record<string, unknown>)) {
    if (key in topLevel && JSON.stringify(topLevel[key]) !== JSON.stringify(option)) conflicts.push(key);
    merged[key] = option;
  }
  return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, merged };
}

/** The message for options given twice with different values. */
export function kwargsConflictMessage(conflicts: string[]): string {
  return `${conflicts.join(", ")} given both at the top level and under kwargs with different values; give each once.`;
}
