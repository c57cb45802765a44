/**
 * Removes page chrome from a DOM subtree, structure first: element types, ARIA roles, hidden
 * elements, class/id/testid/aria words, links to share endpoints, link density; then the text of
 * short leaf blocks (bylines, datelines, ad labels, share bars, credits, copyright, …) and the
 * sections that a "Related stories" / 相关阅读 / comments heading introduces. The article itself
 * (the subtree holding the headline, the main `<article>`/`<main>`/articleBody) is never removed
 * whole, only cleaned inside. Two passes over the tree: one bottom-up for sizes, one top-down
 * that removes; each element is looked at a bounded number of times.
 */
import { parseHTML } from "linkedom";
import {
  CLUTTER_ROLES,
  SHORT_BLOCK_UNITS,
  attributeTokens,
  headingKind,
  isAdLabel,
  isEndMarker,
  kindFromText,
  kindFromTokens,
  type ClutterKind,
} from "./clutter-rules.js";
import { collapsedLength, textUnits } from "./text-measure.js";

type Doc = ReturnType<typeof parseHTML>["document"];
type El = Doc["body"];

/** Elements that never carry article text. */
// Tag and word lists stay packed, several to a line.
// prettier-ignore
const DROPPED_TAGS = new Set([
  "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "SVG", "CANVAS", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "LABEL", "DIALOG", "OBJECT", "EMBED", "LINK", "META",
]);
/** Page regions removed unless they hold the article. */
const REGION_TAGS = new Set(["NAV", "ASIDE", "FOOTER", "FORM", "HEADER", "FIGCAPTION", "MENU"]);
// prettier-ignore
const BLOCK_TAGS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DETAILS", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6",
  "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P", "PRE", "SECTION", "TABLE", "TBODY", "THEAD", "TFOOT", "TR", "TD", "TH", "UL", "CENTER",
]);
/** Blocks judged by link density. */
// prettier-ignore
const LINK_BLOCKS = new Set(["DIV", "SECTION", "UL", "OL", "DL", "TABLE", "TBODY", "TR", "TD", "P", "HEADER", "CENTER", "LI", "SPAN"]);
const HEADING_TAGS = new Set(["H2", "H3", "H4", "H5", "H6"]);
/** Parents in which a fully linked span is running text, not a link block. */
// prettier-ignore
const TEXT_PARENTS = new Set(["P", "A", "EM", "STRONG", "B", "I", "U", "SMALL", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "FIGCAPTION", "LI", "DD", "DT", "TD", "TH", "CITE", "Q"]);
/** Share endpoints: link schemes and intent URLs of the networks (literal prefixes only, so each test is linear). */
const SHARE_SCHEMES = /^(?:mailto:|javascript:|whatsapp:|sms:)/i;
const SHARE_HOSTS =
  /\/\/(?:www\.)?(?:facebook\.com\/shar|(?:twitter|x)\.com\/(?:intent|share)|linkedin\.com\/(?:share|cws\/share)|wa\.me\/|api\.whatsapp\.com\/send|reddit\.com\/submit|pinterest\.com\/pin\/create|t\.me\/share|telegram\.me\/share|connect\.qq\.com|sns\.qzone\.|service\.weibo\.|v\.t\.sina\.)/i;

