/**
 * Term overlap between a claim and passage windows, computed once per passage: which of the
 * claim's terms each passage holds, then every window (a passage and its neighbours) from those
 * hits. Two measures, each the better of "Latin terms + Chinese segmenter words" and "Latin terms +
 * Han bigrams": plain (every term counts 1) and weighted (rare terms count more, see TermWeights).
 */
import type { ClaimFeatures, PassageTerms, TermWeight } from "./features.js";

type Item = { term: string; key: "terms" | "bigrams" | "text"; inWords: boolean; inBigrams: boolean; weight: number };

/** The claim's terms with their weights, ready to be matched. */
export type ClaimTerms = { items: Item[]; hasBigrams: boolean };

export function claimTerms(claim: ClaimFeatures, weight?: TermWeight): ClaimTerms {
  const items: Item[] = [
    ...claim.latinTerms.map((term): Item => ({
      term,
      key: "terms",
      inWords: true,
      inBigrams: true,
      weight: weight?.(term) ?? 1,
    })),
    ...claim.cjkTerms.map((term): Item => ({
      term,
      key: "text",
      inWords: true,
      inBigrams: false,
      weight: weight?.(term) ?? 1,
    })),
    ...claim.bigrams.map((term): Item => ({
      term,
      key: "bigrams",
      inWords: false,
      inBigrams: true,
      weight: weight?.(term) ?? 1,
    })),
  ];
  return { items, hasBigrams: claim.bigrams.length > 0 };
}

/** Overlap of one window: `weighted` and `plain` shares (0–1). */
export type Shares = { weighted: number; plain: number };

function sharesOf(terms: ClaimTerms, hit: (index: number) => boolean): Shares {
  let wordsHit = 0,
    wordsTotal = 0,
    wordsHitPlain = 0,
    wordsTotalPlain = 0;
  let bigramsHit = 0,
    bigramsTotal = 0,
    bigramsHitPlain = 0,
    bigramsTotalPlain = 0;
  terms.items.forEach((item, index) => {
    const found = hit(index);
    if (item.inWords) {
      wordsTotal += item.weight;
      wordsTotalPlain += 1;
      if (found) {
        wordsHit += item.weight;
        wordsHitPlain += 1;
      }
    }
    if (item.inBigrams && terms.hasBigrams) {
      bigramsTotal += item.weight;
      bigramsTotalPlain += 1;
      if (found) {
        bigramsHit += item.weight;
        bigramsHitPlain += 1;
      }
    }
  });
  const share = (hits: number, total: number): number => (total > 0 ? hits / total : 0);
  return {
    weighted: Math.max(share(wordsHit, wordsTotal), share(bigramsHit, bigramsTotal)),
    plain: Math.max(share(wordsHitPlain, wordsTotalPlain), share(bigramsHitPlain, bigramsTotalPlain)),
  };
}

/** Which claim terms one passage holds. */
export function passageHits(terms: ClaimTerms, passage: PassageTerms): Uint8Array {
  const hits = new Uint8Array(terms.items.length);
  terms.items.forEach((item, index) => {
    if (item.key === "text" ? passage.norm.includes(item.term) : passage[item.key].has(item.term)) hits[index] = 1;
  });
  return hits;
}

/** Overlap of a single passage (a comment, the whole article). */
export function passageShares(terms: ClaimTerms, passage: PassageTerms): Shares {
  const hits = passageHits(terms, passage);
  return sharesOf(terms, (index) => hits[index] === 1);
}

/** Overlap of every window of `radius` passages either side, from per-passage hits. */
export function windowShares(terms: ClaimTerms, passages: PassageTerms[], radius: number): Shares[] {
  const hits = passages.map((passage) => passageHits(terms, passage));
  return passages.map((_, center) => {
    const from = Math.max(0, center - radius);
    const to = Math.min(passages.length - 1, center + radius);
    return sharesOf(terms, (index) => {
      for (let position = from; position <= to; position += 1) if (hits[position]?.[index] === 1) return true;
      return false;
    });
  });
}
