import { z } from "zod";
import type { RunEstimate } from "./estimate.js";

const rangeSchema = z.object({ low: z.number(), expected: z.number(), high: z.number() });

/** The quote of `estimate_report`, `run --estimate --json` and `POST /mcp/streaming/estimate` (docs/cost.md). */
export const runEstimateSchema = z.object({
  engine: z.enum(["llm", "extractive"]),
  model_provider: z.string().nullable(),
  model_name: z.string().nullable(),
  model_calls: rangeSchema.describe("Model calls (retries not included)"),
  input_tokens: rangeSchema,
  output_tokens: rangeSchema,
  tokens: rangeSchema.describe("Input + output tokens; high is capped by the token budget"),
  cost: rangeSchema
    .extend({ currency: z.string() })
    .nullable()
    .describe("Money at the model's price; null when the price is unknown"),
  plan: z.object({ sections: rangeSchema, assessment_rounds: rangeSchema, evidence_tokens_per_section: z.number() }),
  basis: z
    .object({ kind: z.enum(["priors", "measured"]), runs: z.number().int() })
    .describe("Built-in priors, or averages of N measured runs with this model"),
  budget: z.object({ max_tokens: z.number(), max_cost: z.number().nullable(), fits: z.boolean() }),
  prices_as_of: z
    .string()
    .nullable()
    .describe("Date of the built-in price table (re-check the providers' pricing pages)"),
});

// The schema and the type stay one: a compile error when they drift apart.
export const estimateSchemaMatches = (value: RunEstimate): z.infer<typeof runEstimateSchema> => value;
