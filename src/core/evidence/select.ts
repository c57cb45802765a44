import type { NumberedSource, OutlineSection } from "../author.js";
import { tokenize } from "../text/tokenize.js";
import type { SourceAnalysis } from "./analysis.js";
import { buildBm25Index, countTerms, scoreDocument } from "./bm25.js";
import {
  pullNewerFigures,
  poolDisagreements,
  recencyRanks,
  sectionConflicts,
  sourceView,
  type ChosenPassages,
  type ConflictPolicy,
  type EvidenceText,
} from "./conflicts.js";
import type { FigurePair } from "./figures.js";
import type { Subject } from "./topic.js";

export type SelectionLimits = {
  /** Estimated tokens of passages one section's writer gets at most. */
  tokensPerSection: number;
  /** Sources one section gets at most. */
  maxSourcesPerSection: number;
  /** Passages of one source one section gets at most. */
  maxPassagesPerSource: number;
};

/** An on-topic source that may be evidence, with the sections whose queries found it. */
export type Candidate = { source: NumberedSource; analysis: SourceAnalysis; foundBy: ReadonlySet<number> };

/** A source a section did not get, and why. */
export type LeftOut = { id: number; reason: string };

export type SectionEvidence = {
  /** The section's id. */
  id: number;
  /** What the writer gets: each chosen source with `content` cut to its chosen passages (or whole, see `EvidenceText`), best first. */
  sources: NumberedSource[];
  /** Estimated tokens of what the writer gets (those passages, or the whole texts). */
  tokens: number;
  /** Sources this section's own queries found that it did not get, with the reason. */
  left_out: LeftOut[];
};

export type Selection = {
  sections: SectionEvidence[];
  /** On-topic sources no section got, with the reason. */
  unused: LeftOut[];
};

const DECAY = 0.5;
const RELEVANT = 0.25;
const MIN_PASSAGE_VALUE = 0.25;

type Scored = {
  candidate: Candidate;
  /** Per section index: BM25 score of each passage. */
  passageScores: number[][];
  taskScores: number[];
  /** Per section index: the index of the source's best passage. */
  best: number[];
  merit: number[];
  eligible: boolean[];
  own: boolean[];
};

function sectionQuery(section: OutlineSection): string[] {
  return [
    ...tokenize(section.name),
    ...tokenize(section.name),
    ...tokenize(section.queries.join("\n")),
    ...tokenize(section.goal),
  ];
}

/** Each section's terms that not every section shares (and that are not the subject's own words). */
function distinctiveTerms(queries: string[][], subject: Subject): Array<Set<string>> {
  const subjectTerms = new Set([...subject.topic, ...subject.phrases.flat()]);
  // One- and two-digit numbers ("theme 2", "top 10") say nothing about which section a page fits.
  const sets = queries.map(
    (terms) => new Set(terms.filter((term) => !subjectTerms.has(term) && !/^\d{1,2}$/.test(term))),
  );
  if (sets.length < 2) return sets;
  const shared = [...(sets[0] ?? [])].filter((term) => sets.every((set) => set.has(term)));
  return sets.map((set) => new Set([...set].filter((term) => !shared.includes(term))));
}

function weighted(scores: number[]): number {
  const top = [...scores].sort((a, b) => b - a);
  return (top[0] ?? 0) + 0.5 * (top[1] ?? 0) + 0.25 * (top[2] ?? 0);
}

/** The largest value (0 for none); no argument spread, so a pool of any size is fine. */
function maxOf(values: Iterable<number>): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}

function mean(scores: number[]): number {
  return scores.length === 0 ? 0 : scores.reduce((sum, score) => sum + score, 0) / scores.length;
}

function bestPassage(scores: number[]): number {
  let best = 0;
  scores.forEach((score, index) => {
    if (score > (scores[best] ?? 0)) best = index;
  });
  return best;
}

