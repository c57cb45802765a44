import { isStopWord } from "./stop-words.js";

/* Immutable, stateless helpers shared across calls (Intl.Segmenter holds no per-call state). */
const CJK_CLASS = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}";
const WORD_CHAR = `(?:(?![${CJK_CLASS}])[\\p{L}\\p{N}])`;
const CJK_OR_WORD = new RegExp(`[${CJK_CLASS}]+|${WORD_CHAR}+(?:['’.]${WORD_CHAR}+)*`, "gu");
const CJK_START = new RegExp(`^[${CJK_CLASS}]`, "u");
const SEGMENTERS = {
  zh: new Intl.Segmenter("zh", { granularity: "word" }),
  ja: new Intl.Segmenter("ja", { granularity: "word" }),
  ko: new Intl.Segmenter("ko", { granularity: "word" }),
} as const;

function segmenterFor(run: string): Intl.Segmenter {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(run)) return SEGMENTERS.ja;
  if (/\p{Script=Hangul}/u.test(run)) return SEGMENTERS.ko;
  return SEGMENTERS.zh;
}

/**
 * A light English stemmer (Porter step 1a/1b-style suffix stripping): "batteries" → "battery",
 * "agents" → "agent", "launched"/"launching" → "launch". Prefix search covers what it misses.
 */
export function stemEnglish(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let stem = word;
  if (stem.endsWith("ies") && stem.length > 4) stem = `${stem.slice(0, -3)}y`;
  else if (stem.endsWith("sses")) stem = stem.slice(0, -2);
  else if (stem.endsWith("s") && !/(ss|us|is|ys)$/.test(stem)) stem = stem.slice(0, -1);
  if (stem.endsWith("ing") && stem.length > 5) stem = undouble(stem.slice(0, -3));
  else if (stem.endsWith("ed") && stem.length > 4 && !stem.endsWith("eed")) stem = undouble(stem.slice(0, -2));
  return stem;
}

function undouble(stem: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(stem) && !/(ll|ss|zz)$/.test(stem) ? stem.slice(0, -1) : stem;
}

export type TokenizeOptions = {
  /** Keep stop words (default false). */
  keepStopWords?: boolean;
  /** Apply the light English stemmer (default true). */
  stem?: boolean;
};

// eslint-disable-next-line no-control-regex -- NUL is the bottom of the ASCII range, not a character looked for
const NON_ASCII = /[^\x00-\x7f]/;

/** Normalizes one Latin-script word: lowercase, possessive and inner dots/apostrophes removed, stemmed. */
function normalizeWord(piece: string, keepStopWords: boolean, stem: boolean): string | null {
  let word = piece.toLowerCase();
  if (word.includes("'") || word.includes("’") || word.includes("."))
    word = word.replace(/[’']s$/, "").replace(/[’'.]/g, "");
  if (word.length === 0) return null;
  if (!keepStopWords && isStopWord(word)) return null;
  if (word.length === 1 && !(word >= "0" && word <= "9")) return null;
  return stem ? stemEnglish(word) : word;
}

/**
 * Splits text into normalized terms: Chinese (and other CJK) runs into words with
 * `Intl.Segmenter`, everything else into lowercase letter/digit words, English stemmed.
 * Stop words (English and Chinese) are dropped unless `keepStopWords`.
 */
export function tokenize(text: string, { keepStopWords = false, stem = true }: TokenizeOptions = {}): string[] {
  return tokenizeWith(text, keepStopWords, (word) => normalizeWord(word, keepStopWords, stem));
}

/**
 * A tokenizer with its own memo of word → term (bounded), for bulk indexing where the same
 * words recur thousands of times. Same output as `tokenize` with default options.
 */
export function createCachedTokenizer(options: { maxEntries?: number } = {}): (text: string) => string[] {
  const maxEntries = options.maxEntries ?? 100_000;
  const memo = new Map<string, string | null>();
  const cachedTerm = (word: string): string | null => {
    let term = memo.get(word);
    if (term === undefined) {
      term = normalizeWord(word, false, true);
      if (memo.size >= maxEntries) memo.clear();
      memo.set(word, term);
    }
    return term;
  };
  return (text) => tokenizeWith(text, false, cachedTerm);
}

/** CJK runs up to this length are segmented whole (punctuation keeps real text far below it). */
const SEGMENT_WINDOW = 512;
/** Words ending this close to a window's edge are segmented again with the text that follows. */
const SEGMENT_MARGIN = 32;

/**
 * The word-like segments of one CJK run. `Intl.Segmenter` slows down super-linearly on long
 * runs (80,000 Han characters took 75 s), so a run longer than the window is segmented window
 * by window: words that end near a window's edge are left to the next window, which starts at
 * the first of them, so cuts fall where the segmenter itself put a word boundary.
 */
function* segmentWords(run: string): Generator<string> {
  const segmenter = segmenterFor(run);
  let offset = 0;
  while (offset < run.length) {
    let end = Math.min(run.length, offset + SEGMENT_WINDOW);
    if (end < run.length && isHighSurrogate(run.charCodeAt(end - 1))) end -= 1;
    const last = end === run.length;
    const window = run.slice(offset, end);
    const segments = [...segmenter.segment(window)];
    const keep = last
      ? segments
      : segments.filter((segment) => segment.index + segment.segment.length <= window.length - SEGMENT_MARGIN);
    // A single segment longer than the kept part of the window (e.g. a long Hangul word) is taken whole.
    const taken = keep.length > 0 ? keep : segments.slice(0, 1);
    for (const segment of taken) if (segment.isWordLike) yield segment.segment;
    const lastTaken = taken[taken.length - 1];
    offset += lastTaken ? lastTaken.index + lastTaken.segment.length : window.length;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** CJK runs segmented into words, other runs turned into terms by `toTerm` (null = dropped). */
function tokenizeWith(text: string, keepStopWords: boolean, toTerm: (word: string) => string | null): string[] {
  const terms: string[] = [];
  const source = NON_ASCII.test(text) ? text.normalize("NFKC") : text;
  for (const match of source.matchAll(CJK_OR_WORD)) {
    const piece = match[0];
    if (CJK_START.test(piece)) {
      for (const word of segmentWords(piece)) {
        if (!keepStopWords && isStopWord(word)) continue;
        terms.push(word);
      }
      continue;
    }
    const term = toTerm(piece);
    if (term !== null) terms.push(term);
  }
  return terms;
}

/** Term frequencies of a text (stop words removed, stemmed). */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of tokenize(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
