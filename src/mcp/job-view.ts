import { z } from "zod";
import { outlineSchema, outlineSectionSchema } from "../core/author.js";
import { PROGRESS_STATUSES } from "../core/events/index.js";
import { JOB_STATUSES, type JobSnapshot } from "../core/jobs/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { reportErrorSchema, reportResultSchema, reportSectionSchema } from "../core/result.js";
import { reportUri } from "./report-resources.js";
import { mcpErrorPayload } from "./hint-advice.js";
import { successResult } from "./tool-output.js";

/** Structured content of `get_report` and `cancel_report`: where a report job stands. */
export const reportStatusSchema = z.object({
  report_id: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number().describe("0-100, never decreasing"),
  message: z.string().describe("The latest progress message"),
  current_status: z.enum(PROGRESS_STATUSES).nullable().describe("The pipeline step (SPEC status vocabulary)"),
  seq: z.number().int().nonnegative().describe("Pass as after_seq to get_report to wait for news after this point"),
  start_time: z.string(),
  end_time: z.string().nullable(),
  outline: outlineSchema.extend({ sections: z.array(outlineSectionSchema.pick({ id: true, name: true })) }).nullable(),
  sections: z.array(reportSectionSchema).describe("Sections finished so far"),
  result: reportResultSchema.nullable().describe("The finished report (status completed)"),
  error: reportErrorSchema.nullable().describe("Why the report failed or was cancelled"),
});
export type ReportStatus = z.infer<typeof reportStatusSchema>;

/** The view of a job snapshot that tools return. */
export function reportStatus(snapshot: JobSnapshot): ReportStatus {
  return {
    report_id: snapshot.id,
    status: snapshot.status,
    progress: snapshot.progress,
    message: snapshot.message,
    current_status: snapshot.current_status,
    seq: snapshot.last_seq,
    start_time: snapshot.start_time,
    end_time: snapshot.end_time,
    outline: snapshot.outline
      ? { title: snapshot.outline.title, sections: snapshot.outline.sections.map(({ id, name }) => ({ id, name })) }
      : null,
    sections: snapshot.sections,
    result: snapshot.result,
    error: snapshot.error ? mcpErrorPayload(snapshot.error) : null,
  };
}

/** The text block next to the structured status: the report when done, else a short status line. */
export function reportStatusText(status: ReportStatus): string {
  if (status.result) return status.result.report_content;
  if (status.error)
    return `Report ${status.report_id} ${status.status}: [${status.error.type}] ${status.error.message}`;
  const finished = status.sections.map((section) => section.name);
  return [
    `Report ${status.report_id} is ${status.status.replace("_", " ")} (${Math.round(status.progress)}%): ${status.message || "starting"}.`,
    finished.length > 0 ? `Finished sections: ${finished.join("; ")}.` : "",
    `Call get_report again with report_id "${status.report_id}" to wait for more.`,
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * The tool result of `get_report` / `cancel_report`: the status as structured content, the report
 * (or a status line) as text and, once the report is done, a `resource_link` to `report://{id}`
 * like `generate_report`'s.
 */
export function reportStatusResult(status: ReportStatus): CallToolResult {
  const result = successResult(status, reportStatusText(status));
  if (!status.result) return result;
  const link = {
    type: "resource_link" as const,
    uri: reportUri(status.report_id),
    name: status.result.title,
    mimeType: "text/markdown",
  };
  return { ...result, content: [...result.content, link] };
}
