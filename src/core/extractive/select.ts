import type { Intent, NumberedSource, Outline, OutlineSection } from "../author.js";
import { isCjkLanguage } from "../text/language.js";
import { type CompiledFacet, homeOf } from "./cues.js";
import { formatCitedParagraphs } from "./evidence.js";
import { engineText, isChinese } from "./labels.js";
import { sectionFacets, sectionHeadline } from "./section-facets.js";
import { headlineOf } from "./headline.js";
import { subjectAliases, subjectMatcher } from "./topic.js";
import { claimMatch, collectUnits, figures, normalizeQuote, type Unit, type UnitRole } from "./units.js";
import { centroid, cosine } from "./vectors.js";

const LAMBDA = 0.75;
const MAX_PER_SOURCE = 2;
const NEAR_DUPLICATE = 0.55;
const SCORE_FLOOR = 0.22;

/** A unit with its home section (index into the outline) and its score for that section. */
export type RankedUnit = { unit: Unit; score: number; fit: number };

/**
 * Which of two units stating the same claim to keep: a newer figure beats an older one (the
 * figures differ and `a` is dated later); the same figures go to the report's language, then
 * to the earlier publication (the original, not a syndicated copy), then to the earlier unit.
 */
function preferred(a: Unit, b: Unit, sameFigures: boolean, reportLanguage: string): boolean {
  if (a.language !== b.language) return a.language === reportLanguage;
  if (!sameFigures && a.date !== null && b.date !== null && a.date !== b.date) return a.date > b.date;
  if (a.date !== null && b.date !== null && a.date !== b.date) return a.date < b.date;
  if ((a.date === null) !== (b.date === null)) return a.date !== null;
  return a.order < b.order;
}

function informative(unit: Unit): number {
  const names =
    (unit.text.match(/(?<=\S\s)[A-Z][\w-]+/g) ?? []).length +
    (unit.text.match(/[《“][^》”]{2,30}[》”]/gu) ?? []).length;
  return Math.min(1, (figures(unit.text).split(" ").filter(Boolean).length + names * 0.5) / 3);
}

const ROLE_RANK: Record<UnitRole, number> = { background: 0, fact: 1, assessment: 2 };

