import type { z } from "zod";

/** What was wrong with an input, for an `invalid_params` error: one message naming every offending field. */
export type InvalidParams = { message: string; fields: string[] };

/**
 * Turns zod issues into one readable sentence (`days: days must be at most 3650; foo: unknown
 * field`) and the list of offending fields, never a raw dump of the issues. `prefix` is put
 * before every path (e.g. `params`); `subject` opens the message (default "Invalid params").
 */
export function describeIssues(error: z.ZodError, options: { prefix?: string; subject?: string } = {}): InvalidParams {
  const { prefix = "", subject = "Invalid params" } = options;
  const fields: string[] = [];
  const parts: string[] = [];
  for (const issue of error.issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const field = base ? `${base}.${key}` : key;
        fields.push(field);
        parts.push(`${field}: unknown field (unrecognized key)`);
      }
      continue;
    }
    const field = base || "(input)";
    fields.push(field);
    // Messages written for a field already start with its name ("days must be at most 3650").
    const last = String(issue.path[issue.path.length - 1] ?? "");
    parts.push(
      last && issue.message.startsWith(`${last} `)
        ? `${base.slice(0, base.length - last.length)}${issue.message}`
        : `${field}: ${issue.message}`,
    );
  }
  return { message: `${subject}: ${parts.join("; ")}.`, fields: [...new Set(fields)] };
}