/** Scores every candidate's passages against every section and the task. */
function scoreCandidates(sections: OutlineSection[], candidates: Candidate[], subject: Subject): Scored[] {
  const documents = candidates.flatMap((candidate) => candidate.analysis.passages.map((passage) => passage.counts));
  const index = buildBm25Index(documents);
  const taskQuery = countTerms([...subject.topic, ...subject.phrases.flat(), ...subject.singles]);
  const queries = sections.map(sectionQuery);
  const sectionCounts = queries.map(countTerms);
  const distinctive = distinctiveTerms(queries, subject);
  const ids = new Set(sections.map((section) => section.id));
  let offset = 0;
  const scored = candidates.map((candidate) => {
    const passages = candidate.analysis.passages;
    const documentIds = passages.map((_, position) => offset + position);
    offset += passages.length;
    const passageScores = sectionCounts.map((query) => documentIds.map((id) => scoreDocument(index, id, query)));
    const taskScores = documentIds.map((id) => scoreDocument(index, id, taskQuery));
    const finders = [...candidate.foundBy].filter((id) => ids.has(id)).length;
    const own = sections.map((section) => candidate.foundBy.has(section.id));
    // A section whose words every section shares cannot tell pages apart: only its own finds qualify.
    const matchesDistinct = distinctive.map(
      (terms) => terms.size > 0 && passages.some((passage) => [...terms].some((term) => passage.counts.has(term))),
    );
    return { candidate, passageScores, taskScores, finders, own, matchesDistinct };
  });
  const maxRaw = sections.map((_, position) =>
    maxOf(scored.map((item) => weighted(item.passageScores[position] ?? []))),
  );
  const maxDepth = sections.map((_, position) => maxOf(scored.map((item) => mean(item.passageScores[position] ?? []))));
  const maxTask = maxOf(scored.flatMap((item) => item.taskScores));
  const dated = scored
    .map((item) => item.candidate.analysis.date)
    .filter((date): date is number => date !== null)
    .sort((a, b) => a - b);
  return scored.map((item) => {
    const date = item.candidate.analysis.date;
    const fresh = date === null ? 0 : dated.length <= 1 ? 1 : dated.indexOf(date) / (dated.length - 1);
    const task = maxTask > 0 ? maxOf(item.taskScores) / maxTask : 0;
    // Fit: its best passages (a long article may answer in one paragraph) and how much of it is on the
    // section (an explainer touches every section in a paragraph each; a report on one matter is about it throughout).
    const relative = sections.map((_, position) => {
      const best =
        (maxRaw[position] ?? 0) > 0 ? weighted(item.passageScores[position] ?? []) / (maxRaw[position] ?? 1) : 0;
      const depth =
        (maxDepth[position] ?? 0) > 0 ? mean(item.passageScores[position] ?? []) / (maxDepth[position] ?? 1) : 0;
      return 0.6 * best + 0.4 * depth;
    });
    const merit = sections.map((_, position) => {
      const ownShare = item.own[position] ? 1 / Math.max(1, item.finders) : 0;
      const fit = relative[position] ?? 0;
      // How much better this section fits than the others: an explainer that fits every section fits none best.
      const others = relative.filter((_, other) => other !== position);
      const specificity =
        others.length === 0 ? fit : Math.max(0, fit - others.reduce((sum, value) => sum + value, 0) / others.length);
      return 0.45 * fit + 0.2 * specificity + 0.1 * task + 0.2 * ownShare + 0.05 * fresh;
    });
    const eligible = sections.map(
      (_, position) =>
        Boolean(item.own[position]) ||
        (Boolean(item.matchesDistinct[position]) && (relative[position] ?? 0) >= RELEVANT),
    );
    const best = item.passageScores.map(bestPassage);
    return {
      candidate: item.candidate,
      passageScores: item.passageScores,
      taskScores: item.taskScores,
      best,
      merit,
      eligible,
      own: item.own,
    };
  });
}

/**
 * Chooses each section's evidence by merit: relevance of a source's best passages to the
 * section's name, goal and queries (BM25 over the pool's passages), to the task, whether the
 * section's own queries found it (less when every section's did), and recency. Sections take
 * turns picking, and a source already picked loses half its value for each section holding it
 * (and is capped), so a page that fits everywhere does not fill every section. Each section
 * gets the best passages of its sources within its token budget; figures its sources disagree
 * on are marked (`conflicts.ts`). Nothing is dropped silently: `left_out` and `unused` say why.
 */
