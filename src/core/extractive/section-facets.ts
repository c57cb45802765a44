import type { Intent, Outline, OutlineSection } from "../author.js";
import { isStopWord } from "../text/stop-words.js";
import { tokenize } from "../text/tokenize.js";
import { compileFacet, type CompiledFacet } from "./cues.js";
import { aspectFacet, type Facet, facetForLabel } from "./facets.js";
import { termSet } from "./vectors.js";

/** A section name's label: the part before the first colon ("Funding: Quillmark…" → "Funding"). */
export function sectionLabel(name: string): string {
  return (name.split(/[:：]/u)[0] ?? name).trim();
}

/** A section name's headline: the part after the first colon, or null. */
export function sectionHeadline(name: string): string | null {
  const at = name.search(/[:：]/u);
  return at < 0 ? null : name.slice(at + 1).trim() || null;
}

/**
 * The facet a section covers, read back from its name: a catalog facet when its label names one
 * ("Funding", "融资", "主要企业", "Key players"), else a facet made of the label's own words plus,
 * weakly, its first query's words other than the subject's (an outline a person edited, "Stability").
 */
export function facetOfSection(section: OutlineSection, intent: Intent): Facet {
  const label = sectionLabel(section.name);
  const known = facetForLabel(label, intent.task_type);
  if (known) return known;
  const base = aspectFacet(label);
  const subject = termSet(`${intent.topic} ${intent.key_terms.join(" ")}`);
  const labelWords = tokenize(label, { stem: false }).filter((word) => word.length > 1 && !isStopWord(word));
  // Only the first query: later ones are cut from the lead fact, whose words say nothing about the section's kind.
  const queryWords = (section.queries[0] ? tokenize(section.queries[0], { stem: false }) : []).filter(
    (word) => word.length > 1 && !subject.has(word),
  );
  return { ...base, cues: [...new Set([...base.cues, ...labelWords, ...queryWords.map((word) => `~${word}`)])] };
}

/**
 * The compiled facets of an outline's sections, in section order. A facet made from the task's
 * own words ("stability") weighs double: a sentence that names what the task asked about belongs there.
 */
export function sectionFacets(intent: Intent, outline: Outline): CompiledFacet[] {
  return outline.sections.map((section) => {
    const facet = facetOfSection(section, intent);
    return compileFacet(facet, facet.id.startsWith("aspect:") ? 2 : 1);
  });
}
