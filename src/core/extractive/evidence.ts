import { normalizeQuote } from "./units.js";

/** Joins cited quotes into paragraphs of up to three, spaced for the report language (`chinese`: any CJK language, no spaces). */
export function formatCitedParagraphs(items: Array<{ text: string; sourceId: number }>, chinese: boolean): string {
  const paragraphs: string[] = [];
  for (let start = 0; start < items.length; start += 3) {
    const cited = items.slice(start, start + 3).map((item) => `${item.text}${chinese ? "" : " "}[${item.sourceId}]`);
    paragraphs.push(cited.join(chinese ? "" : " "));
  }
  return paragraphs.join("\n\n");
}

/** A summary bullet's lead-in: "- **23 Nov** — " / "- **11月23日**：". */
const BULLET = /^\s*[-*]\s+(?:\*\*[^*\n]{1,24}\*\*\s*(?:—|：|:)\s*)?/u;

/**
 * Reads `quote [n]` pairs back out of extractive Markdown (sections or summary), line by line;
 * summary bullets and their date labels are not part of the quote, and lines without a citation
 * (the summary's sources line) are skipped. Quotes never contain brackets, so every `[n]` closes
 * the quote before it.
 */
export function parseCitedSentences(markdown: string): Array<{ text: string; sourceId: number }> {
  const pairs: Array<{ text: string; sourceId: number }> = [];
  for (const line of markdown.split(/\n/)) {
    for (const match of line.replace(BULLET, "").matchAll(/([^[\]]+?)\s*\[(\d+)\]/gu)) {
      const text = normalizeQuote(match[1] ?? "");
      if (text) pairs.push({ text, sourceId: Number(match[2]) });
    }
  }
  return pairs;
}
