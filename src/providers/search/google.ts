import { z } from "zod";
import { ReportError } from "../../core/errors.js";
import type { SearchHit, SearchProvider, SearchRequest } from "../../core/types.js";
import { withRetry, type RetryDelay } from "../http/retry.js";
import { authError, requestJson, statusError } from "../http/request-json.js";
import { toIsoDate } from "./dates.js";
import { invalidResponseError, isWebUrl } from "./errors.js";

export const GOOGLE_DEFAULT_BASE_URL = "https://www.googleapis.com";
const LABEL = "Google search";
const CREDENTIALS = "GOOGLE_API_KEY and GOOGLE_CSE_ID";

export type GoogleSearchOptions = {
  apiKey: string;
  /** Programmable Search Engine id (`cx`). */
  cseId: string;
  /** Default https://www.googleapis.com. */
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

const metatagsSchema = z.record(z.string(), z.unknown());

const googleResponseSchema = z.object({
  items: z
    .array(
      z.object({
        title: z.string().nullish(),
        link: z.string().nullish(),
        snippet: z.string().nullish(),
        pagemap: z.object({ metatags: z.array(metatagsSchema).nullish() }).nullish(),
      }),
    )
    .nullish(),
});

const googleErrorSchema = z.object({
  error: z
    .object({
      message: z.string().nullish(),
      status: z.string().nullish(),
      errors: z.array(z.object({ reason: z.string().nullish() })).nullish(),
    })
    .nullish(),
});

const DATE_METATAGS = [
  "article:published_time",
  "og:published_time",
  "datepublished",
  "date",
  "pubdate",
  "article:modified_time",
];

/**
 * Google Custom Search JSON API (`GET /customsearch/v1?key=&cx=&q=`). `days` maps to
 * `dateRestrict=d{N}`; at most 10 results per request (`num`). An invalid key (HTTP 400
 * `keyInvalid`, or 401/403) is reported as a non-retryable credentials error.
 */
export function createGoogleSearch(options: GoogleSearchOptions): SearchProvider {
  const {
    apiKey,
    cseId,
    baseUrl = GOOGLE_DEFAULT_BASE_URL,
    timeoutMs = 30_000,
    maxRetries = 2,
    retryBaseDelayMs,
    retryDelay,
  } = options;
  const endpoint = `${baseUrl.replace(/\/+$/, "")}/customsearch/v1`;

  async function searchOnce(request: SearchRequest): Promise<SearchHit[]> {
    const url = new URL(endpoint);
    url.searchParams.set("key", apiKey);
    url.searchParams.set("cx", cseId);
    url.searchParams.set("q", request.query);
    url.searchParams.set("num", String(Math.min(10, Math.max(1, request.maxResults ?? 10))));
    if (request.days !== undefined) url.searchParams.set("dateRestrict", `d${Math.max(1, Math.round(request.days))}`);
    const response = await requestJson({ url: url.href, timeoutMs, signal: request.signal, label: LABEL });
    const error = googleErrorSchema.safeParse(response.body);
    const errorInfo = error.success ? error.data.error : null;
    const reasons = errorInfo?.errors?.map((entry) => entry.reason ?? "") ?? [];
    if (response.status === 400 && (reasons.includes("keyInvalid") || /api key/i.test(errorInfo?.message ?? ""))) {
      throw authError({ label: LABEL, status: 400, credentialHint: CREDENTIALS });
    }
    if (response.status === 429 && /per day/i.test(errorInfo?.message ?? "")) {
      throw new ReportError(
        "search_failed",
        `${LABEL} daily quota is used up (HTTP 429): check the quota of the project behind GOOGLE_API_KEY, or try again tomorrow.`,
        { status: 429 },
      );
    }
    const failure = statusError({
      label: LABEL,
      status: response.status,
      headers: response.headers,
      credentialHint: CREDENTIALS,
      detail: errorInfo?.message,
      secrets: [apiKey, cseId],
    });
    if (failure) throw failure;
    const parsed = googleResponseSchema.safeParse(response.body);
    if (!parsed.success) throw invalidResponseError(LABEL);
    const hits: SearchHit[] = [];
    for (const item of parsed.data.items ?? []) {
      if (!item.link || !isWebUrl(item.link)) continue;
      hits.push({
        title: item.title ?? item.link,
        url: item.link,
        content: (item.snippet ?? "").replace(/\s+/g, " ").trim(),
        published_at: publishedFromMetatags(item.pagemap?.metatags ?? []),
        provider: "google",
      });
    }
    return hits;
  }

  return {
    name: "google",
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

function publishedFromMetatags(metatags: Array<Record<string, unknown>>): string | null {
  for (const tags of metatags) {
    for (const name of DATE_METATAGS) {
      const value = tags[name];
      if (typeof value === "string") {
        const iso = toIsoDate(value);
        if (iso) return iso;
      }
    }
  }
  return null;
}
