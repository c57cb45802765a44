/**
 * What a sentence is made of, for comparing a claim with a passage: content terms (English
 * stemmed, Chinese as `Intl.Segmenter` words), Han character bigrams (robust where the two texts
 * segment a phrase differently), figures and names.
 */
import { citationPattern } from "../pipeline/citations.js";
import { tokenize } from "../text/tokenize.js";
import { cjkNames, latinNames } from "./names.js";
import { extractQuantities, type Quantity } from "./quantities.js";

const HAN_RUN = /\p{Script=Han}+/gu;
const CJK_TERM = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Terms with digits ("110m", "2026") and unit words are the figure check's business, not the overlap's. */
const NUMERIC_TERM = /\d/;
const UNIT_TERMS = new Set("gwh mwh kwh twh wh gw mw kw mah kg km nm gb tb usd cny rmb eur gbp jpy hkd us$".split(" "));
/** Citation groups, Markdown emphasis, inline code and links (the text of a link is kept). */
const CITATION_GROUP = citationPattern({ withSpace: true });

/** The prose of a Markdown fragment: citations, emphasis and link targets removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(CITATION_GROUP, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|_|`)(?=\S)([^*_`]*?\S)\1/g, "$2")
    .replace(/^\s*(?:>\s*)*(?:#{1,6}\s+|[-*+•]\s+|\d+[.)]\s+)?/, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Lowercased, whitespace-collapsed, NFKC text without outer punctuation: the form verbatim checks compare. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[“”"'’‘「」『』]/g, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s.,;:!?。，；：！？、·-]+|[\s.,;:!?。，；：！？、·-]+$/gu, "")
    .trim();
}

export function hanBigrams(text: string): string[] {
  const bigrams: string[] = [];
  for (const match of text.normalize("NFKC").matchAll(HAN_RUN)) {
    const chars = [...match[0]];
    for (let index = 0; index + 1 < chars.length; index += 1) bigrams.push(`${chars[index]}${chars[index + 1]}`);
  }
  return bigrams;
}

/** Content terms of a text (stop words dropped, English stemmed), numbers left to the figure check. */
export function contentTerms(text: string): string[] {
  return tokenize(text).filter((term) => !NUMERIC_TERM.test(term) && !UNIT_TERMS.has(term));
}

const CJK_RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

/** Content terms of a text's Latin-script words only (no word segmentation: CJK is matched by bigrams and substrings). */
export function latinContentTerms(text: string): string[] {
  return contentTerms(text.replace(CJK_RUNS, " "));
}

/** A claim, ready to be checked against passages. */
export type ClaimFeatures = {
  /** The claim as the reader sees it (no citations). */
  text: string;
  norm: string;
  latinTerms: string[];
  cjkTerms: string[];
  bigrams: string[];
  quantities: Quantity[];
  latinNames: string[];
  cjkNames: string[];
};

export function claimFeatures(markdown: string): ClaimFeatures {
  const text = plainText(markdown);
  const terms = [...new Set(contentTerms(text))];
  return {
    text,
    norm: normalizeForMatch(text),
    latinTerms: terms.filter((term) => !CJK_TERM.test(term)),
    cjkTerms: terms.filter((term) => CJK_TERM.test(term)),
    bigrams: [...new Set(hanBigrams(text))],
    quantities: extractQuantities(text),
    latinNames: latinNames(text),
    cjkNames: cjkNames(text),
  };
}

/**
 * What a claim is matched against: a passage's Latin-script terms and Han bigrams as sets, and its
 * normalised text (a claim's Chinese words are looked up in it directly, so sources are never
 * run through the word segmenter).
 */
export type PassageTerms = { terms: ReadonlySet<string>; bigrams: ReadonlySet<string>; norm: string };

/** How much a term says: rare terms (a verb, a name) weigh more than ones every passage has. */
export type TermWeight = (term: string) => number;

/**
 * Document frequencies of terms and bigrams over the run's article passages, turned into
 * inverse-document-frequency weights: missing "shut" matters more than missing "plant".
 */
export class TermWeights {
  private readonly frequencies = new Map<string, number>();
  private documents = 0;

  add(passage: PassageTerms): void {
    this.documents += 1;
    for (const term of passage.terms) this.frequencies.set(term, (this.frequencies.get(term) ?? 0) + 1);
    for (const bigram of passage.bigrams) this.frequencies.set(bigram, (this.frequencies.get(bigram) ?? 0) + 1);
  }

  /** A Chinese word weighs as its bigrams do on average (passages are not segmented into words). */
  readonly weight: TermWeight = (term) => {
    if (CJK_TERM.test(term) && !this.frequencies.has(term)) {
      const bigrams = hanBigrams(term);
      if (bigrams.length > 0) return bigrams.reduce((sum, bigram) => sum + this.idf(bigram), 0) / bigrams.length;
    }
    return this.idf(term);
  };

  private idf(term: string): number {
    return Math.log(1 + (this.documents + 1) / (1 + (this.frequencies.get(term) ?? 0)));
  }
}

/** How many content features a claim has: a claim with almost none cannot be checked by overlap. */
export function featureCount(claim: ClaimFeatures): number {
  return (
    claim.latinTerms.length +
    Math.max(claim.cjkTerms.length, Math.ceil(claim.bigrams.length / 2)) +
    claim.quantities.length
  );
}
