/**
 * The article a page describes in its JSON-LD (`<script type="application/ld+json">`): headline,
 * dates, authors, publisher, language. Handles `@graph`, arrays, `mainEntity`, and `@id`
 * references to Person/Organization nodes (as Yoast and most CMS plugins write them).
 */
import { parseHTML } from "linkedom";

type Doc = ReturnType<typeof parseHTML>["document"];
type JsonNode = Record<string, unknown>;

export type JsonLdArticle = {
  headline: string | null;
  datePublished: string | null;
  dateModified: string | null;
  authors: string[];
  publisher: string | null;
  language: string | null;
};

const ARTICLE_TYPES =
  /^(?:Article|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle)$/;

/** The page's JSON-LD article, or null when it has none (or only invalid JSON). */
export function readJsonLdArticle(document: Doc): JsonLdArticle | null {
  const nodes: JsonNode[] = [];
  for (const script of Array.from(document.getElementsByTagName("script"))) {
    if ((script.getAttribute("type") ?? "").trim().toLowerCase() !== "application/ld+json") continue;
    collect(parseJson(script.textContent ?? ""), nodes, 0);
  }
  if (nodes.length === 0) return null;
  const byId = new Map<string, JsonNode>();
  for (const node of nodes) if (typeof node["@id"] === "string") byId.set(node["@id"], node);
  const article =
    nodes.find((node) => types(node).some((type) => ARTICLE_TYPES.test(type))) ??
    nodes.find((node) => typeof node["datePublished"] === "string" && typeof node["headline"] === "string");
  if (!article) return null;
  const resolve = (value: unknown): unknown =>
    isNode(value) && typeof value["@id"] === "string" && !("name" in value) ? (byId.get(value["@id"]) ?? value) : value;
  return {
    headline: text(article["headline"]) ?? text(article["name"]),
    datePublished: text(article["datePublished"]) ?? text(article["dateCreated"]),
    dateModified: text(article["dateModified"]),
    authors: names(article["author"], resolve),
    publisher: names(article["publisher"], resolve)[0] ?? null,
    language: text(article["inLanguage"]),
  };
}

function collect(value: unknown, into: JsonNode[], depth: number): void {
  if (depth > 6) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into, depth + 1);
    return;
  }
  if (!isNode(value)) return;
  into.push(value);
  collect(value["@graph"], into, depth + 1);
  collect(value["mainEntity"], into, depth + 1);
}

function types(node: JsonNode): string[] {
  const type = node["@type"];
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((item): item is string => typeof item === "string") : [];
}

function names(value: unknown, resolve: (value: unknown) => unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  const found: string[] = [];
  for (const item of list) {
    const resolved = resolve(item);
    const name = typeof resolved === "string" ? resolved : isNode(resolved) ? text(resolved["name"]) : null;
    const clean = name?.replace(/\s+/g, " ").trim();
    if (clean && !/^https?:\/\//i.test(clean) && !found.includes(clean)) found.push(clean);
  }
  return found;
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (Array.isArray(value) && typeof value[0] === "string") return value[0].trim() || null;
  return null;
}

function isNode(value: unknown): value is JsonNode {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** JSON-LD as pages write it: sometimes wrapped in an HTML comment or CDATA, sometimes with raw newlines in strings. */
function parseJson(raw: string): unknown {
  const trimmed = raw
    .trim()
    .replace(/^<!--|-->$/g, "")
    .replace(/^\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>$/g, "")
    .trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    try {
      return JSON.parse(trimmed.replace(/[\r\n\t]+/g, " ")) as unknown;
    } catch {
      return null;
    }
  }
}
