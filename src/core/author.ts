import { z } from "zod";
import type { TaskParams, ResolvedTaskType } from "./params.js";
import type { ModelCallGate, ModelUsage } from "./types.js";

/** What intent analysis resolves. */
export type Intent = {
  task_type: ResolvedTaskType;
  /** Short subject of the report, e.g. "AI Agent". */
  topic: string;
  /** BCP 47 language of the report ("zh", "en", …). */
  language: string;
  days: number;
  time_window: { from: string; to: string };
  /** Set when the run widened `days` and `time_window` because nothing dated fell inside the window the task asked for. */
  requested_days?: number;
  /** Terms that must be covered; used for search and relevance. */
  key_terms: string[];
};

/**
 * One section of a report's outline. The outline's one schema: stores, the HTTP session view,
 * Redis and the MCP job view use or derive from it (request bodies and model replies add their
 * own limits).
 */
export const outlineSectionSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** What the section must establish. */
  goal: z.string(),
  /** Search queries that gather its evidence. */
  queries: z.array(z.string()),
});
export type OutlineSection = z.infer<typeof outlineSectionSchema>;

export const outlineSchema = z.object({ title: z.string(), sections: z.array(outlineSectionSchema) });
export type Outline = z.infer<typeof outlineSchema>;

/**
 * A figure this source states that another source in the same evidence list states differently
 * (same quantity and unit, different value), and which of the two is dated later.
 */
export type FigureConflict = {
  /** This source's figure as written, e.g. "450 Wh/kg". */
  value: string;
  /** The sentence of this source that states it, verbatim. */
  sentence: string;
  other_source_id: number;
  /** The other source's figure as written. */
  other_value: string;
  /** The words both sentences share: what is being measured. */
  quantity: string;
  /**
   * "newer": this source is dated later than the other, so its figure is the current one;
   * "older": it is superseded; "unknown": one of them is undated or both share a date.
   */
  standing: "newer" | "older" | "unknown";
};

/** A retrieved source with its run-wide number (the n of `[n]`). */
export type NumberedSource = {
  id: number;
  title: string;
  url: string;
  /**
   * Main text or snippet: what the writer may cite. In the evidence handed to `writeSection`
   * and `assessQuality`, the passages of the source chosen for that section (verbatim, in text order).
   */
  content: string;
  published_at: string | null;
  provider: string;
  /** ISO 8601 date the page says it was last modified, when it says so. */
  modified_at?: string | null;
  /** Other URLs that carry the same story (syndicated copies, mirrors), folded into this source. */
  also_at?: string[];
  /**
   * In a section's evidence: 1 for the most recently dated source, 2 for the next, …; null when
   * the source is undated. The date used is `modified_at` when given, else `published_at`.
   */
  recency_rank?: number | null;
  /** In a section's evidence: figures this source and another source of the same evidence disagree on. */
  conflicts?: FigureConflict[];
  /** Where a reader finds it (corpus documents: "corpus/ai-agents/x.md"); shown in the references. */
  location?: string | null;
};

export type QualityScores = {
  relevance: number;
  depth: number;
  accuracy: number;
  completeness: number;
  timeliness: number;
  overall: number;
};

export type QualityAssessment = {
  scores: QualityScores;
  /** What is missing, in words. */
  gaps: string[];
  /** Searches that would fill the gaps, each for a section when known. */
  supplementary_queries: { section_id: number | null; query: string }[];
};

export type WrittenSection = { id: number; name: string; content: string };

/** Common fields of every author call. */
export type AuthorContext = {
  params: TaskParams;
  signal: AbortSignal;
  now: Date;
  onUsage: (usage: ModelUsage) => void | Promise<void>;
  /** The run's budget: passed to every model call. */
  gate?: ModelCallGate | undefined;
};

/** Runs the given queries through the run's search and returns the numbered sources found. */
export type SearchFunction = (queries: string[]) => Promise<NumberedSource[]>;

/**
 * The "brain" of the pipeline: the LLM author writes with a model, the extractive author
 * works without one. The pipeline owns searching, numbering, citation checks and assembly.
 */
export interface ReportAuthor {
  readonly engine: "llm" | "extractive";
  readonly modelProvider: string | null;
  readonly modelName: string | null;
  analyzeIntent(input: AuthorContext): Promise<Intent>;
  /** May run preliminary searches (the extractive author derives its outline from evidence). */
  planOutline(input: AuthorContext & { intent: Intent; search: SearchFunction }): Promise<Outline>;
  assessQuality(
    input: AuthorContext & {
      intent: Intent;
      outline: Outline;
      evidence: Map<number, NumberedSource[]>;
      iteration: number;
    },
  ): Promise<QualityAssessment>;
  /** Markdown body of one section (no heading), citing only `evidence` ids as `[n]`. */
  writeSection(
    input: AuthorContext & { intent: Intent; outline: Outline; section: OutlineSection; evidence: NumberedSource[] },
  ): Promise<string>;
  /** The executive summary (Markdown, no heading). */
  writeSummary(
    input: AuthorContext & { intent: Intent; outline: Outline; sections: WrittenSection[]; sources: NumberedSource[] },
  ): Promise<string>;
}
