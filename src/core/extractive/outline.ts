import type { Intent, NumberedSource, Outline, OutlineSection } from "../author.js";
import { compileFacet, type CompiledFacet, homeOf } from "./cues.js";
import { aspectFacet, type Facet, FACETS, facetForAspect } from "./facets.js";
import { headlineOf } from "./headline.js";
import { engineText, isChinese } from "./labels.js";
import { sectionFacets } from "./section-facets.js";
import { rankSection } from "./select.js";
import { subjectAliases, topicalSources } from "./topic.js";
import { collectUnits } from "./units.js";

const MAX_SECTIONS = 7;
const MIN_SECTIONS = 2;
const MAX_DISCOVERY_QUERIES = 10;
/** A facet is supported when a unit reports it at least this strongly (one full cue, or weak ones together). */
const STRONG_FIT = 1;

/** A facet planned for the outline: the catalog's, or one made from an aspect the task names; `label` is how the heading names it. */
type Planned = { facet: Facet; label: string; named: boolean };

/**
 * The subject as a search would put it, with its other-language name when the report language
 * differs from the subject's script ("AI Agent 智能体" for a Chinese report on AI agents).
 */
export function subjectQuery(intent: Intent, aliases: string[] = subjectAliases(intent.topic)): string {
  const chinese = isChinese(intent.language);
  const latinSubject = !/\p{Script=Han}/u.test(intent.topic);
  const other = aliases.find((alias) =>
    chinese && latinSubject ? /\p{Script=Han}/u.test(alias) : !chinese && !latinSubject ? /^[a-z]/.test(alias) : false,
  );
  return other ? `${intent.topic} ${other}` : intent.topic;
}

/** The facets a task calls for: the aspects it names (mapped onto catalog facets where they fit), then its type's facets. */
function plannedFacets(intent: Intent, aspects: string[]): Planned[] {
  const chinese = isChinese(intent.language);
  const planned: Planned[] = [];
  for (const aspect of aspects) {
    const facet = facetForAspect(aspect, intent.task_type) ?? aspectFacet(aspect);
    if (planned.some((item) => item.facet.id === facet.id)) continue;
    const label = chinese || /\p{Script=Han}/u.test(aspect) ? aspect : aspect.charAt(0).toUpperCase() + aspect.slice(1);
    planned.push({ facet, label, named: true });
  }
  for (const facet of FACETS[intent.task_type]) {
    if (!planned.some((item) => item.facet.id === facet.id))
      planned.push({ facet, label: chinese ? facet.zh : facet.en, named: false });
  }
  return planned;
}

/**
 * The first searches of a run, the way a person searches: the subject alone, then the subject
 * with each facet's words ("AI Agent 智能体 融资", "solid-state battery cost price") and with each
 * aspect the task names, so that the evidence the outline is shaped from spans every facet.
 */
