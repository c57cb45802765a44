import pLimit from "p-limit";
import type { NumberedSource, Outline, QualityAssessment } from "../author.js";
import type { EvidencePool } from "../evidence/index.js";
import { throwIfAborted } from "../errors.js";
import { runSearches, type SearchRunResult } from "../search/index.js";
import type { PageFetcher, SearchProvider } from "../types.js";
import type { ProgressEmitter } from "./progress.js";
import type { SourceRegistry } from "./source-registry.js";
import type { RunBudget } from "../cost/budget.js";

export type ResearchLimits = {
  /** Parallel provider calls per search batch. */
  searchConcurrency: number;
  maxResultsPerQuery: number;
  /** Pages fetched for their main text per search batch. */
  fetchPerBatch: number;
  fetchConcurrency: number;
  /** Longest source text kept (characters). */
  maxSourceChars: number;
};

export type Research = {
  providers: SearchProvider[];
  fetcher: PageFetcher | null;
  registry: SourceRegistry;
  emitter: ProgressEmitter;
  signal: AbortSignal;
  days: number;
  limits: ResearchLimits;
  /** URLs already fetched (or tried) in this run. */
  fetched: Set<string>;
  /** Providers that failed for good (e.g. a rejected key): not called again in this run. */
  disabled: Set<string>;
  /** Providers whose failure was already reported: one warning per provider per run. */
  warned: Set<string>;
  /** The run's guards on search requests and page fetches; absent = unbounded. */
  budget?: RunBudget;
};

export type BatchResult = {
  /** Distinct sources found (copies resolved to their original), in hit order. */
  sources: NumberedSource[];
  perQuery: SearchRunResult["perQuery"];
  /** Distinct sources new to the run. */
  added: number;
};

/**
 * Runs queries across every provider, registers the hits, fetches the best pages' main text,
 * and folds copies of one story into the original (`SourceRegistry.collapse`).
 */
export async function searchBatch(research: Research, queries: string[]): Promise<BatchResult> {
  throwIfAborted(research.signal);
  const unique = [...new Set(queries.map((query) => query.trim()).filter(Boolean))];
  if (unique.length === 0) return { sources: [], perQuery: [], added: 0 };
  const before = research.registry.size;
  const active = research.providers.filter((provider) => !research.disabled.has(provider.name));
  const providers = active.length > 0 ? active : research.providers;
  const allowed = research.budget ? research.budget.takeSearches(unique.length, providers.length) : unique.length;
  if (allowed < unique.length)
    await warnOnce(
      research,
      "guard:search",
      `The run reached its limit of search requests (maxSearchCalls); ${unique.length - allowed} quer${unique.length - allowed === 1 ? "y was" : "ies were"} not run.`,
    );
  if (allowed === 0) return { sources: [], perQuery: [], added: 0 };
  const result = await runSearches({
    providers,
    queries: unique.slice(0, allowed),
    days: research.days,
    maxResultsPerQuery: research.limits.maxResultsPerQuery,
    concurrency: research.limits.searchConcurrency,
    signal: research.signal,
    // Copies of one story are folded by the registry, which keeps the original and remembers the rest.
    dedupe: "url",
    onWarning: async (message, details) => {
      const provider = String(details["provider"] ?? "");
      // Notices (e.g. skipped corpus files) once per message; failures once per provider.
      const key = details["kind"] === "notice" ? `notice:${message}` : `failure:${provider}`;
      if (details["kind"] !== "notice" && details["retryable"] === false) research.disabled.add(provider);
      if (research.warned.has(key)) return;
      research.warned.add(key);
      await research.emitter.warn(message, details);
    },
  });
  const found: NumberedSource[] = [];
  for (const hit of result.hits) {
    const source = research.registry.add(hit);
    if (source && !found.includes(source)) found.push(source);
  }
  // Copies whose snippets match are folded before fetching (no fetch is spent on them); the
  // fetched articles and their canonical links may reveal more copies.
  research.registry.collapse();
  await fetchPages(research, distinctSources(research, found));
  research.registry.collapse();
  return {
    sources: distinctSources(research, found),
    perQuery: result.perQuery,
    added: Math.max(0, research.registry.size - before),
  };
}

async function warnOnce(research: Research, key: string, message: string): Promise<void> {
  if (research.warned.has(key)) return;
  research.warned.add(key);
  await research.emitter.warn(message);
}

/** The sources resolved to their originals, each once, in order. */
function distinctSources(research: Research, sources: NumberedSource[]): NumberedSource[] {
  const distinct: NumberedSource[] = [];
  for (const source of sources) {
    const original = research.registry.get(source.id) ?? source;
    if (!distinct.includes(original)) distinct.push(original);
  }
  return distinct;
}

async function fetchPages(research: Research, sources: NumberedSource[]): Promise<void> {
  const { fetcher, limits, signal } = research;
  if (!fetcher) return;
  const candidates = sources
    .filter((source) => /^https?:\/\//i.test(source.url) && !research.fetched.has(source.url))
    .slice(0, limits.fetchPerBatch);
  const targets = research.budget ? candidates.filter(() => research.budget?.tryFetch() ?? true) : candidates;
  if (targets.length < candidates.length) {
    await warnOnce(
      research,
      "guard:fetch",
      "The run reached its limit of page fetches (maxPageFetches): further sources keep their search snippets.",
    );
  }
  if (targets.length === 0) return;
  const limit = pLimit(limits.fetchConcurrency);
  const failures: string[] = [];
  await Promise.all(
    targets.map((source) =>
      limit(async () => {
        if (signal.aborted) return;
        research.fetched.add(source.url);
        try {
          const page = await fetcher.fetchPage(source.url, { signal });
          research.registry.attachPage(source, page, limits.maxSourceChars);
        } catch (error) {
          if (signal.aborted) return;
          failures.push(`${source.url}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    ),
  );
  throwIfAborted(signal);
  if (failures.length > 0) {
    await research.emitter.warn(
      `${failures.length} of ${targets.length} pages could not be fetched; their search snippets are used instead.`,
      { failures: failures.slice(0, 5) },
    );
  }
}

/**
 * Runs supplementary queries; a query without a section goes to the section with the least
 * evidence. The sources found join the section that asked for them as candidates (chosen on merit).
 * Returns how many sources the queries found that the section had not been given before.
 */
export async function supplementSearch(input: {
  research: Research;
  pool: EvidencePool;
  outline: Outline;
  /** The evidence each section has now. */
  evidence: Map<number, NumberedSource[]>;
  queries: QualityAssessment["supplementary_queries"];
}): Promise<number> {
  const { research, pool, outline, evidence, queries } = input;
  const bySection = new Map<number, string[]>();
  for (const { section_id: sectionId, query } of queries) {
    const known = outline.sections.some((section) => section.id === sectionId);
    const target =
      known && sectionId !== null
        ? sectionId
        : ([...outline.sections].sort(
            (a, b) => (evidence.get(a.id)?.length ?? 0) - (evidence.get(b.id)?.length ?? 0),
          )[0]?.id ?? 0);
    bySection.set(target, [...(bySection.get(target) ?? []), query]);
  }
  let added = 0;
  await Promise.all(
    [...bySection].map(async ([sectionId, sectionQueries]) => {
      const before = new Set((evidence.get(sectionId) ?? []).map((source) => source.id));
      const batch = await searchBatch(research, sectionQueries);
      pool.found(sectionId, batch.sources);
      added += pool.onTopic(batch.sources).filter((source) => !before.has(source.id)).length;
    }),
  );
  return added;
}
