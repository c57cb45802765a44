import type { Intent, NumberedSource, Outline } from "../author.js";
import { createCachedTokenizer } from "../text/tokenize.js";
import { analyzeSource, type SourceAnalysis } from "./analysis.js";
import { poolDisagreements, type ConflictPolicy, type EvidenceText } from "./conflicts.js";
import type { FigurePair } from "./figures.js";
import { selectEvidence, type Candidate, type Selection, type SelectionLimits } from "./select.js";
import { aliasPhrases, subjectOf, type Subject } from "./topic.js";

/** What the pool needs of the run's source registry. */
export type SourceLookup = {
  /** The source an id stands for (the original when the id was handed out for a copy). */
  get(id: number): NumberedSource | undefined;
  /** Every distinct source. */
  all(): NumberedSource[];
};

export type OffTopicSource = { id: number; title: string; url: string; reason: string };

/**
 * The run's evidence: which section's queries found which source, each source cut into passages
 * and judged against the task (cached until its text changes), and the per-section selection.
 * No I/O; the registry it reads is the run's.
 */
export class EvidencePool {
  private readonly foundBy = new Map<number, Set<number>>();
  private readonly analyses = new Map<number, { key: string; analysis: SourceAnalysis }>();
  private readonly aliasesSeen = new Map<number, { content: string; aliases: string[][] }>();
  /** Memoizes word → term across the run's sources (the same words recur on every page). */
  private readonly tokenize = createCachedTokenizer({ maxEntries: 50_000 });
  private disagreements: { analyses: SourceAnalysis[]; pairs: FigurePair[] } | null = null;
  /** The subject, with the other names of it the sources give ("AI智能体（AI Agent）"). */
  subject: Subject;

  constructor(
    private readonly registry: SourceLookup,
    intent: Pick<Intent, "topic" | "key_terms">,
  ) {
    this.subject = subjectOf(intent);
  }

  /** Records that a section's queries (initial or gap-filling) found these sources. */
  found(sectionId: number, sources: NumberedSource[]): void {
    for (const source of sources) {
      const sections = this.foundBy.get(source.id) ?? new Set<number>();
      sections.add(sectionId);
      this.foundBy.set(source.id, sections);
    }
  }

  /** Learns the subject's other names from every source's text (each text read once). */
  private learnAliases(): void {
    const phrases = new Map(this.subject.phrases.map((phrase) => [phrase.join(" "), phrase]));
    for (const source of this.registry.all()) {
      const seen = this.aliasesSeen.get(source.id);
      const aliases =
        seen?.content === source.content
          ? seen.aliases
          : aliasPhrases(`${source.title}\n${source.content}`, this.subject);
      this.aliasesSeen.set(source.id, { content: source.content, aliases });
      for (const alias of aliases) if (!phrases.has(alias.join(" "))) phrases.set(alias.join(" "), alias);
    }
    if (phrases.size !== this.subject.phrases.length)
      this.subject = { ...this.subject, phrases: [...phrases.values()] };
  }

  /** The analysis of a source's current text. */
  analysis(source: NumberedSource): SourceAnalysis {
    const subjectKey = this.subject.phrases.length;
    const key = `${subjectKey}\u0000${source.title}\u0000${source.published_at ?? ""}\u0000${source.modified_at ?? ""}\u0000${source.content}`;
    const cached = this.analyses.get(source.id);
    if (cached?.key === key) return cached.analysis;
    const analysis = analyzeSource({ source, subject: this.subject, tokenize: this.tokenize });
    this.analyses.set(source.id, { key, analysis });
    return analysis;
  }

  /** The given sources resolved to their originals, without repeats and without off-topic ones. */
  onTopic(sources: NumberedSource[]): NumberedSource[] {
    this.learnAliases();
    const result: NumberedSource[] = [];
    for (const source of sources) {
      const original = this.registry.get(source.id) ?? source;
      if (result.includes(original) || !this.analysis(original).verdict.onTopic) continue;
      result.push(original);
    }
    return result;
  }

  /** Distinct sources that are not about the task, with why. */
  offTopic(): OffTopicSource[] {
    this.learnAliases();
    return this.registry
      .all()
      .map((source) => ({ source, verdict: this.analysis(source).verdict }))
      .filter(({ verdict }) => !verdict.onTopic)
      .map(({ source, verdict }) => ({ id: source.id, title: source.title, url: source.url, reason: verdict.reason }));
  }

  /** Which sections' queries found each distinct source (ids of copies count for their original). */
  private findersByOriginal(): Map<number, Set<number>> {
    const result = new Map<number, Set<number>>();
    for (const [id, sections] of this.foundBy) {
      const original = this.registry.get(id)?.id ?? id;
      result.set(original, new Set([...(result.get(original) ?? []), ...sections]));
    }
    return result;
  }

  /** Chooses every section's evidence from the on-topic sources (see `selectEvidence`). */
  select(options: {
    outline: Outline;
    limits: SelectionLimits;
    conflictPolicy: ConflictPolicy;
    text?: EvidenceText;
  }): Selection {
    this.learnAliases();
    const finders = this.findersByOriginal();
    const candidates: Candidate[] = this.registry
      .all()
      .map((source) => ({
        source,
        analysis: this.analysis(source),
        foundBy: finders.get(source.id) ?? new Set<number>(),
      }))
      .filter((candidate) => candidate.analysis.verdict.onTopic && candidate.analysis.passages.length > 0);
    return selectEvidence({
      sections: options.outline.sections,
      candidates,
      subject: this.subject,
      limits: options.limits,
      conflictPolicy: options.conflictPolicy,
      text: options.text ?? "passages",
      disagreements: this.disagreementsOf(candidates.map((candidate) => candidate.analysis)),
    });
  }

  /** Figure disagreements among these analyses, recomputed only when a source was added or its text changed. */
  private disagreementsOf(analyses: SourceAnalysis[]): FigurePair[] {
    const last = this.disagreements;
    if (
      last &&
      last.analyses.length === analyses.length &&
      last.analyses.every((analysis, index) => analysis === analyses[index])
    )
      return last.pairs;
    const pairs = poolDisagreements(analyses);
    this.disagreements = { analyses, pairs };
    return pairs;
  }
}

/** A selection as the map `assessQuality` takes: section id → its evidence. */
export function evidenceMap(selection: Selection): Map<number, NumberedSource[]> {
  return new Map(selection.sections.map((section) => [section.id, section.sources]));
}
