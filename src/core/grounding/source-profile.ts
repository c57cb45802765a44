/**
 * A source's text as the verifier reads it: the sentences that may support a claim (the
 * article), the sentences that support nothing (comments, related-story links, bylines, share
 * bars) kept apart so a claim drawn from them can be named as such, and the figures and names
 * the article states. Built once per source and run.
 */
import type { NumberedSource } from "../author.js";
import { splitSentences } from "../text/sentences.js";
import { classifySourceLines, stripClaimChrome, type ChromeReason } from "./chrome.js";
import { hanBigrams, latinContentTerms, normalizeForMatch, plainText, type PassageTerms } from "./features.js";
import { nameVocabulary, prefixesOf } from "./names.js";
import { extractQuantities, type Quantity } from "./quantities.js";

export type Passage = PassageTerms & { text: string; quantities: Quantity[] };

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
  /** Every term and bigram of the article: no passage window shares more with a claim. */
  whole: PassageTerms;
  vocabulary: Set<string>;
  prefixes: Set<string>;
};

/** Figures need digits, or a number word: most sentences of a page have neither. */
const MAY_HAVE_FIGURES =
  /\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|dozen)\b/i;

function passage(text: string): Passage {
  const plain = plainText(text);
  return {
    text: plain,
    norm: normalizeForMatch(plain),
    terms: new Set(latinContentTerms(plain)),
    bigrams: new Set(hanBigrams(plain)),
    quantities: MAY_HAVE_FIGURES.test(plain) ? extractQuantities(plain) : [],
  };
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
  const articleNorm = normalizeForMatch(articleText);
  const whole = {
    terms: new Set(passages.flatMap((item) => [...item.terms])),
    bigrams: new Set(passages.flatMap((item) => [...item.bigrams])),
    norm: articleNorm,
  };
  return {
    source,
    content: source.content,
    passages,
    furniture,
    articleNorm,
    furnitureNorm: normalizeForMatch(furniture.map((item) => item.text).join(" ")),
    quantities,
    whole,
    vocabulary,
    prefixes: prefixesOf(vocabulary),
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
