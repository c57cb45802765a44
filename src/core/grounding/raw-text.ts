/**
 * Cheap views of a source's raw text, built without tokenising: a lowercase copy for quick
 * "could this source state the claim at all?" checks before the full profile is built, and
 * shingles for telling copies of one story apart. A run's registry can hold a hundred pages;
 * these keep the re-pointing search and the copy check from segmenting every one of them.
 */
import type { NumberedSource } from "../author.js";
import type { ClaimFeatures } from "./features.js";

export type RawText = { content: string; lower: string; shingles: Set<string> | null };

const WORD_SHINGLE = 5;
const HAN_SHINGLE = 8;
const MAX_SHINGLES = 3000;

export function rawTextOf(source: NumberedSource): RawText {
  const lower = `${source.title}\n${source.content}`
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(\d),(\d{3})/g, "$1$2");
  return { content: source.content, lower, shingles: null };
}

/** Word 5-grams of Latin text and 8-character runs of Han text (the title left out). */
export function rawShingles(raw: RawText): Set<string> {
  if (raw.shingles) return raw.shingles;
  const shingles = new Set<string>();
  const body = raw.lower.slice(raw.lower.indexOf("\n") + 1);
  const words = body.match(/[\p{Script=Latin}\d]+/gu) ?? [];
  for (let index = 0; index + WORD_SHINGLE <= words.length && shingles.size < MAX_SHINGLES; index += 1)
    shingles.add(words.slice(index, index + WORD_SHINGLE).join(" "));
  for (const run of body.match(/\p{Script=Han}+/gu) ?? []) {
    for (let index = 0; index + HAN_SHINGLE <= run.length && shingles.size < MAX_SHINGLES; index += 2)
      shingles.add(run.slice(index, index + HAN_SHINGLE));
  }
  raw.shingles = shingles;
  return shingles;
}

/**
 * Whether two sources carry one story (a syndicated copy and its original, or one outlet's
 * rewrite of another's): half the shorter text's shingles occur in the longer one.
 */
export function sameStory(left: RawText, right: RawText): boolean {
  const a = rawShingles(left);
  const b = rawShingles(right);
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size < 12) return false;
  let shared = 0;
  for (const shingle of small) if (large.has(shingle)) shared += 1;
  return shared / small.size >= 0.5;
}

/**
 * A necessary condition for a source to state a claim, read off its raw text: the whole numbers
 * of the claim's figures, its names, and at least `minShare` of its terms (Latin terms by their
 * first five letters, Han bigrams as they are) appear in it.
 */
export function mayState(claim: ClaimFeatures, raw: RawText, minShare: number): boolean {
  for (const quantity of claim.quantities) {
    if (quantity.soft) continue;
    const whole = /\d+/.exec(quantity.text.replace(/,/g, ""))?.[0];
    if (whole && !raw.lower.includes(whole)) return false;
  }
  for (const name of claim.cjkNames) if (!raw.lower.includes(name.toLowerCase())) return false;
  for (const name of claim.latinNames) if (name.length >= 4 && !raw.lower.includes(name.slice(0, 5))) return false;
  const terms = [...claim.latinTerms.map((term) => term.slice(0, 5)), ...claim.bigrams];
  if (terms.length === 0) return true;
  const present = terms.filter((term) => raw.lower.includes(term)).length;
  return present / terms.length >= minShare;
}
