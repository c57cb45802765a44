import type { Intent, Outline } from "./author.js";
import type { EventSink } from "./events/index.js";
import type { TaskParams } from "./params.js";
import type { ReportResult } from "./result.js";
import type { SearchHit } from "./types.js";
import type { RunEstimate } from "./cost/estimate.js";

/** What a person decided about a proposed outline. */
export type OutlineDecision =
  { action: "approve" } | { action: "edit"; outline: Outline } | { action: "reject"; feedback?: string };

/** Puts the outline to a person (terminal prompt, MCP elicitation, HTTP /confirm). */
export type ConfirmOutline = (request: {
  outline: Outline;
  intent: Intent;
  signal: AbortSignal;
  /** What writing this outline is expected to cost (LLM engine). */
  estimate?: RunEstimate;
}) => Promise<OutlineDecision>;

export type RunOptions = {
  onEvent: EventSink;
  signal?: AbortSignal;
  /** Absent: with `auto_confirm: false` the run proceeds and emits a `warning` that confirmation was skipped. */
  confirmOutline?: ConfirmOutline;
};

export type SearchOnceRequest = { query: string; days?: number; maxResults?: number; signal?: AbortSignal };
export type SearchOnceResult = { results: SearchHit[]; providers: string[]; warnings: string[] };

/**
 * Everything a transport (CLI, MCP, HTTP) needs, already bound to settings and providers.
 * Built once per process by `src/app/create-runtime.ts`.
 */
export type ReportRuntime = {
  runReport(params: TaskParams, options: RunOptions): Promise<ReportResult>;
  search(request: SearchOnceRequest): Promise<SearchOnceResult>;
  /** A quote for a run of these parameters with the current settings; nothing is searched or spent. */
  estimate?(params: TaskParams): Promise<RunEstimate>;
  describe(): {
    engine: "llm" | "extractive";
    modelProvider: string | null;
    modelName: string | null;
    searchProviders: string[];
  };
};
