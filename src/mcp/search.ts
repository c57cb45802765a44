import { z } from "zod";
import { taskParamsShape } from "../core/params.js";
import type { ToolContext } from "./tool-context.js";
import { errorResult, outputSchemaWithError, successResult } from "./tool-output.js";

const searchResultSchema = z.object({
  title: z.string(),
  url: z.string(),
  content: z.string().describe("Snippet or passage text"),
  published_at: z.string().nullable(),
  provider: z.string().describe("tavily, brave, google or corpus"),
  score: z.number().nullable(),
});

const searchOutputSchema = z.object({
  query: z.string(),
  results: z.array(searchResultSchema),
  providers: z.array(z.string()).describe("Providers that answered"),
  warnings: z.array(z.string()).describe("Degraded but usable: e.g. a provider failed and another was used"),
});

/** `search`: one multi-provider web / local-corpus search (de-duplicated), as structured results. */
export function registerSearch(context: ToolContext): void {
  const { server, runtime } = context;
  server.registerTool(
    "search",
    {
      title: "Search the web and the local corpus",
      description:
        "Runs one search across the configured providers (Tavily, Brave, Google CSE, local corpus) with fallback and de-duplication, and returns the results (title, url, snippet, date, provider).",
      inputSchema: z
        .object({
          query: z
            .string()
            .trim()
            .min(1, "query must not be empty")
            .max(500, "query must be at most 500 characters")
            .describe("What to search for, in any language."),
          days: taskParamsShape.days.describe("Only results from the last N days (1-3650). Default: no time limit."),
          max_results: z
            .number()
            .int("max_results must be a whole number")
            .min(1, "max_results must be between 1 and 20")
            .max(20, "max_results must be between 1 and 20")
            .default(8)
            .describe("How many results to return (1-20). Default 8."),
        })
        .strict(),
      outputSchema: outputSchemaWithError(searchOutputSchema),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ query, days, max_results }, extra) => {
      try {
        const found = await (await runtime()).search({ query, days, maxResults: max_results, signal: extra.signal });
        const output = {
          query,
          results: found.results.map((hit) => ({
            title: hit.title,
            url: hit.url,
            content: hit.content,
            published_at: hit.published_at ?? null,
            provider: hit.provider,
            score: hit.score ?? null,
          })),
          providers: found.providers,
          warnings: found.warnings,
        };
        const text = output.results.length
          ? output.results
              .map((hit, index) => `${index + 1}. ${hit.title} — ${hit.url}\n   ${hit.content.slice(0, 300)}`)
              .join("\n")
          : `No results for "${query}".`;
        return successResult(output, text);
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
