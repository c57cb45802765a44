import { z } from "zod";
import { outlineSchema } from "../../core/author.js";
import { PROGRESS_STATUSES } from "../../core/events/index.js";
import { jobRecordSchema } from "../../core/jobs/record-schema.js";
import { JOB_STATUSES, type JobHeader, type JobRecord } from "../../core/jobs/index.js";
import { TASK_TYPES, taskParamsSchema } from "../../core/params.js";
import { jobErrorSchema, reportResultSchema } from "../../core/result.js";

const headerSchema = z.object({
  id: z.string().min(1),
  task: z.string(),
  task_type: z.enum(TASK_TYPES),
  params: taskParamsSchema,
  request_id: z.union([z.string(), z.number()]).nullish(),
  start_time: z.string(),
});

const snapshotSchema = headerSchema.extend({
  status: z.enum(JOB_STATUSES),
  end_time: z.string().nullable(),
  progress: z.number(),
  message: z.string(),
  current_status: z.enum(PROGRESS_STATUSES).nullable(),
  outline: outlineSchema.nullable(),
  sections: z.array(z.object({ id: z.number(), name: z.string(), content: z.string() })),
  result: reportResultSchema.nullable(),
  error: jobErrorSchema.nullable(),
  last_seq: z.number().int(),
});

/** `<id>.json`: an ended session, compact (version 1, as 0.1.0 wrote every session). */
const compactFileSchema = z.object({
  version: z.literal(1),
  /** Process id of the server that wrote the file last. */
  owner: z.number().int().optional(),
  snapshot: snapshotSchema,
  records: z.array(jobRecordSchema),
});
export type CompactFile = z.infer<typeof compactFileSchema>;

/** First line of `<id>.jsonl`, the write-ahead log of a session: who writes it and what never changes. */
const logHeadSchema = z.object({
  version: z.literal(2),
  owner: z.number().int(),
  header: headerSchema,
});
export type LogHead = z.infer<typeof logHeadSchema>;

/*
 * Validation keeps the parsed JSON itself (not zod's output) so that a restored result serialises
 * byte for byte as it was first streamed (zod would reorder object keys).
 */

export function isCompactFile(value: unknown): value is CompactFile {
  return compactFileSchema.safeParse(value).success;
}

export function isLogHead(value: unknown): value is LogHead {
  return logHeadSchema.safeParse(value).success;
}

export function isJobRecord(value: unknown): value is JobRecord {
  return jobRecordSchema.safeParse(value).success;
}

/** The header of a stored job: a log's head, or the fixed part of a compact file's snapshot. */
export function headerOf(snapshot: z.infer<typeof headerSchema>): JobHeader {
  return {
    id: snapshot.id,
    task: snapshot.task,
    task_type: snapshot.params.task_type,
    params: snapshot.params,
    request_id: snapshot.request_id ?? null,
    start_time: snapshot.start_time,
  };
}
