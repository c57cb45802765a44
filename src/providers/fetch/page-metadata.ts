/**
 * A page's metadata from its markup: headline, canonical URL, publication and modification
 * dates, author(s), publication name, language. JSON-LD first, then `<meta>` (Open Graph,
 * `article:*`, Dublin Core, `name=author`), then `<time datetime>` outside comments and
 * related lists. What the markup lacks can come later from the visible byline (see
 * `fillFromBylines`).
 */
import { parseHTML } from "linkedom";
import { toIsoDate } from "../search/dates.js";
import { attributeTokens, kindFromTokens } from "./clutter-rules.js";
import { readJsonLdArticle } from "./json-ld.js";
import { dayFromText } from "./text-measure.js";

type Doc = ReturnType<typeof parseHTML>["document"];
type El = Doc["body"];

export type PageMetadata = {
  title: string | null;
  canonical_url: string | null;
  published_at: string | null;
  modified_at: string | null;
  author: string | null;
  site_name: string | null;
  language: string | null;
};

const PUBLISHED_KEYS = [
  "article:published_time",
  "og:published_time",
  "datepublished",
  "publishdate",
  "pubdate",
  "publish-date",
  "publish_date",
  "dc.date.issued",
  "dcterms.issued",
  "dc.date",
  "sailthru.date",
  "parsely-pub-date",
  "date",
];
const MODIFIED_KEYS = [
  "article:modified_time",
  "og:updated_time",
  "datemodified",
  "dc.date.modified",
  "dcterms.modified",
  "last-modified",
];
/** Containers whose `<time>` elements date something else (a comment, a related story). */
const FOREIGN_KINDS = new Set(["comments", "related", "ad", "navigation", "footer", "consent", "newsletter"]);

/** Reads the page's metadata (before any clutter is removed: bylines and `<time>` live in the chrome). */
export function readPageMetadata(document: Doc, baseUrl: string): PageMetadata {
  const metas = metaMap(document);
  const jsonLd = readJsonLdArticle(document);
  const meta = (...keys: string[]): string | null => {
    for (const key of keys) {
      const value = metas.get(key);
      if (value) return value;
    }
    return null;
  };
  const siteName = meta("og:site_name") ?? jsonLd?.publisher ?? meta("application-name", "sitename");
  const authors =
    jsonLd && jsonLd.authors.length > 0
      ? jsonLd.authors
      : [meta("author"), meta("article:author"), meta("parsely-author"), meta("sailthru.author")].filter(isPersonName);
  const times = articleTimes(document);
  return {
    title: cleanTitle(
      jsonLd?.headline ??
        meta("og:title") ??
        meta("twitter:title") ??
        meta("articletitle") ??
        soleHeadline(document) ??
        titleFromTitleTag(document, siteName),
    ),
    canonical_url: canonicalUrl(document, meta("og:url"), baseUrl),
    published_at: firstDate(jsonLd?.datePublished, ...PUBLISHED_KEYS.map((key) => metas.get(key)), times.published),
    modified_at: firstDate(jsonLd?.dateModified, ...MODIFIED_KEYS.map((key) => metas.get(key)), times.modified),
    author: authors.length > 0 ? authors.join(", ") : null,
    site_name: siteName ? siteName.replace(/\s+/g, " ").trim() : null,
    language:
      canonicalLanguage(document.documentElement?.getAttribute("lang")) ??
      canonicalLanguage(meta("og:locale")) ??
      canonicalLanguage(meta("content-language")) ??
      canonicalLanguage(jsonLd?.language),
  };
}

/**
 * Fills what the markup lacked from the byline and dateline lines found under the headline:
 * the day a dateline names, the author a "By …" / 作者： line names.
 */
export function fillFromBylines(metadata: PageMetadata, bylines: readonly string[]): void {
  for (const line of bylines) {
    metadata.published_at ??= dayFromText(line);
    metadata.author ??= authorFromByline(line);
  }
}

function metaMap(document: Doc): Map<string, string> {
  const map = new Map<string, string>();
  for (const element of Array.from(document.getElementsByTagName("meta"))) {
    const key = (
      element.getAttribute("property") ??
      element.getAttribute("name") ??
      element.getAttribute("itemprop") ??
      element.getAttribute("http-equiv") ??
      ""
    )
      .trim()
      .toLowerCase();
    const content = (element.getAttribute("content") ?? "").trim();
    if (key && content && !map.has(key)) map.set(key, content);
  }
  return map;
}

/** A date and time without a zone ("2026-11-25 10:30", common in Chinese CMS metas) parses as the host's local time: keep only its day. */
const ZONELESS = /^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

