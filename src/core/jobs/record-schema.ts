import { z } from "zod";
import { pipelineEventSchema } from "../events/index.js";
import { jobErrorSchema, reportResultSchema } from "../result.js";

/**
 * How a job record is checked when a store reads it back (a file written before a crash, a Redis
 * log written by another process): events against the event contract (core/events), results and
 * errors against the result schemas. Stores keep the parsed JSON, not zod's output, so a record
 * replays byte for byte as first streamed.
 */
const recordBase = { seq: z.number().int().positive(), time: z.string() };

export const jobRecordSchema = z.discriminatedUnion("kind", [
  z.object({ ...recordBase, kind: z.literal("started") }),
  z.object({ ...recordBase, kind: z.literal("event"), event: pipelineEventSchema }),
  z.object({ ...recordBase, kind: z.literal("result"), result: reportResultSchema }),
  z.object({ ...recordBase, kind: z.literal("error"), error: jobErrorSchema }),
]);
