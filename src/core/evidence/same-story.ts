import { containment, jaccard, normalizeUrl, shingles } from "../search/dedupe.js";

/** What is known about one source when deciding which sources are copies of one story. */
export type StoryEntry = {
  id: number;
  /** The URL the source was found at, and the page's final URL after redirects. */
  urls: string[];
  /** The URL the page names as its original (`link rel=canonical`, `og:url`), when fetched. */
  canonical: string | null;
  /** Milliseconds since the epoch of the earliest date known (published), or null. */
  published: number | null;
  /** Article text when the page was fetched; null for a search snippet. */
  article: string | null;
  /** Snippet text (used only between snippets). */
  snippet: string;
};

export type StoryMerge = { keep: number; drop: number; reason: "canonical" | "text" };

export type SameStoryOptions = {
  /** Share of the shorter article's shingles the other must hold; default 0.6. */
  articleContainment?: number;
  /** Shingles the shorter article needs before text is compared; default 25. */
  minArticleShingles?: number;
  /** Jaccard two snippets need (they are short excerpts, not articles); default 0.85. */
  snippetJaccard?: number;
  /** Shingles a snippet needs before it is compared; default 8. */
  minSnippetShingles?: number;
};

/** A canonical URL worth trusting: not a site's home page named by an inner page. */
export function usableCanonical(canonical: string | null | undefined, pageUrl: string): string | null {
  if (!canonical) return null;
  try {
    const target = new URL(canonical);
    const page = new URL(pageUrl);
    if (target.protocol !== "http:" && target.protocol !== "https:") return null;
    const home = target.pathname.replace(/\/+$/, "") === "";
    if (home && page.pathname.replace(/\/+$/, "") !== "") return null;
    return target.href;
  } catch {
    return null;
  }
}

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(id: number): number {
    let root = id;
    while ((this.parent.get(root) ?? root) !== root) root = this.parent.get(root) ?? root;
    this.parent.set(id, root);
    return root;
  }
  union(a: number, b: number): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(Math.max(rootA, rootB), Math.min(rootA, rootB));
  }
}

/** Memo of shingle sets and text comparisons, kept between calls by the caller. */
export type SameStoryCache = { shingles: Map<string, Set<string>>; compared: Map<string, boolean> };

export function createSameStoryCache(): SameStoryCache {
  return { shingles: new Map(), compared: new Map() };
}

function urlKeys(entry: StoryEntry): string[] {
  const keys = entry.urls.map((url) => normalizeUrl(url));
  if (entry.canonical) keys.push(normalizeUrl(entry.canonical));
  return [...new Set(keys)];
}

/**
 * Groups sources that are one story: they share a URL, a final URL or a canonical URL (a
 * syndicated copy names the original), or their article texts nearly contain one another
 * (shingle containment, so a copy with its own headline, intro and boilerplate still matches).
 * From each group it keeps the original: the source at the URL the others name as canonical,
 * else the earliest dated, else the first found. `cache` memoizes shingles and comparisons
 * between calls (keyed by text length, so a source whose text grew is compared again).
 */
export function findSameStories(
  entries: StoryEntry[],
  options: SameStoryOptions = {},
  cache: SameStoryCache = createSameStoryCache(),
): StoryMerge[] {
  const { articleContainment = 0.6, minArticleShingles = 25, snippetJaccard = 0.85, minSnippetShingles = 8 } = options;
  const union = new UnionFind();
  const byKey = new Map<string, number>();
  const keysOf = new Map<number, string[]>();
  for (const entry of entries) {
    const keys = urlKeys(entry);
    keysOf.set(entry.id, keys);
    for (const key of keys) {
      const other = byKey.get(key);
      if (other === undefined) byKey.set(key, entry.id);
      else union.union(other, entry.id);
    }
  }
  const shingleSet = (entry: StoryEntry, kind: "article" | "snippet"): Set<string> => {
    const text = kind === "article" ? (entry.article ?? "") : entry.snippet;
    const key = `${entry.id}:${kind}:${text.length}`;
    let set = cache.shingles.get(key);
    if (!set) {
      set = shingles(text);
      cache.shingles.set(key, set);
    }
    return set;
  };
  for (let left = 0; left < entries.length; left += 1) {
    for (let right = left + 1; right < entries.length; right += 1) {
      const a = entries[left];
      const b = entries[right];
      if (!a || !b || union.find(a.id) === union.find(b.id)) continue;
      const bothArticles = a.article !== null && b.article !== null;
      const bothSnippets = a.article === null && b.article === null;
      if (!bothArticles && !bothSnippets) continue;
      const kind = bothArticles ? "article" : "snippet";
      const key = `${kind}|${a.id}:${(a.article ?? a.snippet).length}|${b.id}:${(b.article ?? b.snippet).length}`;
      let same = cache.compared.get(key);
      if (same === undefined) {
        const setA = shingleSet(a, kind);
        const setB = shingleSet(b, kind);
        const smaller = Math.min(setA.size, setB.size);
        same = bothArticles
          ? smaller >= minArticleShingles && containment(setA, setB) >= articleContainment
          : smaller >= minSnippetShingles && jaccard(setA, setB) >= snippetJaccard;
        cache.compared.set(key, same);
      }
      if (same) union.union(a.id, b.id);
    }
  }
  const groups = new Map<number, StoryEntry[]>();
  for (const entry of entries) {
    const root = union.find(entry.id);
    groups.set(root, [...(groups.get(root) ?? []), entry]);
  }
  const merges: StoryMerge[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const keep = original(members);
    const keepKeys = new Set(keysOf.get(keep.id) ?? []);
    for (const member of members) {
      if (member.id === keep.id) continue;
      const linked = (keysOf.get(member.id) ?? []).some((key) => keepKeys.has(key));
      merges.push({ keep: keep.id, drop: member.id, reason: linked ? "canonical" : "text" });
    }
  }
  return merges;
}

/** The original of a group: the one the others name as canonical, else the earliest dated, else the first found. */
function original(members: StoryEntry[]): StoryEntry {
  const named = new Set<string>();
  for (const member of members) {
    if (!member.canonical) continue;
    const key = normalizeUrl(member.canonical);
    if (!member.urls.some((url) => normalizeUrl(url) === key)) named.add(key);
  }
  const targets = members.filter((member) => member.urls.some((url) => named.has(normalizeUrl(url))));
  const pool = targets.length > 0 ? targets : members;
  let best = pool[0] as StoryEntry;
  for (const member of pool.slice(1)) {
    const earlier =
      member.published !== null &&
      (best.published === null ||
        member.published < best.published ||
        (member.published === best.published && member.id < best.id));
    const sameUndated = member.published === null && best.published === null && member.id < best.id;
    if (earlier || sameUndated) best = member;
  }
  return best;
}
