/**
 * The pipeline's event stream: a public contract. MCP notifications, SSE frames and the
 * terminal spinner are thin adapters over these events; seed-messages.ts turns them into the
 * seed's wire messages. `details` is typed per status (details.ts; docs/events.md is generated
 * from it).
 */
import { z } from "zod";
import { PROGRESS_DETAILS, type ProgressDetailsMap } from "./details.js";

export {
  PROGRESS_DETAILS,
  isFinishedSection,
  type GeneratingSectionsStart,
  type ProgressDetailsMap,
  type SectionDetails,
} from "./details.js";

/** `status` vocabulary of SPEC §6.1, one per pipeline step, plus `warning`. */
export const PROGRESS_STATUSES = [
  "task_started",
  "analyzing_intent",
  "generating_outline",
  "awaiting_confirmation",
  "searching",
  "assessing_quality",
  "supplementing_search",
  "generating_sections",
  "generating_summary",
  "assembling_report",
  "task_completed",
  "warning",
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** Steps that can make model calls; usage is totalled per step in the result. */
export const PIPELINE_STEPS = [
  "analyzing_intent",
  "generating_outline",
  "assessing_quality",
  "generating_sections",
  "generating_summary",
] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** What the step produced (intent, outline, queries and hit counts, scores, a finished section…), by status. */
export type ProgressDetails<Status extends ProgressStatus = ProgressStatus> = ProgressDetailsMap[Status];

/** One progress event of one status. */
export type ProgressEventOf<Status extends ProgressStatus> = {
  type: "progress";
  status: Status;
  /** Human-readable, in the report's language. */
  message: string;
  /** What the step produced; absent when the step reports that it starts. */
  details?: ProgressDetailsMap[Status];
  /** Overall completion 0–100; never decreases within a run. */
  progress: number;
};

/** A progress event, discriminated on `status` (narrowing on it types `details`). */
export type ProgressEvent = { [Status in ProgressStatus]: ProgressEventOf<Status> }[ProgressStatus];

export type ModelUsageEvent = {
  type: "model_usage";
  step: PipelineStep;
  model_provider: string;
  model_name: string;
  input_tokens: number;
  output_tokens: number;
  /** True when the provider returned no `usage` and tokens were counted locally. */
  estimated: boolean;
  /** Money for this call at the model's price; absent when the price is unknown. */
  cost?: { amount: number; currency: string };
};

export type PipelineEvent = ProgressEvent | ModelUsageEvent;

/** One awaited callback receives every event of a run, in order. */
export type EventSink = (event: PipelineEvent) => void | Promise<void>;

const progressBase = { type: z.literal("progress"), message: z.string(), progress: z.number().min(0).max(100) };

const progressEventSchemas = PROGRESS_STATUSES.map((status) =>
  z.object({ ...progressBase, status: z.literal(status), details: PROGRESS_DETAILS[status].optional() }),
);

export const modelUsageEventSchema = z.object({
  type: z.literal("model_usage"),
  step: z.enum(PIPELINE_STEPS),
  model_provider: z.string(),
  model_name: z.string(),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  estimated: z.boolean(),
  cost: z.object({ amount: z.number().nonnegative(), currency: z.string() }).optional(),
});

/** Checks one event (e.g. read back from a store): progress events by `status`, usage events by their fields. */
// Built by mapping over the statuses, so zod infers one status-wide object; the type is the union it checks.
export const pipelineEventSchema = z.union([
  z.discriminatedUnion(
    "status",
    progressEventSchemas as [(typeof progressEventSchemas)[number], ...(typeof progressEventSchemas)[number][]],
  ),
  modelUsageEventSchema,
]) as unknown as z.ZodType<PipelineEvent>;

/**
 * Validates an event against its status's schema. Returns the event itself (unchanged: parsing
 * only checks, so bytes written from it stay as they were) or throws a ZodError naming the field.
 */
export function checkPipelineEvent(event: unknown): PipelineEvent {
  pipelineEventSchema.parse(event);
  return event as PipelineEvent;
}
