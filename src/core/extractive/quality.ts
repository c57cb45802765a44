import type { Intent, NumberedSource, Outline, OutlineSection, QualityAssessment } from "../author.js";
import { facetOfSection, sectionFacets, sectionLabel } from "./section-facets.js";
import { engineText, isChinese } from "./labels.js";
import { selectUnits } from "./select.js";
import { subjectAliases, subjectMatcher } from "./topic.js";
import type { Unit } from "./units.js";
import { cosine, isNamingTerm, termSet } from "./vectors.js";
import { subjectQuery } from "./outline.js";

/** Quotes a section needs to count as complete, and sources and quotes for full depth. */
const COMPLETE_QUOTES = 2;
const FULL_DEPTH_SOURCES = 3;
const FULL_DEPTH_QUOTES = 4;
const DAY_MS = 86_400_000;

const round = (value: number) => Math.round(Math.min(10, Math.max(0, value)) * 10) / 10;

/** Share of quotes that another source corroborates (a quote from a different source on the same claim). */
function corroboration(units: Unit[], all: Unit[]): number {
  if (units.length === 0) return 0;
  const backed = units.filter((unit) =>
    all.some((other) => other.sourceId !== unit.sourceId && cosine(other.claim, unit.claim) >= 0.25),
  );
  return backed.length / units.length;
}

/** Supplementary searches for a thin section, varied by iteration so a later round asks differently. */
function supplementaryQueries(intent: Intent, section: OutlineSection, iteration: number): string[] {
  const facet = facetOfSection(section, intent);
  const subject = subjectQuery(intent);
  const label = sectionLabel(section.name);
  const cueWords = facet.cues.filter((cue) => !cue.startsWith("~")).slice(0, 6);
  const chinese = isChinese(intent.language);
  const options = [
    `${subject} ${chinese ? facet.query.zh : facet.query.en}`,
    `${intent.topic} ${label}`,
    ...cueWords.map((cue) => `${intent.topic} ${cue}`),
    `${chinese ? facet.query.en : facet.query.zh} ${intent.topic}`,
    ...intent.key_terms.filter(isNamingTerm).map((term) => `${term} ${label}`),
  ];
  const unique = [
    ...new Set(
      options.map((query) => query.trim()).filter((query) => query.length > 0 && !section.queries.includes(query)),
    ),
  ];
  if (unique.length === 0) return [`${intent.topic} ${label}`];
  const start = ((iteration - 1) * 2) % unique.length;
  return [
    ...new Set(
      [unique[start], unique[(start + 1) % unique.length]].filter((query): query is string => query !== undefined),
    ),
  ];
}

/**
 * The five quality scores, measured on what the report would quote (each 0–10): every section's
 * quotes are selected exactly as the writer will select them, then
 * - relevance: share of the evidence about the subject, and of the task's key terms the quotes cover;
 * - depth: per section, distinct sources quoted (3 = full) and quotes (4 = full), averaged;
 * - accuracy: quotes corroborated by another source, and the diversity of the quoted sources;
 * - completeness: per section 1 with two quotes or more, 0.5 with one, 0 with none, averaged;
 * - timeliness: share of the quoted dated sources inside the requested window (5 when none is dated;
 *   a window widened for lack of evidence counts its original span).
 * Overall is their mean. Sections with fewer than two quotes become gaps with supplementary queries.
 */
export function assessExtractiveQuality(options: {
  intent: Intent;
  outline: Outline;
  evidence: Map<number, NumberedSource[]>;
  iteration: number;
}): QualityAssessment {
  const { intent, outline, evidence, iteration } = options;
  const text = engineText(intent.language);
  const facets = sectionFacets(intent, outline);
  const perSection = outline.sections.map((section) =>
    selectUnits({ intent, outline, section, evidence: evidence.get(section.id) ?? [], facets }),
  );
  const quoted = perSection.flat();
  const all = new Map<number, NumberedSource>();
  for (const list of evidence.values()) for (const source of list) all.set(source.id, source);
  const sources = [...all.values()];
  const matches = subjectMatcher(intent, subjectAliases(intent.topic, sources));
  const onTopicShare =
    sources.length === 0
      ? 0
      : sources.filter((source) => matches(`${source.title}\n${source.content}`)).length / sources.length;
  const keyTerms = termSet(`${intent.topic} ${intent.key_terms.join(" ")}`);
  const quotedTerms = new Set(quoted.flatMap((unit) => [...unit.counts.keys()]));
  const covered =
    keyTerms.size === 0 ? 1 : [...keyTerms].filter((term) => quotedTerms.has(term)).length / keyTerms.size;
  const relevance = quoted.length === 0 ? 0 : 10 * (0.5 * onTopicShare + 0.5 * covered);

  const sectionCount = Math.max(1, outline.sections.length);
  const sourcesIn = (units: Unit[]) => new Set(units.map((unit) => unit.sourceId)).size;
  const depth =
    (10 *
      perSection.reduce(
        (sum, units) =>
          sum +
          0.5 * Math.min(1, sourcesIn(units) / FULL_DEPTH_SOURCES) +
          0.5 * Math.min(1, units.length / FULL_DEPTH_QUOTES),
        0,
      )) /
    sectionCount;
  const completeness =
    (10 *
      perSection.reduce(
        (sum, units) => sum + (units.length >= COMPLETE_QUOTES ? 1 : units.length === 1 ? 0.5 : 0),
        0,
      )) /
    sectionCount;
  const diversity = quoted.length === 0 ? 0 : sourcesIn(quoted) / quoted.length;
  const accuracy =
    quoted.length === 0 ? 0 : 10 * (0.5 * corroboration(quoted, quoted) + 0.5 * Math.min(1, diversity * 1.5));

  const requestedDays = intent.requested_days ?? intent.days;
  const to = Date.parse(intent.time_window.to);
  const windowStart = Math.floor((to - requestedDays * DAY_MS) / DAY_MS) * DAY_MS;
  const quotedSources = [...new Set(quoted.map((unit) => unit.sourceId))];
  const dated = quotedSources
    .map((id) => Date.parse(all.get(id)?.published_at ?? ""))
    .filter((time) => !Number.isNaN(time));
  const inside = dated.filter((time) => time >= windowStart && time <= to + DAY_MS).length;
  const timeliness = dated.length === 0 ? (quoted.length === 0 ? 0 : 5) : (10 * inside) / dated.length;

  const scores = {
    relevance: round(relevance),
    depth: round(depth),
    accuracy: round(accuracy),
    completeness: round(completeness),
    timeliness: round(timeliness),
    overall: 0,
  };
  scores.overall = round(
    (scores.relevance + scores.depth + scores.accuracy + scores.completeness + scores.timeliness) / 5,
  );

  const gaps: string[] = [];
  const supplementary: QualityAssessment["supplementary_queries"] = [];
  outline.sections.forEach((section, index) => {
    const units = perSection[index] ?? [];
    if (units.length >= COMPLETE_QUOTES) return;
    gaps.push(text.thinSection(section.name, units.length, sourcesIn(units)));
    for (const query of supplementaryQueries(intent, section, iteration))
      supplementary.push({ section_id: section.id, query });
  });
  if (dated.length > 0 && inside / dated.length < 0.5) gaps.push(text.staleSources(inside / dated.length));
  return { scores, gaps, supplementary_queries: supplementary };
}
