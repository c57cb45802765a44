import { z } from "zod";

/**
 * The `details` of each progress status (SPEC §6.1), one zod schema per status: the contract
 * docs/events.md is generated from, the types the pipeline emits and every face reads, and
 * the check a job store runs on events read back from disk or Redis.
 *
 * Objects are loose on purpose: new fields may be added to the contract (never renamed or
 * removed), so a reader accepts fields it does not know. A status whose step reports twice
 * ("before" and "after") has an optional `details` or a union of its variants; each variant's
 * `.describe()` says when it is sent.
 */

const count = z.number().int().nonnegative();

/** A source left out of a writer's evidence (or out of every section's), with why. */
const leftOutSchema = z.looseObject({ id: count, reason: z.string() });

export const intentDetailsSchema = z.looseObject({
  task_type: z.enum(["news_report", "research_report", "industry_analysis"]),
  topic: z.string(),
  language: z.string(),
  days: z.number(),
  time_window: z.looseObject({ from: z.string(), to: z.string() }),
  requested_days: z.number().optional(),
  key_terms: z.array(z.string()),
});

export const outlineDetailsSchema = z.looseObject({
  title: z.string(),
  sections: z.array(
    z.looseObject({
      id: count,
      name: z.string(),
      goal: z.string().optional(),
      queries: z.array(z.string()).optional(),
    }),
  ),
});

export const sectionDetailsSchema = z
  .looseObject({
    id: count,
    name: z.string(),
    content: z.string().describe("Markdown with heading, citations checked and in the final report's numbers"),
    index: count
      .optional()
      .describe(
        "sections finished so far, this one included; always sent, optional for readers of the seed's `{id, name, content}`",
      ),
    total: count.optional(),
  })
  .describe("once per finished section (identical to the result's `sections[]` entry)");

export const sectionsStartDetailsSchema = z
  .looseObject({
    sections: z.array(z.looseObject({ id: count, name: z.string() })),
    evidence: z
      .array(
        z.looseObject({
          id: count,
          name: z.string(),
          sources: z.array(count).describe("source ids, best first"),
          tokens: count.describe("estimated tokens of their passages"),
          left_out: z
            .array(leftOutSchema)
            .describe("sources the section's own queries found that it did not get, with why"),
        }),
      )
      .describe("what each writer gets"),
    unused: z.array(leftOutSchema).describe("on-topic sources no section got"),
  })
  .describe("at the start");

const poolCountsShape = {
  duplicates: count.describe("copies folded into their original"),
  off_topic: count.describe("sources left out as not about the task"),
};

export const scoresSchema = z.looseObject({
  relevance: z.number(),
  depth: z.number(),
  accuracy: z.number(),
  completeness: z.number(),
  timeliness: z.number(),
  overall: z.number(),
});

