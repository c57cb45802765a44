import { z } from "zod";
import { ERROR_TYPES, errorHintSchema } from "./errors.js";

const usageTotalsSchema = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  estimated: z.boolean().describe("true when any call's tokens were counted locally"),
});

const costSchema = z.object({ amount: z.number().nonnegative(), currency: z.string() });

const budgetSchema = z
  .object({
    max_tokens: z.number().int().positive().describe("Token cap of the run (max_tokens, else the default)"),
    max_cost: z.number().nullable().describe("Money cap in the price's currency; null = none"),
    spent_tokens: z.number().int().nonnegative(),
    spent_cost: costSchema.nullable(),
    model_calls: z.number().int().nonnegative().describe("Model call attempts, retries included"),
    search_calls: z.number().int().nonnegative(),
    page_fetches: z.number().int().nonnegative(),
    limited: z.boolean().describe("true when the budget or a runaway guard cut work short"),
  })
  .describe("The run's budget and what it spent (docs/cost.md)");

export const reportSourceSchema = z.object({
  id: z.number().int().positive().describe("The n of the [n] citations in the report"),
  title: z.string(),
  url: z.string(),
  published_at: z.string().nullable(),
  provider: z.string().describe("tavily, brave, google or corpus"),
  also_at: z
    .array(z.string())
    .optional()
    .describe("Other URLs that carry the same story (syndicated copies, mirrors), folded into this source"),
});

export const reportSectionSchema = z.object({
  id: z.number().int().nonnegative(),
  name: z.string(),
  content: z.string().describe("Markdown of the section, heading included, with [n] citations"),
});

export const groundingSchema = z
  .object({
    cited_sentences: z
      .number()
      .int()
      .nonnegative()
      .describe(
        "Sentences checked against their sources: every cited sentence, plus uncited ones that state a specific figure or carry page chrome",
      ),
    supported: z.number().int().nonnegative().describe("Kept as written: the cited source states them"),
    repaired: z
      .number()
      .int()
      .nonnegative()
      .describe(
        "Kept after a repair: citation re-pointed, copied page chrome or an unsupported clause removed, citation added",
      ),
    dropped: z.number().int().nonnegative().describe("Removed: no retrieved source supports them"),
    judged: z
      .number()
      .int()
      .nonnegative()
      .describe("Of all these, decided by the model judge (0 with the extractive engine)"),
  })
  .describe("Claim-level citation check: cited_sentences = supported + repaired + dropped (docs/grounding.md)");

export const qualitySchema = z.object({
  overall: z.number(),
  relevance: z.number(),
  depth: z.number(),
  accuracy: z
    .number()
    .describe("Source credibility from the assessment, blended with the citation check (docs/grounding.md)"),
  completeness: z.number(),
  timeliness: z.number(),
  iterations: z.number().int().nonnegative(),
  grounding: groundingSchema.optional().describe("Absent only in reports made before the citation check existed"),
});

/** `structuredContent` of a completed report (SPEC §6.3); also the MCP `outputSchema`. */
export const reportResultShape = {
  status: z.literal("completed"),
  task: z.string(),
  task_type: z.enum(["news_report", "research_report", "industry_analysis"]),
  title: z.string(),
  report_content: z.string().describe("The whole report as Markdown"),
  summary: z.string(),
  sections: z.array(reportSectionSchema),
  sources: z.array(reportSourceSchema),
  quality: qualitySchema,
  warnings: z.array(z.string()),
  metadata: z.object({
    topic: z.string(),
    language: z.string(),
    sections_count: z.number().int().nonnegative(),
    final_quality_score: z.number(),
    engine: z.enum(["llm", "extractive"]),
    model_provider: z.string().nullable(),
    model_name: z.string().nullable(),
    search_providers: z.array(z.string()),
    days: z.number().int(),
    time_window: z.object({ from: z.string(), to: z.string() }),
    generated_at: z.string(),
    duration_ms: z.number().int().nonnegative(),
    usage: usageTotalsSchema.extend({
      by_model: z.record(z.string(), usageTotalsSchema),
      by_step: z.record(z.string(), usageTotalsSchema),
    }),
    cost: costSchema
      .optional()
      .describe("Total model cost of the run; absent when the model's price is unknown (docs/cost.md)"),
    budget: budgetSchema.optional(),
  }),
};
export const reportResultSchema = z.object(reportResultShape);
export type ReportResult = z.infer<typeof reportResultSchema>;
export type ReportSource = z.infer<typeof reportSourceSchema>;
export type ReportSection = z.infer<typeof reportSectionSchema>;
export type UsageTotals = z.infer<typeof usageTotalsSchema>;

/** Structured content of a failed run (SPEC §6.4 `data`). */
export const reportErrorSchema = z.object({
  type: z.enum(ERROR_TYPES),
  message: z.string(),
});
export type ReportErrorPayload = z.infer<typeof reportErrorSchema>;

/**
 * A failed run as a job stores it (records, snapshots, the file and Redis stores): the SPEC §6.4
 * payload plus the error's hint, which each face renders into `message` before showing it.
 */
export const jobErrorSchema = reportErrorSchema.extend({ hint: errorHintSchema.optional() });
