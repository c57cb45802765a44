import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";
import { toIsoDate } from "../search/dates.js";

export type ExtractedText = { title: string | null; text: string; published_at: string | null };

type Doc = ReturnType<typeof parseHTML>["document"];

/** `<meta>` attributes that carry a publication date, in order of preference (values matched exactly, as CSS would). */
const DATE_METAS: ReadonlyArray<readonly [attribute: string, value: string]> = [
  ["property", "article:published_time"],
  ["name", "article:published_time"],
  ["property", "og:published_time"],
  ["itemprop", "datePublished"],
  ["name", "datePublished"],
  ["name", "pubdate"],
  ["name", "publishdate"],
  ["name", "publish-date"],
  ["name", "dc.date"],
  ["name", "DC.date.issued"],
  ["name", "date"],
];

const DROPPED_TAGS = new Set(["img", "picture", "video", "audio", "svg", "script", "style", "noscript", "iframe", "canvas"]);

const NOISE = "script, style, noscript, template, iframe, svg, canvas, form, nav, header, footer, aside";

/**
 * The main text of a page as Markdown: links and images made absolute against `url` (or the
 * page's `<base href>`), Readability's article when it finds one, else the body without
 * navigation and scripts; images dropped. Plain text passes through. Text is capped at
 * `maxChars`. `published_at` comes from article:published_time / datePublished metadata.
 */
export function extractMainText(options: { body: string; contentType: string; url: string; maxChars: number }): ExtractedText {
  const { body, contentType, url, maxChars } = options;
  if (contentType === "text/plain") {
    return { title: null, text: capText(body.replace(/\r\n?/g, "\n").trim(), maxChars), published_at: null };
  }
  const html = /<html[\s>]/i.test(body) ? body : `<!doctype html><html><head></head><body>${body}</body></html>`;
  const { document } = parseHTML(html);
  const baseUrl = resolveBase(document, url);
  absolutize(document, baseUrl);
  const published = publishedFromDocument(document);
  const documentTitle = document.querySelector("title")?.textContent?.trim() || null;
  const turndown = createTurndown();

  let title = documentTitle;
  let markdown = "";
  let articlePublished: string | null = null;
  try {
    // Turndown gets the article element itself: serialising it for Turndown to parse again (with
    // a second DOM library) cost a full extra parse per page. Adjacent text nodes are merged
    // first, as a fresh parse would have them (Turndown escapes each text node on its own).
    const article = new Readability(document, { serializer: (node) => node }).parse();
    if (article?.content && (article.textContent ?? "").trim().length >= 80) {
      article.content.normalize();
      markdown = turndown.turndown(article.content as HTMLElement);
      title = article.title?.trim() || documentTitle;
      articlePublished = toIsoDate(article.publishedTime);
    }
  } catch {
    markdown = "";
  }
  if (markdown.trim() === "") {
    const fallback = parseHTML(html).document;
    absolutize(fallback, baseUrl);
    for (const element of Array.from(fallback.querySelectorAll(NOISE))) element.remove();
    const body = fallback.body;
    body?.normalize();
    markdown = body ? turndown.turndown(body as HTMLElement) : "";
  }
  return { title, text: capText(tidy(markdown), maxChars), published_at: published ?? articlePublished };
}

function createTurndown(): TurndownService {
  const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
  turndown.addRule("drop-media-and-scripts", {
    filter: (node) => DROPPED_TAGS.has(node.nodeName.toLowerCase()),
    replacement: () => "",
  });
  turndown.addRule("links-without-target", {
    filter: (node) => node.nodeName === "A" && !node.getAttribute("href"),
    replacement: (content) => content,
  });
  return turndown;
}

function resolveBase(document: Doc, url: string): string {
  const href = document.querySelector("base[href]")?.getAttribute("href");
  if (!href) return url;
  try {
    return new URL(href, url).href;
  } catch {
    return url;
  }
}

function absolutize(document: Doc, baseUrl: string): void {
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
    for (const element of Array.from(document.querySelectorAll(selector))) {
      const value = element.getAttribute(attribute) ?? "";
      try {
        const absolute = new URL(value, baseUrl);
        if (absolute.protocol === "http:" || absolute.protocol === "https:" || absolute.protocol === "mailto:") {
          element.setAttribute(attribute, absolute.href);
        } else {
          element.removeAttribute(attribute);
        }
      } catch {
        element.removeAttribute(attribute);
      }
    }
  }
}

// Walks the <meta> and <script> elements instead of running a CSS selector per candidate:
// linkedom compiles every selector afresh, and those compilations were much of each page's garbage.
function publishedFromDocument(document: Doc): string | null {
  const metas = Array.from(document.getElementsByTagName("meta"));
  for (const [attribute, value] of DATE_METAS) {
    const iso = toIsoDate(metas.find((meta) => meta.getAttribute(attribute) === value)?.getAttribute("content"));
    if (iso) return iso;
  }
  for (const script of Array.from(document.getElementsByTagName("script"))) {
    if ((script.getAttribute("type") ?? "").toLowerCase() !== "application/ld+json") continue;
    const iso = findDatePublished(safeJson(script.textContent ?? ""));
    if (iso) return iso;
  }
  return toIsoDate(document.querySelector('[itemprop="datePublished"][datetime], article time[datetime]')?.getAttribute("datetime"));
}

function findDatePublished(value: unknown, depth = 0): string | null {
  if (depth > 5 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findDatePublished(item, depth + 1);
      if (found) return found;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  if (typeof record["datePublished"] === "string") return toIsoDate(record["datePublished"]);
  for (const key of ["@graph", "mainEntity", "mainEntityOfPage"]) {
    const found = findDatePublished(record[key], depth + 1);
    if (found) return found;
  }
  return null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function tidy(markdown: string): string {
  return markdown
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Cuts `text` to `maxChars`, at a paragraph or sentence end when one is near. */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const slice = text.slice(0, maxChars);
  const paragraph = slice.lastIndexOf("\n\n");
  const cut = paragraph > maxChars * 0.8 ? paragraph : Math.max(slice.lastIndexOf(". "), slice.lastIndexOf("。"));
  return `${(cut > maxChars * 0.8 ? slice.slice(0, cut + 1) : slice).trimEnd()}…`;
}