/** `details` of every progress status. `satisfies` makes a new status a compile error until it has a schema. */
export const PROGRESS_DETAILS = {
  task_started: z.looseObject({
    task: z.string(),
    task_type: z.string(),
    engine: z.enum(["llm", "extractive"]),
    model_provider: z.string().nullable(),
    model_name: z.string().nullable(),
    search_providers: z.array(z.string()),
  }),
  analyzing_intent: z.looseObject({ intent: intentDetailsSchema }).describe("after").optional(),
  generating_outline: z.looseObject({ outline: outlineDetailsSchema }).describe("after").optional(),
  awaiting_confirmation: z.looseObject({ outline: outlineDetailsSchema }),
  searching: z
    .union([
      z
        .looseObject({ queries: z.array(z.looseObject({ section_id: count, queries: z.array(z.string()) })) })
        .describe("before"),
      z
        .looseObject({
          per_query: z.array(z.looseObject({ query: z.string(), hits: count, providers: z.array(z.string()) })),
          sources: count.describe("distinct stories"),
          per_section: z
            .array(z.looseObject({ id: count, name: z.string(), sources: count }))
            .describe("sources each section would get now"),
          out_of_window: count,
          ...poolCountsShape,
        })
        .describe("after"),
    ])
    .optional(),
  assessing_quality: z
    .looseObject({
      iteration: count,
      scores: scoresSchema,
      threshold: z.number(),
      passed: z.boolean(),
      gaps: z.array(z.string()),
    })
    .describe("after")
    .optional(),
  supplementing_search: z.union([
    z
      .looseObject({
        iteration: count,
        queries: z.array(z.looseObject({ section_id: count.nullish(), query: z.string() })),
      })
      .describe("before"),
    z
      .looseObject({
        iteration: count,
        added: count.describe("on-topic sources new to the sections that asked"),
        sources: count,
        ...poolCountsShape,
      })
      .describe("after"),
  ]),
  generating_sections: z.union([sectionsStartDetailsSchema, sectionDetailsSchema]),
  generating_summary: z
    .looseObject({ summary: z.string().describe("checked, final numbers; identical to the result's `summary`") })
    .describe("after")
    .optional(),
  assembling_report: z.undefined(),
  task_completed: z.looseObject({
    title: z.string(),
    sections_count: count,
    sources_count: count,
    final_quality_score: z.number(),
    usage: z.looseObject({ input_tokens: count, output_tokens: count }),
    cost: z
      .looseObject({ amount: z.number(), currency: z.string() })
      .optional()
      .describe("when the model's price is known"),
  }),
  warning: z
    .looseObject({
      kind: z.string().optional().describe('`"duplicates"`, `"off_topic"`, `"notice"` (e.g. skipped corpus files)'),
      provider: z.string().optional().describe("a provider that failed"),
      error_type: z.string().optional(),
      status: z.number().nullish(),
      retryable: z.boolean().optional(),
      failures: z.array(z.string()).optional().describe("pages that could not be fetched"),
      grounding: z
        .looseObject({ cited_sentences: count, supported: count, repaired: count, dropped: count, judged: count })
        .optional()
        .describe("the citation check's summary, once per run"),
      dropped_examples: z.array(z.string()).optional(),
      duplicates: z
        .array(z.looseObject({ id: count, url: z.string(), kept_id: count, reason: z.string() }))
        .optional()
        .describe("copies folded, before writing"),
      off_topic: z
        .array(z.looseObject({ id: count, title: z.string(), url: z.string(), reason: z.string() }))
        .optional()
        .describe("off-topic sources left out, before writing"),
      section_id: count
        .optional()
        .describe("after a section: sentences removed because an earlier section already said them"),
      removed: z.array(z.looseObject({ sentence: z.string(), repeats: z.string() })).optional(),
      requested_days: z.number().optional().describe("a time window widened to the newest evidence"),
      days: z.number().optional(),
      newest_source: z.string().nullish(),
      time_window: z.looseObject({ from: z.string(), to: z.string() }).optional(),
      budget: z
        .looseObject({ max_tokens: count, max_cost: z.number().nullish(), remaining_tokens: z.number() })
        .optional()
        .describe("the plan scaled down to fit the budget"),
      planned: z.looseObject({ sections: count, rounds: count, evidenceTokensPerSection: count }).optional(),
      wanted: z.looseObject({ sections: count, rounds: count, evidenceTokensPerSection: count }).optional(),
      unwritten: z.array(z.string()).optional().describe("sections the budget left unwritten"),
    })
    .describe("by cause, every field optional")
    .optional(),
} as const;

export type ProgressDetailsMap = {
  [Status in keyof typeof PROGRESS_DETAILS]: z.infer<(typeof PROGRESS_DETAILS)[Status]>;
};

/** `generating_sections` at the start: the sections and what each writer gets. */
export type GeneratingSectionsStart = z.infer<typeof sectionsStartDetailsSchema>;
/** `generating_sections` once per finished section. */
export type SectionDetails = z.infer<typeof sectionDetailsSchema>;

/** Tells the two `generating_sections` variants apart: a finished section carries its `content`. */
export function isFinishedSection(
  details: SectionDetails | GeneratingSectionsStart | undefined,
): details is SectionDetails {
  return details !== undefined && typeof details.content === "string";
}
