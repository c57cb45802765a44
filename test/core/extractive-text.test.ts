import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/core/text/language.js";
import { splitSentences } from "../../src/core/text/sentences.js";
import { stemEnglish, tokenize } from "../../src/core/text/tokenize.js";

describe("text helpers shared by the corpus and the extractive engine", () => {
  it("segments Chinese into words and drops function words", () => {
    expect(tokenize("固态电池的能量密度提高了")).toEqual(["固态", "电池", "能量", "密度", "提高"]);
    expect(tokenize("生成AI Agent领域的报告")).toEqual(expect.arrayContaining(["ai", "agent", "领域"]));
  });

  it("lowercases, stems and splits English, dropping stop words", () => {
    expect(tokenize("The Batteries were launched; agents are Running")).toEqual(["battery", "launch", "agent", "run"]);
    expect(tokenize("solid-state")).toEqual(["solid", "state"]);
    expect(stemEnglish("companies")).toBe("company");
    expect(stemEnglish("class")).toBe("class");
    expect(tokenize("the of and", { keepStopWords: true })).toEqual(["the", "of", "and"]);
  });

  it("splits English sentences without breaking on abbreviations, initials or decimals", () => {
    expect(splitSentences("Dr. Smith said the U.S. market grew 3.5% in 2026. It was big! Was it? Yes.")).toEqual([
      "Dr. Smith said the U.S. market grew 3.5% in 2026.",
      "It was big!",
      "Was it?",
      "Yes.",
    ]);
    expect(splitSentences('He said "it works." Then he left.')).toEqual(['He said "it works."', "Then he left."]);
  });

  it("splits Chinese sentences on 。！？ and keeps closing quotes", () => {
    expect(splitSentences("固态电池进展迅速。能量密度提高了！真的吗？他说：“可以。”然后离开了。")).toEqual([
      "固态电池进展迅速。",
      "能量密度提高了！",
      "真的吗？",
      "他说：“可以。”",
      "然后离开了。",
    ]);
  });

  it("ends sentences at paragraph breaks, list items and headings", () => {
    expect(splitSentences("Heading line\n\nFirst paragraph ends here\n- item one\n- item two.")).toEqual([
      "Heading line",
      "First paragraph ends here",
      "- item one",
      "- item two.",
    ]);
  });

  it("detects language by script share", () => {
    expect(detectLanguage("生成AI Agent领域最近一周的行业重大事件报告")).toBe("zh");
    expect(detectLanguage("State of solid-state batteries in 2026")).toBe("en");
    expect(detectLanguage("最近のAIエージェント")).toBe("ja");
    expect(detectLanguage("전고체 배터리")).toBe("ko");
    expect(detectLanguage("")).toBe("en");
  });
});
