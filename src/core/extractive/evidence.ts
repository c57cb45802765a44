import type { NumberedSource } from "../author.js";
import { detectLanguage } from "../text/language.js";
import { normalizeWhitespace, splitSentences } from "../text/sentences.js";
import { inverseDocumentFrequency, termBag, type TermVector, weightVector } from "./vectors.js";

/** A sentence that may be quoted, with the source it must cite. */
export type Candidate = {
  sourceId: number;
  /** The sentence exactly as in the source, whitespace collapsed. */
  text: string;
  counts: TermVector;
  vector: TermVector;
  language: "zh" | "ja" | "ko" | "en";
  /** Order of first appearance (source order, then position in the source). */
  order: number;
};

/** Leading list markers, including Chinese ones ("1、", "一、", "（二）", "①"). */
const LIST_MARKER = /^(?:[-*+•>]\s+|\d{1,3}[.)]\s+|(?:\d{1,3}|[一二三四五六七八九十]{1,3})、\s*|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[）)]\s*|[\u2460-\u2473]\s*)/u;
const TERMINAL = /[.!?。！？；…]["'”’」』)）]*$/u;

/** Whether a sentence reads as a quotable statement (not a heading, label, link list or fragment). */
function isQuotable(text: string): boolean {
  if (text.length > 420 || /[[\]|]/.test(text) || /https?:\/\//.test(text)) return false;
  if (!TERMINAL.test(text)) return false;
  // Snippet truncations ("… the company said", "and more...") and lowercase starts are fragments.
  if (/^(?:\.\.\.|…)|(?:\.\.\.|…)$/u.test(text) || /^\p{Ll}/u.test(text)) return false;
  const cjk = (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length;
  if (cjk >= 8) return true;
  return text.split(/\s+/).length >= 6;
}

/**
 * Splits sources into quotable sentences (verbatim, whitespace collapsed, leading list markers
 * dropped), removes repeated sentences, and weights them by TF-IDF across the pool.
 */
export function collectCandidates(sources: NumberedSource[]): Candidate[] {
  const seen = new Set<string>();
  const raw: Array<Omit<Candidate, "vector">> = [];
  for (const source of sources) {
    for (const sentence of splitSentences(source.content)) {
      const text = normalizeWhitespace(sentence.replace(LIST_MARKER, ""));
      const key = text.toLowerCase();
      if (!isQuotable(text) || seen.has(key)) continue;
      seen.add(key);
      const { counts } = termBag(text);
      if (counts.size === 0) continue;
      raw.push({ sourceId: source.id, text, counts, language: detectLanguage(text), order: raw.length });
    }
  }
  const idf = inverseDocumentFrequency(raw.map((candidate) => candidate.counts));
  return raw.map((candidate) => ({ ...candidate, vector: weightVector(candidate.counts, idf) }));
}

/** Joins cited sentences into paragraphs of up to three, spaced for the report language (`chinese`: any CJK language, no spaces). */
export function formatCitedParagraphs(items: Array<{ text: string; sourceId: number }>, chinese: boolean): string {
  const paragraphs: string[] = [];
  for (let start = 0; start < items.length; start += 3) {
    const cited = items.slice(start, start + 3).map((item) => `${item.text}${chinese ? "" : " "}[${item.sourceId}]`);
    paragraphs.push(cited.join(chinese ? "" : " "));
  }
  return paragraphs.join("\n\n");
}

/**
 * Reads `sentence [n]` pairs back out of extractive Markdown (sections or summary). Sentences
 * never contain brackets, so every `[n]` closes the sentence before it.
 */
export function parseCitedSentences(markdown: string): Array<{ text: string; sourceId: number }> {
  const pairs: Array<{ text: string; sourceId: number }> = [];
  for (const match of markdown.matchAll(/([^[\]]+?)\s*\[(\d+)\]/gu)) {
    const text = normalizeWhitespace(match[1] ?? "");
    if (text) pairs.push({ text, sourceId: Number(match[2]) });
  }
  return pairs;
}