/** Reading order: background, then facts, then assessments; by date within each (undated background first); then source order. */
export function readingOrder(left: Unit, right: Unit): number {
  const role = ROLE_RANK[left.role] - ROLE_RANK[right.role];
  if (role !== 0) return role;
  const leftDate = left.date ?? (left.role === "background" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
  const rightDate = right.date ?? (right.role === "background" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
  if (leftDate !== rightDate) return leftDate < rightDate ? -1 : 1;
  return left.order - right.order;
}

type RankInput = {
  intent: Intent;
  outline: Outline;
  section: OutlineSection;
  evidence: NumberedSource[];
  facets?: CompiledFacet[];
};

/**
 * The units a section may quote, best first: units from sources about the subject whose home
 * (the facet they report most strongly, the same answer in every section's call) is this
 * section; none with a sentence the evidence marks as superseded (`conflicts`, standing
 * "older"); of two units stating the same claim only the preferred one (newer figure, report
 * language, original over copy); scored by facet fit, naming the subject, centrality, figures
 * and names, recency, and the report's language.
 */
export function rankSection(options: RankInput): RankedUnit[] {
  const { intent, outline, section, evidence } = options;
  const index = outline.sections.findIndex((item) => item.id === section.id);
  if (index < 0 || evidence.length === 0) return [];
  const matches = subjectMatcher(intent, subjectAliases(intent.topic, evidence));
  const onTopic = new Set(
    evidence.filter((source) => matches(`${source.title}\n${source.content}`)).map((source) => source.id),
  );
  // A sentence the evidence marks as stating a figure a newer source states differently is not quoted.
  const superseded = evidence.flatMap((source) =>
    (source.conflicts ?? [])
      .filter((conflict) => conflict.standing === "older")
      .map((conflict) => normalizeQuote(conflict.sentence)),
  );
  const pool = collectUnits(evidence.filter((source) => onTopic.has(source.id))).filter(
    (unit) => !superseded.some((sentence) => sentence.length > 0 && unit.text.includes(sentence)),
  );
  if (pool.length === 0) return [];
  const facets = options.facets ?? sectionFacets(intent, outline);
  const reportLanguage = isChinese(intent.language) ? "zh" : intent.language.slice(0, 2).toLowerCase();
  const homed = pool.map((unit) => ({ unit, home: homeOf(unit, facets) }));
  const own = homed
    .filter(({ home }) => home.index === index)
    .filter(
      ({ unit }) =>
        !pool.some((other) => {
          if (other === unit) return false;
          const match = claimMatch(other, unit);
          return match !== null && preferred(other, unit, match.sameFigures, reportLanguage);
        }),
    );
  if (own.length === 0) return [];
  const center = centroid(own.map(({ unit }) => unit.vector));
  const dates = pool.flatMap((unit) => (unit.date === null ? [] : [unit.date]));
  const oldest = Math.min(...dates);
  const span = Math.max(1, Math.max(...dates) - oldest);
  const background = facets[index]?.facet.id === "background";
  const sameLanguage = own.filter(({ unit }) => unit.language === reportLanguage).length;
  const naming = own.filter(({ unit }) => matches(unit.text)).length;
  // The heading was cut from one unit's first sentence: that unit leads the section.
  const headline = sectionHeadline(section.name);
  // A unit that fits no facet is about none of the sections: never quoted — unless the outline is
  // one section, or none of its sections is a facet the engine knows (an outline a person wrote).
  // The facets' cues are English and Chinese: in other languages every unit is spread over the sections.
  const spread =
    outline.sections.length === 1 ||
    facets.every((compiled) => compiled.facet.id.startsWith("aspect:")) ||
    !/^(?:en|zh)$/.test(reportLanguage);
  return own
    .filter(({ home }) => home.fitted || spread)
    .map(({ unit, home }): RankedUnit => {
      const fit = home.fitted ? Math.min(1, home.score / 2) : 0;
      const recency = unit.date === null ? (background ? 0.8 : 0.3) : 0.4 + (0.6 * (unit.date - oldest)) / span;
      const named = matches(unit.text);
      let score =
        0.3 * fit +
        0.2 * (named ? 1 : 0.3) +
        0.15 * cosine(unit.vector, center) +
        0.15 * informative(unit) +
        0.2 * recency;
      // A quote that never names the subject reads as context-free alone ("Pilot lines opened…"):
      // left out when two others name it, else weighed down.
      if (!named) score *= naming >= 2 ? 0 : 0.6;
      // Two units in the report's language make a section; thinner ones borrow from other languages.
      if (unit.language !== reportLanguage) score *= sameLanguage >= 2 ? 0 : 0.35;
      if (unit.sentences > 1) score *= 0.92;
      if (headline !== null && score > 0 && headlineOf(unit.lead) === headline) score += 0.5;
      return { unit, score, fit };
    })
    .filter((item) => item.score > 0)
    .sort((left, right) => right.score - left.score || left.unit.order - right.unit.order);
}

/**
 * Picks a section's quotes by maximal marginal relevance over `rankSection` (no near-duplicates,
 * at most two per source, none below a score floor) and returns them in reading order.
 */
export function selectUnits(options: RankInput & { maxUnits?: number }): Unit[] {
  const ranked = rankSection(options);
  if (ranked.length === 0) return [];
  const sourceCount = new Set(ranked.map((item) => item.unit.sourceId)).size;
  const limit = options.maxUnits ?? Math.min(5, Math.max(3, sourceCount + 1));
  // A section with one or two sources may quote three units of each; otherwise two, for variety.
  const perSourceLimit = sourceCount <= 2 ? MAX_PER_SOURCE + 1 : MAX_PER_SOURCE;
  const picked: RankedUnit[] = [];
  const perSource = new Map<number, number>();
  while (picked.length < limit) {
    let choice: { item: RankedUnit; value: number } | null = null;
    for (const item of ranked) {
      if (picked.includes(item) || (perSource.get(item.unit.sourceId) ?? 0) >= perSourceLimit) continue;
      const redundancy = Math.max(0, ...picked.map((other) => cosine(other.unit.vector, item.unit.vector)));
      if (redundancy >= NEAR_DUPLICATE) continue;
      const value = LAMBDA * item.score - (1 - LAMBDA) * redundancy;
      if (!choice || value > choice.value) choice = { item, value };
    }
    if (!choice || (picked.length > 0 && choice.item.score < SCORE_FLOOR)) break;
    picked.push(choice.item);
    perSource.set(choice.item.unit.sourceId, (perSource.get(choice.item.unit.sourceId) ?? 0) + 1);
  }
  return picked.map((item) => item.unit).sort(readingOrder);
}

/**
 * A section body: its quotes, each followed by `[id]`, in paragraphs by role (background, facts,
 * assessments; at most three quotes each), or the no-evidence sentence with no citation.
 */
export function writeExtractiveSection(options: RankInput): string {
  const units = selectUnits(options);
  if (units.length === 0) return engineText(options.intent.language).noEvidence;
  const cjk = isCjkLanguage(options.intent.language);
  const groups: Unit[][] = [];
  for (const unit of units) {
    const last = groups.at(-1);
    if (last && last[0]?.role === unit.role && last.length < 3) last.push(unit);
    else groups.push([unit]);
  }
  return groups
    .map((group) =>
      formatCitedParagraphs(
        group.map((unit) => ({ text: unit.text, sourceId: unit.sourceId })),
        cjk,
      ),
    )
    .join("\n\n");
}
