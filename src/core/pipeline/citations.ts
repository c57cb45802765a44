/**
 * Inline `[n]` citations: find them, drop the ones that point at sources a section was not
 * given, and renumber them when the references list is built.
 */

/** One citation group's source: `[3]`, `[3, 5]`, `[3、5]`, and full-width `【3】` / `［3］`; group 1 holds the ids. */
const GROUP = String.raw`[[［【]\s*(\d{1,4}(?:\s*[,，、]\s*\d{1,4})*)\s*[\]］】]`;

/**
 * The one citation pattern every module uses (a new global RegExp each call, so no shared
 * `lastIndex`): one bracket group per match (`[3][5]` is two); `withSpace` also takes one
 * whitespace character before it; `leadingRun` matches the run of groups a text starts with.
 */
export function citationPattern(options: { withSpace?: boolean; leadingRun?: boolean } = {}): RegExp {
  if (options.leadingRun) return new RegExp(String.raw`^(?:\s*${GROUP})+`, "u");
  return new RegExp(options.withSpace ? String.raw`(\s?)${GROUP}` : GROUP, "gu");
}

const CITATION_PATTERN = citationPattern();

function parseIds(group: string): number[] {
  return group
    .split(/[,，、]/)
    .map((part) => Number.parseInt(part.trim(), 10))
    .filter((value) => Number.isInteger(value) && value > 0);
}

/** Every cited id in order of first appearance. */
export function collectCitations(text: string): number[] {
  const seen = new Set<number>();
  for (const match of text.matchAll(CITATION_PATTERN)) {
    for (const id of parseIds(match[1] ?? "")) seen.add(id);
  }
  return [...seen];
}

/**
 * Rewrites every citation group through `map`: ids mapped to null are removed, a group left
 * empty disappears (with the space before it). Groups are normalised to `[a][b]`.
 */
export function rewriteCitations(text: string, map: (id: number) => number | null): string {
  return text.replace(citationPattern({ withSpace: true }), (_whole, space: string, group: string) => {
    const ids = [
      ...new Set(
        parseIds(group)
          .map(map)
          .filter((id): id is number => id !== null),
      ),
    ];
    if (ids.length === 0) return "";
    return `${space}${ids.map((id) => `[${id}]`).join("")}`;
  });
}

/** Removes citations to ids not in `allowed`; returns the cleaned text and how many were dropped. */
export function sanitizeCitations(text: string, allowed: ReadonlySet<number>): { text: string; removed: number[] } {
  const removed: number[] = [];
  const cleaned = rewriteCitations(text, (id) => {
    if (allowed.has(id)) return id;
    removed.push(id);
    return null;
  });
  return { text: cleaned, removed: [...new Set(removed)] };
}
