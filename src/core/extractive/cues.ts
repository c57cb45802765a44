import type { Facet } from "./facets.js";
import { cueStems } from "./units.js";

const WEAK = 0.4;

type CompiledCue = { weight: number } & (
  { kind: "stem"; stem: string } | { kind: "phrase"; pattern: RegExp } | { kind: "han"; text: string }
);

/** A facet with its cues ready to match against many units. */
export type CompiledFacet = { facet: Facet; cues: CompiledCue[]; boost: number };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Prepares a facet's cues; `boost` multiplies its score (aspects the task names weigh more). */
export function compileFacet(facet: Facet, boost = 1): CompiledFacet {
  const cues = facet.cues.map((raw): CompiledCue => {
    const weight = raw.startsWith("~") ? WEAK : 1;
    const cue = raw.replace(/^~/, "");
    if (cue.startsWith("§")) return { kind: "stem", stem: cue, weight };
    if (/\p{Script=Han}/u.test(cue)) return { kind: "han", text: cue, weight };
    if (/\s/.test(cue) || /[^a-z-]/.test(cue))
      return { kind: "phrase", pattern: new RegExp(`(?:^|[^a-z0-9])${escapeRegExp(cue)}(?![a-z0-9])`, "i"), weight };
    const stem = [...cueStems(cue)][0] ?? cue;
    return { kind: "stem", stem, weight };
  });
  return { facet, cues, boost };
}

/** How strongly a unit reports the kind of fact a facet covers: the summed weights of its cues found (each once). */
export function facetScore(compiled: CompiledFacet, unit: { lower: string; stems: Set<string> }): number {
  let score = 0;
  for (const cue of compiled.cues) {
    const found =
      cue.kind === "stem"
        ? unit.stems.has(cue.stem)
        : cue.kind === "han"
          ? unit.lower.includes(cue.text)
          : cue.pattern.test(unit.lower);
    if (found) score += cue.weight;
  }
  return score * compiled.boost;
}

/** A stable small number for a text, the same in every call, to spread units that fit no facet. */
export function textHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index += 1) hash = (hash * 31 + text.charCodeAt(index)) >>> 0;
  return hash;
}

/**
 * The section a unit belongs to: the one whose facet it reports most strongly (ties: the earlier
 * section); a unit that fits none is spread over the sections by a hash of its text. Every
 * section's call computes the same home, so parallel sections never quote the same unit.
 */
export function homeOf(
  unit: { text: string; lower: string; stems: Set<string> },
  facets: CompiledFacet[],
): { index: number; score: number; fitted: boolean } {
  let best = { index: -1, score: 0 };
  facets.forEach((compiled, index) => {
    const score = facetScore(compiled, unit);
    if (score > best.score) best = { index, score };
  });
  if (best.index >= 0) return { ...best, fitted: true };
  return { index: facets.length > 0 ? textHash(unit.text) % facets.length : -1, score: 0, fitted: false };
}
