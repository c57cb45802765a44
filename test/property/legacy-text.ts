/**
 * The text functions as they were before they were made linear (quadratic on hostile input),
 * kept only as oracles: on small inputs the new code must give exactly their results.
 */

// ---- splitSentences (src/core/text/sentences.ts before the linear rewrite) ----
const ABBREVIATIONS = new Set(
  (
    "mr mrs ms dr prof sr jr st vs etc eg ie al inc ltd co corp dept est fig no nos vol approx jan feb mar apr jun jul " +
    "aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m ph.d"
  ).split(/\s+/),
);

const CJK_TERMINATORS = "。！？；";
const CLOSERS = "\"'”’」』）)]";

function endsWithAbbreviation(text: string): boolean {
  const match = /([\p{L}.]+)\.$/u.exec(text);
  if (!match?.[1]) return false;
  const word = match[1].toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  // Single capital letters ("J. Smith") and dotted initialisms ("U.S.").
  return /^\p{Lu}$/u.test(match[1]) || /^(\p{L}\.)+\p{L}$/u.test(match[1]);
}

/** Splits one paragraph (no blank lines) into sentences. */
function splitParagraph(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const length = paragraph.length;
  for (let index = 0; index < length; index += 1) {
    const char = paragraph[index] ?? "";
    let end = -1;
    if (CJK_TERMINATORS.includes(char) || char === "!" || char === "?" || char === "！" || char === "？") {
      end = index + 1;
    } else if (char === ".") {
      const next = paragraph[index + 1];
      if (next !== undefined && !/[\s"'”’」』)\]]/u.test(next)) continue; // 3.5, example.com
      if (endsWithAbbreviation(paragraph.slice(start, index + 1))) continue;
      end = index + 1;
    } else if (char === "…" && paragraph[index + 1] !== "…") {
      end = index + 1;
    }
    if (end < 0) continue;
    while (end < length && CLOSERS.includes(paragraph[end] ?? "")) end += 1;
    // A Latin terminator must be followed by whitespace or the end to close a sentence.
    if (/[.!?]/.test(char) && end < length && !/\s/u.test(paragraph[end] ?? "")) continue;
    const sentence = paragraph.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end;
    index = end - 1;
  }
  const rest = paragraph.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

/**
 * Splits text into sentences on 。！？； and on . ! ? followed by whitespace, keeping closing
 * quotes, skipping common abbreviations, initials and decimals. Blank lines, list items and
 * Markdown headings always end a sentence.
 */
export function legacySplitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const block of text.split(/\r?\n(?:[ \t]*\r?\n)+|\r?\n(?=[ \t]*(?:[-*+>#]|\d+[.)])\s)/)) {
    for (const line of block.split(/\r?\n(?=[ \t]*#)/)) {
      // Not push(...spread): a long paragraph yields more sentences than the call stack allows arguments.
      for (const sentence of splitParagraph(line)) sentences.push(sentence);
    }
  }
  return sentences;
}

// ---- stripThinking (src/providers/llm/think.ts before the linear rewrite) ----
const THINK_BLOCK = /<(think|thinking)>[\s\S]*?<\/\1>/gi;
const CLOSING_TAG = /<\/(think|thinking)>/gi;
const LEADING_OPEN_TAG = /^\s*<(think|thinking)>/i;
export function legacyStripThinking(text: string): string {
  let answer = text.replace(THINK_BLOCK, "");
  let lastClose = -1;
  for (const match of answer.matchAll(CLOSING_TAG)) lastClose = match.index + match[0].length;
  if (lastClose >= 0) answer = answer.slice(lastClose);
  if (LEADING_OPEN_TAG.test(answer)) answer = "";
  return answer.trim();
}

// ---- extractJson (src/providers/llm/json-extract.ts before the linear rewrite) ----
type JsonShape = "object" | "array" | "any";

type JsonExtraction = { ok: true; value: unknown } | { ok: false; reason: string };

const FENCE = /```(?:json|JSON|jsonc)?\s*\n?([\s\S]*?)```/g;

/**
 * Finds the JSON value in a model reply: the whole reply when it is JSON, else the contents of a
 * code fence, else the first balanced `{…}` (or `[…]`) that parses. Reasoning (`<think>`),
 * fences and prose around the JSON are tolerated.
 */
export function legacyExtractJson(text: string, options: { shape?: JsonShape } = {}): JsonExtraction {
  const { shape = "any" } = options;
  const answer = legacyStripThinking(text);
  if (answer === "") return { ok: false, reason: "the reply was empty (no text outside reasoning)" };

  const whole = tryParse(answer, shape);
  if (whole.ok) return whole;
  for (const match of answer.matchAll(FENCE)) {
    const fenced = tryParse((match[1] ?? "").trim(), shape);
    if (fenced.ok) return fenced;
  }
  const openers = shape === "object" ? "{" : shape === "array" ? "[" : "{[";
  for (let start = 0; start < answer.length; start += 1) {
    if (!openers.includes(answer[start] ?? "")) continue;
    const end = findBalancedEnd(answer, start);
    if (end < 0) continue;
    const candidate = tryParse(answer.slice(start, end + 1), shape);
    if (candidate.ok) return candidate;
  }
  const wanted = shape === "any" ? "JSON value" : `JSON ${shape}`;
  return { ok: false, reason: `no parsable ${wanted} was found in the reply` };
}

function tryParse(text: string, shape: JsonShape): JsonExtraction {
  try {
    const value: unknown = JSON.parse(text);
    if (shape === "object" && (value === null || typeof value !== "object" || Array.isArray(value))) {
      return { ok: false, reason: "not an object" };
    }
    if (shape === "array" && !Array.isArray(value)) return { ok: false, reason: "not an array" };
    return { ok: true, value };
  } catch {
    return { ok: false, reason: "not JSON" };
  }
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when unbalanced. */
function findBalancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === "\\") index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === "{") stack.push("}");
    else if (character === "[") stack.push("]");
    else if (character === "}" || character === "]") {
      if (stack.pop() !== character) return -1;
      if (stack.length === 0) return index;
    }
  }
  return -1;
}