function firstDate(...values: Array<string | null | undefined>): string | null {
  for (const value of values) {
    const iso = value && ZONELESS.test(value.trim()) ? dayFromText(value) : toIsoDate(value);
    if (iso) return iso;
  }
  return null;
}

/** `<time datetime>` of the article: itemprop/pubdate first, else the first one outside comments, related lists, ads and navigation. */
function articleTimes(document: Doc): { published: string | null; modified: string | null } {
  let published: string | null = null;
  let modified: string | null = null;
  let firstPlain: string | null = null;
  for (const time of Array.from(document.getElementsByTagName("time")) as El[]) {
    const value = time.getAttribute("datetime");
    if (!value || !toIsoDate(value) || isForeign(time)) continue;
    const itemprop = (time.getAttribute("itemprop") ?? "").toLowerCase();
    const words = attributeTokens([time.getAttribute("class")]);
    if (itemprop === "datemodified" || words.includes("updated") || words.includes("modified")) modified ??= value;
    else if (itemprop === "datepublished" || time.hasAttribute("pubdate") || words.includes("published"))
      published ??= value;
    else firstPlain ??= value;
  }
  return { published: published ?? firstPlain, modified };
}

function isForeign(element: El): boolean {
  for (let node = element.parentElement as El | null; node; node = node.parentElement as El | null) {
    if (["ASIDE", "FOOTER", "NAV"].includes(node.tagName)) return true;
    const kind = kindFromTokens(
      attributeTokens([node.getAttribute("class"), node.getAttribute("id"), node.getAttribute("data-testid")]),
    );
    if (kind && FOREIGN_KINDS.has(kind)) return true;
  }
  return false;
}

function canonicalUrl(document: Doc, ogUrl: string | null, baseUrl: string): string | null {
  const candidates: Array<string | null> = [];
  for (const link of Array.from(document.getElementsByTagName("link"))) {
    const rel = (link.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
    if (rel.includes("canonical")) candidates.push(link.getAttribute("href"));
  }
  candidates.push(ogUrl);
  for (const candidate of candidates) {
    if (!candidate?.trim()) continue;
    try {
      const url = new URL(candidate.trim(), baseUrl);
      if (url.protocol === "http:" || url.protocol === "https:") return url.href;
    } catch {
      continue;
    }
  }
  return null;
}

function soleHeadline(document: Doc): string | null {
  const headings = Array.from(document.getElementsByTagName("h1"))
    .map((heading) => (heading.textContent ?? "").trim())
    .filter(Boolean);
  return headings.length === 1 ? (headings[0] ?? null) : null;
}

function titleFromTitleTag(document: Doc, siteName: string | null): string | null {
  const raw = (document.querySelector("title")?.textContent ?? "").replace(/\s+/g, " ").trim();
  if (!raw) return null;
  const parts = raw
    .split(/\s+[|–—-]\s+|_|\s+::\s+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const kept = parts.filter((part) => part !== siteName);
  const first = kept[0] ?? raw;
  return parts.length > 1 && first.length >= 10 ? first : raw;
}

function cleanTitle(title: string | null): string | null {
  const clean = title?.replace(/\s+/g, " ").trim();
  return clean ? clean : null;
}

function isPersonName(value: string | null): value is string {
  return value !== null && value.trim() !== "" && !/^https?:\/\//i.test(value) && !/^@/.test(value);
}

function canonicalLanguage(value: string | null | undefined): string | null {
  const tag = value?.trim().replace(/_/g, "-");
  if (!tag) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

const WEEKDAYS_AND_MONTHS =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|updated|published)\.?$/i;

/** The name in a "By Tom Aldane, Business reporter" or "作者：林晓雯" line, or null. */
export function authorFromByline(line: string): string | null {
  const chinese = /(?:作者|记者|撰文|文)\s*[：:]\s*([\p{Script=Han}·]{2,12}|[A-Za-z][A-Za-z .'-]{1,40}[A-Za-z])/u.exec(
    line,
  );
  if (chinese) return chinese[1]?.trim() ?? null;
  const english = /^(?:By|BY|Written by|Words by)\s+(.*)$/.exec(line.trim());
  if (!english) return null;
  const words: string[] = [];
  for (const word of (english[1] ?? "").split(/\s+/)) {
    const bare = word.replace(/[,;·|]+$/, "");
    const ended = bare !== word;
    if (bare === "and" || bare === "&") words.push(",");
    else if (/^\p{Lu}[\p{L}'’.-]*$/u.test(bare) && !WEEKDAYS_AND_MONTHS.test(bare)) words.push(bare);
    else break;
    if (ended) break;
  }
  const name = words.join(" ").replace(/ ,/g, ",").replace(/,$/, "").trim();
  return name.length > 1 ? name : null;
}
