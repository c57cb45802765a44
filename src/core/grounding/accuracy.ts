import type { QualityScores } from "../author.js";
import type { GroundingFigures } from "./ledger.js";

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function meanOf(scores: QualityScores): number {
  return (scores.relevance + scores.depth + scores.accuracy + scores.completeness + scores.timeliness) / 5;
}

/**
 * The final quality scores with the citation check folded into `accuracy`:
 *
 *   grounding score = 10 × (supported + ½ × repaired) / cited_sentences   (dropped count 0)
 *   accuracy        = (assessed accuracy + grounding score) / 2
 *   overall         = assessed overall + (accuracy − assessed accuracy) / 5
 *
 * Computed as the mean of the five grounded dimensions plus the assessed overall's distance from
 * the mean of the assessed ones, rounded once: an overall that is the (rounded) mean of its
 * dimensions — the extractive engine's — stays their mean to 0.05 rather than drifting by a
 * second rounding; a model's own overall keeps its distance from the mean.
 *
 * The assessment scored the evidence before writing; the check scores what the writer made of
 * it. A repaired sentence counts half: its citation is now the verifier's judgement, not the
 * writer's. `overall` moves by the change of one of its five dimensions. With no cited sentence
 * the assessed scores stand.
 */
export function groundedQuality<T extends QualityScores>(
  scores: T,
  figures: GroundingFigures,
): T & { grounding: GroundingFigures } {
  if (figures.cited_sentences === 0) return { ...scores, grounding: { ...figures } };
  const grounded = (10 * (figures.supported + 0.5 * figures.repaired)) / figures.cited_sentences;
  const accuracy = round((scores.accuracy + grounded) / 2);
  const offset = scores.overall - meanOf(scores);
  // Within rounding of the mean (|offset| ≤ 0.05): the overall is the mean.
  const distance = Math.abs(offset) <= 0.05 + 1e-9 ? 0 : offset;
  const overall = round(Math.min(10, Math.max(0, meanOf({ ...scores, accuracy }) + distance)));
  return { ...scores, accuracy, overall, grounding: { ...figures } };
}
