import type { NumberedSource } from "../author.js";
import { tokenize } from "../text/tokenize.js";
import { countTerms } from "./bm25.js";
import { extractFigures, type Figure } from "./figures.js";
import { splitPassages, type Passage } from "./passages.js";
import { judgeTopic, type Subject, type TopicVerdict } from "./topic.js";

export type AnalyzedPassage = Passage & {
  /** Terms in text order (stemmed, stop words dropped). */
  terms: string[];
  /** Term counts of the passage with its source's title (what BM25 scores). */
  counts: Map<string, number>;
  /** Figures stated in the passage. */
  figures: Figure[];
};

/** A source cut into passages and judged against the task; recomputed when its text changes. */
export type SourceAnalysis = {
  id: number;
  /** The text analysed (a source's text grows when its page is fetched). */
  content: string;
  titleTerms: string[];
  passages: AnalyzedPassage[];
  verdict: TopicVerdict;
  /** Milliseconds since the epoch of `modified_at`, else `published_at`; null when undated. */
  date: number | null;
};

/** The date a source's figures are as of: its modification date when given, else its publication date. */
export function sourceDate(source: Pick<NumberedSource, "published_at" | "modified_at">): number | null {
  for (const value of [source.modified_at, source.published_at]) {
    if (!value) continue;
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  return null;
}

/** Cuts a source into passages, tokenizes them, finds their figures and judges the source against the subject. */
export function analyzeSource(options: {
  source: NumberedSource;
  subject: Subject;
  /** The tokenizer (default `tokenize`; a pool passes its memoizing one). */
  tokenize?: (text: string) => string[];
}): SourceAnalysis {
  const { source, subject, tokenize: terms = tokenize } = options;
  const titleTerms = terms(source.title);
  const topicTerms = new Set([...subject.topic, ...subject.phrases.flat()]);
  const passages = splitPassages(source.content).map((passage): AnalyzedPassage => {
    const passageTerms = terms(passage.text);
    return {
      ...passage,
      terms: passageTerms,
      counts: countTerms([...titleTerms, ...passageTerms]),
      figures: extractFigures({
        sourceId: source.id,
        passage: passage.index,
        text: passage.text,
        topicTerms,
        tokenize: terms,
      }),
    };
  });
  return {
    id: source.id,
    content: source.content,
    titleTerms,
    passages,
    verdict: judgeTopic(
      subject,
      titleTerms,
      passages.map((passage) => passage.terms),
    ),
    date: sourceDate(source),
  };
}
