/**
 * Linear-time forms of the Markdown cleanup regexes in parse-document.ts. Each function returns
 * exactly what the regex replacement named in its doc returns (a property test holds them to
 * it), but the regexes rescanned the rest of the text from every unclosed opener (50,000 `<` or
 * `[` took seconds; a 200 KB file of them, minutes). Here each attempt costs O(1) amortised: the
 * next stop character is found by a cursor that only moves forward.
 */

const WHITESPACE = /\s/;

/** Finds the first index ≥ i whose character is a stop, for queries with non-decreasing i. */
class StopFinder {
  #from = -1;
  #found = -1;
  constructor(
    private readonly text: string,
    private readonly isStop: (character: string) => boolean,
  ) {}

  /** The first stop at or after `index`, or -1 when there is none. */
  from(index: number): number {
    if (index >= this.#from && this.#from >= 0 && (this.#found < 0 || index <= this.#found)) return this.#found;
    let cursor = index;
    while (cursor < this.text.length && !this.isStop(this.text[cursor] ?? "")) cursor += 1;
    this.#from = index;
    this.#found = cursor < this.text.length ? cursor : -1;
    return this.#found;
  }
}

type Match = { end: number; replacement: string } | null;

/** Replaces, left to right and without overlap, every match `tryAt` finds at an `opener` position. */
function replaceAt(text: string, opener: string, tryAt: (start: number) => Match | "none-later"): string {
  const parts: string[] = [];
  let copied = 0;
  for (let start = text.indexOf(opener); start >= 0;) {
    const match = tryAt(start);
    if (match === "none-later") break;
    if (match) {
      parts.push(text.slice(copied, start), match.replacement);
      copied = match.end;
      start = text.indexOf(opener, match.end);
    } else {
      start = text.indexOf(opener, start + 1);
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join("");
}

/** `/```[^\n]*\n([\s\S]*?)```/g` → `$1` (code fences unwrapped). */
export function unwrapFences(text: string): string {
  return replaceAt(text, "```", (start) => {
    const lineEnd = text.indexOf("\n", start + 3);
    if (lineEnd < 0) return "none-later";
    const close = text.indexOf("```", lineEnd + 1);
    if (close < 0) return "none-later";
    return { end: close + 3, replacement: text.slice(lineEnd + 1, close) };
  });
}

/** `/<!--[\s\S]*?-->/g` → `` (HTML comments dropped). */
export function dropComments(text: string): string {
  return replaceAt(text, "<!--", (start) => {
    const close = text.indexOf("-->", start + 4);
    return close < 0 ? "none-later" : { end: close + 3, replacement: "" };
  });
}

/** `/\[\^[^\]\s]+\]/g` → `` (footnote markers dropped). */
export function dropFootnoteMarkers(text: string): string {
  const stop = new StopFinder(text, (character) => character === "]" || WHITESPACE.test(character));
  return replaceAt(text, "[^", (start) => {
    const close = stop.from(start + 2);
    return close > start + 2 && text[close] === "]" ? { end: close + 1, replacement: "" } : null;
  });
}

/** `/!\[([^\]]*)\]\([^)]*\)/g` → `$1` (images become their alt text). */
export function imagesToAlt(text: string): string {
  const bracket = new StopFinder(text, (character) => character === "]");
  const paren = new StopFinder(text, (character) => character === ")");
  return replaceAt(text, "![", (start) => {
    const close = bracket.from(start + 2);
    if (close < 0) return "none-later";
    if (text[close + 1] !== "(") return null;
    const end = paren.from(close + 2);
    return end < 0 ? "none-later" : { end: end + 1, replacement: text.slice(start + 2, close) };
  });
}

/** `/\[([^\]]+)\]\([^)]*\)/g` → `$1` (inline links become their text). */
export function inlineLinksToText(text: string): string {
  const bracket = new StopFinder(text, (character) => character === "]");
  const paren = new StopFinder(text, (character) => character === ")");
  return replaceAt(text, "[", (start) => {
    const close = bracket.from(start + 1);
    if (close < 0) return "none-later";
    if (close === start + 1 || text[close + 1] !== "(") return null;
    const end = paren.from(close + 2);
    return end < 0 ? "none-later" : { end: end + 1, replacement: text.slice(start + 1, close) };
  });
}

/** `/\[([^\]\n]+)\]\[[^\]\n]*\]/g` → `$1` (reference links become their text). */
export function referenceLinksToText(text: string): string {
  const isStop = (character: string) => character === "]" || character === "\n";
  const first = new StopFinder(text, isStop);
  const second = new StopFinder(text, isStop);
  return replaceAt(text, "[", (start) => {
    const close = first.from(start + 1);
    if (close < 0) return "none-later";
    if (close === start + 1 || text[close] !== "]" || text[close + 1] !== "[") return null;
    const end = second.from(close + 2);
    if (end < 0) return "none-later";
    return text[end] === "]" ? { end: end + 1, replacement: text.slice(start + 1, close) } : null;
  });
}

/** `/<((?:https?|mailto):[^>\s]+)>/g` → `$1` (autolinks become their URL). */
export function autolinksToUrl(text: string): string {
  const stop = new StopFinder(text, (character) => character === ">" || WHITESPACE.test(character));
  return replaceAt(text, "<", (start) => {
    const scheme = ["https:", "http:", "mailto:"].find((prefix) => text.startsWith(prefix, start + 1));
    if (!scheme) return null;
    const from = start + 1 + scheme.length;
    const close = stop.from(from);
    return close > from && text[close] === ">" ? { end: close + 1, replacement: text.slice(start + 1, close) } : null;
  });
}

/** `/<[^>\n]+>/g` → `` (HTML tags dropped). */
export function dropTags(text: string): string {
  const stop = new StopFinder(text, (character) => character === ">" || character === "\n");
  return replaceAt(text, "<", (start) => {
    const close = stop.from(start + 1);
    if (close < 0) return "none-later";
    return close > start + 1 && text[close] === ">" ? { end: close + 1, replacement: "" } : null;
  });
}

/** `text` without its trailing spaces, tabs and `#`s, keeping at least `keep` characters. */
function trimHeadingEnd(text: string, keep: number): string {
  let end = text.length;
  while (end > keep && (text[end - 1] === " " || text[end - 1] === "\t" || text[end - 1] === "#")) end -= 1;
  return text.slice(0, end);
}

/** `/^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm` → `$1\n` (ATX headings become their text). */
export function headingsToText(text: string): string {
  return text.replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*)$/gm, (_line, rest: string) => `${trimHeadingEnd(rest, 0)}\n`);
}

/** `/^[ \t]{0,3}#[ \t]+(.+?)[ \t#]*$/m.exec(text)?.[1]`: the text of the first level-1 heading. */
export function firstHeading(text: string): string | undefined {
  const rest = /^[ \t]{0,3}#[ \t]+(.+)$/m.exec(text)?.[1];
  return rest === undefined ? undefined : trimHeadingEnd(rest, 1);
}

/** `/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g` → `$2` (bold markers dropped). */
export function unwrapBold(text: string): string {
  // Per delimiter: the first closing position ≥ a start (queries only move forward), -1 for none.
  const closers = new Map<string, { from: number; found: number }>();
  const closerFrom = (delimiter: string, from: number): number => {
    const cached = closers.get(delimiter);
    if (cached && from >= cached.from && (cached.found < 0 || from <= cached.found)) return cached.found;
    let found = text.indexOf(delimiter, from);
    while (found >= 0 && (found === 0 || WHITESPACE.test(text[found - 1] ?? " ")))
      found = text.indexOf(delimiter, found + 1);
    closers.set(delimiter, { from, found });
    return found;
  };
  const parts: string[] = [];
  let copied = 0;
  let start = 0;
  while (start < text.length) {
    const nextStars = text.indexOf("**", start);
    const nextUnders = text.indexOf("__", start);
    if (nextStars < 0 && nextUnders < 0) break;
    const at = nextStars < 0 ? nextUnders : nextUnders < 0 ? nextStars : Math.min(nextStars, nextUnders);
    const delimiter = text.startsWith("**", at) ? "**" : "__";
    const first = text[at + 2];
    const close = first !== undefined && !WHITESPACE.test(first) ? closerFrom(delimiter, at + 3) : -1;
    if (close < 0) {
      start = at + 1;
      continue;
    }
    parts.push(text.slice(copied, at), text.slice(at + 2, close));
    copied = close + 2;
    start = close + 2;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join("");
}
