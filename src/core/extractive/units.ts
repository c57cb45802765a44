import type { NumberedSource } from "../author.js";
import { detectLanguage } from "../text/language.js";
import { normalizeWhitespace, splitSentences } from "../text/sentences.js";
import { stemEnglish } from "../text/tokenize.js";
import { droppableConnectiveLength, leansOnPrevious } from "./anaphora.js";
import { cosine, inverseDocumentFrequency, termBag, type TermVector, weightVector } from "./vectors.js";

/** How a quote serves the argument: definitions first, then facts, then what people expect or think. */
export type UnitRole = "background" | "fact" | "assessment";

/**
 * A quotable unit: one self-contained sentence, or a sentence together with the one or two it
 * leans on ("… raised $340 million. The round values the company at $2.9 billion."). `text` is
 * a verbatim slice of the source's content in `normalizeQuote` form.
 */
export type Unit = {
  sourceId: number;
  text: string;
  /** Lowercased text, for cue matching. */
  lower: string;
  /** Normalized English words (stemmed, final e dropped) and CJK words of the text. */
  stems: Set<string>;
  counts: TermVector;
  /** TF-IDF over the pool, L2-normalized. */
  vector: TermVector;
  /** The same without numbers: two units that differ only in their figures state the same claim. */
  claim: TermVector;
  /** `claim` of each sentence of the unit (a syndicated copy may share one sentence and not the next). */
  sentenceClaims: TermVector[];
  /** `figures` of each sentence of the unit. */
  sentenceFigures: string[];
  /** `quantities` of each sentence of the unit. */
  sentenceQuantities: Map<string, Set<string>>[];
  /** The unit's first sentence. */
  lead: string;
  numbers: string[];
  language: "zh" | "ja" | "ko" | "en";
  /** Publication time of the source (ms), null when undated. */
  date: number | null;
  role: UnitRole;
  sentences: number;
  /** Order in the pool: source order, then position in the source. */
  order: number;
};

const LIST_MARKER =
  /^(?:[-*+•>]\s+|\d{1,3}[.)]\s+|(?:\d{1,3}|[一二三四五六七八九十]{1,3})、\s*|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[）)]\s*|[\u2460-\u2473]\s*)/u;
