import { parseHTML } from "linkedom";
import { flattenDeepNesting } from "./flatten-deep.js";
import { fillFromBylines, readPageMetadata, type PageMetadata } from "./page-metadata.js";
import { readArticle } from "./readability-pass.js";
import { TurndownService } from "./turndown.js";
import { stripClutter } from "./strip-clutter.js";
import { detectPageLanguage } from "./text-measure.js";

/** A page reduced to its article: Markdown text plus the metadata its markup (or byline) states. */
export type ExtractedText = PageMetadata & { text: string };

type Doc = ReturnType<typeof parseHTML>["document"];
type El = Doc["body"];

const DROPPED_TAGS = new Set([
  "img",
  "picture",
  "video",
  "audio",
  "svg",
  "script",
  "style",
  "noscript",
  "iframe",
  "canvas",
]);

/**
 * The article of a page as Markdown, and its metadata. Steps:
 * 0. nesting deeper than 64 levels flattened to paragraphs (flatten-deep.ts: bounds time and stack);
 * 1. metadata from JSON-LD, `<meta>`, `<link rel=canonical>` and `<time>` (page-metadata.ts);
 * 2. page chrome removed by structure, then by the text of short blocks (strip-clutter.ts):
 *    banners, navigation, bylines, share bars, ads, newsletter boxes, tags, related lists,
 *    comments, footers — in English and Chinese;
 * 3. Readability over what is left, with a threshold sized to it (readability-pass.ts);
 * 4. the same cleaning over Readability's result (it keeps bylines and ad slots inside the
 *    article body), the headline dropped (it is `title`);
 * 5. Turndown, links and images made absolute first (images then dropped).
 * Dates or an author that only the visible byline states are read from it. Plain text passes
 * through. The text is capped at `maxChars`.
 */
export function extractMainText(options: {
  body: string;
  contentType: string;
  url: string;
  maxChars: number;
}): ExtractedText {
  const { body, contentType, url, maxChars } = options;
  if (contentType === "text/plain") {
    const text = body.replace(/\r\n?/g, "\n").trim();
    return { ...emptyMetadata(), language: detectPageLanguage(text), text: capText(text, maxChars) };
  }
  const html = /<html[\s>]/i.test(body) ? body : `<!doctype html><html><head></head><body>${body}</body></html>`;
  const { document } = parseHTML(html);
  if (document.body) flattenDeepNesting(document, document.body);
  const baseUrl = resolveBase(document, url);
  const metadata = readPageMetadata(document, baseUrl);
  const authorNames = metadata.author ? metadata.author.split(/\s*,\s*/) : [];
  if (!document.body) return { ...metadata, text: "" };

  const page = stripClutter({ root: document.body, authorNames, title: metadata.title });
  fillFromBylines(metadata, page.bylines);
  // After the chrome is gone (share links are known by their javascript:/intent hrefs), before Readability.
  absolutize(document, baseUrl);
  if (metadata.author && authorNames.length === 0) authorNames.push(...metadata.author.split(/\s*,\s*/));

  let root: El = document.body;
  try {
    const article = readArticle(document);
    if (article) root = article.element;
    metadata.title ??= article?.title?.trim() || null;
  } catch {
    // Readability gave up on this markup: the cleaned body is the article.
    root = document.body;
  }
  stripClutter({ root, authorNames, title: metadata.title });
  dropHeadline(root, metadata.title);
  // Turndown escapes each text node on its own: merge neighbours first, as a fresh parse would have them.
  root.normalize();
  const markdown = tidy(createTurndown().turndown(root as unknown as HTMLElement));
  const standfirst = page.standfirst;
  const text =
    standfirst && !markdown.replace(/\s+/g, " ").includes(standfirst) ? `${standfirst}\n\n${markdown}` : markdown;
  metadata.language ??= detectPageLanguage(text);
  return { ...metadata, text: capText(text, maxChars) };
}

function emptyMetadata(): PageMetadata {
  return {
    title: null,
    canonical_url: null,
    published_at: null,
    modified_at: null,
    author: null,
    site_name: null,
    language: null,
  };
}

/** Removes a heading that repeats the headline: the title is returned on its own. */
function dropHeadline(root: El, title: string | null): void {
  if (!title) return;
  const wanted = title.replace(/\s+/g, " ").trim();
  for (const heading of Array.from(root.querySelectorAll("h1, h2"))) {
    if ((heading.textContent ?? "").replace(/\s+/g, " ").trim() === wanted) heading.remove();
  }
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
  turndown.addRule("links-without-text", {
    filter: (node) => node.nodeName === "A" && (node.textContent ?? "").trim() === "",
    replacement: () => "",
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
  for (const [tag, attribute] of [
    ["a", "href"],
    ["img", "src"],
  ] as const) {
    for (const element of Array.from(document.getElementsByTagName(tag))) {
      const value = element.getAttribute(attribute);
      if (value === null) continue;
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
