/**
 * Clauses of a claim, for keeping the part a source supports when another part is not
 * supported ("QuantumCell opened a 2 GWh plant, and its shares rose 40%" → the first clause).
 */
import { contentTerms, hanBigrams } from "./features.js";
import { extractQuantities } from "./quantities.js";

export type Clause = { text: string; /** The separator before it as written ("" for the first). */ separator: string };

const ENGLISH_BOUNDARY =
  /(;\s+|,\s+(?=(?:and|but|while|whereas|although|though|which|with|adding that|saying that|as well as|after|before|even as)\s)|\s+—\s+|,\s+)/i;
const CHINESE_BOUNDARY = /([；;，,]\s*)/u;

/** Whether a piece can stand as a clause of its own: a few content words, a figure, or six Han characters. */
function standsAlone(text: string): boolean {
  const han = hanBigrams(text).length;
  if (han >= 5) return true;
  return (
    contentTerms(text).length >= 3 ||
    (contentTerms(text).length >= 2 && extractQuantities(text).some((quantity) => !quantity.soft))
  );
}

/** Splits a claim into clauses; a piece too small to stand alone joins the clause before it (or after it, at the start). */
export function splitClauses(text: string): Clause[] {
  const boundary = /\p{Script=Han}/u.test(text) ? CHINESE_BOUNDARY : ENGLISH_BOUNDARY;
  const parts = text.split(boundary);
  const clauses: Clause[] = [];
  let pendingSeparator = "";
  let carry = "";
  for (let index = 0; index < parts.length; index += 2) {
    const part = `${carry}${parts[index] ?? ""}`;
    const separator = parts[index + 1] ?? "";
    if (!standsAlone(part) && index + 2 < parts.length && clauses.length === 0) {
      carry = `${part}${separator}`;
      continue;
    }
    carry = "";
    const last = clauses.at(-1);
    if (!standsAlone(part) && last) last.text += `${pendingSeparator}${part}`;
    else clauses.push({ text: part, separator: clauses.length === 0 ? "" : pendingSeparator });
    pendingSeparator = separator;
  }
  if (carry) clauses.push({ text: carry, separator: "" });
  return clauses.filter((clause) => clause.text.trim() !== "");
}

/** Lowercase words a clause may open a sentence with: determiners and pronouns ("its shares rose…"). */
const SUBJECT_OPENING =
  /^(?:the|a|an|this|these|those|its|it|they|their|he|she|his|her|we|our|there|some|many|most|all|each|every|both|several|such|one|no)\b/u;

/** Whether a clause can open a sentence: Chinese, a name, a figure, or a determiner or pronoun (not "making it…", "down from…"). */
export function canOpenSentence(clause: string): boolean {
  const text = clause.replace(/^[\s,;:，；：、]+/, "").replace(/^(?:and|but|while|whereas|also)\s+/i, "");
  return /^[\p{Script=Han}\p{Lu}\d$€£¥"“]/u.test(text) || SUBJECT_OPENING.test(text);
}