const TERMINAL = /[.!?。！？；…]["'”’」』)）]*$/u;
const BOILERPLATE =
  /^(?:this (?:article|story|post|piece) (?:first )?(?:appeared|was (?:originally )?published)|this (?:document|article|page|post|file|text) (?:is|was) (?:fictional|written|generated|provided)|subscribe|sign up|follow us|read more|click here|advertisement|we use cookies|copyright|all rights reserved|comments? \(|share this)|^(?:本文|原标题|来源[:：]|责任编辑|相关阅读|点击|关注我们|订阅|声明[:：]|免责声明|广告)/i;
const MAX_UNIT_SENTENCES = 3;
const MAX_UNIT_CHARS = 640;

/** The figures a text states, dates ("November 23", "11月23日", "2026年") left out, sorted and joined. */
export function figures(text: string): string {
  const plain = text
    .replace(
      /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b/g,
      " ",
    )
    .replace(/\d{1,2}月\d{1,2}日|(?:19|20)\d{2}年?/gu, " ");
  return [...new Set(plain.match(/\d+(?:[.,]\d+)*/g)?.map((number) => number.replace(/,/g, "")) ?? [])]
    .sort()
    .join(" ");
}

const MEASURES =
  /(\d+(?:[.,]\d+)*)\s*(percent|%|gigawatt-hours?|gwh|megawatt-hours?|kilowatt-hours?|watt-hours per kilogram|hours|cycles|billion|million|degrees|吉瓦时|兆瓦时|亿元|万元|元|倍|次|小时|家|起|个)/giu;

/** Figures with what they measure ("1吉瓦时" → 吉瓦时: {1}; "44 percent" → percent: {44}). */
export function quantities(text: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const match of text.matchAll(MEASURES)) {
    const measure = (match[2] ?? "").toLowerCase().replace(/s$/, "").replace("%", "percent");
    const value = (match[1] ?? "").replace(/,/g, "");
    found.set(measure, (found.get(measure) ?? new Set()).add(value));
  }
  return found;
}

/** Whether two sentences give different figures for the same measure ("0.5吉瓦时" and "1吉瓦时"). */
function differentFigureSameMeasure(left: Map<string, Set<string>>, right: Map<string, Set<string>>): boolean {
  for (const [measure, values] of left) {
    const other = right.get(measure);
    if (other && ![...values].some((value) => other.has(value))) return true;
  }
  return false;
}

/**
 * Whether two units state the same claim (their words, figures aside, mostly agree, or one of
 * their sentences does, or two of their sentences give different figures of one measure about
 * much the same thing) and, if so, whether with the same figures; null when they do not.
 */
export function claimMatch(left: Unit, right: Unit): { sameFigures: boolean } | null {
  if (left.language !== right.language) return null;
  for (let a = 0; a < left.sentenceClaims.length; a += 1) {
    for (let b = 0; b < right.sentenceClaims.length; b += 1) {
      const similarity = cosine(left.sentenceClaims[a] ?? new Map(), right.sentenceClaims[b] ?? new Map());
      if (similarity >= 0.7) return { sameFigures: left.sentenceFigures[a] === right.sentenceFigures[b] };
      // An updated figure: the same measure about much the same thing, a different value ("年产能为0.5吉瓦时" → "扩大至1吉瓦时").
      if (
        similarity >= 0.35 &&
        differentFigureSameMeasure(left.sentenceQuantities[a] ?? new Map(), right.sentenceQuantities[b] ?? new Map())
      )
        return { sameFigures: false };
    }
  }
  if (cosine(left.claim, right.claim) >= 0.6) return { sameFigures: figures(left.text) === figures(right.text) };
  return null;
}

/** Whether a sentence reads as a quotable statement (not a heading, byline, link list, fragment or page furniture). */
export function isQuotable(text: string): boolean {
  if (text.length > 420 || /[[\]|]/.test(text) || /https?:\/\//.test(text) || BOILERPLATE.test(text)) return false;
  if (!TERMINAL.test(text)) return false;
  // Snippet truncations ("… the company said", "and more...") and lowercase starts are fragments.
  if (/^(?:\.\.\.|…)|(?:\.\.\.|…)$/u.test(text) || /^\p{Ll}/u.test(text)) return false;
  const cjk = (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length;
  if (cjk >= 8) return true;
  return text.split(/\s+/).length >= 6;
}

/** Normalized words of a text for cue matching: English by stem without a final e, CJK runs as they are. */
export function cueStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const word of text.toLowerCase().match(/[a-z][a-z-]*[a-z]|[a-z]/g) ?? []) {
    stems.add(stemEnglish(word).replace(/e$/, ""));
    for (const part of word.split("-")) if (part.length > 1) stems.add(stemEnglish(part).replace(/e$/, ""));
  }
  return stems;
}

/** Put among a definition's stems, so that a facet can cue on "this sentence defines something". */
export const DEFINITION_MARK = "§definition";
const DEFINITION =
  /^an?\s[^.,]{0,50}?\s(?:is|refers to|means)\s(?:an?|the)\b|^[A-Z][\w-]*(?:\s[\w-]+){0,4}\s(?:is|are)\s(?:an?|the)\s[^.]{0,60}?\b(?:that|which|used|where|in which)\b|^[^，。]{1,24}(?:是|指)(?:一种|用|利用|由|在|指)|^[^，。（]{1,16}（[^）]{1,20}）是/iu;
const ASSESSMENT =
  /\b(?:analysts?|experts?|critics?|observers?|supporters?|industry groups?|officials?|respondents?|researchers)\b[^.]{0,40}\b(?:said|say|says|expect|expects|believe|believes|warn|warned|note|noted|argue|argued|caution|cautioned|named|recommend|suggest)\b|\b(?:expects?|expected to|forecasts?|predicts?|is likely|are likely|plans? to|aims? to)\b|认为|预计|预测|指出|有望|建议|展望/i;

function roleOf(text: string, dated: boolean): UnitRole {
  if (DEFINITION.test(text)) return "background";
  if (ASSESSMENT.test(text)) return "assessment";
  return dated ? "fact" : "background";
}

/**
 * The form quotes are compared in: whitespace collapsed, and none left between Chinese or
 * Japanese characters and punctuation ("…融资。 该公司…" across a paragraph break reads "…融资。该公司…").
 */
export function normalizeQuote(text: string): string {
  return normalizeWhitespace(text).replace(
    /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}。！？；，、：”」』）])\s+(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}“「『（])/gu,
    "",
  );
}

