/**
 * Sentence splitting for English and Chinese. Every returned sentence is a verbatim slice of
 * the input (trimmed), so extractive writers can cite it and checks can find it again.
 */

const ABBREVIATIONS = new Set(
  (
    "mr mrs ms dr prof sr jr st vs etc eg ie al inc ltd co corp dept est fig no nos vol approx jan feb mar apr jun jul " +
    "aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m ph.d"
  ).split(/\s+/),
);

const CJK_TERMINATORS = "。！？；";
const CLOSERS = "\"'”’」』）)]";

const WORD_OR_DOT = /^[\p{L}.]$/u;

/**
 * Whether the "." at `dot` ends an abbreviation, looking only at the run of letters and dots
 * just before it (never before `start`). Scanning backwards keeps splitting linear: the old
 * regex over the whole open sentence made "A. A. A. …" quadratic.
 */
function endsWithAbbreviation(text: string, start: number, dot: number): boolean {
  let wordStart = dot;
  while (wordStart > start) {
    const low = text.charCodeAt(wordStart - 1);
    // A letter outside the BMP is a surrogate pair: test it as one code point.
    const width =
      low >= 0xdc00 && low <= 0xdfff && wordStart - 2 >= start && isHighSurrogate(text.charCodeAt(wordStart - 2))
        ? 2
        : 1;
    if (!WORD_OR_DOT.test(text.slice(wordStart - width, wordStart))) break;
    wordStart -= width;
  }
  if (wordStart === dot) return false;
  const word = text.slice(wordStart, dot);
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  // Single capital letters ("J. Smith") and dotted initialisms ("U.S.").
  return /^\p{Lu}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
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
      if (endsWithAbbreviation(paragraph, start, index)) continue;
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
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const block of text.split(/\r?\n(?:[ \t]*\r?\n)+|\r?\n(?=[ \t]*(?:[-*+>#]|\d+[.)])\s)/)) {
    for (const line of block.split(/\r?\n(?=[ \t]*#)/)) {
      // Not push(...spread): a long paragraph yields more sentences than the call stack allows arguments.
      for (const sentence of splitParagraph(line)) sentences.push(sentence);
    }
  }
  return sentences;
}

/** Collapses runs of whitespace to one space; the form citations are compared in. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}
