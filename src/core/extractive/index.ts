import type {
  AuthorContext,
  Intent,
  NumberedSource,
  Outline,
  OutlineSection,
  QualityAssessment,
  ReportAuthor,
  SearchFunction,
  WrittenSection,
} from "../author.js";
import { throwIfAborted } from "../errors.js";
import { analyzeIntentByRules, subjectFromText } from "../intent-rules.js";
import { discoveryQueries, outlineFromEvidence } from "./outline.js";
import { assessExtractiveQuality } from "./quality.js";
import { writeExtractiveSection } from "./select.js";
import { writeExtractiveSummary } from "./summary.js";

export { parseCitedSentences } from "./evidence.js";
export { discoveryQueries, outlineFromEvidence } from "./outline.js";
export { assessExtractiveQuality } from "./quality.js";
export { selectUnits, writeExtractiveSection } from "./select.js";
export { writeExtractiveSummary, bigramSimilarity, SUMMARY_SIMILARITY_LIMIT } from "./summary.js";
export { collectUnits, type Unit } from "./units.js";
export { leansOnPrevious } from "./anaphora.js";

/**
 * The extractive engine (no model): intent by rules (subject, aspects, type, window), an
 * outline of the type's facets the evidence supports plus the aspects the task names, headed by
 * headline phrases; sections of self-contained quotes (a sentence that leans on the one before
 * is quoted with it) in reading order with `[n]` citations; a summary of distinct central facts
 * with their dates; quality scores measured on what the report would quote. Every quoted sentence is copied verbatim (whitespace
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
    const { aspects } = subjectFromText(input.params.task);
    const sources = await input.search(discoveryQueries(input.intent, aspects));
    throwIfAborted(input.signal);
    return outlineFromEvidence({ intent: input.intent, sources, aspects });
  }

  async assessQuality(
    input: AuthorContext & {
      intent: Intent;
      outline: Outline;
      evidence: Map<number, NumberedSource[]>;
      iteration: number;
    },
  ): Promise<QualityAssessment> {
    throwIfAborted(input.signal);
    return assessExtractiveQuality(input);
  }

  async writeSection(
    input: AuthorContext & { intent: Intent; outline: Outline; section: OutlineSection; evidence: NumberedSource[] },
  ): Promise<string> {
    throwIfAborted(input.signal);
    return writeExtractiveSection(input);
  }

  async writeSummary(
    input: AuthorContext & { intent: Intent; outline: Outline; sections: WrittenSection[]; sources: NumberedSource[] },
  ): Promise<string> {
    throwIfAborted(input.signal);
    return writeExtractiveSummary({ intent: input.intent, sections: input.sections, sources: input.sources });
  }
}

/** Creates the extractive author (`engine: "extractive"`, no model provider or name). */
export function createExtractiveAuthor(): ReportAuthor {
  return new ExtractiveAuthor();
}
