import { describe, expect, it } from "vitest";
import type { NumberedSource, Outline } from "../../src/core/author.js";
import { leansOnPrevious, selectUnits, writeExtractiveSummary } from "../../src/core/extractive/index.js";
import { collectUnits } from "../../src/core/extractive/units.js";
import { analyzeIntentByRules } from "../../src/core/intent-rules.js";
import { taskParamsSchema } from "../../src/core/params.js";

const NOW = new Date("2026-11-28T12:00:00Z");
const source = (id: number, content: string, published_at: string | null, title = `Source ${id}`): NumberedSource => ({
  id,
  title,
  url: `file:///corpus/${id}.md`,
  content,
  published_at,
  provider: "corpus",
});
const intentFor = (task: string) => analyzeIntentByRules({ params: taskParamsSchema.parse({ task }), now: NOW });

describe("quotes that stand on their own", () => {
  it.each([
    ["It is the largest funding round for an agent start-up this year.", true],
    ["This removes the main fuel for battery fires.", true],
    ["They said a standard without them would struggle.", true],
    ["The company said it will hire 200 engineers.", true],
    ["The round values the company at $2.9 billion.", true],
    ["Under the draft, the logs must be kept for twelve months.", true],
    ["Quillmark AI, Orrin Dynamics and Tessellate Systems are among the members.", true],
    ["Most now expect small production runs in 2028.", true],
    ["However, prices fell by half.", true],
    ["Several carmakers have invested in these suppliers instead.", true],
    ["The European Commission published draft guidance on November 22.", false],
    ["Aurora Cells runs the largest pilot line outside Asia.", false],
    ["这是今年以来国内AI Agent领域规模最大的一笔融资。", true],
    ["该公司表示，本轮资金将主要用于扩充研发团队。", true],
    ["其中，青峰能源的中试线产能最大。", true],
    ["公司计划在2028年前建成车规级量产线。", true],
    ["双方表示，收购完成后团队将并入可靠性部门。", true],
    ["事件发生后，该企业暂停了智能体的退款权限。", true],
    ["11月23日，智能体公司星图智能宣布完成3亿元C轮融资。", false],
    ["国内布局固态电池的主要企业包括青峰能源、赤岩新能源和蓝湾电池。", false],
  ])("%j leans on the sentence before: %s", (sentence, leans) => {
    const previous = "Twelve companies formed a draft group; the round and the draft were announced. 上一句。";
    expect(leansOnPrevious(sentence, previous)).toBe(leans);
  });

  it("quotes a leaning sentence with the one it leans on, and never alone when that one cannot be quoted", () => {
    const units = collectUnits([
      source(
        1,
        "## Funding news\n\nThe round values the company at $2.9 billion. Quillmark AI raised $340 million in a Series C round. It is the largest round this year. The company said it will hire engineers. The money will also pay for an office in Singapore.",
        "2026-11-23",
      ),
      source(
        2,
        "11月23日，智能体公司星图智能宣布完成3亿元C轮融资。这是今年以来国内规模最大的一笔融资。\n\n此外，星图智能的产品服务于两百多家制造企业。",
        "2026-11-23",
      ),
    ]);
    const texts = units.map((unit) => unit.text);
    // The first sentence leans on a heading: never quoted. The chain holds at most three sentences.
    expect(texts.some((text) => text.startsWith("The round values"))).toBe(false);
    expect(texts).toContain(
      "Quillmark AI raised $340 million in a Series C round. It is the largest round this year. The company said it will hire engineers.",
    );
    // A fourth leaning sentence would make the quote too long: it is left out, never quoted alone.
    expect(texts.some((text) => text.includes("The money will also"))).toBe(false);
    // Chinese: the demonstrative joins its antecedent; a droppable connective is left out of the quote.
    expect(texts).toContain("11月23日，智能体公司星图智能宣布完成3亿元C轮融资。这是今年以来国内规模最大的一笔融资。");
    expect(texts).toContain("星图智能的产品服务于两百多家制造企业。");
  });
});

describe("a section's quotes", () => {
  const outline: Outline = {
    title: "t",
    sections: [
      { id: 0, name: "Market size", goal: "g", queries: ["solid-state battery market size"] },
      { id: 1, name: "Outlook", goal: "g", queries: ["solid-state battery outlook"] },
    ],
  };

  it("keep the newer figure for the same claim and read in date order, not score order", () => {
    const intent = intentFor("Solid-state battery industry analysis");
    const evidence = [
      source(
        1,
        "Solid-state battery shipments will reach 7 gigawatt-hours in 2026, according to Voltmark, and the market will be worth $4 billion.",
        "2026-11-19",
      ),
      source(
        2,
        "Solid-state battery shipments will reach 5 gigawatt-hours in 2026, according to Voltmark, and the market will be worth $3 billion.",
        "2026-03-04",
      ),
      source(
        3,
        "Solid-state battery revenue grew by a third in the first half, as drone makers bought more cells than expected in the market.",
        "2026-07-01",
      ),
      source(
        4,
        "The solid-state battery market in Europe remained small, with sales below 1 gigawatt-hour in the spring.",
        "2026-05-02",
      ),
    ];
    const texts = selectUnits({ intent, outline, section: outline.sections[0]!, evidence }).map((unit) => unit.text);
    expect(texts.some((text) => text.includes("7 gigawatt-hours"))).toBe(true);
    expect(texts.some((text) => text.includes("5 gigawatt-hours"))).toBe(false);
    const order = texts.map((text) =>
      text.includes("Europe") ? 5 : text.includes("first half") ? 7 : text.includes("7 gigawatt") ? 11 : 0,
    );
    expect(order).toEqual([...order].sort((left, right) => left - right));
  });

  it("and the summary keeps one of two near-duplicate facts, with the date of each", () => {
    const intent = intentFor("Solid-state battery industry analysis");
    const sections = [
      {
        id: 0,
        name: "Market size",
        content:
          "Solid-state battery shipments will reach 7 gigawatt-hours in 2026, according to Voltmark. [1] Solid-state battery shipments will reach about 7 gigawatt-hours in 2026, Voltmark said. [2]",
      },
      {
        id: 1,
        name: "Outlook",
        content: "Analysts expect solid-state batteries to reach small production runs in 2027. [3]",
      },
    ];
    const summary = writeExtractiveSummary({
      intent,
      sections,
      sources: [source(1, "", "2026-11-19"), source(2, "", "2026-11-20"), source(3, "", "2026-11-25")],
    });
    expect(summary.split("\n")[0]).toBe("Drawn from 3 sources dated 19–25 November 2026.");
    expect((summary.match(/7 gigawatt-hours/g) ?? []).length).toBe(1);
    expect(summary).toMatch(/^- \*\*25 Nov\*\* — Analysts expect/m);
  });
});
