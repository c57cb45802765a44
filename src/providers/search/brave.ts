import { z } from "zod";
import { ReportError } from "../../core/errors.js";
import type { SearchHit, SearchProvider, SearchRequest } from "../../core/types.js";
import { withRetry, type RetryDelay } from "../http/retry.js";
import { requestJson, statusError } from "../http/request-json.js";
import { dateDaysAgo, toIsoDate, today } from "./dates.js";
import { invalidResponseError, isWebUrl } from "./errors.js";
import { decodeHTML } from "entities/decode";

export const BRAVE_DEFAULT_BASE_URL = "https://api.search.brave.com";
const LABEL = "Brave search";

export type BraveSearchOptions = {
  apiKey: string;
  /** Default https://api.search.brave.com. */
  baseUrl?: string;
  /** Per-request time limit (the whole answer, body included); default 30 s. */
  timeoutMs?: number;
  /** Retries of 429/5xx/network failures; default 2. */
  maxRetries?: number;
  /** First backoff delay; default 500 ms. */
  retryBaseDelayMs?: number;
  /** Waits between retries; default a timer (`abortableDelay`). Pass another clock to observe or skip the waits. */
  retryDelay?: RetryDelay;
};

const braveResponseSchema = z.object({
  web: z
    .object({
      results: z
        .array(
          z.object({
            title: z.string().nullish(),
            url: z.string().nullish(),
            description: z.string().nullish(),
            page_age: z.string().nullish(),
            age: z.string().nullish(),
            extra_snippets: z.array(z.string()).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

const braveErrorSchema = z.object({
  error: z.object({ detail: z.string().nullish(), code: z.string().nullish() }).nullish(),
});

/**
 * Brave Web Search (`GET /res/v1/web/search`, `X-Subscription-Token`). `days` maps to
 * `freshness`: 1 → `pd`, 7 → `pw`, 30/31 → `pm`, 365/366 → `py`, otherwise the range
 * `YYYY-MM-DDtoYYYY-MM-DD`. At most 20 results per request.
 */
export function createBraveSearch(options: BraveSearchOptions): SearchProvider {
  const {
    apiKey,
    baseUrl = BRAVE_DEFAULT_BASE_URL,
    timeoutMs = 30_000,
    maxRetries = 2,
    retryBaseDelayMs,
    retryDelay,
  } = options;
  const endpoint = `${baseUrl.replace(/\/+$/, "")}/res/v1/web/search`;

  async function searchOnce(request: SearchRequest): Promise<SearchHit[]> {
    const url = new URL(endpoint);
    url.searchParams.set("q", request.query);
    url.searchParams.set("count", String(Math.min(20, Math.max(1, request.maxResults ?? 10))));
    if (request.days !== undefined) url.searchParams.set("freshness", braveFreshness(request.days));
    const response = await requestJson({
      url: url.href,
      headers: { "x-subscription-token": apiKey, "accept-encoding": "gzip" },
      timeoutMs,
      signal: request.signal,
      label: LABEL,
    });
    const detail = braveErrorSchema.safeParse(response.body);
    const rateLimit = braveRateLimit(response.headers);
    if (response.status === 429 && rateLimit.quotaExhausted) {
      throw new ReportError(
        "search_failed",
        `${LABEL} quota is used up (HTTP 429): check the plan behind BRAVE_API_KEY, or wait until the quota resets.`,
        { status: 429 },
      );
    }
    const failure = statusError({
      label: LABEL,
      status: response.status,
      headers: response.headers,
      credentialHint: "BRAVE_API_KEY",
      detail: detail.success ? (detail.data.error?.detail ?? detail.data.error?.code) : null,
      secrets: [apiKey],
      retryAfterMs: rateLimit.resetMs,
    });
    if (failure) throw failure;
    const parsed = braveResponseSchema.safeParse(response.body);
    if (!parsed.success) throw invalidResponseError(LABEL);
    const hits: SearchHit[] = [];
    for (const result of parsed.data.web?.results ?? []) {
      if (!result.url || !isWebUrl(result.url)) continue;
      const content = [result.description, ...(result.extra_snippets ?? [])].filter(Boolean).join(" ");
      hits.push({
        title: stripTags(result.title ?? result.url),
        url: result.url,
        content: stripTags(content),
        published_at: toIsoDate(result.page_age) ?? toIsoDate(result.age),
        provider: "brave",
      });
    }
    return hits.slice(0, request.maxResults ?? hits.length);
  }

  return {
    name: "brave",
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

/** Brave's `freshness` value for a window of `days`. */
export function braveFreshness(days: number, now: number = Date.now()): string {
  if (days <= 1) return "pd";
  if (days === 7) return "pw";
  if (days === 30 || days === 31) return "pm";
  if (days === 365 || days === 366) return "py";
  return `${dateDaysAgo(days, now)}to${today(now)}`;
}

/**
 * Brave's rate-limit headers list one value per window, shortest first
 * (`x-ratelimit-reset: 1, 1419704`). The first window's reset is the wait before a retry;
 * a longer window with nothing remaining means the plan's quota is used up.
 */
function braveRateLimit(headers: Headers): { resetMs: number | undefined; quotaExhausted: boolean } {
  const numbers = (name: string): number[] =>
    (headers.get(name) ?? "")
      .split(",")
      .map((value) => Number(value.trim()))
      .filter((value) => Number.isFinite(value));
  const reset = numbers("x-ratelimit-reset");
  const remaining = numbers("x-ratelimit-remaining");
  return {
    resetMs: reset[0] === undefined ? undefined : Math.max(0, reset[0] * 1000),
    quotaExhausted: remaining.slice(1).some((value) => value <= 0),
  };
}

/** Brave highlights matches with <strong>; search snippets are plain text for us. */
/** Brave marks matches with `<strong>` and encodes entities: plain text, every named and numeric entity decoded. */
function stripTags(text: string): string {
  return decodeHTML(text.replace(/<[^>]+>/g, "")).trim();
}
