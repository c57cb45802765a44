import { stripThinking } from "./think.js";

/** Which top-level JSON value is wanted. */
export type JsonShape = "object" | "array" | "any";

export type JsonExtraction = { ok: true; value: unknown } | { ok: false; reason: string };

const FENCE = /```(?:json|JSON|jsonc)?\s*\n?([\s\S]*?)```/g;

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
  for (let start = 0; start < answer.length; start += 1) {
    if (!openers.includes(answer[start] ?? "")) continue;
    const end = findBalancedEnd(answer, start);
    if (end < 0) continue;
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

/** Index of the bracket closing the one at `start`, skipping strings; -1 when unbalanced. */
function findBalancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === "\\") index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === "{") stack.push("}");
    else if (character === "[") stack.push("]");
    else if (character === "}" || character === "]") {
      if (stack.pop() !== character) return -1;
      if (stack.length === 0) return index;
    }
  }
  return -1;
}