function isShareHref(href: string): boolean {
  return SHARE_SCHEMES.test(href) || SHARE_HOSTS.test(href) || /\/share\.(?:php|html?)(?:$|[?#])/i.test(href);
}

/** Longest text (characters) a chrome line can have: 40 words of long English words, with room to spare. */
const MAX_SHORT_CHARS = 600;

type Stats = { text: number; links: number; hasBlock: boolean; protected: boolean };

export type StripOptions = {
  root: El;
  /** Author names from the page's metadata: a short line with one of them is a byline. */
  authorNames?: readonly string[];
  /** The article's headline (marks the main `<h1>` when a page has several). */
  title?: string | null;
};

export type StripResult = {
  /** Texts of the byline/dateline blocks right after the headline, in page order (for metadata the page lacks). */
  bylines: string[];
  /** The standfirst under the headline (dek, excerpt, summary), which Readability tends to leave out with the header. */
  standfirst: string | null;
  removed: Partial<Record<ClutterKind | "region" | "links", number>>;
};

/** Removes the chrome under `root` in place; returns what the headline's byline said and what went. */
export function stripClutter(options: StripOptions): StripResult {
  const { root, authorNames = [], title = null } = options;
  const elements = descendants(root);
  const stats = measure(root, elements);
  const headline = markProtected(root, elements, stats, title);
  const rootText = stats.get(root)?.text ?? 0;
  const result: StripResult = { bylines: [], standfirst: headline ? standfirstAfter(headline) : null, removed: {} };
  let headlineSeen = headline === null;
  let proseAfterHeadline = false;

  const drop = (element: El, kind: ClutterKind | "region" | "links"): void => {
    result.removed[kind] = (result.removed[kind] ?? 0) + 1;
    element.remove();
  };

  const structuralKind = (element: El, info: Stats): ClutterKind | "region" | "links" | null => {
    const tag = element.tagName;
    if (REGION_TAGS.has(tag)) return "region";
    const role = (element.getAttribute("role") ?? "").toLowerCase();
    if (CLUTTER_ROLES.has(role) || element.getAttribute("aria-modal") === "true") return "region";
    const kind = kindFromTokens(
      attributeTokens([
        element.getAttribute("class"),
        element.getAttribute("id"),
        element.getAttribute("data-testid"),
        element.getAttribute("aria-label"),
      ]),
    );
    if (kind) return kind;
    if (info.text > 0 && info.text <= 400 && shareLinks(element) >= 2 && textUnits(blockText(element)) <= 24)
      return "share";
    if (info.text > 0 && LINK_BLOCKS.has(tag) && info.links / info.text >= 0.6) {
      if (tag !== "SPAN" && tag !== "LI") return "links";
      if (info.links === info.text && !TEXT_PARENTS.has(element.parentElement?.tagName ?? "")) return "links";
    }
    return null;
  };

  const visit = (element: El, parentIsLeaf: boolean): void => {
    const info = stats.get(element);
    if (!info) return;
    if (DROPPED_TAGS.has(element.tagName)) return drop(element, "region");
    if (isHidden(element)) return drop(element, "hidden");
    if (!info.protected && !(rootText > 0 && info.text / rootText > 0.6)) {
      const kind = structuralKind(element, info);
      if (kind) {
        if ((kind === "byline" || kind === "dateline") && headlineSeen && !proseAfterHeadline)
          result.bylines.push(blockText(element));
        return drop(element, kind);
      }
    }
    const isLeaf = !info.hasBlock;
    if (isLeaf && !parentIsLeaf && !info.protected) {
      // A block of more than MAX_SHORT_CHARS characters is prose whatever its words: its text is not even built.
      const text = info.text <= MAX_SHORT_CHARS ? blockText(element) : null;
      const units = text === null ? Number.POSITIVE_INFINITY : textUnits(text);
      if (text !== null && units <= SHORT_BLOCK_UNITS && removeShortBlock(element, text, units)) return;
      if (headlineSeen && units > SHORT_BLOCK_UNITS) proseAfterHeadline = true;
    }
    const parent = element.parentNode;
    for (const child of Array.from(element.children) as El[]) {
      visit(child, isLeaf);
      if (element.parentNode !== parent) return;
    }
    if (element === headline) headlineSeen = true;
  };

  /** Judges a short leaf block by its text; true when it (or the section it heads) was removed. */
  const removeShortBlock = (element: El, text: string, units: number): boolean => {
    const parent = element.parentElement as El | null;
    const parentInfo = parent ? stats.get(parent) : undefined;
    if (isAdLabel(text)) {
      const container =
        parent && parentInfo && !parentInfo.protected && parent !== root && textUnits(blockText(parent)) <= 80
          ? parent
          : element;
      drop(container, "ad");
      return true;
    }
    if (isEndMarker(text) && !element.closest("table")) {
      // "END" / "（完）": what follows in this container is the publisher's, not the article's.
      for (let next = element.nextElementSibling as El | null; next;) {
        const after = next.nextElementSibling as El | null;
        drop(next, "related");
        next = after;
      }
      drop(element, "related");
      return true;
    }
    const heading =
      units <= 10 && (HEADING_TAGS.has(element.tagName) || element === parent?.firstElementChild)
        ? headingKind(text)
        : null;
    if (heading && parent) {
      if (parentInfo && !parentInfo.protected && parent !== root) drop(parent, heading);
      else dropFollowing(element, heading);
      return true;
    }
    if (units <= 30 && isItalicNote(element, units)) {
      drop(element, "credit");
      return true;
    }
    const kind = kindFromText(text, authorNames);
    if (!kind || (kind === "toolbar" && element.closest("table"))) return false;
    if ((kind === "byline" || kind === "dateline") && headlineSeen && !proseAfterHeadline) result.bylines.push(text);
    drop(element, kind);
    return true;
  };

  /** Removes a heading inside the article and what it introduces: link lists for "related", everything after it for comments. */
  const dropFollowing = (heading: El, kind: "related" | "comments"): void => {
    let next = heading.nextElementSibling as El | null;
    drop(heading, kind);
    while (next) {
      const after = next.nextElementSibling as El | null;
      const info = stats.get(next);
      if (kind === "related" && !(info && info.text > 0 && info.links / info.text >= 0.5)) break;
      if (HEADING_TAGS.has(next.tagName) && kind === "comments") break;
      drop(next, kind);
      next = after;
    }
  };

  for (const child of Array.from(root.children) as El[]) visit(child, false);
  return result;
}

/** Every element under `root`, in page order (linkedom's getElementsByTagName("*") matches nothing). */
function descendants(root: El): El[] {
  const found: El[] = [];
  const stack: El[] = (Array.from(root.children) as El[]).reverse();
  while (stack.length > 0) {
    const element = stack.pop() as El;
    found.push(element);
    const children = element.children;
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index] as El);
  }
  return found;
}

