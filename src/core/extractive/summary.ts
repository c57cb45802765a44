import type { Intent, NumberedSource, WrittenSection } from "../author.js";
import { isCjkLanguage } from "../text/language.js";
import { splitSentences } from "../text/sentences.js";
import { engineText, isChinese } from "./labels.js";
import { parseCitedSentences } from "./evidence.js";
import { cosine, inverseDocumentFrequency, termBag, weightVector } from "./vectors.js";

const DAMPING = 0.85;
const ITERATIONS = 30;
/** Two summary facts at least this similar (cosine of TF-IDF terms) say the same thing. */
export const SUMMARY_SIMILARITY_LIMIT = 0.35;

/** Jaccard similarity of two texts' character bigrams (letters and digits only, lowercased). */
export function bigramSimilarity(left: string, right: string): number {
  const grams = (text: string) => {
    const clean = text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
    const set = new Set<string>();
    for (let index = 0; index + 1 < clean.length; index += 1) set.add(clean.slice(index, index + 2));
    return set;
  };
  const a = grams(left);
  const b = grams(right);
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** TextRank (PageRank over cosine similarity) of the items' vectors. */
function centrality(vectors: Map<string, number>[]): number[] {
  const weights = vectors.map((left, row) =>
    vectors.map((right, column) => (row === column ? 0 : cosine(left, right))),
  );
  const outgoing = weights.map((row) => row.reduce((sum, weight) => sum + weight, 0));
  let rank = vectors.map(() => 1 / vectors.length);
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    rank = vectors.map((_, target) => {
      let incoming = 0;
      weights.forEach((row, source) => {
        const weight = row[target] ?? 0;
        if (weight > 0 && (outgoing[source] ?? 0) > 0)
          incoming += (weight / (outgoing[source] ?? 1)) * (rank[source] ?? 0);
      });
      return (1 - DAMPING) / vectors.length + DAMPING * incoming;
    });
  }
  return rank;
}

/**
 * The executive summary: a line naming how many sources of which dates the report rests on,
 * then distinct central facts, one bullet each with its source's date and citation. Facts come
 * from the written sections (the most central quote of each section first, in section order,
 * then the next most central), and a fact too close to one already chosen (TF-IDF cosine or
 * character-bigram overlap) is skipped, so the summary never says the same thing twice.
 */
export function writeExtractiveSummary(options: {
  intent: Intent;
  sections: WrittenSection[];
  sources?: NumberedSource[];
  maxSentences?: number;
}): string {
  const text = engineText(options.intent.language);
  const sources = new Map((options.sources ?? []).map((source) => [source.id, source]));
  const dateOf = (id: number) => {
    const time = Date.parse(sources.get(id)?.published_at ?? "");
    return Number.isNaN(time) ? null : time;
  };
  const quoted = options.sections.flatMap((section, sectionIndex) =>
    // A unit's first sentence stands on its own (later ones may lean on it): the summary quotes that.
    parseCitedSentences(section.content).map((pair, position) => ({
      ...pair,
      text: splitSentences(pair.text)[0] ?? pair.text,
      sectionIndex,
      position,
    })),
  );
  if (quoted.length === 0) return text.noEvidenceSummary;
  // Dated facts make the summary; undated background (a glossary's definitions) only when there are too few of them.
  const dated = quoted.filter((item) => dateOf(item.sourceId) !== null);
  const items = sources.size > 0 && dated.length >= 2 ? dated : quoted;
  const bags = items.map((item) => termBag(item.text).counts);
  const idf = inverseDocumentFrequency(bags);
  const vectors = bags.map((bag) => weightVector(bag, idf));
  const rank = centrality(vectors);
  const limit = options.maxSentences ?? Math.min(5, Math.max(2, options.sections.length));
  const byRank = items
    .map((_, index) => index)
    .sort((left, right) => (rank[right] ?? 0) - (rank[left] ?? 0) || left - right);
  const chosen: number[] = [];
  const distinct = (index: number) =>
    chosen.every(
      (other) =>
        cosine(vectors[other] ?? new Map(), vectors[index] ?? new Map()) < SUMMARY_SIMILARITY_LIMIT &&
        bigramSimilarity(items[other]?.text ?? "", items[index]?.text ?? "") < 0.45,
    );
  // First the most central fact of each section, then the most central of the rest.
  for (let section = 0; section < options.sections.length && chosen.length < limit; section += 1) {
    const best = byRank.find((index) => items[index]?.sectionIndex === section && distinct(index));
    if (best !== undefined) chosen.push(best);
  }
  for (const index of byRank) {
    if (chosen.length >= limit) break;
    if (!chosen.includes(index) && distinct(index)) chosen.push(index);
  }
  chosen.sort(
    (left, right) =>
      (items[left]?.sectionIndex ?? 0) - (items[right]?.sectionIndex ?? 0) ||
      (items[left]?.position ?? 0) - (items[right]?.position ?? 0),
  );

  const cited = [...new Set(quoted.map((item) => item.sourceId))];
  const dates = cited.flatMap((id) => (dateOf(id) === null ? [] : [dateOf(id) as number]));
  const range = dates.length > 0 ? { from: Math.min(...dates), to: Math.max(...dates) } : null;
  const lines = [text.sourcesLine({ dated: dates.length, undated: cited.length - dates.length }, range), ""];
  const cjk = isCjkLanguage(options.intent.language);
  for (const index of chosen) {
    const item = items[index];
    if (!item) continue;
    const time = dateOf(item.sourceId);
    const shown = time === null ? null : text.shortDate(time);
    // A quote that opens with its own date ("11月23日，…", "On 23 Nov …") needs no date label.
    const label =
      shown === null || item.text.startsWith(shown) || item.text.slice(0, 30).includes(shown)
        ? ""
        : `**${shown}**${isChinese(options.intent.language) ? "：" : " — "}`;
    lines.push(`- ${label}${item.text}${cjk ? "" : " "}[${item.sourceId}]`);
  }
  return lines.join("\n");
}
