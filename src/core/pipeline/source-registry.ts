import type { NumberedSource } from "../author.js";
import { normalizeUrl } from "../search/index.js";
import type { SearchHit } from "../types.js";

/**
 * Every source retrieved in a run, numbered in the order first seen. Citations may only point
 * at ids handed out here.
 */
export class SourceRegistry {
  private readonly byKey = new Map<string, NumberedSource>();
  private readonly byId = new Map<number, NumberedSource>();
  /** Sources dropped because their date lies before the time window. */
  outOfWindow = 0;

  constructor(private readonly windowStart: Date | null) {}

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
    const key = hit.url.startsWith("http") ? normalizeUrl(hit.url) : hit.url;
    const existing = this.byKey.get(key);
    if (existing) {
      // The same document found by another query may bring another passage: keep both.
      if (!existing.content.includes(hit.content)) {
        existing.content = hit.content.includes(existing.content) ? hit.content : `${existing.content}\n\n${hit.content}`;
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

  get(id: number): NumberedSource | undefined {
    return this.byId.get(id);
  }

  all(): NumberedSource[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }
}
