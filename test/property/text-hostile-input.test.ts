/**
 * The text functions every untrusted text goes through (sentence splitting, JSON extraction
 * from model replies, reasoning removal, tokenizing): on any input a result and never a throw,
 * exactly the results of the code they replaced on small inputs, and linear time on the inputs
 * that made that code quadratic (200 KB of "A. A. …" took 82 s, 20,000 "{" 6.5 s).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/core/text/sentences.js";
import { createCachedTokenizer, tokenize } from "../../src/core/text/tokenize.js";
import { extractJson } from "../../src/providers/llm/json-extract.js";
import { stripThinking } from "../../src/providers/llm/think.js";
import { HOSTILE_SIZE, RUNS, withinTime } from "./budget.js";
import { legacyExtractJson, legacySplitSentences, legacyStripThinking } from "./legacy-text.js";

const pieces = (parts: string[], maxLength = 80) =>
  fc.array(fc.constantFrom(...parts), { maxLength }).map((chosen) => chosen.join(""));

const sentenceText = fc.oneof(
  pieces([
    "A",
    "a",
    ".",
    " ",
    "\n",
    "Dr",
    "U.S",
    "e.g",
    "!",
    "?",
    "。",
    "！",
    "；",
    '"',
    "”",
    ")",
    "…",
    "3",
    "é",
    "𝐀",
    "\n\n",
    "- ",
    "# ",
    "1. ",
    "x",
  ]),
  fc.string({ unit: "grapheme", maxLength: 100 }),
);
const replyText = fc.oneof(
  pieces([
    "{",
    "}",
    "[",
    "]",
    '"',
    "\\",
    "a",
    ":",
    ",",
    "1",
    " ",
    "```",
    "```json\n",
    "<think>",
    "</think>",
    "null",
    '"k"',
  ]),
  fc.json().map((json) => `Here you go: ${json} — done.`),
  fc.string({ maxLength: 100 }),
);
const thinkText = pieces([
  "<think>",
  "</think>",
  "<thinking>",
  "</thinking>",
  "<THINK>",
  "</Think>",
  "a",
  " ",
  "<",
  ">",
  "/",
]);
const tokenText = fc.oneof(
  pieces([
    "固态",
    "电池",
    "的",
    "能量密度",
    "AI",
    "Agent",
    "batteries",
    "don't",
    "U.S.",
    " ",
    "。",
    "3.5",
    "한국어",
    "カタカナ",
  ]),
  fc.string({ unit: "grapheme", maxLength: 100 }),
);

describe("on any input: a result, never a throw, the same as before", () => {
  it("splitSentences returns trimmed, non-empty slices of the text, in order, as the old splitter did", () => {
    fc.assert(
      fc.property(sentenceText, (text) => {
        const sentences = splitSentences(text);
        expect(sentences).toEqual(legacySplitSentences(text));
        let cursor = 0;
        for (const sentence of sentences) {
          expect(sentence).toBe(sentence.trim());
          expect(sentence.length).toBeGreaterThan(0);
          const at = text.indexOf(sentence, cursor);
          expect(at).toBeGreaterThanOrEqual(0);
          cursor = at + sentence.length;
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it("extractJson finds the same value as before, of the shape asked for, or says why not", () => {
    for (const shape of ["any", "object", "array"] as const) {
      fc.assert(
        fc.property(replyText, (text) => {
          const found = extractJson(text, { shape });
          expect(found).toEqual(legacyExtractJson(text, { shape }));
          if (!found.ok) expect(found.reason.length).toBeGreaterThan(0);
          else if (shape === "array") expect(Array.isArray(found.value)).toBe(true);
        }),
        { numRuns: RUNS * 2 },
      );
    }
  });

  it("stripThinking removes the same reasoning blocks as before", () => {
    fc.assert(
      fc.property(thinkText, (text) => {
        expect(stripThinking(text)).toBe(legacyStripThinking(text));
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it("tokenize gives non-empty terms, the cached tokenizer the same ones, and long CJK runs the segmenter's own words", () => {
    const cached = createCachedTokenizer();
    fc.assert(
      fc.property(tokenText, (text) => {
        const terms = tokenize(text);
        expect(terms.every((term) => term.length > 0)).toBe(true);
        expect(cached(text)).toEqual(terms);
      }),
      { numRuns: RUNS * 2 },
    );
    // A run longer than the segmenting window is cut where the segmenter put a word boundary.
    const run = "人工智能代理在过去一周发布了多项重大更新包括新的模型和工具链这些变化将影响整个行业的发展方向".repeat(
      40,
    );
    const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
    const whole = [...segmenter.segment(run)].filter((segment) => segment.isWordLike).map((segment) => segment.segment);
    expect(tokenize(run, { keepStopWords: true })).toEqual(whole);
  });
});

describe("linear time on hostile input", () => {
  const size = HOSTILE_SIZE;
  const cases: Array<[string, string]> = [
    ['"A. " repeated', "A. ".repeat(size / 3)],
    ['"a.a." without spaces', "a.".repeat(size / 2)],
    ["one long paragraph of abbreviations", "Dr. Mr. U.S. e.g. ".repeat(size / 18)],
    ['unclosed "{"', "{".repeat(size)],
    ['nested "[" around a bad token', `${"[".repeat(size / 2)}x${"]".repeat(size / 2)}`],
    ["escaped quotes in one long string", `{"${'{\\"'.repeat(size / 8)}"${"[]".repeat(size / 8)}}`],
    ['unclosed "<think>"', "<think>".repeat(size / 7)],
    ["an unclosed fence of spaces", `\`\`\`${" ".repeat(size)}`],
    ["one Han run", "中文字符".repeat(size / 4)],
    ["one Latin word", "a".repeat(size)],
    ['"ab\'" repeated', "ab'".repeat(size / 3)],
    ["newlines and spaces", "\n \t".repeat(size / 3)],
  ];
  for (const [name, text] of cases) {
    it(`handles ${name} (${Math.round(text.length / 1000)} KB) within the time bound`, () => {
      withinTime(`splitSentences: ${name}`, () => splitSentences(text));
      withinTime(`extractJson: ${name}`, () => extractJson(text));
      withinTime(`extractJson (object): ${name}`, () => extractJson(text, { shape: "object" }));
      withinTime(`tokenize: ${name}`, () => tokenize(text));
    });
  }

  it("still finds the JSON object after 20,000 unclosed braces", () => {
    const found = withinTime("extractJson", () =>
      extractJson(`${"{".repeat(20_000)} {"answer": 42}`, { shape: "object" }),
    );
    expect(found).toEqual({ ok: true, value: { answer: 42 } });
  });
});
