/**
 * The lexical check of one claim against one source: does the article (not its chrome) state
 * the claim's figures and names, and does its best-matching passage hold the claim's content?
 * Three answers: supported, unsupported, or a grey zone left to the model judge.
 */
import { type ClaimFeatures, featureCount, type TermWeight } from "./features.js";
import { claimTerms, passageShares, windowShares, type ClaimTerms } from "./overlap.js";
import { hasLatinName } from "./names.js";
import { quantityMatches, type Quantity } from "./quantities.js";
import type { Passage, SourceProfile } from "./source-profile.js";

export type Verdict = "supported" | "grey" | "unsupported";
/** Why a claim is not supported: a figure the source lacks, a name it lacks, too little shared content, or drawn from page furniture. */
export type UnsupportedReason = "figure" | "name" | "content" | "furniture";

export type Support = {
  verdict: Verdict;
  reason: UnsupportedReason | null;
  /** Share of the claim's content found in the best passage window (0–1; the lower of the plain and the rarity-weighted share). */
  coverage: number;
  /** The best passage window's text (what a judge reads). */
  passage: string;
  missingFigures: string[];
  missingNames: string[];
};

/** Thresholds of the term overlap: at or above HIGH is support, under LOW is none, between is grey. */
export const COVERAGE = { high: 0.6, low: 0.3, anchored: 0.15 } as const;
const WINDOW = 1;
const MAX_PASSAGE_CHARS = 700;
const MIN_VERBATIM_CHARS = 24;

function found(quantity: Quantity, quantities: Quantity[]): boolean {
  return quantities.some((candidate) => quantityMatches(quantity, candidate));
}

type Window = { index: number; weighted: number; plain: number; figuresInWindow: boolean };

/** The passage window that best matches the claim (rare terms weighted; figures found there count too). */
function bestWindow(claim: ClaimFeatures, terms: ClaimTerms, passages: Passage[]): Window {
  const hard = claim.quantities.filter((quantity) => !quantity.soft);
  const shares = windowShares(terms, passages, WINDOW);
  const figureHits = passages.map((passage) => hard.map((quantity) => found(quantity, passage.quantities)));
  let best: Window & { score: number } = { index: -1, weighted: 0, plain: 0, figuresInWindow: false, score: -1 };
  shares.forEach((share, index) => {
    let matched = 0;
    hard.forEach((_, figure) => {
      for (
        let position = Math.max(0, index - WINDOW);
        position <= Math.min(passages.length - 1, index + WINDOW);
        position += 1
      ) {
        if (figureHits[position]?.[figure]) {
          matched += 1;
          return;
        }
      }
    });
    const score = share.weighted + (hard.length > 0 ? (0.25 * matched) / hard.length : 0);
    if (score > best.score)
      best = { index, weighted: share.weighted, plain: share.plain, figuresInWindow: matched === hard.length, score };
  });
  return best;
}

function passageText(passages: Passage[], index: number): string {
  const from = Math.max(0, index - WINDOW);
  const center = passages[index]?.text ?? "";
  const window = passages
    .slice(from, index + WINDOW + 1)
    .map((item) => item.text)
    .join(" ");
  if (window.length <= MAX_PASSAGE_CHARS) return window;
  if (center.length >= MAX_PASSAGE_CHARS) return `${center.slice(0, MAX_PASSAGE_CHARS - 1)}…`;
  const start = Math.max(0, window.indexOf(center) - Math.floor((MAX_PASSAGE_CHARS - center.length) / 2));
  return `${start > 0 ? "…" : ""}${window.slice(start, start + MAX_PASSAGE_CHARS)}…`;
}

/**
 * Checks one claim against one source; `weight` makes rare terms count more (see TermWeights).
 *
 * - supported: the claim's text is in the article verbatim; or every figure is in the best
 *   passage window, every name in the article, and both the plain and the weighted term overlap
 *   reach COVERAGE.high;
 * - unsupported: a figure the article does not state; two names it does not; little shared
 *   content (under COVERAGE.low, or under COVERAGE.anchored when the claim's names and figures are
 *   all there); or the claim matches a comment or related link far better than the article;
 * - grey otherwise (one name missing, figures elsewhere in the article, a paraphrase).
 */