export function discoveryQueries(intent: Intent, aspects: string[] = []): string[] {
  const chinese = isChinese(intent.language);
  const subject = subjectQuery(intent);
  const queries = [
    subject,
    ...plannedFacets(intent, aspects).map(
      ({ facet, named, label }) =>
        `${subject} ${named && !facet.id.startsWith("aspect:") ? label : chinese ? facet.query.zh : facet.query.en}`,
    ),
  ];
  const seen = new Set<string>();
  return queries
    .map((query) => query.trim())
    .filter((query) => {
      const key = query.toLowerCase();
      if (query.length === 0 || seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_DISCOVERY_QUERIES);
}

/**
 * Distinct sources with at least one unit that reports each planned facet strongly, counting
 * only units in the report's language when three or more sources are written in it (the
 * sections will not quote the others then).
 */
function facetSupport(planned: Planned[], sources: NumberedSource[], reportLanguage: string): number[] {
  const compiled = planned.map((item) => compileFacet(item.facet));
  const support = planned.map(() => new Set<number>());
  const units = collectUnits(sources);
  const sameLanguage = units.filter((unit) => unit.language === reportLanguage);
  const counted = new Set(sameLanguage.map((unit) => unit.sourceId)).size >= 3 ? sameLanguage : units;
  for (const unit of counted) {
    const home = homeOf(unit, compiled);
    if (home.fitted && home.score >= STRONG_FIT) support[home.index]?.add(unit.sourceId);
  }
  return support.map((set) => set.size);
}

/** The facets the outline keeps: every aspect the task names, then the best-supported others, in the type's order. */
function chooseFacets(planned: Planned[], support: number[]): Planned[] {
  const named = planned.filter((item) => item.named);
  const others = planned
    .map((item, index) => ({ item, index, support: support[index] ?? 0 }))
    .filter(({ item, support: count }) => !item.named && count > 0)
    .sort((left, right) => right.support - left.support || left.index - right.index)
    .slice(0, Math.max(0, MAX_SECTIONS - named.length));
  let chosen = [...named, ...others.map(({ item }) => item)];
  if (chosen.length < MIN_SECTIONS) {
    // Little or no evidence: the type's usual first facets, so the report still has a shape (and says what is missing).
    for (const item of planned)
      if (chosen.length < Math.max(MIN_SECTIONS, 3) && !chosen.includes(item)) chosen.push(item);
  }
  const order = (item: Planned) => (item.named ? named.indexOf(item) : named.length + planned.indexOf(item));
  chosen = chosen.sort((left, right) => order(left) - order(right));
  return chosen;
}

const EVENT_VERB =
  /\b(?:launched|launches|raised|raises|agreed|acquired|acquires|bought|published|released|formed|announced|deleted|found|reported|reached|approved|opened|signed|unveiled|introduced|won|awarded|cut|rose|fell)\b|宣布|发布|完成|推出|收购|上线|达到|投产|签署|成立|通过|上调|下调|扩大/u;

/** How much a sentence reads like a headline: an event verb, and a named subject or a date at its start. */
function newsworthiness(sentence: string): number {
  const named =
    /^(?:[A-Z][\w&-]*\s+){1,3}(?:[A-Z][\w&-]*|\p{Lu})|^(?:\d{4}年)?\d{1,2}月\d{1,2}日|^[\p{Script=Han}]{2,8}(?:公司|科技|能源|智能|集团)/u.test(
      sentence,
    )
      ? 0.5
      : 0;
  return named + (EVENT_VERB.test(sentence) ? 0.5 : 0);
}

/**
 * Derives an outline from the discovery evidence: the task type's facets (news: funding,
 * products, deals, policy…; industry analysis: market size, key players, technology, costs…)
 * that the evidence supports, plus every aspect the task names; each section is headed by its
 * facet and a headline cut from its lead fact ("Funding: Quillmark AI raised $340 million in a
 * Series C round"), and searched with the subject plus the facet's words.
 */
export function outlineFromEvidence(options: {
  intent: Intent;
  sources: NumberedSource[];
  aspects?: string[];
}): Outline {
  const { intent } = options;
  const chinese = isChinese(intent.language);
  const text = engineText(intent.language);
  const aliases = subjectAliases(intent.topic, options.sources);
  const pool = topicalSources(intent, options.sources, aliases);
  const planned = plannedFacets(intent, options.aspects ?? []);
  const reportLanguage = chinese ? "zh" : intent.language.slice(0, 2).toLowerCase();
  const chosen = chooseFacets(planned, facetSupport(planned, pool, reportLanguage));
  const subject = subjectQuery(intent, aliases);
  const firstQuery = (item: Planned) =>
    `${subject} ${item.named && !item.facet.id.startsWith("aspect:") ? item.label : chinese ? item.facet.query.zh : item.facet.query.en}`;
  const draftSections: OutlineSection[] = chosen.map((item, index) => ({
    id: index,
    name: item.label,
    goal: "",
    queries: [firstQuery(item)],
  }));
  const draft: Outline = { title: "", sections: draftSections };
  const compiled: CompiledFacet[] = sectionFacets(intent, draft);
  const sections = chosen.map((item, index): OutlineSection => {
    const ranked = rankSection({
      intent,
      outline: draft,
      section: draftSections[index] as OutlineSection,
      evidence: pool,
      facets: compiled,
    });
    const lead = ranked
      .slice(0, 3)
      .filter((candidate) => candidate.fit >= 0.5 && candidate.unit.language === reportLanguage)
      .map((candidate) => ({
        candidate,
        value:
          candidate.score + 0.15 * newsworthiness(candidate.unit.lead) + (candidate.unit.role === "fact" ? 0.05 : 0),
      }))
      .sort((left, right) => right.value - left.value)[0]?.candidate;
    const headline = lead ? headlineOf(lead.unit.lead) : null;
    const queries = [firstQuery(item)];
    if (headline) queries.push(`${intent.topic} ${headline}`);
    else queries.push(`${intent.topic} ${chinese ? item.facet.zh : item.facet.en}`);
    return {
      id: index,
      name: text.heading(item.label, headline),
      goal: text.goal(item.label, intent.topic),
      queries: [...new Set(queries.map((query) => query.trim()))],
    };
  });
  return { title: text.title(intent.topic, intent.task_type), sections };
}