type Located = { start: number; end: number; text: string; quotable: boolean };

/** The source's sentences with their place in its whitespace-collapsed content (list markers and droppable connectives left out). */
function locateSentences(content: string, normalized: string): Located[] {
  const located: Located[] = [];
  let cursor = 0;
  for (const sentence of splitSentences(content)) {
    const whole = normalizeQuote(sentence);
    const at = normalized.indexOf(whole, cursor);
    if (at < 0 || whole.length === 0) continue;
    cursor = at + whole.length;
    const marker = LIST_MARKER.exec(whole)?.[0].length ?? 0;
    const connective = droppableConnectiveLength(whole.slice(marker));
    const start = at + marker + connective;
    const text = normalized.slice(start, cursor);
    located.push({ start, end: cursor, text, quotable: isQuotable(text) });
  }
  return located;
}

/**
 * Splits sources into quotable units: a sentence that leans on the one before it (a pronoun,
 * demonstrative or connective opening) is joined to it, up to three sentences; one whose
 * antecedent cannot be quoted is dropped. Repeated units are removed; all are weighted by
 * TF-IDF across the pool.
 */
export function collectUnits(sources: NumberedSource[]): Unit[] {
  const seen = new Set<string>();
  const raw: Array<
    Omit<Unit, "vector" | "claim" | "sentenceClaims" | "sentenceFigures" | "sentenceQuantities"> & { parts: string[] }
  > = [];
  for (const source of sources) {
    const normalized = normalizeQuote(source.content);
    const date = source.published_at ? Date.parse(source.published_at) : Number.NaN;
    const dated = !Number.isNaN(date);
    const sentences = locateSentences(source.content, normalized);
    type Chain = { start: number; end: number; count: number; last: number; parts: string[] };
    let current: Chain | null = null;
    const close = () => {
      if (!current) return;
      const text = normalized.slice(current.start, current.end);
      const key = text.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        const { counts } = termBag(text);
        if (counts.size > 0) {
          raw.push({
            sourceId: source.id,
            text,
            lower: key,
            stems: new Set([...cueStems(text), ...counts.keys(), ...(DEFINITION.test(text) ? [DEFINITION_MARK] : [])]),
            counts,
            numbers: text.match(/\d+(?:[.,]\d+)*/g)?.map((number) => number.replace(/,/g, "")) ?? [],
            language: detectLanguage(text),
            date: dated ? date : null,
            role: roleOf(text, dated),
            sentences: current.count,
            order: raw.length,
            lead: current.parts[0] ?? text,
            parts: current.parts,
          });
        }
      }
      current = null;
    };
    sentences.forEach((sentence, index) => {
      if (!sentence.quotable) {
        close();
        return;
      }
      const previous = index > 0 ? (sentences[index - 1]?.text ?? null) : null;
      if (!leansOnPrevious(sentence.text, previous)) {
        close();
        current = { start: sentence.start, end: sentence.end, count: 1, last: index, parts: [sentence.text] };
        return;
      }
      const open = current as Chain | null;
      if (
        open &&
        open.last === index - 1 &&
        open.count < MAX_UNIT_SENTENCES &&
        sentence.end - open.start <= MAX_UNIT_CHARS
      ) {
        current = {
          start: open.start,
          end: sentence.end,
          count: open.count + 1,
          last: index,
          parts: [...open.parts, sentence.text],
        };
      } else {
        // Its antecedent is not quotable (a heading, a byline, another chain's end): never quoted alone.
        close();
      }
    });
    close();
  }
  const idf = inverseDocumentFrequency(raw.map((unit) => unit.counts));
  const withoutNumbers = (counts: TermVector) => new Map([...counts].filter(([term]) => !/\d/.test(term)));
  return raw.map(({ parts, ...unit }) => ({
    ...unit,
    vector: weightVector(unit.counts, idf),
    claim: weightVector(withoutNumbers(unit.counts), idf),
    sentenceClaims:
      parts.length > 1
        ? parts.map((part) => weightVector(withoutNumbers(termBag(part).counts), idf))
        : [weightVector(withoutNumbers(unit.counts), idf)],
    sentenceFigures: parts.length > 1 ? parts.map(figures) : [figures(unit.text)],
    sentenceQuantities: (parts.length > 1 ? parts : [unit.text]).map(quantities),
  }));
}
