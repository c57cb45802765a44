import { tavily } from "@tavily/core";
import { ReportError, cancelledError } from "../../core/errors.js";
import type { SearchHit, SearchProvider, SearchRequest } from "../../core/types.js";
import { authError, formatSeconds } from "../http/request-json.js";
import { raceAbort } from "../http/race-abort.js";
import { TransientCallError, withRetry, type RetryDelay } from "../http/retry.js";
import { dateDaysAgo, toIsoDate } from "./dates.js";
import { invalidResponseError, isWebUrl } from "./errors.js";

const LABEL = "Tavily search";

export type TavilySearchOptions = {
  apiKey: string;
  /** Default: @tavily/core's (https://api.tavily.com). */
  baseUrl?: string;
  /** Per-request time limit (the whole answer, body included); default 30 s. */
  timeoutMs?: number;
  /** Retries of rate-limit/5xx/network failures; default 2. */
  maxRetries?: number;
  /** First backoff delay; default 500 ms. */
  retryBaseDelayMs?: number;
  /** Waits between retries; default a timer (`abortableDelay`). Pass another clock to observe or skip the waits. */
  retryDelay?: RetryDelay;
  /** `basic` (default) or `advanced` (costs two credits). */
  searchDepth?: "basic" | "advanced";
};

/**
 * Tavily through the official `@tavily/core` client. `days` maps to `start_date`
 * (`YYYY-MM-DD`, `days` before today, topic `general`): it works for any window, unlike
 * `time_range` (day/week/month/year only) or `days` (news topic only).
 *
 * @tavily/core hides the HTTP status and headers in its error messages, so failures are
 * classified from those messages: key problems are not retried, rate limits, 5xx, timeouts
 * and network errors are (with backoff; `retry-after` is not visible through the client).
 * The client takes no AbortSignal: an abort, or our own per-call time limit (a reply that stalls
 * after its headers never trips the client's), stops waiting at once and starts no new call.
 */
export function createTavilySearch(options: TavilySearchOptions): SearchProvider {
  const {
    apiKey,
    baseUrl,
    timeoutMs = 30_000,
    maxRetries = 2,
    retryBaseDelayMs,
    retryDelay,
    searchDepth = "basic",
  } = options;
  const client = tavily({ apiKey, apiBaseURL: baseUrl?.replace(/\/+$/, ""), clientSource: "report-mcp" });
  // The client's own limit (whole seconds, and it misses a reply that stalls after its headers)
  // only cleans up behind ours: our timer decides when a call has failed.
  const clientTimeoutSeconds = Math.ceil(timeoutMs / 1000) + 1;

  async function searchOnce(request: SearchRequest): Promise<SearchHit[]> {
    const call = client.search(request.query, {
      searchDepth,
      topic: "general",
      maxResults: Math.min(20, Math.max(1, request.maxResults ?? 5)),
      includeAnswer: false,
      // Pages are fetched and extracted by us (article only, with canonical URL and dates): docs/extraction.md.
      includeRawContent: false,
      includeImages: false,
      timeout: clientTimeoutSeconds,
      ...(request.days === undefined ? {} : { startDate: dateDaysAgo(request.days) }),
    });
    const deadline = AbortSignal.timeout(timeoutMs);
    let response: Awaited<typeof call>;
    try {
      response = await raceAbort(call, AbortSignal.any([request.signal, deadline]));
    } catch (error) {
      if (request.signal.aborted) throw cancelledError(request.signal.reason);
      if (deadline.aborted) throw stalled(timeoutMs, error);
      throw classifyTavilyError(error, { apiKey, timeoutMs });
    }
    if (!Array.isArray(response.results)) throw invalidResponseError(LABEL);
    const hits: SearchHit[] = [];
    for (const result of response.results) {
      if (typeof result.url !== "string" || !isWebUrl(result.url)) continue;
      hits.push({
        title: typeof result.title === "string" && result.title ? result.title : result.url,
        url: result.url,
        content: typeof result.content === "string" ? result.content.trim() : "",
        published_at: toIsoDate(typeof result.publishedDate === "string" ? result.publishedDate : null),
        score: typeof result.score === "number" ? result.score : null,
        provider: "tavily",
      });
    }
    return hits;
  }

  return {
    name: "tavily",
    search: (request) =>
      withRetry({
        run: () => searchOnce(request),
        signal: request.signal,
        maxRetries,
        baseDelayMs: retryBaseDelayMs,
        delay: retryDelay,
      }),
  };
}

