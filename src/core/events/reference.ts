import { z } from "zod";
import { PROGRESS_DETAILS } from "./details.js";
import type { ProgressStatus } from "./index.js";

/**
 * The status table of docs/events.md, rendered from the details schemas so the documentation
 * cannot drift from the contract (test/core/events-reference.test.ts fails when it is stale;
 * `REPORT_MCP_UPDATE_DOCS=1` rewrites it).
 */

/** When each status is sent. `satisfies` makes a new status a compile error until it is documented. */
const WHEN = {
  task_started: "first",
  analyzing_intent: "before and after intent analysis",
  generating_outline: "before and after planning; again after an edited outline",
  awaiting_confirmation: "`auto_confirm: false` with a confirmer (terminal, elicitation, HTTP `/confirm`)",
  searching: "before and after the per-section searches",
  assessing_quality: "before and after each round",
  supplementing_search: "when a round is below the threshold and rounds remain",
  generating_sections: "at the start, then once per finished section",
  generating_summary: "before and after",
  assembling_report: "before assembly",
  task_completed: "last",
  warning: "degraded but continuing",
} as const satisfies Record<ProgressStatus, string>;

/** Start and end markers of the generated table inside docs/events.md. */
export const REFERENCE_MARKERS = {
  start: "<!-- events-table:start (generated from src/core/events/details.ts) -->",
  end: "<!-- events-table:end -->",
} as const;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  description?: string;
};

/** The Markdown table of every status: when it is sent and its `details` fields. */
export function renderEventsTable(): string {
  const rows = (Object.keys(WHEN) as ProgressStatus[]).map(
    (status) => `| \`${status}\` | ${WHEN[status]} | ${renderDetails(PROGRESS_DETAILS[status])} |`,
  );
  return ["| status | when | `details` |", "|---|---|---|", ...rows].join("\n");
}

/** Replaces the generated table between the markers of `document` (docs/events.md). */
export function withEventsTable(document: string): string {
  const start = document.indexOf(REFERENCE_MARKERS.start);
  const end = document.indexOf(REFERENCE_MARKERS.end);
  if (start < 0 || end < start)
    throw new Error(`docs/events.md lacks the markers ${REFERENCE_MARKERS.start} … ${REFERENCE_MARKERS.end}`);
  return `${document.slice(0, start + REFERENCE_MARKERS.start.length)}\n${renderEventsTable()}\n${document.slice(end)}`;
}

function renderDetails(schema: z.ZodType): string {
  if (schema instanceof z.ZodUndefined) return "—";
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const variants = json.anyOf ?? [json];
  const rendered = variants.map((variant) => {
    const fields = renderFields(variant);
    return variant.description ? `${variant.description}: ${fields}` : fields;
  });
  return escapeCell(rendered.join("; "));
}

function renderFields(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .map(
      ([name, field]) =>
        `${name}${required.has(name) ? "" : "?"}${renderShape(field)}${field.description ? ` (${field.description})` : ""}`,
    )
    .join(", ");
}

function renderShape(schema: JsonSchema): string {
  if (schema.anyOf) {
    const concrete = schema.anyOf.find((branch) => branch.type !== "null");
    return concrete ? renderShape(concrete) : "";
  }
  if (schema.enum) return ` (${schema.enum.map((value) => JSON.stringify(value)).join(" | ")})`;
  if (schema.properties) return `{${renderFields(schema)}}`;
  if (schema.type === "array" && schema.items) {
    const item = schema.items;
    return item.properties ? `[{${renderFields(item)}}]` : "[]";
  }
  return "";
}

/** A Markdown table cell: pipes escaped, on one line. */
function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
