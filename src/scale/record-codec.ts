import { z } from "zod";
import { outlineSchema } from "../core/author.js";
import { ReportError } from "../core/errors.js";
import { PROGRESS_STATUSES } from "../core/events/index.js";
import { jobRecordSchema } from "../core/jobs/record-schema.js";
import { JOB_STATUSES, type JobRecord, type JobSnapshot } from "../core/jobs/index.js";
import { TASK_TYPES, taskParamsShape } from "../core/params.js";
import { jobErrorSchema } from "../core/result.js";

/**
 * How records and snapshots travel through Redis: JSON, checked with zod when read back (Redis is
 * a boundary: another process, possibly another version, wrote them).
 */

const headSchema = z.object({
  id: z.string(),
  status: z.enum(JOB_STATUSES),
  task: z.string(),
  task_type: z.enum(TASK_TYPES),
  params: z.object(taskParamsShape),
  request_id: z.union([z.string(), z.number()]).nullable(),
  start_time: z.string(),
  end_time: z.string().nullable(),
  progress: z.number(),
  message: z.string(),
  current_status: z.enum(PROGRESS_STATUSES).nullable(),
  outline: outlineSchema.nullable(),
  last_seq: z.number().int().nonnegative(),
  error: jobErrorSchema.nullable(),
});

export function encodeRecord(record: JobRecord): string {
  return JSON.stringify(record);
}

/*
 * Validation keeps the parsed JSON itself (not zod's output), so a record replayed from Redis on
 * any replica serialises byte for byte as the worker wrote it (zod would reorder object keys).
 */

function isJobRecord(value: unknown): value is JobRecord {
  return jobRecordSchema.safeParse(value).success;
}

/** Parses a record read from Redis; a malformed one is a ReportError naming the run. */
export function decodeRecord(text: string, runId: string): JobRecord {
  const value = parseJson(text, runId);
  if (!isJobRecord(value))
    throw corrupt(runId, `a record (${jobRecordSchema.safeParse(value).error?.issues[0]?.message ?? "invalid"})`);
  return value;
}

/** The head of a run: its snapshot without `sections` and `result` (those live in its log). */
export function encodeHead(snapshot: JobSnapshot): string {
  return JSON.stringify({ ...snapshot, sections: [], result: null });
}

type Head = Omit<JobSnapshot, "sections" | "result">;

function isHead(value: unknown): value is Head {
  return headSchema.safeParse(value).success;
}

export function decodeHead(text: string, runId: string): JobSnapshot {
  const value = parseJson(text, runId);
  if (!isHead(value))
    throw corrupt(runId, `its head (${headSchema.safeParse(value).error?.issues[0]?.message ?? "invalid"})`);
  return { ...value, sections: [], result: null };
}

function parseJson(text: string, runId: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw corrupt(runId, "data that is not JSON");
  }
}

function corrupt(runId: string, what: string): ReportError {
  return new ReportError(
    "report_generation_failed",
    `Report session "${runId}" has ${what} in Redis that this version of report-mcp cannot read; run the same version on every replica and worker.`,
  );
}