export function assessSupport(claim: ClaimFeatures, profile: SourceProfile, weight?: TermWeight): Support {
  if (claim.norm.length >= MIN_VERBATIM_CHARS && profile.articleNorm.includes(claim.norm)) {
    return {
      verdict: "supported",
      reason: null,
      coverage: 1,
      passage: claim.text,
      missingFigures: [],
      missingNames: [],
    };
  }
  const hard = claim.quantities.filter((quantity) => !quantity.soft);
  const missingFigures = hard
    .filter((quantity) => !found(quantity, profile.quantities))
    .map((quantity) => quantity.text);
  const names = [...claim.latinNames, ...claim.cjkNames];
  const missingNames = [
    ...claim.latinNames.filter((name) => !hasLatinName(name, profile.vocabulary, profile.prefixes)),
    ...claim.cjkNames.filter((name) => !profile.articleNorm.includes(name.toLowerCase())),
  ];
  const terms = claimTerms(claim, weight);
  // Drawn from a reader comment or a related-story link rather than the article: the page does not report it.
  const fromFurniture = (articleWeighted: number): boolean =>
    (claim.norm.length >= MIN_VERBATIM_CHARS && profile.furnitureNorm.includes(claim.norm)) ||
    profile.furniture.some((item) => {
      const share = passageShares(terms, item).weighted;
      return share >= COVERAGE.high && share >= articleWeighted + 0.15;
    });
  const unsupported = (reason: UnsupportedReason, articleWeighted: number, rest: Partial<Support> = {}): Support => ({
    verdict: "unsupported",
    reason: fromFurniture(articleWeighted) ? "furniture" : reason,
    coverage: 0,
    passage: "",
    missingFigures,
    missingNames,
    ...rest,
  });
  if (missingFigures.length > 0) return unsupported("figure", 0);
  if (missingNames.length >= 2) return unsupported("name", 0);
  const anchored = missingNames.length === 0 && (names.length > 0 || hard.length > 0);
  const floor = anchored ? COVERAGE.anchored : COVERAGE.low;
  // No window of the article can share more than the whole article does.
  const whole = passageShares(terms, profile.whole);
  if (Math.max(whole.weighted, whole.plain) < floor && featureCount(claim) >= 2)
    return unsupported("content", whole.weighted);
  const best = bestWindow(claim, terms, profile.passages);
  const strict = Math.min(best.weighted, best.plain);
  const loose = Math.max(best.weighted, best.plain);
  const located = {
    missingFigures,
    missingNames,
    coverage: strict,
    passage: best.index >= 0 ? passageText(profile.passages, best.index) : "",
  };
  if (fromFurniture(best.weighted)) return { ...located, verdict: "unsupported", reason: "furniture" };
  if (featureCount(claim) < 2) {
    // Too little to compare ("It did."): supported only if every term is there.
    return { ...located, verdict: strict >= 1 ? "supported" : "unsupported", reason: strict >= 1 ? null : "content" };
  }
  if (loose < floor) return { ...located, verdict: "unsupported", reason: "content" };
  const softMissing = claim.quantities.some((quantity) => quantity.soft && !found(quantity, profile.quantities));
  if (missingNames.length === 0 && !softMissing && best.figuresInWindow && strict >= COVERAGE.high) {
    return { ...located, verdict: "supported", reason: null };
  }
  return { ...located, verdict: "grey", reason: missingNames.length > 0 ? "name" : "content" };
}

/**
 * The lexical decision for a grey claim when no judge answers (no model, a failed judge call, or
 * more grey claims than one call takes): supported only when every name and figure is in the
 * source and the term overlap reaches the support threshold — only the figures' place (not in the
 * best-matching passage) or a number spelled as a word left it grey.
 */
export function fallbackVerdict(support: Support): "supported" | "unsupported" {
  if (support.verdict !== "grey") return support.verdict;
  return support.missingNames.length === 0 && support.missingFigures.length === 0 && support.coverage >= COVERAGE.high
    ? "supported"
    : "unsupported";
}
