/**
 * Copies of one story among a run's sources (a syndicated copy and its original, one outlet's
 * rewrite of another's), told apart by the shingles of their raw text; the original is the
 * earliest dated, then the lowest number.
 */
import type { NumberedSource } from "../author.js";
import { rawTextOf, sameStory, type RawText } from "./raw-text.js";

export type SourceLookup = { get(id: number): NumberedSource | undefined; all(): NumberedSource[] };

function publishedTime(source: NumberedSource): number {
  const time = source.published_at ? Date.parse(source.published_at) : Number.NaN;
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/** Earliest dated first (undated last), then the lower number. */
function byOriginality(left: NumberedSource, right: NumberedSource): number {
  const leftTime = publishedTime(left);
  const rightTime = publishedTime(right);
  if (leftTime !== rightTime) return leftTime < rightTime ? -1 : 1;
  return left.id - right.id;
}

/** The raw texts of a run's sources and the original of each story, both computed once. */
export class StoryCopies {
  private readonly texts = new Map<number, RawText>();
  private readonly originals = new Map<number, number>();

  constructor(private readonly sources: SourceLookup) {}

  /** A source's raw text (rebuilt if its content changed). */
  raw(source: NumberedSource): RawText {
    const cached = this.texts.get(source.id);
    if (cached && cached.content === source.content) return cached;
    const raw = rawTextOf(source);
    this.texts.set(source.id, raw);
    return raw;
  }

  /** The id of the original of the story source `id` tells (`id` itself when it is the original or has no copy). */
  originalOf(id: number): number {
    const known = this.originals.get(id);
    if (known !== undefined) return known;
    const source = this.sources.get(id);
    let original = id;
    if (source) {
      const raw = this.raw(source);
      const twins = this.sources.all().filter((other) => other.id !== id && sameStory(raw, this.raw(other)));
      original = [source, ...twins].sort(byOriginality)[0]?.id ?? id;
    }
    this.originals.set(id, original);
    return original;
  }
}
