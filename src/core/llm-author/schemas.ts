import { z } from "zod";

const score = z.number().min(0).max(10);

export const intentReplySchema = z.object({
  task_type: z.enum(["news_report", "research_report", "industry_analysis"]),
  topic: z.string().min(1).describe("The subject in a few words, in the task's language"),
  key_terms: z.array(z.string().min(1)).max(12).describe("Terms a good report must cover"),
});

export const outlineReplySchema = z.object({
  title: z.string().min(1),
  sections: z
    .array(
      z.object({
        name: z.string().min(1),
        goal: z.string().min(1),
        queries: z.array(z.string().min(1)).min(1).max(4),
      }),
    )
    .min(2)
    .max(10),
});

export const qualityReplySchema = z.object({
  relevance: score,
  depth: score,
  accuracy: score,
  completeness: score,
  timeliness: score,
  gaps: z.array(z.string()).max(10),
  supplementary_queries: z
    .array(z.object({ section_id: z.number().int().nullable(), query: z.string().min(1) }))
    .max(10),
});
