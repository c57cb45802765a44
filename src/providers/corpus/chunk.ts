import { splitSentences } from "../../core/text/sentences.js";

export type ChunkOptions = { minChars?: number; maxChars?: number };

/** Splits an over-long paragraph on sentence boundaries into pieces of at most `maxChars`. */
function splitLongParagraph(paragraph: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const sentence of splitSentences(paragraph)) {
    const separator = /[。！？；…]["'”’」』）)]*$/u.test(current) ? "" : " ";
    const joined = current ? `${current}${separator}${sentence}` : sentence;
    if (current && joined.length > maxChars) {
      pieces.push(current);
      current = sentence;
    } else current = joined;
  }
  if (current) pieces.push(current);
  // A single sentence longer than maxChars is cut hard (rare: tables, minified text).
  return pieces.flatMap((piece) => {
    if (piece.length <= maxChars * 1.5) return [piece];
    const parts: string[] = [];
    for (let start = 0; start < piece.length; start += maxChars) parts.push(piece.slice(start, start + maxChars));
    return parts;
  });
}

/**
 * Chunks a document into passage-sized pieces (about `minChars`–`maxChars`, default
 * 600–1200) on paragraph boundaries, splitting long paragraphs on sentence boundaries.
 * Paragraphs inside a chunk stay separated by a blank line.
 */
export function chunkText(text: string, { minChars = 600, maxChars = 1200 }: ChunkOptions = {}): string[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .flatMap((paragraph) => (paragraph.length > maxChars ? splitLongParagraph(paragraph, maxChars) : [paragraph]));
  const chunks: string[] = [];
  let current = "";
  for (const paragraph of paragraphs) {
    if (current && current.length >= minChars) {
      chunks.push(current);
      current = "";
    }
    if (current && current.length + paragraph.length + 2 > maxChars) {
      chunks.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${paragraph}` : paragraph;
  }
  if (current) {
    // Fold a short tail into the previous chunk when it fits comfortably.
    const last = chunks[chunks.length - 1];
    if (last !== undefined && current.length < minChars / 3 && last.length + current.length + 2 <= maxChars * 1.25) {
      chunks[chunks.length - 1] = `${last}\n\n${current}`;
    } else chunks.push(current);
  }
  return chunks;
}
