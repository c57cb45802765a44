import { splitSentences } from "../text/sentences.js";
import { tokenize } from "../text/tokenize.js";

/** A figure stated in a source: a number with its unit, and the words around it. */
export type Figure = {
  sourceId: number;
  /** Index of the passage of the source that holds it. */
  passage: number;
  /** The sentence that states it, verbatim. */
  sentence: string;
  /** As written, e.g. "450 Wh/kg", "$2.5 billion", "30%", "80亿元". */
  raw: string;
  value: number;
  /** Normalized unit ("wh/kg", "$ billion", "%", "亿元"). */
  unit: string;
  /** The sentence's terms without numbers, the unit and the task's topic words. */
  context: Set<string>;
  /** The few such terms right before and after the number: what it measures ("cost an average of … to make"). */
  near: Set<string>;
  /** Names written with capitals ("QuantumScape", "CATL"); empty for CJK text. */
  names: Set<string>;
  /** Years the sentence names ("2026", "2028年"): a figure for another year is another quantity. */
  years: Set<string>;
};

const LATIN_NUMBER = /(?<![A-Za-z\d.,\-/])([$€£¥]\s?)?(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d+))?/gu;
const PERCENT = /^\s?(?:%|％|percent\b|per cent\b)/iu;
const LATIN_UNIT = /^[\s-]?([A-Za-z]+(?:\/[A-Za-z]+)?)/u;
const CJK_UNIT =
  /^\s?((?:[万亿千百]+)?(?:美元|人民币|欧元|元|辆|台|家|个|次|倍|吉瓦时|兆瓦时|千瓦时|瓦时\/公斤|瓦时\/千克|瓦时|公斤|公里|小时|人|款|项|笔|轮|名|座|条|颗|片)|[万亿]+)/u;
/** "$140/kWh", "€2 per kilogram". */
const PER_UNIT = /^(?:\/|\s?per\s)([A-Za-z]+)/u;
const SCALE_WORDS = new Set(["thousand", "million", "billion", "trillion", "bn", "mn"]);
const MONTHS = new Set(
  "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december".split(
    " ",
  ),
);
const NOT_UNITS = new Set([
  "am",
  "pm",
  "st",
  "nd",
  "rd",
  "th",
  "and",
  "or",
  "to",
  "of",
  "in",
  "on",
  "at",
  "by",
  "for",
  "from",
  "with",
  "the",
  "a",
  "an",
  "as",
  "is",
  "was",
  "were",
  "are",
  "that",
  "than",
  "per",
]);

function numberKey(digits: string): string {
  return digits.replace(/[,，]/g, "").replace(/\.0+$/, "");
}

/** The unit after a number, or null when there is none worth comparing (dates, ordinals, bare counts). */
function unitAfter(rest: string, currency: string): string | null {
  if (PERCENT.test(rest)) return "%";
  const per = PER_UNIT.exec(rest);
  if (per?.[1]) return `${currency}/${per[1].toLowerCase()}`;
  const cjk = CJK_UNIT.exec(rest);
  if (cjk?.[1]) return `${currency}${cjk[1]}`;
  if (/^\s?[年月日号时点分秒]/u.test(rest)) return null;
  const latin = LATIN_UNIT.exec(rest);
  if (latin?.[1]) {
    const word = latin[1].toLowerCase();
    if (NOT_UNITS.has(word) || MONTHS.has(word)) return currency ? currency.trim() : null;
    if (word === "x") return "x";
    if (SCALE_WORDS.has(word))
      return `${currency}${currency ? " " : ""}${word === "bn" ? "billion" : word === "mn" ? "million" : word}`;
    return `${currency}${currency ? " " : ""}${word}`;
  }
  return currency ? currency.trim() : null;
}

/** The unit as written after the number ("450 Wh/kg" keeps " Wh/kg"; a bare currency has none). */
function unitWritten(rest: string, unit: string): string {
  const match = PERCENT.exec(rest) ?? PER_UNIT.exec(rest) ?? CJK_UNIT.exec(rest) ?? LATIN_UNIT.exec(rest);
  if (!match || unit === "$" || unit === "€" || unit === "£" || unit === "¥") return "";
  return match[0];
}

