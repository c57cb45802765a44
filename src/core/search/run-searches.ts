import pLimit from "p-limit";
import { ReportError, cancelledError, noSearchSourceError, throwIfAborted, toReportError } from "../errors.js";
import type { SearchHit, SearchProvider } from "../types.js";
import { dedupeHits } from "./dedupe.js";

export type SearchRunOptions = {
  providers: SearchProvider[];
  queries: string[];
  /** Time window in days, passed to every provider. */
  days?: number;
  /** Results asked of each provider per query; default 5. */
  maxResultsPerQuery?: number;
  /** Provider calls in flight at once; default 4. */
  concurrency?: number;
  signal: AbortSignal;
  /**
   * "content" (default): hits whose URL or text is the same are merged; "url": only the same URL
   * is merged, so copies of one story at other URLs stay separate hits (the report pipeline
   * folds them itself and remembers their URLs).
   */
  dedupe?: "content" | "url";
  /** Told once per provider that fails (degraded but continuing). */
  onWarning?: (message: string, details: Record<string, unknown>) => void | Promise<void>;
};

export type SearchRunResult = {
  /** De-duplicated hits, in query order; within a query the providers' ranks interleaved. */
  hits: SearchHit[];
  perQuery: Array<{ query: string; hits: number; providers: string[] }>;
  /** Providers that failed at least once in this run. */
  failedProviders: string[];
};

type CallOutcome =
  { kind: "ok"; provider: string; hits: SearchHit[] } | { kind: "failed"; provider: string } | { kind: "aborted" };

/**
 * Runs every (query × provider) pair in parallel under a concurrency bound. A failing
 * provider is reported once through `onWarning` and the others' results are used; a provider
 * that failed with a non-retryable error (e.g. a rejected key) is not called again in this
 * run. Throws `search_failed` when every call failed, `cancelled` on abort (no call starts
 * after it), `no_search_source` when there is no provider. Zero hits is not an error.
 */
export async function runSearches(options: SearchRunOptions): Promise<SearchRunResult> {
  const { providers, days, maxResultsPerQuery = 5, concurrency = 4, signal, onWarning, dedupe = "content" } = options;
  const dedupeOptions = dedupe === "url" ? { threshold: Number.POSITIVE_INFINITY } : {};
  throwIfAborted(signal);
  if (providers.length === 0) {
    throw noSearchSourceError();
  }
  const queries = [...new Set(options.queries.map((query) => query.trim()).filter((query) => query !== ""))];
  const limit = pLimit(Math.max(1, concurrency));
  const disabled = new Map<string, ReportError>();
  const failures = new Map<string, ReportError>();

  const warn = async (provider: string, error: ReportError): Promise<void> => {
    if (failures.has(provider)) return;
    failures.set(provider, error);
    const others = providers.map((entry) => entry.name).filter((name) => name !== provider && !disabled.has(name));
    const reason = error.message.replace(/\.\s*$/, "");
    const message =
      others.length > 0
        ? `${reason}; continuing with ${others.join(", ")}`
        : `${reason}; no other search provider is left`;
    await onWarning?.(message, {
      provider,
      error_type: error.type,
      status: error.status ?? null,
      retryable: error.isRetryable,
    });
  };

  const call = async (query: string, provider: SearchProvider): Promise<CallOutcome> => {
    if (signal.aborted) return { kind: "aborted" };
    if (disabled.has(provider.name)) return { kind: "failed", provider: provider.name };
    try {
      const hits = await provider.search({
        query,
        days,
        maxResults: maxResultsPerQuery,
        signal,
        onNotice: (message) => onWarning?.(message, { provider: provider.name, kind: "notice" }),
      });
      return { kind: "ok", provider: provider.name, hits: hits.slice(0, maxResultsPerQuery) };
    } catch (error) {
      if (signal.aborted) return { kind: "aborted" };
      const reportError = toReportError(error, "search_failed");
      if (!reportError.isRetryable) disabled.set(provider.name, reportError);
      await warn(provider.name, reportError);
      return { kind: "failed", provider: provider.name };
    }
  };

  const outcomes = await Promise.all(
    queries.map((query) => Promise.all(providers.map((provider) => limit(() => call(query, provider))))),
  );
  if (signal.aborted) throw cancelledError(signal.reason);

  const succeeded = outcomes.some((row) => row.some((outcome) => outcome.kind === "ok"));
  if (!succeeded && failures.size > 0) {
    const reasons = [...failures.values()].map((error) => error.message.replace(/\.\s*$/, "")).join("; ");
    // A failing local corpus already says which path to check; the key/network advice is for web providers.
    const webFailed = [...failures.keys()].some((name) => name !== "corpus");
    const advice = webFailed
      ? " Check the API keys and network access named above, or configure a local corpus to search offline."
      : "";
    throw new ReportError("search_failed", `Every search provider failed: ${reasons}.${advice}`, {
      cause: [...failures.values()][0],
    });
  }

  const perQuery: SearchRunResult["perQuery"] = [];
  const allHits: SearchHit[] = [];
  queries.forEach((query, index) => {
    const row = outcomes[index] ?? [];
    const lists = row.flatMap((outcome) => (outcome.kind === "ok" ? [outcome.hits] : []));
    const interleaved = interleave(lists);
    perQuery.push({
      query,
      hits: dedupeHits(interleaved, dedupeOptions).length,
      providers: row.flatMap((outcome) => (outcome.kind === "ok" ? [outcome.provider] : [])),
    });
    allHits.push(...interleaved);
  });
  return {
    hits: dedupeHits(allHits, dedupeOptions),
    perQuery,
    failedProviders: providers.map((provider) => provider.name).filter((name) => failures.has(name)),
  };
}

/** Rank 1 of every list, then rank 2, … */
function interleave(lists: SearchHit[][]): SearchHit[] {
  const result: SearchHit[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let rank = 0; rank < longest; rank += 1) {
    for (const list of lists) {
      const hit = list[rank];
      if (hit) result.push(hit);
    }
  }
  return result;
}
