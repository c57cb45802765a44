import type { NumberedSource } from "../author.js";
import { createSameStoryCache, findSameStories, usableCanonical, type StoryEntry } from "../evidence/same-story.js";
import { normalizeUrl } from "../search/index.js";
import type { FetchedPage, SearchHit } from "../types.js";

/** A source folded into another because both are one story. */
export type CollapsedCopy = {
  /** The id that now resolves to `kept_id`. */
  id: number;
  kept_id: number;
  url: string;
  title: string;
  /** "canonical": the pages share a URL or name the same original; "text": their articles nearly match. */
  reason: "canonical" | "text";
};

type PageRecord = { finalUrl: string; canonical: string | null; article: string };

/**
 * Every source retrieved in a run, numbered in the order first seen. Citations may only point
 * at ids handed out here. Copies of one story (syndicated pages, mirrors) are folded into the
 * original by `collapse()`; the ids handed out for a copy keep resolving, to the original.
 */
export class SourceRegistry {
  private readonly byKey = new Map<string, NumberedSource>();
  private readonly byId = new Map<number, NumberedSource>();
  private readonly alias = new Map<number, number>();
  private readonly pages = new Map<number, PageRecord>();
  private readonly storyCache = createSameStoryCache();
  /** Every copy folded so far, in order. */
  readonly collapsed: CollapsedCopy[] = [];
  /** Sources dropped because their date lies before the time window. */
  outOfWindow = 0;

  constructor(private readonly windowStart: Date | null) {}

  private static key(url: string): string {
    return url.startsWith("http") ? normalizeUrl(url) : url;
  }

  /** Registers a hit (or returns the source already registered for its URL); null when out of window. */
  add(hit: SearchHit): NumberedSource | null {
    if (this.windowStart && hit.published_at) {
      const published = Date.parse(hit.published_at);
      // One day of slack for time zones and providers that date by day.
      if (!Number.isNaN(published) && published < this.windowStart.getTime() - 86_400_000) {
        this.outOfWindow += 1;
        return null;
      }
    }
    const key = SourceRegistry.key(hit.url);
    const known = this.byKey.get(key);
    if (known) {
      const existing = this.get(known.id) ?? known;
      // The same document found by another query may bring another passage: keep both
      // (a fetched article already holds the whole text).
      if (!this.pages.has(existing.id) && !existing.content.includes(hit.content)) {
        existing.content = hit.content.includes(existing.content)
          ? hit.content
          : `${existing.content}\n\n${hit.content}`;
      }
      existing.published_at ??= hit.published_at ?? null;
      return existing;
    }
    const source: NumberedSource = {
      id: this.byId.size + 1,
      title: hit.title.trim() || hit.url,
      url: hit.url,
      content: hit.content,
      published_at: hit.published_at ?? null,
      provider: hit.provider,
      location: hit.location ?? null,
    };
    this.byKey.set(key, source);
    this.byId.set(source.id, source);
    return source;
  }

  /** Records what fetching a source's page found: its article text (up to `maxChars`), dates and canonical URL. */
  attachPage(source: NumberedSource, page: FetchedPage, maxChars: number): void {
    const text = page.text.trim().slice(0, maxChars);
    if (text.length === 0) return;
    // A page much shorter than its search snippet was not read whole (a paywall, a failed extraction): keep the snippet.
    if (text.length >= source.content.length * 0.5) source.content = text;
    source.published_at ??= page.published_at ?? null;
    if (page.modified_at) source.modified_at = page.modified_at;
    const finalUrl = page.url || source.url;
    this.pages.set(source.id, {
      finalUrl,
      canonical: usableCanonical(page.canonical_url, finalUrl),
      article: source.content,
    });
    const finalKey = SourceRegistry.key(finalUrl);
    if (!this.byKey.has(finalKey)) this.byKey.set(finalKey, source);
  }

  /** Whether the source's page was fetched (its content is the article, not a snippet). */
  isFetched(id: number): boolean {
    return this.pages.has(this.resolveId(id));
  }

  /**
   * Folds copies of one story into the original (see `findSameStories`): the copy's id resolves
   * to the original from now on, its URL joins the original's `also_at`, and an original known
   * only by its snippet takes the copy's article text. Returns the copies folded by this call.
   */
  collapse(): CollapsedCopy[] {
    const kept = this.all();
    const entries: StoryEntry[] = kept.map((source) => {
      const page = this.pages.get(source.id);
      const published = source.published_at ? Date.parse(source.published_at) : Number.NaN;
      return {
        id: source.id,
        urls: page ? [source.url, page.finalUrl] : [source.url],
        canonical: page?.canonical ?? null,
        published: Number.isNaN(published) ? null : published,
        article: page ? page.article : null,
        snippet: source.content,
      };
    });
    const folded: CollapsedCopy[] = [];
    for (const merge of findSameStories(entries, {}, this.storyCache)) {
      const keep = this.byId.get(merge.keep);
      const drop = this.byId.get(merge.drop);
      if (!keep || !drop) continue;
      this.alias.set(drop.id, keep.id);
      keep.also_at = [...new Set([...(keep.also_at ?? []), drop.url, ...(drop.also_at ?? [])])].filter(
        (url) => url !== keep.url,
      );
      const keepPage = this.pages.get(keep.id);
      const dropPage = this.pages.get(drop.id);
      if (!keepPage && dropPage) {
        keep.content = drop.content;
        this.pages.set(keep.id, { ...dropPage, finalUrl: keep.url, canonical: null });
      }
      keep.published_at ??= drop.published_at;
      if (drop.modified_at && (!keep.modified_at || Date.parse(drop.modified_at) > Date.parse(keep.modified_at)))
        keep.modified_at = drop.modified_at;
      const copy: CollapsedCopy = {
        id: drop.id,
        kept_id: keep.id,
        url: drop.url,
        title: drop.title,
        reason: merge.reason,
      };
      this.collapsed.push(copy);
      folded.push(copy);
    }
    return folded;
  }

  private resolveId(id: number): number {
    let current = id;
    for (let hops = 0; hops < 64; hops += 1) {
      const next = this.alias.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  /** The source an id stands for: the original when the id was handed out for a copy. */
  get(id: number): NumberedSource | undefined {
    return this.byId.get(this.resolveId(id));
  }

  /** Sources that are not copies of another, in id order. */
  all(): NumberedSource[] {
    return [...this.byId.values()].filter((source) => !this.alias.has(source.id));
  }

  /** Distinct stories registered (copies not counted). */
  get size(): number {
    return this.byId.size - this.alias.size;
  }
}
