/**
 * The pipeline's event stream: a public contract. MCP notifications, SSE frames and the
 * terminal spinner are thin adapters over these events.
 */

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

export type ProgressEvent = {
  type: "progress";
  status: ProgressStatus;
  /** Human-readable, in the report's language. */
  message: string;
  /** What the step produced (intent, outline, queries and hit counts, scores, a finished section…). */
  details?: Record<string, unknown>;
  /** Overall completion 0–100; never decreases within a run. */
  progress: number;
};

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
