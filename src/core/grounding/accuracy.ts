import type { QualityScores } from "../author.js";
import type { GroundingFigures } from "./ledger.js";

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The final quality scores with the citation check folded into `accuracy`:
 *
 *   grounding score = 10 × (supported + ½ × repaired) / cited_sentences   (dropped count 0)
 *   accuracy        = (assessed accuracy + grounding score) / 2
 *   overall         = assessed overall + (accuracy − assessed accuracy) / 5
 *
 * The assessment scored the evidence before writing; the check scores what the writer made of
 * it. A repaired sentence counts half: its citation is now the verifier's judgement, not the
 * writer's. `overall` moves by the change of one of its five dimensions. With no cited sentence
 * the assessed scores stand.
 */
export function groundedQuality<T extends QualityScores>(scores: T, figures: GroundingFigures): T & { grounding: GroundingFigures } {
  if (figures.cited_sentences === 0) return { ...scores, grounding: { ...figures } };
  const grounded = (10 * (figures.supported + 0.5 * figures.repaired)) / figures.cited_sentences;
  const accuracy = round((scores.accuracy + grounded) / 2);
  const overall = round(Math.min(10, Math.max(0, scores.overall + (accuracy - scores.accuracy) / 5)));
  return { ...scores, accuracy, overall, grounding: { ...figures } };
}
