/**
 * Names a claim makes (people, companies, places, products) that its source must also name.
 * Latin script: capitalised words, acronyms and camel-case words ("QuantumCell", "iPhone"), not
 * counting a sentence's first word unless it is itself name-shaped. Chinese: organisation names
 * ending in 公司/集团/科技…, titles in 《》 and quoted names in “”/「」.
 */
import { ENGLISH_STOP_WORDS } from "../text/stop-words.js";

/** Capitalised words that are not names: calendar words, units, generic acronyms, sentence openers. */
const NOT_NAMES = new Set(
  (
    "january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec " +
    "monday tuesday wednesday thursday friday saturday sunday gwh mwh kwh twh wh gw mw kw mah usd cny rmb eur gbp jpy hkd " +
    "ai ceo cfo cto coo ev evs gdp ipo q1 q2 q3 q4 h1 h2 yoy pc tv faq ok " +
    "however meanwhile according overall still although though despite since while together moreover furthermore besides " +
    "analysts officials researchers experts investors executives customers sources several many most some both each every " +
    "chief president minister director professor dr mr mrs ms according report reports said says"
  ).split(/\s+/),
);

/** Names written in more than one way. */
const ALIASES: Record<string, string> = {
  "u.s": "us",
  "u.s.": "us",
  usa: "us",
  america: "us",
  american: "us",
  "united states": "us",
  "u.k": "uk",
  "u.k.": "uk",
  britain: "uk",
  british: "uk",
  "united kingdom": "uk",
  "european union": "eu",
  "e.u": "eu",
  europe: "eu",
  european: "eu",
  chinese: "china",
  prc: "china",
  japanese: "japan",
  korean: "korea",
  german: "germany",
  french: "france",
  indian: "india",
};

const WORD = /[\p{L}\p{N}][\p{L}\p{N}&'’.-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;

function normalizeName(word: string): string {
  return word
    .toLowerCase()
    .replace(/[’']s$/, "")
    .replace(/\.$/, "");
}

/** Whether a word is shaped like a name wherever it stands: an acronym, camel case, or letters with digits. */
function isNameShaped(word: string): boolean {
  if (/^\p{Lu}{2,}$/u.test(word)) return true;
  if (/^\p{L}+\p{Lu}/u.test(word) && /\p{Ll}/u.test(word)) return true;
  return /\p{L}/u.test(word) && /\d/.test(word) && /\p{Lu}/u.test(word);
}

/** Latin-script names a claim makes, lowercased (aliases resolved). Multi-word names give one entry per word. */
export function latinNames(text: string): string[] {
  const names = new Set<string>();
  const body = text
    .replace(/\[[^\]]*\]\([^)]*\)/g, (link) => link.replace(/\([^)]*\)$/, ""))
    .replace(/\b(?:US|HK|NZ|A|C|S)\$/g, "$");
  const joined = body.replace(/\b(?:United States|United Kingdom|European Union)\b/g, (phrase) =>
    (ALIASES[phrase.toLowerCase()] ?? phrase).toUpperCase(),
  );
  let first = true;
  for (const match of joined.matchAll(WORD)) {
    const word = match[0];
    const before = joined.slice(Math.max(0, (match.index ?? 0) - 2), match.index ?? 0);
    const opensSentence = first || /[.!?:;]\s*$|^\s*$|[“"(]\s*$/.test(before) || /^[-*•]\s$/.test(before);
    first = false;
    if (!/^\p{Lu}/u.test(word) && !isNameShaped(word)) continue;
    const lower = normalizeName(word);
    if (lower === "us" || lower === "uk" || lower === "eu") {
      names.add(lower);
      continue;
    }
    if (NOT_NAMES.has(lower) || ENGLISH_STOP_WORDS.has(lower)) continue;
    if (opensSentence && !isNameShaped(word)) continue;
    if (/^\d/.test(word) || word.length < 2) continue;
    names.add(ALIASES[lower] ?? lower);
  }
  return [...names];
}

const ORG_SUFFIX = "公司|集团|银行|证券|大学|学院|研究院|研究所|实验室|委员会|协会|交易所|医院";
const CJK_ORG = new RegExp(`([\\p{Script=Han}]{2,6})(?:${ORG_SUFFIX})`, "gu");
const CJK_QUOTED = /[《「“『]([^》」”』]{2,20})[》」”』]/gu;
/** Characters that do not occur inside a name: function words and common verbs before "公司" ("成立新公司", "这家公司"). */
const NOT_IN_NAME = /[的了在是和与及将把被从向对为由等成立新家个该这此各其多一两旗下子母总分全]/u;

/** Chinese names a claim makes: organisation names (the characters before 公司/集团/…), 《titles》 and quoted names. */
export function cjkNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(CJK_ORG)) {
    const stem = match[1] ?? "";
    // The name is the run of characters next to the suffix that holds no function word or common verb.
    let core = "";
    for (const char of [...stem].reverse()) {
      if (NOT_IN_NAME.test(char)) break;
      core = char + core;
    }
    if (core.length >= 2) names.add(core.slice(-4));
  }
  for (const match of text.matchAll(CJK_QUOTED)) {
    const name = (match[1] ?? "").trim();
    if (/\p{Script=Han}/u.test(name)) names.add(name);
  }
  return [...names];
}

/** Words of a source, lowercased, for name lookups (aliases resolved). */
export function nameVocabulary(text: string): Set<string> {
  const words = new Set<string>();
  const joined = text.replace(
    /\b(?:United States|United Kingdom|European Union)\b/gi,
    (phrase) => ALIASES[phrase.toLowerCase()] ?? phrase,
  );
  for (const match of joined.matchAll(WORD)) {
    const lower = normalizeName(match[0]);
    words.add(lower);
    const alias = ALIASES[lower];
    if (alias) words.add(alias);
    // Hyphenated and dotted names are also looked up by their parts ("Li-Cycle" ↔ "Li Cycle").
    for (const part of lower.split(/[-.]/)) if (part) words.add(part);
  }
  return words;
}

/** Whether a Latin name appears among a source's words (exact, or sharing a five-letter prefix: "Nevada" ↔ "Nevadan"). */
export function hasLatinName(name: string, vocabulary: ReadonlySet<string>, prefixes: ReadonlySet<string>): boolean {
  if (vocabulary.has(name)) return true;
  for (const part of name.split(/[-.]/))
    if (part.length > 0 && !vocabulary.has(part)) return name.length >= 5 && prefixes.has(name.slice(0, 5));
  return true;
}

/** Five-letter prefixes of a vocabulary's longer words. */
export function prefixesOf(vocabulary: ReadonlySet<string>): Set<string> {
  const prefixes = new Set<string>();
  for (const word of vocabulary) if (word.length >= 5) prefixes.add(word.slice(0, 5));
  return prefixes;
}
