import type { Intent, WrittenSection } from "../author.js";
import { isCjkLanguage } from "../text/language.js";
import { engineText } from "./labels.js";
import { formatCitedParagraphs, parseCitedSentences } from "./evidence.js";
import { cosine, inverseDocumentFrequency, termBag, weightVector } from "./vectors.js";

const DAMPING = 0.85;
const ITERATIONS = 30;

/**
 * The executive summary by centrality: the written sections' cited sentences are ranked with
 * TextRank (PageRank over cosine similarity), and the top few (at most two per section, no
 * near-duplicates) are kept with their citations, in section order.
 */
export function writeExtractiveSummary(options: { intent: Intent; sections: WrittenSection[]; maxSentences?: number }): string {
  const items = options.sections.flatMap((section, sectionIndex) =>
    parseCitedSentences(section.content).map((pair, position) => ({ ...pair, sectionIndex, position })),
  );
  if (items.length === 0) return engineText(options.intent.language).noEvidenceSummary;
  const bags = items.map((item) => termBag(item.text).counts);
  const idf = inverseDocumentFrequency(bags);
  const vectors = bags.map((bag) => weightVector(bag, idf));
  const weights = vectors.map((left, row) => vectors.map((right, column) => (row === column ? 0 : cosine(left, right))));
  const outgoing = weights.map((row) => row.reduce((sum, weight) => sum + weight, 0));
  let rank = items.map(() => 1 / items.length);
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    rank = items.map((_, target) => {
      let incoming = 0;
      weights.forEach((row, source) => {
        const weight = row[target] ?? 0;
        if (weight > 0 && (outgoing[source] ?? 0) > 0) incoming += (weight / (outgoing[source] ?? 1)) * (rank[source] ?? 0);
      });
      return (1 - DAMPING) / items.length + DAMPING * incoming;
    });
  }
  const limit = options.maxSentences ?? Math.min(5, Math.max(2, options.sections.length));
  const order = items.map((_, index) => index).sort((left, right) => (rank[right] ?? 0) - (rank[left] ?? 0) || left - right);
  const chosen: number[] = [];
  const perSection = new Map<number, number>();
  for (const index of order) {
    if (chosen.length >= limit) break;
    const item = items[index];
    if (!item || (perSection.get(item.sectionIndex) ?? 0) >= 2) continue;
    if (chosen.some((other) => cosine(vectors[other] ?? new Map(), vectors[index] ?? new Map()) > 0.6)) continue;
    chosen.push(index);
    perSection.set(item.sectionIndex, (perSection.get(item.sectionIndex) ?? 0) + 1);
  }
  chosen.sort((left, right) => left - right);
  const picked = chosen.map((index) => items[index]).filter((item) => item !== undefined);
  // Chinese and Japanese run sentences together without spaces.
  const cjk = isCjkLanguage(options.intent.language);
  return formatCitedParagraphs(picked, cjk).replace(/\n\n/g, cjk ? "" : " ");
}
