import { describe, expect, it } from "vitest";
import { splitSentences } from "../../src/core/text/sentences.js";
import { chunkText } from "../../src/providers/corpus/chunk.js";

describe("text helpers on very long input", () => {
  it("splits a single paragraph of 200,000 sentences without overflowing the call stack", () => {
    const paragraph = Array.from({ length: 200_000 }, (_, index) => `Sentence number ${index} is here.`).join(" ");
    const sentences = splitSentences(paragraph);
    expect(sentences).toHaveLength(200_000);
    expect(sentences[199_999]).toBe("Sentence number 199999 is here.");
    const chunks = chunkText(paragraph);
    expect(chunks.length).toBeGreaterThan(1000);
    expect(chunks.every((chunk) => chunk.length <= 1800)).toBe(true);
  });
});

describe("extractive sentences from Chinese lists", () => {
  it("drops Chinese list markers (1、 一、 （二） ①) and keeps the sentence verbatim", async () => {
    const { collectUnits } = await import("../../src/core/extractive/units.js");
    const content =
      "一、固态电池中试线今年相继投产，产能持续扩大。\n（二）锂金属负极的成本仍然是量产的最大障碍。\n3、多家车企推迟了固态电池车型的上市时间。\n①硫化物电解质路线吸引了最多的投资。";
    const texts = collectUnits([
      { id: 1, title: "t", url: "file:///c/a.md", content, published_at: null, provider: "corpus" },
    ]).map((unit) => unit.text);
    expect(texts).toEqual([
      "固态电池中试线今年相继投产，产能持续扩大。",
      "锂金属负极的成本仍然是量产的最大障碍。",
      "多家车企推迟了固态电池车型的上市时间。",
      "硫化物电解质路线吸引了最多的投资。",
    ]);
    for (const text of texts) expect(content).toContain(text);
  });
});

describe("extractive report on Japanese text", () => {
  it("never names a section after particles (は, が, です) and runs cited sentences together without spaces", async () => {
    const { analyzeIntentByRules } = await import("../../src/core/intent-rules.js");
    const { taskParamsSchema } = await import("../../src/core/params.js");
    const { outlineFromEvidence, writeExtractiveSection, writeExtractiveSummary } =
      await import("../../src/core/extractive/index.js");
    const intent = analyzeIntentByRules({
      params: taskParamsSchema.parse({ task: "全固体電池の最新動向" }),
      now: new Date("2026-11-25T12:00:00Z"),
    });
    expect(intent.language).toBe("ja");
    const sources = [
      {
        id: 1,
        title: "全固体電池の量産計画",
        url: "file://docs/a.md",
        content: "全固体電池の量産が2027年に始まる予定です。トヨタは新しい工場の建設を発表しました。",
        published_at: "2026-11-24",
        provider: "corpus",
      },
      {
        id: 2,
        title: "全固体電池のコスト",
        url: "file://docs/b.md",
        content: "専門家によると、全固体電池のコストは依然として高く、普及には時間がかかる見込みです。",
        published_at: "2026-11-24",
        provider: "corpus",
      },
    ];
    const outline = outlineFromEvidence({ intent, sources });
    for (const section of outline.sections)
      expect(section.name).not.toMatch(/(?:^|[:,]\s*)\p{Script=Hiragana}+(?:,|$)/u);
    const sections = outline.sections.map((section) => ({
      id: section.id,
      name: section.name,
      content: writeExtractiveSection({ intent, outline, section, evidence: sources }),
    }));
    const body = sections.map((section) => section.content).join("\n");
    expect(body).toMatch(/。\[\d+\]/);
    expect(body).not.toMatch(/。 \[\d+\]/);
    expect(writeExtractiveSummary({ intent, sections })).not.toMatch(/\] \S/);
  });
});
