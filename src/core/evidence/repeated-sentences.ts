import { containment, jaccard, shingles } from "../search/dedupe.js";
import { citationPattern } from "../pipeline/citations.js";
import { splitSentences } from "../text/sentences.js";

const CITATION_GROUP = citationPattern();
const LEADING_CITATIONS = citationPattern({ leadingRun: true });
const LIST_MARKER = /^\s*(?:[-*+•>]\s+|\d{1,3}[.)]\s+)/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

type Span = { start: number; end: number };

/** The numbers of a sentence key, in order. */
function numbersOf(key: string): string {
  return (key.match(/\d+/g) ?? []).join(" ");
}

/** The comparable form of a sentence: citations, list markers, case and punctuation dropped. */
export function sentenceKey(sentence: string): string {
  return sentence
    .normalize("NFKC")
    .replace(CITATION_GROUP, " ")
    .replace(LIST_MARKER, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Long enough to be a statement worth checking (short connective lines repeat legitimately). */
function isStatement(key: string): boolean {
  const cjk = key.match(CJK)?.length ?? 0;
  const words = key.replace(CJK, " ").split(/\s+/).filter(Boolean).length;
  return cjk >= 10 || words + cjk / 2 >= 5;
}

/** Sentence spans of one line, each with the citations that follow it (`Sentence. [3]` keeps its `[3]`). */
function sentenceSpans(line: string): Span[] {
  const spans: Span[] = [];
  let cursor = 0;
  for (const sentence of splitSentences(line)) {
    const at = line.indexOf(sentence, cursor);
    if (at < 0) continue;
    const span = { start: at, end: at + sentence.length };
    cursor = span.end;
    const leading = LEADING_CITATIONS.exec(sentence);
    const previous = spans.at(-1);
    if (leading && previous) {
      previous.end = at + leading[0].length;
      span.start = at + leading[0].length;
      if (line.slice(span.start, span.end).trim() === "") continue;
    }
    spans.push(span);
  }
  return spans;
}

/**
 * Remembers every sentence of the sections finished so far, and removes from a newly finished
 * section the sentences that repeat one of them exactly or nearly (the same words with other
 * citations, a clause added or dropped). Headings, tables and code are left alone. Separate from
 * citation checks: it judges only repetition between sections.
 */
export class SentenceLedger {
  private readonly exact = new Map<string, string>();
  private readonly near: Array<{ shingles: Set<string>; numbers: string; section: string }> = [];

  constructor(private readonly options: { jaccard?: number; containment?: number } = {}) {}

  private repeatOf(key: string): string | null {
    const known = this.exact.get(key);
    if (known !== undefined) return known;
    const set = shingles(key);
    if (set.size < 4) return null;
    const numbers = numbersOf(key);
    for (const entry of this.near) {
      // Sentences that differ in a figure ("2 GWh" / "20 GWh") state different facts.
      if (entry.shingles.size < 4 || entry.numbers !== numbers) continue;
      if (
        jaccard(set, entry.shingles) >= (this.options.jaccard ?? 0.8) ||
        containment(set, entry.shingles) >= (this.options.containment ?? 0.9)
      )
        return entry.section;
    }
    return null;
  }

  /** Records the section's sentences and returns its text without those earlier sections already said. */
  take(section: string, markdown: string): { text: string; removed: Array<{ sentence: string; repeats: string }> } {
    const removed: Array<{ sentence: string; repeats: string }> = [];
    const fresh: string[] = [];
    let fenced = false;
    const lines = markdown.split("\n").map((line) => {
      if (/^\s*(?:```|~~~)/.test(line)) fenced = !fenced;
      if (fenced || /^\s*(?:#|\||```|~~~)/.test(line) || line.trim() === "") return line;
      let result = line;
      for (const span of sentenceSpans(line).reverse()) {
        const sentence = line.slice(span.start, span.end);
        const key = sentenceKey(sentence);
        if (!isStatement(key)) continue;
        const repeats = this.repeatOf(key);
        if (repeats === null || repeats === section) {
          fresh.push(key);
          continue;
        }
        removed.push({ sentence: sentence.trim(), repeats });
        result = `${result.slice(0, span.start)}${result.slice(span.end)}`;
      }
      const left = result.replace(/[ \t]{2,}/g, " ").replace(/\s+$/u, "");
      return left.replace(LIST_MARKER, "").trim() === "" ? null : left;
    });
    for (const key of fresh) {
      if (!this.exact.has(key)) this.exact.set(key, section);
      this.near.push({ shingles: shingles(key), numbers: numbersOf(key), section });
    }
    const text = lines
      .filter((line): line is string => line !== null)
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    return { text, removed: removed.reverse() };
  }
}
