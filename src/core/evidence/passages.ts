import { splitSentences } from "../text/sentences.js";
import { estimateTokens } from "../text/tokens.js";

export { estimateTokens };

/** A paragraph-sized, verbatim slice of a source's text. */
export type Passage = {
  /** Position among the source's passages (0-based, in text order). */
  index: number;
  /** The slice, exactly as in the source (paragraph breaks kept). */
  text: string;
  /** Estimated tokens (`estimateTokens`). */
  tokens: number;
};

export type PassageOptions = {
  /** Paragraphs shorter than this are joined with the next; default 45 tokens. */
  minTokens?: number;
  /** Paragraphs longer than this are cut at sentence ends; default 220 tokens. */
  maxTokens?: number;
};

type Span = { start: number; end: number };

/** Paragraph spans of `text`: blocks separated by blank lines, a Markdown heading starting its own block. */
function paragraphSpans(text: string): Span[] {
  const spans: Span[] = [];
  const breaks = /\n[ \t]*\n+|\n(?=[ \t]*#{1,6}\s)/g;
  let start = 0;
  for (const match of text.matchAll(breaks)) {
    spans.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  spans.push({ start, end: text.length });
  return spans.map((span) => trimSpan(text, span)).filter((span) => span.end > span.start);
}

function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/u.test(text[start] ?? "")) start += 1;
  while (end > start && /\s/u.test(text[end - 1] ?? "")) end -= 1;
  return { start, end };
}

/** Cuts one long paragraph at sentence ends into spans of at most `maxTokens` (a longer sentence stays whole). */
function cutLong(text: string, span: Span, maxTokens: number): Span[] {
  const paragraph = text.slice(span.start, span.end);
  const sentences: Span[] = [];
  let cursor = 0;
  for (const sentence of splitSentences(paragraph)) {
    const at = paragraph.indexOf(sentence, cursor);
    if (at < 0) continue;
    sentences.push({ start: span.start + at, end: span.start + at + sentence.length });
    cursor = at + sentence.length;
  }
  if (sentences.length <= 1) return [span];
  const pieces: Span[] = [];
  let current: (Span & { tokens: number }) | null = null;
  for (const sentence of sentences) {
    const tokens = estimateTokens(text.slice(sentence.start, sentence.end));
    if (current && current.tokens + tokens > maxTokens) {
      pieces.push(current);
      current = null;
    }
    current = current
      ? { start: current.start, end: sentence.end, tokens: current.tokens + tokens }
      : { ...sentence, tokens };
  }
  if (current) pieces.push(current);
  return pieces.map(({ start, end }) => ({ start, end }));
}

/**
 * Splits a source's text into paragraph-sized passages: paragraphs as they stand, short ones
 * (headings, one-line items) joined with the next, long ones cut at sentence ends. Every
 * passage is a verbatim slice, so a sentence quoted from a passage is quoted from the source.
 */
export function splitPassages(text: string, options: PassageOptions = {}): Passage[] {
  const { minTokens = 45, maxTokens = 220 } = options;
  // Token counts add up (a paragraph break costs about one token), so each piece is estimated once.
  const spans = paragraphSpans(text)
    .flatMap((span) =>
      estimateTokens(text.slice(span.start, span.end)) > maxTokens ? cutLong(text, span, maxTokens) : [span],
    )
    .map((span) => ({ ...span, tokens: estimateTokens(text.slice(span.start, span.end)) }));
  const merged: Array<Span & { tokens: number }> = [];
  let pending: (Span & { tokens: number }) | null = null;
  for (const span of spans) {
    if (!pending) {
      pending = { ...span };
    } else if (pending.tokens + 1 + span.tokens <= maxTokens) {
      pending = { start: pending.start, end: span.end, tokens: pending.tokens + 1 + span.tokens };
    } else {
      merged.push(pending);
      pending = { ...span };
    }
    if (pending.tokens >= minTokens) {
      merged.push(pending);
      pending = null;
    }
  }
  if (pending) {
    const last = merged.at(-1);
    // A short tail joins the passage before it when both fit; otherwise it stands alone.
    if (last && last.tokens + 1 + pending.tokens <= maxTokens) {
      last.end = pending.end;
      last.tokens += 1 + pending.tokens;
    } else merged.push(pending);
  }
  return merged.map((span, index) => ({ index, text: text.slice(span.start, span.end), tokens: span.tokens }));
}