/** A call that got no (complete) answer in time: retried, and the message names the wait. */
function stalled(timeoutMs: number, cause: unknown): TransientCallError {
  return new TransientCallError({
    type: "search_failed",
    label: LABEL,
    reason: `no answer within ${formatSeconds(timeoutMs)}`,
    cause,
  });
}

/**
 * Turns an @tavily/core error into a ReportError. Its messages are "<status> Error: <body>",
 * the API's `detail.error` text, "Request timed out after N seconds." or "An unexpected error
 * occurred while making the request. Error: <cause>".
 */
export function classifyTavilyError(error: unknown, context: { apiKey: string; timeoutMs: number }): ReportError {
  const raw = error instanceof Error ? error.message : String(error);
  const message = context.apiKey ? raw.split(context.apiKey).join("***") : raw;
  const statusMatch = /^(\d{3}) Error:/.exec(message);
  const status = statusMatch ? Number(statusMatch[1]) : undefined;
  if (
    status === 401 ||
    status === 403 ||
    /unauthori[sz]ed|invalid api key|api key is (missing|invalid)|forbidden/i.test(message)
  ) {
    return authError({ label: LABEL, status, credentialHint: "TAVILY_API_KEY" });
  }
  if (status === 432 || status === 433 || /usage limit|pay-as-you-go limit|exceeds your plan/i.test(message)) {
    return new ReportError(
      "search_failed",
      `${LABEL} refused the request: the plan's usage limit is reached. Check the Tavily account behind TAVILY_API_KEY.`,
      { status, cause: error },
    );
  }
  if (/^Request timed out after/i.test(message)) return stalled(context.timeoutMs, error);
  if (status !== undefined && status >= 200 && status < 300) {
    // A 2xx whose body never arrived whole (the connection dropped or stalled mid-reply).
    return new TransientCallError({
      type: "search_failed",
      label: LABEL,
      reason: `incomplete answer (HTTP ${status})`,
      status,
      cause: error,
    });
  }
  if (status === 429 || /rate limit|too many requests|excessive requests/i.test(message)) {
    return new TransientCallError({
      type: "search_failed",
      label: LABEL,
      reason: "rate limited",
      status: 429,
      cause: error,
    });
  }
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    return new TransientCallError({
      type: "search_failed",
      label: LABEL,
      reason: `HTTP ${status}`,
      status,
      cause: error,
    });
  }
  if (/internal server error|service unavailable|bad gateway|gateway timeout/i.test(message)) {
    return new TransientCallError({ type: "search_failed", label: LABEL, reason: "server error", cause: error });
  }
  if (/^An unexpected error occurred while making the request/.test(message)) {
    if (/TypeError|SyntaxError/.test(message)) return invalidResponseError(LABEL);
    const code = /\b(E[A-Z]{3,}|ERR_[A-Z_]+)\b/.exec(message)?.[1];
    return new TransientCallError({
      type: "search_failed",
      label: LABEL,
      reason: `network error${code ? `: ${code}` : ""}`,
      cause: error,
    });
  }
  const detail = message.length > 200 ? `${message.slice(0, 199)}…` : message;
  return new ReportError("search_failed", `${LABEL} failed (${status === undefined ? detail : `HTTP ${status}`}).`, {
    status,
    cause: error,
  });
}
