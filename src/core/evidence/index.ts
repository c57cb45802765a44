export { EvidencePool, evidenceMap, type OffTopicSource, type SourceLookup } from "./pool.js";
export {
  selectEvidence,
  type Candidate,
  type LeftOut,
  type SectionEvidence,
  type Selection,
  type SelectionLimits,
} from "./select.js";
export type { ConflictPolicy, EvidenceText } from "./conflicts.js";
export { SentenceLedger, sentenceKey } from "./repeated-sentences.js";
export { splitPassages, estimateTokens, type Passage } from "./passages.js";
export { subjectOf, judgeTopic, namesPhrase, type Subject, type TopicVerdict } from "./topic.js";
export { extractFigures, figuresOf, findDisagreements, type Figure, type FigurePair } from "./figures.js";
export {
  findSameStories,
  usableCanonical,
  createSameStoryCache,
  type StoryEntry,
  type StoryMerge,
} from "./same-story.js";
export { sourceDate } from "./analysis.js";
