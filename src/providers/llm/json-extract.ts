import { stripThinking } from "./think.js";

/** Which top-level JSON value is wanted. */
export type JsonShape = "object" | "array" | "any";

export type JsonExtraction = { ok: true; value: unknown } | { ok: false; reason: string };

/** The fence's text is trimmed before parsing, so no `\s*` here: it made an unclosed fence quadratic. */
const FENCE = /```(?:json|JSON|jsonc)?([\s\S]*?)```/g;
/** Bounds on the work spent looking for a balanced `{…}` in hostile replies (multiples of the reply's length). */
const SCAN_BUDGET_FACTOR = 16;
const PARSE_BUDGET_FACTOR = 32;
const BUDGET_FLOOR = 1 << 16;

/**
 * Finds the JSON value in a model reply: the whole reply when it is JSON, else the contents of a
 * code fence, else the first balanced `{…}` (or `[…]`) that parses. Reasoning (`<think>`),
 * fences and prose around the JSON are tolerated.
 */
export function extractJson(text: string, options: { shape?: JsonShape } = {}): JsonExtraction {
  const { shape = "any" } = options;
  const answer = stripThinking(text);
  if (answer === "") return { ok: false, reason: "the reply was empty (no text outside reasoning)" };

  const whole = tryParse(answer, shape);
  if (whole.ok) return whole;
  for (const match of answer.matchAll(FENCE)) {
    const fenced = tryParse((match[1] ?? "").trim(), shape);
    if (fenced.ok) return fenced;
  }
  const openers = shape === "object" ? "{" : shape === "array" ? "[" : "{[";
  const ends = balancedEnds(answer);
  let parseBudget = PARSE_BUDGET_FACTOR * answer.length + BUDGET_FLOOR;
  for (let start = 0; start < answer.length; start += 1) {
    if (!openers.includes(answer[start] ?? "")) continue;
    const end = ends[start] ?? -1;
    if (end < 0) continue;
    parseBudget -= end + 1 - start;
    if (parseBudget < 0) break;
    const candidate = tryParse(answer.slice(start, end + 1), shape);
    if (candidate.ok) return candidate;
  }
  const wanted = shape === "any" ? "JSON value" : `JSON ${shape}`;
  return { ok: false, reason: `no parsable ${wanted} was found in the reply` };
}

function tryParse(text: string, shape: JsonShape): JsonExtraction {
  try {
    const value: unknown = JSON.parse(text);
    if (shape === "object" && (value === null || typeof value !== "object" || Array.isArray(value))) {
      return { ok: false, reason: "not an object" };
    }
    if (shape === "array" && !Array.isArray(value)) return { ok: false, reason: "not an array" };
    return { ok: true, value };
  } catch {
    return { ok: false, reason: "not JSON" };
  }
}

/**
 * For every `{` and `[`, the index of the bracket that closes it when scanning from it (strings
 * skipped, a mismatched closer or the end of text meaning -1); other positions hold -1.
 *
 * Computed from the last opener to the first so that a scan reaching an inner opener jumps over
 * what that opener's own scan found (same text, same string state, so the same result), which
 * makes 20,000 unclosed `{` linear instead of quadratic. A total step budget caps what crafted
 * string/escape patterns could still cost; openers left over count as unbalanced.
 */
function balancedEnds(text: string): Int32Array {
  const ends = new Int32Array(text.length).fill(-1);
  let budget = SCAN_BUDGET_FACTOR * text.length + BUDGET_FLOOR;
  for (let start = text.length - 1; start >= 0 && budget > 0; start -= 1) {
    const opener = text[start];
    if (opener !== "{" && opener !== "[") continue;
    const closer = opener === "{" ? "}" : "]";
    let inString = false;
    let end = -1;
    for (let index = start + 1; index < text.length; index += 1) {
      budget -= 1;
      if (budget <= 0) break;
      const character = text[index];
      if (inString) {
        if (character === "\\") index += 1;
        else if (character === '"') inString = false;
        continue;
      }
      if (character === '"') inString = true;
      else if (character === "{" || character === "[") {
        const inner = ends[index] ?? -1;
        if (inner < 0) break;
        index = inner;
      } else if (character === "}" || character === "]") {
        if (character === closer) end = index;
        break;
      }
    }
    if (budget > 0) ends[start] = end;
  }
  return ends;
}