/**
 * Words before a number that make it a point of comparison, a bound or a range end rather than
 * the value the sentence states ("down from $140/kWh", "below $100/kWh", "between 350 and 500",
 * "比…上调", "不到15%", "突破1000亿元").
 */
const REFERENCE_BEFORE =
  /(?:\b(?:from|against|versus|vs\.?|compared (?:with|to)|than|below|above|under|over|up to|at least|at most|between)\s*|\bbetween\s+\S+(?:\s+\S+)?\s+and\s*|(?:从|较|比|同比|环比|低于|高于|超过|不到|不足|突破|至少|最多|介于)\s*)$/iu;

/** Figures of one sentence: numbers with a unit, stated as the sentence's value (years, dates, version numbers, comparisons and bounds skipped). */
export function figuresOf(
  sentence: string,
): Array<{ raw: string; value: number; unit: string; start: number; end: number }> {
  const figures: Array<{ raw: string; value: number; unit: string; start: number; end: number }> = [];
  for (const match of sentence.matchAll(LATIN_NUMBER)) {
    const [whole, currencyRaw = "", integer = "", fraction] = match;
    const currency = currencyRaw.trim();
    const before = sentence.slice(Math.max(0, match.index - 12), match.index).toLowerCase();
    if (/(?:^|\s)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$/u.test(before)) continue;
    if (REFERENCE_BEFORE.test(sentence.slice(Math.max(0, match.index - 40), match.index))) continue;
    const digits = numberKey(integer);
    if (!currency && !fraction && /^(?:19|20)\d{2}$/.test(digits)) continue;
    const rest = sentence.slice(match.index + whole.length, match.index + whole.length + 16);
    const unit = unitAfter(rest, currency);
    if (!unit) continue;
    const value = Number(`${digits}${fraction ? `.${fraction}` : ""}`);
    if (!Number.isFinite(value)) continue;
    const written = unitWritten(rest, unit);
    figures.push({
      raw: `${whole}${written}`.trim(),
      value,
      unit,
      start: match.index,
      end: match.index + whole.length + written.length,
    });
  }
  return figures;
}

/** Hedges and comparison words: they say how a figure is stated, not what it measures. */
const HEDGES = new Set(
  "about around roughly nearly almost approximately some just more less up down rose rise fell fall now still only percent per cent 约 约为 大约 近 接近 左右 已 已经 达 达到 增长 下降".split(
    " ",
  ),
);
const NEAR_BEFORE = 4;
const NEAR_AFTER = 3;

const WEEKDAYS = new Set("monday tuesday wednesday thursday friday saturday sunday".split(" "));