/** Sizes of every element: characters of text and of link text, whether it holds a block element. One bottom-up pass. */
function measure(root: El, elements: El[]): Map<El, Stats> {
  const stats = new Map<El, Stats>();
  stats.set(root, { text: 0, links: 0, hasBlock: false, protected: true });
  for (const element of elements) stats.set(element, { text: 0, links: 0, hasBlock: false, protected: false });
  for (let index = elements.length - 1; index >= -1; index -= 1) {
    const element = index >= 0 ? (elements[index] as El) : root;
    const info = stats.get(element) as Stats;
    for (const node of Array.from(element.childNodes)) {
      if (node.nodeType === 3) info.text += collapsedLength(node.textContent ?? "");
    }
    // Descendants were added already (they come later in page order): an anchor's text is complete here.
    if (element.tagName === "A") info.links = info.text;
    if (index < 0) break;
    const parent = element.parentElement as El | null;
    const parentInfo = parent ? stats.get(parent) : undefined;
    if (parentInfo) {
      parentInfo.text += info.text;
      parentInfo.links += parent?.tagName === "A" ? 0 : info.links;
      parentInfo.hasBlock ||= info.hasBlock || BLOCK_TAGS.has(element.tagName);
    }
  }
  return stats;
}

/**
 * Marks the article's ancestors (its headline `<h1>`, the `<article>` holding it or the largest
 * one, `<main>`, `[itemprop=articleBody]`) as protected: they are cleaned inside, never removed.
 * Returns the headline element.
 */
