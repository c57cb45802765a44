import type { Intent } from "../author.js";
import { ReportError, throwIfAborted } from "../errors.js";
import { chineseDateRange, englishDateRange } from "../extractive/labels.js";
import { subjectMatcher } from "../extractive/topic.js";
import { runSearches } from "../search/index.js";
import type { SearchHit, SearchProvider } from "../types.js";

const DAY_MS = 86_400_000;
const MAX_DAYS = 3650;
/** Hits asked of each provider per probe query. */
const PROBE_RESULTS = 10;
/**
 * A widened window spans the requested days ending at the newest document, and reaches further
 * back when that holds fewer than this many documents: a window the task asked for keeps close to
 * its span (3), a default one gathers enough for an analysis (8).
 */
const NEWEST_DOCUMENTS = { explicit: 3, default: 8 };
/** Dated documents about the subject a window the task did not ask for must hold to stand. */
const ENOUGH_FOR_DEFAULT_WINDOW = 3;

export type EvidenceWindow = {
  /** The intent to run with: unchanged, or with `days`, `time_window` and `requested_days` widened. */
  intent: Intent;
  /** What happened, in the report's language, for the report's top and the warnings; null when the window stands. */
  notice: string | null;
  details: Record<string, unknown>;
};

function dayStart(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

function dateOf(hit: SearchHit): number | null {
  const time = hit.published_at ? Date.parse(hit.published_at) : Number.NaN;
  return Number.isNaN(time) ? null : time;
}

function noticeText(options: {
  language: string;
  requested: number;
  found: number;
  newest: { from: number; to: number } | null;
  window: { from: number; to: number };
}): string {
  const { language, requested, found, newest, window } = options;
  if (/^zh\b/i.test(language)) {
    const lead = found === 0 ? `最近 ${requested} 天内没有相关资料` : `最近 ${requested} 天内仅有 ${found} 篇相关资料`;
    if (!newest) return `${lead}，也没有带日期的相关资料；本报告改用不限时间的无日期资料。`;
    return `${lead}；最新的来源日期为${chineseDateRange(newest.from, newest.to)}，本报告改用${chineseDateRange(window.from, window.to)}的资料。`;
  }
  const span = requested === 1 ? "the past day" : `the past ${requested} days`;
  const lead = found === 0 ? `Nothing in ${span}` : `Only ${found} source${found === 1 ? "" : "s"} in ${span}`;
  if (!newest) return `${lead} and nothing dated; the report uses undated documents from any time instead.`;
  return `${lead}; the newest sources are from ${englishDateRange(newest.from, newest.to)}, so the report covers ${englishDateRange(window.from, window.to)}.`;
}

async function probe(options: {
  providers: SearchProvider[];
  queries: string[];
  days: number | undefined;
  signal: AbortSignal;
}): Promise<SearchHit[] | null> {
  try {
    const result = await runSearches({
      providers: options.providers,
      queries: options.queries,
      days: options.days,
      maxResultsPerQuery: PROBE_RESULTS,
      signal: options.signal,
    });
    return result.hits;
  } catch (error) {
    throwIfAborted(options.signal);
    // The probe only decides whether to widen; a failing search is reported by the run's own searches.
    if (error instanceof ReportError && (error.type === "search_failed" || error.type === "no_search_source"))
      return null;
    throw error;
  }
}

/**
 * A window that follows the evidence (issue 9): probes the subject inside the requested window,
 * and when nothing *dated* about the subject falls inside it (undated documents never make a
 * window "recent" by their checkout time) — or, for a window nobody asked for (the 7-day
 * default), fewer than three dated documents — widens it to reach the newest dated documents about
 * the subject — the same span ending at the newest one, or back to the eighth newest when that
 * is older — and says so ("Nothing in the past 7 days; the newest sources are from 18–22
 * November 2026, …"). With no dated document at all but undated ones outside the window, the
 * window opens to any time. Costs one or two extra searches per provider; a failing probe
 * leaves the window as it is.
 */
export async function followEvidenceWindow(options: {
  intent: Intent;
  providers: SearchProvider[];
  now: Date;
  signal: AbortSignal;
  /** Whether the caller or the task's wording set the window; a default window also widens when it holds fewer than three dated documents. */
  explicit: boolean;
}): Promise<EvidenceWindow> {
  const { intent, providers, now, signal } = options;
  const unchanged: EvidenceWindow = { intent, notice: null, details: {} };
  if (providers.length === 0) return unchanged;
  const queries = [
    ...new Set([intent.topic, intent.key_terms.slice(0, 4).join(" ")].map((query) => query.trim()).filter(Boolean)),
  ];
  const matches = subjectMatcher(intent);
  const about = (hit: SearchHit) => matches(`${hit.title}\n${hit.content}`);
  const windowStart = dayStart(now.getTime() - intent.days * DAY_MS);
  const inside = await probe({ providers, queries, days: intent.days, signal });
  if (inside === null) return unchanged;
  const datedInside = new Set(
    inside
      .filter((hit) => about(hit) && (dateOf(hit) ?? Number.NEGATIVE_INFINITY) >= windowStart)
      .map((hit) => hit.url),
  );
  if (datedInside.size >= (options.explicit ? 1 : ENOUGH_FOR_DEFAULT_WINDOW)) return unchanged;
  const anyTime = await probe({ providers, queries, days: undefined, signal });
  if (anyTime === null) return unchanged;
  const relevant = anyTime.filter(about);
  const newest = relevant
    .map(dateOf)
    .filter((time): time is number => time !== null && time <= now.getTime() + DAY_MS)
    .sort((left, right) => right - left);
  let from: number;
  let newestRange: { from: number; to: number } | null = null;
  if (newest.length > 0) {
    const latest = newest[0] as number;
    const kept = newest.slice(0, options.explicit ? NEWEST_DOCUMENTS.explicit : NEWEST_DOCUMENTS.default);
    from = dayStart(Math.min(latest - intent.days * DAY_MS, kept.at(-1) ?? latest));
    const recent = newest.filter((time) => time >= dayStart(latest - intent.days * DAY_MS));
    newestRange = { from: dayStart(recent.at(-1) ?? latest), to: latest };
  } else {
    const insideUrls = new Set(inside.map((hit) => hit.url));
    // Only undated documents about the subject, and some of them were outside the window: open it.
    if (!relevant.some((hit) => !insideUrls.has(hit.url))) return unchanged;
    from = now.getTime() - MAX_DAYS * DAY_MS;
  }
  const days = Math.min(MAX_DAYS, Math.max(intent.days, Math.ceil((now.getTime() - from) / DAY_MS)));
  const widened: Intent = {
    ...intent,
    days,
    time_window: { from: new Date(now.getTime() - days * DAY_MS).toISOString(), to: intent.time_window.to },
    requested_days: intent.requested_days ?? intent.days,
  };
  const notice = noticeText({
    language: intent.language,
    requested: intent.days,
    found: datedInside.size,
    newest: newestRange,
    window: { from: Math.max(from, now.getTime() - days * DAY_MS), to: newestRange?.to ?? now.getTime() },
  });
  return {
    intent: widened,
    notice,
    details: {
      requested_days: intent.days,
      days,
      newest_source: newestRange ? new Date(newestRange.to).toISOString() : null,
      time_window: widened.time_window,
    },
  };
}
