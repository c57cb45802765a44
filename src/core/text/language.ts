/** Script counts used for language detection. */
export type ScriptCounts = { han: number; kana: number; hangul: number; latin: number };

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;
const LATIN = /\p{Script=Latin}/u;

/** Counts the characters of each script that matters for detection. */
export function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { han: 0, kana: 0, hangul: 0, latin: 0 };
  for (const char of text) {
    if (HAN.test(char)) counts.han += 1;
    else if (KANA.test(char)) counts.kana += 1;
    else if (HANGUL.test(char)) counts.hangul += 1;
    else if (LATIN.test(char)) counts.latin += 1;
  }
  return counts;
}

/**
 * Detects the language of a text by script share: kana → "ja", Hangul → "ko", a CJK share
 * of at least ~25% of letters → "zh", else "en". A CJK character weighs as much as a Latin
 * word (about four letters), so "生成AI Agent领域…报告" is Chinese.
 */
export function detectLanguage(text: string): "zh" | "ja" | "ko" | "en" {
  const { han, kana, hangul, latin } = countScripts(text);
  const latinWords = latin / 4;
  const total = han + kana + hangul + latinWords;
  if (total === 0) return "en";
  if (kana > 0 && kana / total >= 0.1) return "ja";
  if (hangul / total >= 0.25) return "ko";
  if ((han + kana) / total >= 0.25) return "zh";
  return "en";
}

/** True when the string contains a CJK ideograph, kana or Hangul. */
export function hasCjk(text: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);
}

/** Whether a BCP 47 tag names Chinese, Japanese or Korean (written without spaces between sentences). */
export function isCjkLanguage(language: string): boolean {
  return /^(zh|ja|ko)\b/i.test(language);
}
