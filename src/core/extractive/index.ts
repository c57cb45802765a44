import type { AuthorContext, Intent, NumberedSource, Outline, OutlineSection, QualityAssessment, ReportAuthor, SearchFunction, WrittenSection } from "../author.js";
import { throwIfAborted } from "../errors.js";
import { analyzeIntentByRules } from "../intent-rules.js";
import { discoveryQueries, outlineFromEvidence } from "./outline.js";
import { assessExtractiveQuality } from "./quality.js";
import { writeExtractiveSection } from "./select.js";
import { writeExtractiveSummary } from "./summary.js";

export { parseCitedSentences } from "./evidence.js";
export { discoveryQueries, outlineFromEvidence } from "./outline.js";
export { assessExtractiveQuality } from "./quality.js";
export { selectSentences, writeExtractiveSection } from "./select.js";
export { writeExtractiveSummary } from "./summary.js";

/**
 * The extractive engine (no model): intent by rules, outline from clustered evidence,
 * sections by redundancy-aware sentence selection with `[n]` citations, summary by TextRank,
 * quality from measurable signals. Every quoted sentence is copied verbatim (whitespace
 * collapsed) from the `content` of the source it cites. It never calls `onUsage`.
 */
export class ExtractiveAuthor implements ReportAuthor {
  readonly engine = "extractive" as const;
  readonly modelProvider = null;
  readonly modelName = null;

  async analyzeIntent(input: AuthorContext): Promise<Intent> {
    throwIfAborted(input.signal);
    return analyzeIntentByRules({ params: input.params, now: input.now });
  }

  async planOutline(input: AuthorContext & { intent: Intent; search: SearchFunction }): Promise<Outline> {
    throwIfAborted(input.signal);
    const sources = await input.search(discoveryQueries(input.intent));
    throwIfAborted(input.signal);
    return outlineFromEvidence({ intent: input.intent, sources });
  }

  async assessQuality(
    input: AuthorContext & { intent: Intent; outline: Outline; evidence: Map<number, NumberedSource[]>; iteration: number },
  ): Promise<QualityAssessment> {
    throwIfAborted(input.signal);
    return assessExtractiveQuality(input);
  }

  async writeSection(input: AuthorContext & { intent: Intent; outline: Outline; section: OutlineSection; evidence: NumberedSource[] }): Promise<string> {
    throwIfAborted(input.signal);
    return writeExtractiveSection(input);
  }

  async writeSummary(input: AuthorContext & { intent: Intent; outline: Outline; sections: WrittenSection[]; sources: NumberedSource[] }): Promise<string> {
    throwIfAborted(input.signal);
    return writeExtractiveSummary({ intent: input.intent, sections: input.sections });
  }
}

/** Creates the extractive author (`engine: "extractive"`, no model provider or name). */
export function createExtractiveAuthor(): ReportAuthor {
  return new ExtractiveAuthor();
}