export function selectEvidence(input: {
  sections: OutlineSection[];
  candidates: Candidate[];
  subject: Subject;
  limits: SelectionLimits;
  conflictPolicy: ConflictPolicy;
  /** What of each chosen source the writer gets (default "passages"; see `EvidenceText`). */
  text?: EvidenceText;
  /** Figure disagreements among the candidates, when already known (`poolDisagreements`). */
  disagreements?: FigurePair[];
}): Selection {
  const { sections, candidates, subject, limits } = input;
  const scored = scoreCandidates(sections, candidates, subject);
  // A writer given whole texts quotes each sentence in one section only (the extractive engine homes
  // every sentence to the section it fits best), so a source serving many sections repeats nothing;
  // capping it would keep a section from the source its own headline was cut from.
  const maxUses = input.text === "whole" ? sections.length : Math.max(2, Math.ceil(sections.length / 3));
  const uses = new Map<Scored, number>();
  const chosen = sections.map(() => [] as Scored[]);
  const included = sections.map(() => new Map<Scored, Set<number>>());
  const tokens = sections.map(() => 0);
  const tokensOf = (item: Scored, passage: number): number => item.candidate.analysis.passages[passage]?.tokens ?? 0;

  let picked = true;
  while (picked) {
    picked = false;
    const order = sections
      .map((_, position) => position)
      .sort((a, b) => (chosen[a]?.length ?? 0) - (chosen[b]?.length ?? 0) || a - b);
    for (const position of order) {
      const list = chosen[position] ?? [];
      if (list.length >= limits.maxSourcesPerSection) continue;
      let best: { item: Scored; value: number; passage: number } | null = null;
      for (const item of scored) {
        if (!item.eligible[position] || list.includes(item) || (uses.get(item) ?? 0) >= maxUses) continue;
        const passage = item.best[position] ?? 0;
        if (list.length > 0 && (tokens[position] ?? 0) + tokensOf(item, passage) > limits.tokensPerSection) continue;
        const value = (item.merit[position] ?? 0) * DECAY ** (uses.get(item) ?? 0);
        if (!best || value > best.value) best = { item, value, passage };
      }
      if (!best) continue;
      list.push(best.item);
      uses.set(best.item, (uses.get(best.item) ?? 0) + 1);
      included[position]?.set(best.item, new Set([best.passage]));
      tokens[position] = (tokens[position] ?? 0) + tokensOf(best.item, best.passage);
      picked = true;
    }
  }

  // More passages of the chosen sources, best first, while the budget lasts.
  sections.forEach((_, position) => {
    const chosenPassages = included[position];
    if (!chosenPassages) return;
    const sectionMax = maxOf([...chosenPassages.keys()].flatMap((item) => item.passageScores[position] ?? []));
    const taskMax = maxOf([...chosenPassages.keys()].flatMap((item) => item.taskScores));
    const extra: Array<{ item: Scored; passage: number; value: number }> = [];
    for (const [item, set] of chosenPassages) {
      (item.passageScores[position] ?? []).forEach((score, passage) => {
        if (set.has(passage)) return;
        const value =
          (sectionMax > 0 ? score / sectionMax : 0) +
          0.3 * (taskMax > 0 ? (item.taskScores[passage] ?? 0) / taskMax : 0);
        // A passage that barely touches the section (small talk, a byline that slipped through) is not worth its tokens.
        if (value >= MIN_PASSAGE_VALUE) extra.push({ item, passage, value });
      });
    }
    extra.sort((a, b) => b.value - a.value);
    for (const { item, passage } of extra) {
      const set = chosenPassages.get(item);
      if (!set || set.size >= limits.maxPassagesPerSource) continue;
      if ((tokens[position] ?? 0) + tokensOf(item, passage) > limits.tokensPerSection) continue;
      set.add(passage);
      tokens[position] = (tokens[position] ?? 0) + tokensOf(item, passage);
    }
  });

  // A superseded figure brings the newer source's statement of it into the section.
  const dates = new Map(candidates.map((candidate) => [candidate.source.id, candidate.analysis.date]));
  const pairs = input.disagreements ?? poolDisagreements(candidates.map((candidate) => candidate.analysis));
  const byId = new Map(scored.map((item) => [item.candidate.source.id, item]));
  const result: SectionEvidence[] = sections.map((section, position) => {
    const chosenPassages: ChosenPassages = new Map();
    for (const [item, set] of included[position] ?? []) chosenPassages.set(item.candidate.source.id, set);
    const order = (chosen[position] ?? []).map((item) => item.candidate.source.id);
    order.push(...pullNewerFigures(pairs, chosenPassages, dates));
    const conflicts = sectionConflicts(pairs, chosenPassages, dates);
    const ranks = recencyRanks(order, dates);
    const views: NumberedSource[] = [];
    let total = 0;
    for (const id of order) {
      const item = byId.get(id);
      const passages = chosenPassages.get(id);
      if (!item || !passages) continue;
      const { view, tokens: viewTokens } = sourceView({
        source: item.candidate.source,
        analysis: item.candidate.analysis,
        passages,
        conflicts: conflicts.get(id) ?? [],
        recencyRank: ranks.get(id) ?? null,
        policy: input.conflictPolicy,
        text: input.text ?? "passages",
      });
      if (view.content.length === 0) continue;
      views.push(view);
      total += viewTokens;
    }
    const leftOut: LeftOut[] = [];
    for (const item of scored) {
      if (!item.own[position] || views.some((view) => view.id === item.candidate.source.id)) continue;
      leftOut.push({ id: item.candidate.source.id, reason: whyLeftOut(item, position) });
    }
    return { id: section.id, sources: views, tokens: total, left_out: leftOut };
  });

  function whyLeftOut(item: Scored, position: number): string {
    if ((uses.get(item) ?? 0) >= maxUses) {
      const holders = sections
        .filter((_, other) => chosen[other]?.includes(item))
        .map((section) => `"${section.name}"`);
      return `already evidence for ${holders.join(", ")} (a source serves at most ${maxUses} sections)`;
    }
    if ((chosen[position]?.length ?? 0) >= limits.maxSourcesPerSection)
      return `the section already has ${limits.maxSourcesPerSection} sources`;
    return `outranked by the sources chosen within the section's budget of ${limits.tokensPerSection} tokens`;
  }

  const used = new Set(result.flatMap((section) => section.sources.map((view) => view.id)));
  const unused: LeftOut[] = scored
    .filter((item) => !used.has(item.candidate.source.id))
    .map((item) => ({
      id: item.candidate.source.id,
      reason: item.eligible.some(Boolean)
        ? "outranked in every section it matched, within the sections' token budgets"
        : "matched no section's name, goal or queries well enough",
    }));
  return { sections: result, unused };
}
