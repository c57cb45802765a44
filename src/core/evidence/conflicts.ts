import type { FigureConflict, NumberedSource } from "../author.js";
import type { SourceAnalysis } from "./analysis.js";
import { findDisagreements, type FigurePair } from "./figures.js";

/**
 * What a writer gets of a superseded figure: "mark" keeps the sentence and marks it older (a
 * model can date it); "omit" leaves the sentence out (an engine that quotes sentences cannot).
 */
export type ConflictPolicy = "mark" | "omit";

/**
 * What of a chosen source a writer gets: "passages", its chosen passages (a model's prompt has a
 * budget); "whole", its whole text, verbatim (an engine that picks its own sentences and quotes a
 * sentence with the one it leans on needs each sentence's neighbours). The selection is the same.
 */
export type EvidenceText = "passages" | "whole";

/** Passages chosen for one section: source id → passage indexes. */
export type ChosenPassages = Map<number, Set<number>>;

/** Figures that sources of the pool disagree on (same quantity and unit, different values). */
export function poolDisagreements(analyses: SourceAnalysis[]): FigurePair[] {
  return findDisagreements(analyses.flatMap((analysis) => analysis.passages.flatMap((passage) => passage.figures)));
}

function standing(mine: number | null, other: number | null): FigureConflict["standing"] {
  if (mine === null || other === null || mine === other) return "unknown";
  return mine > other ? "newer" : "older";
}

/**
 * Where a section holds a figure that a newer dated source states differently, adds that
 * source's passage, so the writer sees the current value beside the old one. Returns the ids
 * of sources added to the section.
 */
export function pullNewerFigures(
  pairs: FigurePair[],
  chosen: ChosenPassages,
  dates: ReadonlyMap<number, number | null>,
): number[] {
  const added: number[] = [];
  for (const pair of pairs) {
    for (const [held, other] of [
      [pair.first, pair.second],
      [pair.second, pair.first],
    ] as const) {
      if (!chosen.get(held.sourceId)?.has(held.passage)) continue;
      if (standing(dates.get(other.sourceId) ?? null, dates.get(held.sourceId) ?? null) !== "newer") continue;
      const passages = chosen.get(other.sourceId);
      if (passages?.has(other.passage)) continue;
      if (!passages) added.push(other.sourceId);
      chosen.set(other.sourceId, new Set([...(passages ?? []), other.passage]));
    }
  }
  return added;
}

/** The conflicts each source of a section takes part in, both of whose passages the section holds. */
export function sectionConflicts(
  pairs: FigurePair[],
  chosen: ChosenPassages,
  dates: ReadonlyMap<number, number | null>,
): Map<number, FigureConflict[]> {
  const bySource = new Map<number, FigureConflict[]>();
  for (const pair of pairs) {
    if (
      !chosen.get(pair.first.sourceId)?.has(pair.first.passage) ||
      !chosen.get(pair.second.sourceId)?.has(pair.second.passage)
    )
      continue;
    const quantity = pair.shared.slice(0, 4).join(" ");
    for (const [mine, other] of [
      [pair.first, pair.second],
      [pair.second, pair.first],
    ] as const) {
      const conflict: FigureConflict = {
        value: mine.raw,
        sentence: mine.sentence,
        other_source_id: other.sourceId,
        other_value: other.raw,
        quantity,
        standing: standing(dates.get(mine.sourceId) ?? null, dates.get(other.sourceId) ?? null),
      };
      bySource.set(mine.sourceId, [...(bySource.get(mine.sourceId) ?? []), conflict]);
    }
  }
  return bySource;
}

/**
 * The source as one section's writer sees it: `content` is its chosen passages in text order
 * (`text: "passages"`) or its whole text (`"whole"`), with the section's conflicts and the
 * source's recency rank. Under "omit", sentences of the passages that state a superseded figure
 * are left out; a whole text is never cut (the sentences around a cut would read as adjacent),
 * so its conflicts are all marked, whatever the policy.
 */
export function sourceView(input: {
  source: NumberedSource;
  analysis: SourceAnalysis;
  passages: ReadonlySet<number>;
  conflicts: FigureConflict[];
  recencyRank: number | null;
  policy: ConflictPolicy;
  text?: EvidenceText;
}): { view: NumberedSource; tokens: number } {
  const { source, analysis, conflicts } = input;
  const policy: ConflictPolicy = input.text === "whole" ? "mark" : input.policy;
  const stale =
    policy === "omit"
      ? conflicts.filter((conflict) => conflict.standing === "older").map((conflict) => conflict.sentence)
      : [];
  let tokens = 0;
  const texts: string[] = [];
  for (const passage of analysis.passages) {
    if (!input.passages.has(passage.index)) continue;
    let text = passage.text;
    for (const sentence of stale)
      text = text
        .replace(sentence, "")
        .replace(/[ \t]{2,}/g, " ")
        .trim();
    if (text.length === 0) continue;
    texts.push(text);
    tokens += passage.tokens;
  }
  const whole = input.text === "whole" && texts.length > 0;
  const view: NumberedSource = {
    ...source,
    content: whole ? source.content : texts.join("\n\n"),
    recency_rank: input.recencyRank,
    ...(conflicts.length > 0
      ? { conflicts: policy === "omit" ? conflicts.filter((conflict) => conflict.standing !== "older") : conflicts }
      : {}),
  };
  return { view, tokens: whole ? analysis.passages.reduce((sum, passage) => sum + passage.tokens, 0) : tokens };
}

/** Recency ranks of a section's sources: 1 for the latest dated, null for the undated. */
export function recencyRanks(ids: number[], dates: ReadonlyMap<number, number | null>): Map<number, number | null> {
  const dated = ids
    .filter((id) => (dates.get(id) ?? null) !== null)
    .sort((a, b) => (dates.get(b) ?? 0) - (dates.get(a) ?? 0));
  const ranks = new Map<number, number | null>(ids.map((id) => [id, null]));
  dated.forEach((id, index) => ranks.set(id, index + 1));
  return ranks;
}
