import type { Intent, NumberedSource, Outline, QualityAssessment } from "../author.js";
import { engineText } from "./labels.js";
import { topicalSources } from "./topic.js";
import { isNamingTerm, termBag, termSet } from "./vectors.js";

const SOURCES_FOR_FULL_DEPTH = 4;
const THIN_SECTION = 2;

const round = (value: number) => Math.round(Math.min(10, Math.max(0, value)) * 10) / 10;

/** Where a source comes from: the host for web pages, the document for corpus files. */
function origin(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "file:" ? url : parsed.hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/** Share of a section's most frequent terms that at least two of its sources mention. */
function agreement(sources: NumberedSource[]): number {
  if (sources.length < 2) return sources.length === 1 ? 0.3 : 0;
  const perSource = sources.map((source) => new Set(termBag(source.content).counts.keys()));
  const frequency = new Map<string, number>();
  for (const terms of perSource) for (const term of terms) if (isNamingTerm(term)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const top = [...frequency.entries()].sort((left, right) => right[1] - left[1]).slice(0, 8);
  if (top.length === 0) return 0;
  return top.filter(([, count]) => count >= 2).length / top.length;
}

/** Supplementary searches for a thin section, varied by iteration so a later round asks differently. */
function supplementaryQueries(intent: Intent, name: string, queries: string[], iteration: number): string[] {
  const terms = [...termBag(name).surfaces.values()].filter(isNamingTerm);
  const options = [...terms.map((term) => `${intent.topic} ${term}`), ...queries.slice(1), ...terms];
  const unique = [...new Set(options.map((query) => query.trim()).filter((query) => query.length > 0 && query !== queries[0]))];
  if (unique.length === 0) return [`${intent.topic} ${name}`];
  const start = ((iteration - 1) * 2) % unique.length;
  return [...new Set([unique[start], unique[(start + 1) % unique.length]].filter((query): query is string => query !== undefined))];
}

/**
 * The five quality scores from measurable signals (each 0–10): relevance = coverage of the
 * task's key terms and share of sources that mention them; depth = distinct sources per
 * section (4 = full); accuracy = source diversity and agreement of sources within sections;
 * completeness = share of sections with evidence; timeliness = share of dated sources inside
 * the time window (5 when nothing is dated). Overall is their mean. Sections with fewer than
 * two sources become gaps with supplementary queries.
 */
export function assessExtractiveQuality(options: { intent: Intent; outline: Outline; evidence: Map<number, NumberedSource[]>; iteration: number }): QualityAssessment {
  const { intent, outline, evidence, iteration } = options;
  const text = engineText(intent.language);
  // Off-topic hits (documents that mention no word of the topic) are not evidence: the sections
  // never quote them, so they count for nothing here either.
  const perSection = outline.sections.map((section) => topicalSources(intent, evidence.get(section.id) ?? []));
  const all = new Map<number, NumberedSource>();
  for (const sources of perSection) for (const source of sources) all.set(source.id, source);
  const sources = [...all.values()];
  const keyTerms = termSet(`${intent.topic} ${intent.key_terms.join(" ")}`);
  const sourceTerms = sources.map((source) => termSet(`${source.title} ${source.content}`));
  const covered = [...keyTerms].filter((term) => sourceTerms.some((terms) => terms.has(term))).length;
  const mentioning = sourceTerms.filter((terms) => [...keyTerms].some((term) => terms.has(term))).length;
  const relevance = sources.length === 0 || keyTerms.size === 0 ? 0 : 10 * (0.5 * (covered / keyTerms.size) + 0.5 * (mentioning / sources.length));

  const sectionCount = Math.max(1, outline.sections.length);
  const depth = (10 * perSection.reduce((sum, list) => sum + Math.min(1, new Set(list.map((source) => source.id)).size / SOURCES_FOR_FULL_DEPTH), 0)) / sectionCount;
  const diversity = sources.length === 0 ? 0 : new Set(sources.map((source) => origin(source.url))).size / sources.length;
  const withEvidence = perSection.filter((list) => list.length > 0);
  const agreementScore = withEvidence.length === 0 ? 0 : withEvidence.reduce((sum, list) => sum + agreement(list), 0) / withEvidence.length;
  const accuracy = sources.length === 0 ? 0 : 10 * (0.5 * diversity + 0.5 * agreementScore);
  const completeness = (10 * withEvidence.length) / sectionCount;
  const from = Date.parse(intent.time_window.from);
  const to = Date.parse(intent.time_window.to);
  const dayStart = Math.floor(from / 86_400_000) * 86_400_000;
  const dated = sources.map((source) => (source.published_at ? Date.parse(source.published_at) : Number.NaN)).filter((time) => !Number.isNaN(time));
  const inside = dated.filter((time) => time >= dayStart && time <= to + 86_400_000).length;
  const timeliness = dated.length === 0 ? 5 : (10 * inside) / dated.length;

  const scores = { relevance: round(relevance), depth: round(depth), accuracy: round(accuracy), completeness: round(completeness), timeliness: round(timeliness), overall: 0 };
  scores.overall = round((scores.relevance + scores.depth + scores.accuracy + scores.completeness + scores.timeliness) / 5);

  const gaps: string[] = [];
  const supplementary: QualityAssessment["supplementary_queries"] = [];
  outline.sections.forEach((section, index) => {
    const count = new Set((perSection[index] ?? []).map((source) => source.id)).size;
    if (count >= THIN_SECTION) return;
    gaps.push(text.thinSection(section.name, count));
    for (const query of supplementaryQueries(intent, section.name, section.queries, iteration)) supplementary.push({ section_id: section.id, query });
  });
  if (dated.length > 0 && inside / dated.length < 0.5) gaps.push(text.staleSources(inside / dated.length));
  return { scores, gaps, supplementary_queries: supplementary };
}
