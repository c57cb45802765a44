import type { Intent, NumberedSource, Outline, OutlineSection } from "../author.js";
import { isChinese, engineText } from "./labels.js";
import { type Candidate, collectCandidates, formatCitedParagraphs } from "./evidence.js";
import { hasCjk, isCjkLanguage } from "../text/language.js";
import { topicalSources, topicTerms } from "./topic.js";
import { centroid, cosine, inverseDocumentFrequency, termSet } from "./vectors.js";

const LAMBDA = 0.7;
const MAX_PER_SOURCE = 2;
const NEAR_DUPLICATE = 0.75;

/** Terms a section is about: its name and queries. */
export function sectionTerms(section: OutlineSection): Set<string> {
  return termSet(`${section.name} ${section.queries.join(" ")}`);
}

/**
 * Each section's distinctive terms: its own terms without those every section shares (the
 * topic's words are in every section's queries, so they say nothing about where a sentence belongs).
 */
function distinctiveSectionTerms(outline: Outline): Array<{ id: number; terms: Set<string> }> {
  const all = outline.sections.map((item) => ({ id: item.id, terms: sectionTerms(item) }));
  if (all.length < 2) return all;
  const shared = [...(all[0]?.terms ?? [])].filter((term) => all.every((item) => item.terms.has(term)));
  return all.map((item) => ({ id: item.id, terms: new Set([...item.terms].filter((term) => !shared.includes(term))) }));
}

/** A stable small number for a sentence, the same in every section's call. */
function textHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index += 1) hash = (hash * 31 + text.charCodeAt(index)) >>> 0;
  return hash;
}

/** idf-weighted share of `terms` that the candidate contains. */
function coverage(candidate: Candidate, terms: Set<string>, idf: Map<string, number>): number {
  let total = 0;
  let found = 0;
  for (const term of terms) {
    const weight = idf.get(term) ?? 1;
    total += weight;
    if (candidate.counts.has(term)) found += weight;
  }
  return total > 0 ? found / total : 0;
}

/**
 * The section a sentence belongs to: the one whose distinctive terms it shares most of (ties:
 * the earlier section). A sentence that matches no section's own terms is spread over the
 * sections by a hash of its text, so that every section's call agrees on one home and a generic
 * sentence is not quoted by every section.
 */
function homeSection(candidate: Candidate, sections: Array<{ id: number; terms: Set<string> }>): number | null {
  let best: { id: number; share: number } | null = null;
  for (const section of sections) {
    let found = 0;
    for (const term of section.terms) if (candidate.counts.has(term)) found += 1;
    const share = section.terms.size > 0 ? found / section.terms.size : 0;
    if (share > 0 && (!best || share > best.share)) best = { id: section.id, share };
  }
  if (best) return best.id;
  return sections.length > 0 ? (sections[textHash(candidate.text) % sections.length]?.id ?? null) : null;
}

/**
 * Picks sentences for one section by maximal marginal relevance: relevance = coverage of the
 * section's terms and the task's key terms, centrality in the section's evidence, a preference
 * for the report's language, and only sentences that fit this section at least as well as any other;
 * redundancy = similarity to sentences already picked. At most two sentences per source.
 */
export function selectSentences(options: {
  intent: Intent;
  outline: Outline;
  section: OutlineSection;
  evidence: NumberedSource[];
  maxSentences?: number;
}): Array<{ text: string; sourceId: number }> {
  const { intent, outline, section, evidence } = options;
  const candidates = collectCandidates(evidence);
  if (candidates.length === 0) return [];
  const idf = inverseDocumentFrequency(candidates.map((candidate) => candidate.counts));
  const ownTerms = sectionTerms(section);
  const keyTerms = termSet(`${intent.topic} ${intent.key_terms.join(" ")}`);
  const center = centroid(candidates.map((candidate) => candidate.vector));
  const reportLanguage = isChinese(intent.language) ? "zh" : intent.language.slice(0, 2).toLowerCase();
  const allSections = distinctiveSectionTerms(outline);
  const subject = topicTerms(intent);
  const subjectScripts = { latin: [...subject].some((term) => /\p{Script=Latin}/u.test(term)), cjk: [...subject].some((term) => hasCjk(term)) };
  const scored = candidates.map((candidate) => {
    const own = coverage(candidate, ownTerms, idf);
    let score = 0.5 * own + 0.25 * coverage(candidate, keyTerms, idf) + 0.25 * cosine(candidate.vector, center);
    if (candidate.language !== reportLanguage) score *= 0.3;
    // A sentence that never names the topic reads as context-free when quoted alone ("Most now
    // expect…"). Only judged where the topic is written in the sentence's script: a Chinese
    // sentence says 智能体 where an English topic says "agent".
    const sameScript = candidate.language === "en" ? subjectScripts.latin : subjectScripts.cjk;
    if (sameScript && ![...subject].some((term) => candidate.counts.has(term))) score *= 0.5;
    return { candidate, score, home: homeSection(candidate, allSections) };
  });
  // Each sentence belongs to the section whose terms it matches best (the same answer for every
  // section's call), so parallel sections do not repeat each other. A section whose sources hold
  // nothing of its own says it has no evidence rather than repeating another section.
  // Sources that mention no word of the topic are off-topic hits of a section query: never quoted.
  const onTopic = new Set(topicalSources(intent, evidence).map((source) => source.id));
  const base = scored.filter((item) => onTopic.has(item.candidate.sourceId));
  const preferred = base.filter((item) => item.home === null || item.home === section.id);
  const sameLanguage = preferred.filter((item) => item.candidate.language === reportLanguage && item.score > 0.05);
  // Two sentences in the report's language make a section; only thinner ones borrow sentences in other languages.
  const pool = sameLanguage.length >= 2 ? sameLanguage : preferred;
  const limit = options.maxSentences ?? Math.min(6, Math.max(3, new Set(candidates.map((candidate) => candidate.sourceId)).size + 1));
  const picked: typeof scored = [];
  const perSource = new Map<number, number>();
  while (picked.length < limit) {
    let choice: { item: (typeof scored)[number]; value: number } | null = null;
    for (const item of pool) {
      if (picked.includes(item) || (perSource.get(item.candidate.sourceId) ?? 0) >= MAX_PER_SOURCE) continue;
      const redundancy = Math.max(0, ...picked.map((other) => cosine(other.candidate.vector, item.candidate.vector)));
      if (redundancy >= NEAR_DUPLICATE) continue;
      const value = LAMBDA * item.score - (1 - LAMBDA) * redundancy;
      if (!choice || value > choice.value || (value === choice.value && item.candidate.order < choice.item.candidate.order)) choice = { item, value };
    }
    if (!choice || (picked.length >= 2 && choice.item.score < 0.05)) break;
    picked.push(choice.item);
    perSource.set(choice.item.candidate.sourceId, (perSource.get(choice.item.candidate.sourceId) ?? 0) + 1);
  }
  return picked.map(({ candidate }) => ({ text: candidate.text, sourceId: candidate.sourceId }));
}

/** A section body: selected sentences each followed by `[id]`, or the no-evidence sentence (no citation). */
export function writeExtractiveSection(options: { intent: Intent; outline: Outline; section: OutlineSection; evidence: NumberedSource[] }): string {
  const selected = selectSentences(options);
  if (selected.length === 0) return engineText(options.intent.language).noEvidence;
  return formatCitedParagraphs(selected, isCjkLanguage(options.intent.language));
}
