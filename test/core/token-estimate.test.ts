import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { describe, expect, it } from "vitest";
import { estimateChatTokens, estimateTokens } from "../../src/core/text/tokens.js";
import { estimateUsage } from "../../src/providers/llm/usage.js";

/** The real tokenizer the estimate is held to (js-tiktoken comes with @tavily/core anyway). */
const o200kEncoder = new Tiktoken(o200k);
const realTokens = (text: string): number => o200kEncoder.encode(text).length;

const root = path.resolve(import.meta.dirname, "../..");
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** Visible text of a fixture page (scripts, styles and tags dropped; messy on purpose: menus, bylines, ads stay). */
function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/[ \t]+/g, " ");
}

/** Paragraphs of the fixture news pages and example corpus, split by script. */
function paragraphs(): { english: string[]; chinese: string[] } {
  const files = [
    ...filesUnder(path.join(root, "test/fixtures/news-site")),
    ...filesUnder(path.join(root, "examples/corpus")),
  ];
  const english: string[] = [];
  const chinese: string[] = [];
  for (const file of files.filter((name) => /\.(html|md|txt)$/.test(name))) {
    const raw = readFileSync(file, "utf8");
    const text = file.endsWith(".html") ? pageText(raw) : raw;
    for (const paragraph of text
      .split(/\n\s*\n/)
      .map((part) => part.trim())
      .filter((part) => part.length > 40)) {
      const cjk = paragraph.match(CJK)?.length ?? 0;
      (cjk / paragraph.length > 0.2 ? chinese : english).push(paragraph);
    }
  }
  return { english, chinese };
}

function errors(texts: string[]): { total: number; median: number } {
  let estimated = 0;
  let real = 0;
  const relative = texts.map((text) => {
    const [guess, truth] = [estimateTokens(text), realTokens(text)];
    estimated += guess;
    real += truth;
    return Math.abs(guess - truth) / truth;
  });
  relative.sort((left, right) => left - right);
  return { total: (estimated - real) / real, median: relative[Math.floor(relative.length / 2)] ?? 1 };
}

describe("the local token estimate", () => {
  const { english, chinese } = paragraphs();

  it("has enough English and Chinese text to judge it by", () => {
    expect(english.length).toBeGreaterThan(100);
    expect(chinese.length).toBeGreaterThan(30);
  });

  it("stays close to o200k on English prose: total within 6 %, a typical paragraph within 10 %", () => {
    const { total, median } = errors(english);
    expect(Math.abs(total)).toBeLessThan(0.06);
    expect(median).toBeLessThan(0.1);
  });

  it("stays close to o200k on Chinese prose: total within 6 %, a typical paragraph within 10 %", () => {
    const { total, median } = errors(chinese);
    expect(Math.abs(total)).toBeLessThan(0.06);
    expect(median).toBeLessThan(0.1);
  });

  it("counts mixed text, numbers and markup sensibly", () => {
    const mixed = "2026年11月，Veltrix 宣布 solid-state 电池试产线投产（https://example.com/a?id=12345）。";
    expect(Math.abs(estimateTokens(mixed) - realTokens(mixed)) / realTokens(mixed)).toBeLessThan(0.25);
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("a")).toBe(1);
  });

  it("is the count a call's usage falls back to when the API sends none", () => {
    const messages = [
      { role: "system" as const, content: "You write cited reports." },
      { role: "user" as const, content: chinese[0] ?? "" },
    ];
    const usage = estimateUsage({ messages, output: english[0] ?? "" });
    expect(usage).toEqual({
      input_tokens: estimateChatTokens({ messages }),
      output_tokens: estimateTokens(english[0] ?? ""),
      estimated: true,
    });
    expect(usage.input_tokens).toBe(
      3 + 4 + estimateTokens(messages[0]!.content) + 4 + estimateTokens(messages[1]!.content),
    );
  });
});
