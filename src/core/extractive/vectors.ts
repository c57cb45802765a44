import { TASK_BOILERPLATE_WORDS } from "../text/stop-words.js";
import { stemEnglish, tokenize } from "../text/tokenize.js";

/** Sparse term weights keyed by normalized term. */
export type TermVector = Map<string, number>;

/** A text's terms: normalized keys with counts, plus the most common surface form of each key. */
export type TermBag = { counts: TermVector; surfaces: Map<string, string> };

/** Counts the (stemmed) terms of a text and remembers readable surface forms for naming. */
export function termBag(text: string): TermBag {
  const counts: TermVector = new Map();
  const surfaces = new Map<string, string>();
  for (const word of tokenize(text, { stem: false })) {
    const key = stemEnglish(word);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (!surfaces.has(key)) surfaces.set(key, word);
  }
  return { counts, surfaces };
}

/** Normalized term keys of a text (stemmed, stop words dropped) as a set. */
export function termSet(text: string): Set<string> {
  return new Set(tokenize(text, { stem: false }).map((word) => stemEnglish(word)));
}

/** Smoothed inverse document frequency over a collection of term vectors. */
export function inverseDocumentFrequency(documents: TermVector[]): Map<string, number> {
  const frequency = new Map<string, number>();
  for (const document of documents)
    for (const term of document.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  const total = documents.length;
  for (const [term, count] of frequency) idf.set(term, Math.log(1 + total / count));
  return idf;
}

/** TF-IDF weights (log-scaled tf), L2-normalized so that a dot product is the cosine. */
export function weightVector(counts: TermVector, idf: Map<string, number>): TermVector {
  const vector: TermVector = new Map();
  let norm = 0;
  for (const [term, count] of counts) {
    const weight = (1 + Math.log(count)) * (idf.get(term) ?? 1);
    vector.set(term, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, weight] of vector) vector.set(term, weight / norm);
  return vector;
}

/** Cosine similarity of two L2-normalized vectors. */
export function cosine(left: TermVector, right: TermVector): number {
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let sum = 0;
  for (const [term, weight] of small) {
    const other = large.get(term);
    if (other !== undefined) sum += weight * other;
  }
  return sum;
}

/** Sum of vectors, L2-normalized (a centroid direction). */
export function centroid(vectors: TermVector[]): TermVector {
  const sum: TermVector = new Map();
  for (const vector of vectors) for (const [term, weight] of vector) sum.set(term, (sum.get(term) ?? 0) + weight);
  let norm = 0;
  for (const weight of sum.values()) norm += weight * weight;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [term, weight] of sum) sum.set(term, weight / norm);
  return sum;
}

/** Frequent words that say nothing about a topic; never used to name a section. */
const GENERIC_WORDS = new Set(
  (
    "said say says told take takes taking took make makes making made get gets got give gives given go goes going went come comes " +
    "came happen happens happened happening use uses used using need needs needed want wants put puts set sets see seen show shows " +
    "showed every each other another such many much more most less least few first second third last next one two three four five " +
    "thing things way ways part parts kind lot lots time times year years month months week weeks day days people person page pages " +
    "action actions case cases fact group number order point place well also still even just only already yet often never always " +
    "new old good bad high low large small big long short full own same different able according including include includes included " +
    "这 那 一个 一些 没有 可以 进行 表示 认为 指出 称 说 其 该 此 已 将 等 多 个 次 年 月 日 本周 此外 同时 其中"
  ).split(/\s+/),
);

/** Whether a term is good enough to name a section or seed a query. */
export function isNamingTerm(term: string): boolean {
  if (TASK_BOILERPLATE_WORDS.has(term) || GENERIC_WORDS.has(term) || /^\d+$/.test(term)) return false;
  if (/^[\p{Script=Han}]$/u.test(term)) return false;
  // Hiragana-only words are Japanese particles and endings (は, が, です), never a subject.
  if (/^\p{Script=Hiragana}+$/u.test(term)) return false;
  return !/^\p{Script=Latin}{1,2}$/u.test(term);
}
