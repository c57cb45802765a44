/**
 * Script-aware measures of short texts: how long a line is in words (a Han, kana or Hangul
 * character counts as half a word, about what a Chinese word costs), which language a text is
 * in, and the day a visible dateline names. Every regular expression here is linear (no nested
 * or overlapping quantifiers) and runs on one block's text at a time.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** Length of `text` in words; CJK characters count half a word each. */
export function textUnits(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const rest = cjk === 0 ? text : text.replace(CJK, " ");
  const words = rest.match(WORD)?.length ?? 0;
  return words + Math.ceil(cjk / 2);
}

/** Length of `text` with whitespace runs collapsed to one space and the ends trimmed; counts without building a string. */
export function collapsedLength(text: string): number {
  let length = 0;
  let pendingSpace = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0x3000) {
      pendingSpace = length > 0;
    } else {
      if (pendingSpace) length += 1;
      pendingSpace = false;
      length += 1;
    }
  }
  return length;
}

/** Characters of `text` that are not whitespace. */
export function visibleLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (!(code === 32 || (code >= 9 && code <= 13) || code === 160 || code === 0x3000)) length += 1;
  }
  return length;
}

const ENGLISH_WORDS = new Set(
  "the of and to in is that for on with as was by at from it are be has have this said will".split(" "),
);

/**
 * The language of `text` by its script, or English by its commonest words; null when unsure.
 * Used only when the page does not state one.
 */
export function detectPageLanguage(text: string): string | null {
  const sample = text.slice(0, 4000);
  const han = sample.match(/\p{Script=Han}/gu)?.length ?? 0;
  const kana = sample.match(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  const hangul = sample.match(/\p{Script=Hangul}/gu)?.length ?? 0;
  const latinWords = sample.match(/\p{Script=Latin}+/gu) ?? [];
  const letters = han + kana + hangul + latinWords.join("").length;
  if (letters === 0) return null;
  if (kana > 0 && (han + kana) / letters > 0.3) return "ja";
  if (hangul / letters > 0.3) return "ko";
  if (han / letters > 0.3) return "zh";
  if (latinWords.length < 5) return null;
  const common = latinWords.filter((word) => ENGLISH_WORDS.has(word.toLowerCase())).length;
  return common / latinWords.length >= 0.08 ? "en" : null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const DAY_MONTH_YEAR =
  /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b/i;
const MONTH_DAY_YEAR =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/i;
const NUMERIC = /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/;
const CHINESE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;

/**
 * The day a visible dateline names ("28 November 2026", "Nov 28, 2026", "2026-11-28 10:32",
 * "2026年11月28日"), as midnight UTC of that day: visible datelines give no time zone, so only
 * the day is kept. Null when the text names no plausible day.
 */
export function dayFromText(text: string): string | null {
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  const numeric = NUMERIC.exec(text) ?? CHINESE.exec(text);
  if (numeric) {
    [year, month, day] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  } else {
    const dayFirst = DAY_MONTH_YEAR.exec(text);
    const monthFirst = dayFirst ? null : MONTH_DAY_YEAR.exec(text);
    if (dayFirst)
      [day, month, year] = [
        Number(dayFirst[1]),
        MONTHS[(dayFirst[2] ?? "").toLowerCase().slice(0, 3)],
        Number(dayFirst[3]),
      ];
    else if (monthFirst)
      [month, day, year] = [
        MONTHS[(monthFirst[1] ?? "").toLowerCase().slice(0, 3)],
        Number(monthFirst[2]),
        Number(monthFirst[3]),
      ];
  }
  if (!year || !month || !day || year < 1990 || year > 2200 || month > 12 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCDate() === day ? date.toISOString() : null;
}

/** Whether `text` names a date or a time of publication ("Updated 3 hours ago", "10:32", …). */
export function mentionsDate(text: string): boolean {
  return (
    dayFromText(text) !== null ||
    /\b\d{1,2}:\d{2}\b/.test(text) ||
    /\b\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago\b/i.test(text) ||
    /\d{1,4}\s*(?:分钟|小时|天)前/.test(text)
  );
}
