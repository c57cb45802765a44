import type { SearchHit } from "../types.js";

const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "dclid",
  "msclkid",
  "yclid",
  "mc_cid",
  "mc_eid",
  "igshid",
  "spm",
  "ref_src",
]);

/**
 * A comparable form of a URL: http and https are the same, the host is lowercase without
 * `www.`, default ports, the fragment, a trailing slash and tracking parameters (`utm_*`,
 * `fbclid`, `gclid`, …) are dropped and the remaining parameters sorted. Non-URLs come back
 * trimmed.
 */
export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url.trim();
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return parsed.href;
  const host = parsed.hostname
    .toLowerCase()
    .replace(/^www\./, "")
    .replace(/\.$/, "");
  const port = parsed.port && parsed.port !== "80" && parsed.port !== "443" ? `:${parsed.port}` : "";
  const params = [...parsed.searchParams.entries()]
    .filter(([name]) => !name.toLowerCase().startsWith("utm_") && !TRACKING_PARAMS.has(name.toLowerCase()))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : "";
  const path = parsed.pathname.replace(/\/+$/, "");
  return `https://${host}${port}${path}${query}`;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;
const TOKEN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[\p{L}\p{N}]+/gu;

/**
 * Shingles of a text for near-duplicate detection: word 3-grams for alphabetic text,
 * character bigrams for CJK (no spaces between words). Lowercased and NFKC-normalised;
 * punctuation and thousands separators ignored.
 */
export function shingles(text: string): Set<string> {
  const normalized = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(\d)[,'’](?=\d{3}\b)/g, "$1");
  const tokens = normalized.match(TOKEN) ?? [];
  const cjkCount = tokens.filter((token) => CJK.test(token)).length;
  const size = cjkCount * 2 >= tokens.length ? 2 : 3;
  const result = new Set<string>();
  if (tokens.length < size) {
    if (tokens.length > 0) result.add(tokens.join(" "));
    return result;
  }
  for (let index = 0; index + size <= tokens.length; index += 1)
    result.add(tokens.slice(index, index + size).join(" "));
  return result;
}

/** Jaccard similarity of two shingle sets (0 when either is empty). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Containment of the smaller shingle set in the larger: shared / min(|a|, |b|) (0 when either
 * is empty). Two copies of one story that differ in headline, intro and boilerplate still share
 * most of the shorter one's shingles, while Jaccard would fall with every added line.
 */
export function containment(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared += 1;
  return shared / small.size;
}

export type DedupeOptions = {
  /** Similarity at or above which two contents are the same story; default 0.85. */
  threshold?: number;
  /** Contents with fewer shingles than this are compared by URL only; default 6. */
  minShingles?: number;
};

/**
 * Removes hits whose URL normalises the same (`normalizeUrl`) or whose content is nearly
 * identical (shingle Jaccard ≥ threshold). The first occurrence keeps its position; when a
 * later duplicate is richer (longer content) its content replaces the kept one's, and a
 * missing date or score is filled in.
 */
export function dedupeHits(hits: SearchHit[], options: DedupeOptions = {}): SearchHit[] {
  const { threshold = 0.85, minShingles = 6 } = options;
  const kept: Array<{ hit: SearchHit; key: string; shingles: Set<string> }> = [];
  const byUrl = new Map<string, number>();
  for (const hit of hits) {
    const key = normalizeUrl(hit.url);
    const hitShingles = shingles(`${hit.content}`);
    let index = byUrl.get(key);
    if (index === undefined && hitShingles.size >= minShingles) {
      index = kept.findIndex(
        (entry) => entry.shingles.size >= minShingles && jaccard(entry.shingles, hitShingles) >= threshold,
      );
      if (index < 0) index = undefined;
    }
    if (index === undefined) {
      byUrl.set(key, kept.length);
      kept.push({ hit: { ...hit }, key, shingles: hitShingles });
      continue;
    }
    const entry = kept[index];
    if (!entry) continue;
    byUrl.set(key, index);
    entry.hit = merge(entry.hit, hit);
    if (entry.hit.content === hit.content) entry.shingles = hitShingles;
  }
  return kept.map((entry) => entry.hit);
}

function merge(first: SearchHit, later: SearchHit): SearchHit {
  const merged: SearchHit = { ...first };
  if (later.content.length > first.content.length * 1.2) merged.content = later.content;
  if (!merged.title) merged.title = later.title;
  if (merged.published_at == null && later.published_at != null) merged.published_at = later.published_at;
  if (merged.score == null && later.score != null) merged.score = later.score;
  return merged;
}
