/**
 * Inline `[n]` citations: find them, drop the ones that point at sources a section was not
 * given, and renumber them when the references list is built.
 */

/** Matches `[3]`, `[3, 5]`, `[3][5]` (each bracket separately), and full-width `【3】` / `［3］`. */
const CITATION_PATTERN = /[[［【]\s*(\d{1,4}(?:\s*[,，、]\s*\d{1,4})*)\s*[\]］】]/g;

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
  return text.replace(/(\s?)[[［【]\s*(\d{1,4}(?:\s*[,，、]\s*\d{1,4})*)\s*[\]］】]/g, (_whole, space: string, group: string) => {
    const ids = [...new Set(parseIds(group).map(map).filter((id): id is number => id !== null))];
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