/** Capitalised names of an English sentence (not its first word, months, weekdays or units), lowercased. */
function namesOf(sentence: string, units: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  const words = sentence.match(/[A-Za-z][A-Za-z0-9'’-]*/g) ?? [];
  words.forEach((word, index) => {
    const lower = word.toLowerCase().replace(/['’]s$/u, "");
    if (MONTHS.has(lower) || WEEKDAYS.has(lower) || units.has(lower)) return;
    const inner = /[A-Z]/.test(word.slice(1));
    if ((index > 0 && /^[A-Z]/.test(word)) || inner) names.add(lower);
  });
  return names;
}

/** Every figure in a text, with the context needed to tell whether two figures measure the same thing. */
export function extractFigures(options: {
  sourceId: number;
  passage: number;
  text: string;
  topicTerms: ReadonlySet<string>;
  /** The tokenizer (default `tokenize`; a pool passes its memoizing one). */
  tokenize?: (text: string) => string[];
}): Figure[] {
  const { sourceId, passage, text, topicTerms, tokenize: terms = tokenize } = options;
  // Most passages state no figure: one pass over the whole passage before splitting it into sentences.
  if (!/\d/.test(text) || figuresOf(text).length === 0) return [];
  const result: Figure[] = [];
  for (const sentence of splitSentences(text)) {
    if (!/\d/.test(sentence)) continue;
    const figures = figuresOf(sentence);
    if (figures.length === 0) continue;
    const years = new Set([...sentence.matchAll(/(?<!\d)(?:19|20)\d{2}(?!\d)/g)].map((match) => match[0]));
    const units = new Set(figures.flatMap((figure) => figure.unit.toLowerCase().split(/[\s/]+/)));
    const names = namesOf(sentence, units);
    const sentenceTerms = terms(sentence);
    for (const { start, end, ...figure } of figures) {
      const unitTerms = new Set(terms(figure.unit));
      const keep = (term: string) =>
        !topicTerms.has(term) && !unitTerms.has(term) && !HEDGES.has(term) && !/^\d+(?:\.\d+)?$/.test(term);
      const context = new Set(sentenceTerms.filter((term) => keep(term) || /^(?:19|20)\d{2}$/.test(term)));
      const near = new Set([
        ...terms(sentence.slice(Math.max(0, start - 80), start))
          .filter(keep)
          .slice(-NEAR_BEFORE),
        ...terms(sentence.slice(end, end + 60))
          .filter(keep)
          .slice(0, NEAR_AFTER),
      ]);
      result.push({ sourceId, passage, sentence, ...figure, context, near, names, years });
    }
  }
  return result;
}

/** Two figures that give different values for what reads as the same quantity. */
export type FigurePair = { first: Figure; second: Figure; shared: string[] };

/** Whether two figures of different sources state the same quantity with different values. */
export function disagree(first: Figure, second: Figure): string[] | null {
  if (first.sourceId === second.sourceId || first.unit !== second.unit) return null;
  if (Math.abs(first.value - second.value) <= 0.005 * Math.max(Math.abs(first.value), Math.abs(second.value)))
    return null;
  // A figure for 2028 is not the figure for 2026.
  if (first.years.size > 0 && second.years.size > 0 && ![...first.years].some((year) => second.years.has(year)))
    return null;
  // Different named subjects (CATL's plant vs BYD's plant) are different quantities.
  if (first.names.size > 0 && second.names.size > 0 && ![...first.names].some((name) => second.names.has(name)))
    return null;
  // The words right around the numbers must meet too: "60 percent more than nickel-rich cells" (energy)
  // and "the gap has narrowed to 30 percent" (cost) share a sentence's vocabulary, not a quantity.
  const nearShared = [...first.near].filter((term) => second.near.has(term));
  if (nearShared.length === 0) return null;
  const shared = [...first.context].filter((term) => second.context.has(term));
  const smaller = Math.min(first.context.size, second.context.size);
  if (shared.length < 2 || smaller === 0 || shared.length / smaller < 0.4) return null;
  // What is measured reads best from the words around the numbers, then the rest of the sentence.
  return [...new Set([...nearShared, ...shared])];
}

/**
 * Pairs of figures from different sources that disagree, at most `perPair` for each pair of
 * sources (the closest matches first). Figures are compared within a unit only, and only with
 * figures that share a context word that is not in most of that unit's sentences (an inverted
 * index keeps this near linear on pages full of percentages).
 */
export function findDisagreements(figures: Figure[], perPair = 2): FigurePair[] {
  const byUnit = new Map<string, Figure[]>();
  for (const figure of figures) {
    const group = byUnit.get(figure.unit);
    if (group) group.push(figure);
    else byUnit.set(figure.unit, [figure]);
  }
  const pairs: FigurePair[] = [];
  for (const group of byUnit.values()) {
    if (new Set(group.map((figure) => figure.sourceId)).size < 2) continue;
    const postings = new Map<string, number[]>();
    group.forEach((figure, index) => {
      for (const term of figure.context) {
        const list = postings.get(term);
        if (list) list.push(index);
        else postings.set(term, [index]);
      }
    });
    const common = Math.max(20, group.length * 0.2);
    group.forEach((first, left) => {
      const candidates = new Set<number>();
      for (const term of first.context) {
        const list = postings.get(term);
        if (!list || list.length > common) continue;
        for (const right of list) if (right > left && group[right]?.sourceId !== first.sourceId) candidates.add(right);
      }
      for (const right of candidates) {
        const second = group[right];
        if (!second) continue;
        const shared = disagree(first, second);
        if (shared) pairs.push({ first, second, shared });
      }
    });
  }
  pairs.sort((a, b) => b.shared.length - a.shared.length);
  const perSources = new Map<string, number>();
  return pairs.filter((pair) => {
    const key = [pair.first.sourceId, pair.second.sourceId].sort((a, b) => a - b).join(":");
    const count = perSources.get(key) ?? 0;
    if (count >= perPair) return false;
    perSources.set(key, count + 1);
    return true;
  });
}