function markProtected(root: El, elements: El[], stats: Map<El, Stats>, title: string | null): El | null {
  const headings = elements.filter((element) => element.tagName === "H1");
  const normalized = (text: string): string => text.replace(/\s+/g, " ").trim().toLowerCase();
  const wanted = title ? normalized(title) : null;
  const headline =
    headings.find((heading) => wanted !== null && normalized(heading.textContent ?? "") === wanted) ??
    headings.find(
      (heading) =>
        wanted !== null &&
        wanted.includes(normalized(heading.textContent ?? "")) &&
        (heading.textContent ?? "").trim().length > 8,
    ) ??
    (headings.length === 1
      ? headings[0]
      : headings.sort((left, right) => (right.textContent ?? "").length - (left.textContent ?? "").length)[0]) ??
    null;
  const markers: El[] = [];
  if (headline) markers.push(headline);
  const articles = elements.filter((element) => element.tagName === "ARTICLE");
  const article = (headline ? (headline.closest("article") as El | null) : null) ?? largest(articles, stats);
  if (article) markers.push(article);
  for (const element of elements) {
    if (
      element.tagName === "MAIN" ||
      element.getAttribute("role") === "main" ||
      element.getAttribute("itemprop") === "articleBody"
    )
      markers.push(element);
  }
  for (const marker of markers) {
    for (let node: El | null = marker; node && node !== root; node = node.parentElement as El | null) {
      const info = stats.get(node);
      if (!info || info.protected) break;
      info.protected = true;
    }
  }
  return headline ?? null;
}

// prettier-ignore
const STANDFIRST_WORDS = new Set(["dek", "deck", "standfirst", "excerpt", "subtitle", "subheadline", "subhead", "summary", "lede", "strapline", "sapo", "description", "intro", "abstract"]);

/** The standfirst right after the headline, named as such by its class or id, or null. */
function standfirstAfter(headline: El): string | null {
  let candidate = headline.nextElementSibling as El | null;
  for (let step = 0; candidate && step < 2; step += 1, candidate = candidate.nextElementSibling as El | null) {
    const words = attributeTokens([
      candidate.getAttribute("class"),
      candidate.getAttribute("id"),
      candidate.getAttribute("data-testid"),
    ]);
    if (!words.some((word) => STANDFIRST_WORDS.has(word))) continue;
    const text = blockText(candidate);
    const units = textUnits(text);
    return units >= 4 && units <= 80 ? text : null;
  }
  return null;
}

function largest(elements: El[], stats: Map<El, Stats>): El | null {
  let best: El | null = null;
  for (const element of elements)
    if (!best || (stats.get(element)?.text ?? 0) > (stats.get(best)?.text ?? 0)) best = element;
  return best;
}

function isHidden(element: El): boolean {
  if (element.hasAttribute("hidden") || element.getAttribute("aria-hidden") === "true") return true;
  const style = element.getAttribute("style");
  return style !== null && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

/** Links under `element` that point at share endpoints (intent URLs, mailto:, javascript:). */
function shareLinks(element: El): number {
  let count = 0;
  for (const anchor of Array.from(element.getElementsByTagName("a")))
    if (isShareHref(anchor.getAttribute("href") ?? "")) count += 1;
  return count;
}

/** A short paragraph set wholly in italics: an editor's note, a desk credit, a "first appeared on" line. */
function isItalicNote(element: El, units: number): boolean {
  if (element.tagName !== "P" || units === 0) return false;
  const children = Array.from(element.childNodes);
  const elementsOnly = children.filter((node) => node.nodeType === 1);
  const looseText = children.some((node) => node.nodeType === 3 && (node.textContent ?? "").trim() !== "");
  return !looseText && elementsOnly.length === 1 && ["EM", "I"].includes((elementsOnly[0] as El).tagName);
}

/** The text of a block with a space at each element boundary (adjacent spans do not run together). */
export function blockText(element: El): string {
  const parts: string[] = [];
  const walk = (node: El): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) parts.push(child.textContent ?? "");
      else if (child.nodeType === 1 && !DROPPED_TAGS.has((child as El).tagName)) {
        parts.push(" ");
        walk(child as El);
        parts.push(" ");
      }
    }
  };
  walk(element);
  return parts.join("").replace(/\s+/g, " ").trim();
}
