import { z } from "zod";

// Counts are asked for in the prompts and enforced by slicing in the author, not by the schema:
// a model that returns 11 sections or 13 key terms still gives a usable answer.

const score = z.number().min(0).max(10);

export const intentReplySchema = z.object({
  task_type: z.enum(["news_report", "research_report", "industry_analysis"]),
  topic: z.string().min(1).describe("The subject in a few words, in the task's language"),
  key_terms: z.array(z.string().min(1)).describe("Up to 12 terms a good report must cover"),
});

export const outlineReplySchema = z.object({
  title: z.string().min(1),
  sections: z
    .array(
      z.object({
        name: z.string().min(1),
        goal: z.string().min(1),
        queries: z.array(z.string().min(1)).min(1).describe("1-3 web search queries"),
      }),
    )
    .min(1)
    .describe("4-7 sections"),
});

export const qualityReplySchema = z.object({
  relevance: score,
  depth: score,
  accuracy: score,
  completeness: score,
  timeliness: score,
  gaps: z.array(z.string()),
  supplementary_queries: z.array(z.object({ section_id: z.number().int().nullable(), query: z.string().min(1) })),
});
