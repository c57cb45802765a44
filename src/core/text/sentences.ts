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
