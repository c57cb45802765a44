/**
 * A source's text as the verifier reads it: the sentences that may support a claim (the
 * article), the sentences that support nothing (comments, related-story links, bylines, share
 * bars) kept apart so a claim drawn from them can be named as such, and the figures and names
 * the article states. Built once per source and run.
 */
import type { NumberedSource } from "../author.js";
import { splitSentences } from "../text/sentences.js";
import { tokenize } from "../text/tokenize.js";
import { classifySourceLines, stripClaimChrome, type ChromeReason } from "./chrome.js";
import { contentTerms, hanBigrams, normalizeForMatch, plainText, type PassageTerms } from "./features.js";
import { nameVocabulary, prefixesOf } from "./names.js";
import { extractQuantities, type Quantity } from "./quantities.js";

export type Passage = PassageTerms & { text: string; norm: string; quantities: Quantity[] };

export type SourceProfile = {
  source: NumberedSource;
  /** The content this profile was built from (a changed content means a stale profile). */
  content: string;
  passages: Passage[];
  furniture: Array<Passage & { reason: ChromeReason }>;
  /** Normalised article text (passages joined), for verbatim and Chinese-name lookups. */
  articleNorm: string;
  furnitureNorm: string;
  /** Figures of the article, its title and its publication date. */
  quantities: Quantity[];
  vocabulary: Set<string>;
  prefixes: Set<string>;
  /** Word 4-gram shingles of the article, for telling copies of one story apart. */
  shingles: Set<string>;
};

const MAX_SHINGLE_TOKENS = 2500;

function passage(text: string): Passage {
  const plain = plainText(text);
  return {
    text: plain,
    norm: normalizeForMatch(plain),
    terms: new Set(contentTerms(plain)),
    bigrams: new Set(hanBigrams(plain)),
    quantities: extractQuantities(plain),
  };
}

function shinglesOf(text: string): Set<string> {
  const tokens = tokenize(text, { keepStopWords: true, stem: false }).slice(0, MAX_SHINGLE_TOKENS);
  const shingles = new Set<string>();
  for (let index = 0; index + 4 <= tokens.length; index += 1) shingles.add(tokens.slice(index, index + 4).join(" "));
  return shingles;
}

export function buildProfile(source: NumberedSource): SourceProfile {
  const passages: Passage[] = [];
  const furniture: SourceProfile["furniture"] = [];
  const title = source.title.trim();
  if (title && title !== source.url) passages.push(passage(title));
  for (const line of classifySourceLines(source.content)) {
    for (const sentence of splitSentences(line.text)) {
      if (!line.citable) {
        furniture.push({ ...passage(sentence), reason: line.reason ?? "chrome" });
        continue;
      }
      // A dateline or share bar glued to the article's first sentence is not part of it.
      const stripped = stripClaimChrome(plainText(sentence));
      if (stripped.chromeOnly) {
        furniture.push({ ...passage(sentence), reason: "chrome" });
        continue;
      }
      passages.push(passage(stripped.text));
    }
  }
  const articleText = passages.map((item) => item.text).join(" ");
  const quantities = passages.flatMap((item) => item.quantities);
  if (source.published_at) quantities.push(...extractQuantities(source.published_at.slice(0, 10)));
  const vocabulary = nameVocabulary(articleText);
  return {
    source,
    content: source.content,
    passages,
    furniture,
    articleNorm: normalizeForMatch(articleText),
    furnitureNorm: normalizeForMatch(furniture.map((item) => item.text).join(" ")),
    quantities,
    vocabulary,
    prefixes: prefixesOf(vocabulary),
    shingles: shinglesOf(passages.slice(title ? 1 : 0).map((item) => item.text).join(" ")),
  };
}

/** Profiles by source id, rebuilt when a source's content changed. */
export class ProfileCache {
  private readonly profiles = new Map<number, SourceProfile>();

  get(source: NumberedSource): SourceProfile {
    const cached = this.profiles.get(source.id);
    if (cached && cached.content === source.content && cached.source === source) return cached;
    const profile = buildProfile(source);
    this.profiles.set(source.id, profile);
    return profile;
  }
}

/**
 * Whether two sources carry one story (a syndicated copy and its original): most of the
 * shorter article's 4-word shingles occur in the longer one.
 */
export function sameStory(left: SourceProfile, right: SourceProfile): boolean {
  if (left.source.id === right.source.id) return true;
  const [small, large] = left.shingles.size <= right.shingles.size ? [left.shingles, right.shingles] : [right.shingles, left.shingles];
  if (small.size < 15) return false;
  let shared = 0;
  for (const shingle of small) if (large.has(shingle)) shared += 1;
  return shared / small.size >= 0.5;
}
