import { describe, expect, it } from "vitest";
import { cjkNames, latinNames } from "../../src/core/grounding/names.js";
import { extractQuantities, isSpecificFigure, quantityMatches } from "../../src/core/grounding/quantities.js";
import { classifySourceLines, stripClaimChrome } from "../../src/core/grounding/chrome.js";

/** Whether every figure of `claim` is stated in `source`. */
function agrees(claim: string, source: string): boolean {
  const stated = extractQuantities(source);
  return extractQuantities(claim).every((quantity) => stated.some((candidate) => quantityMatches(quantity, candidate)));
}

describe("figures a claim and its source must share", () => {
  it.each([
    ["2 GWh", "2GWh"],
    ["2 GWh", "2,000 MWh"],
    ["$110", "US$110"],
    ["$110 million", "110 million dollars"],
    ["1,200 tonnes", "1200 tonnes"],
    ["12 亿元", "12亿元"],
    ["1.2 billion yuan", "12亿元"],
    ["40%", "40 per cent"],
    ["3.5%", "3.47 percent"],
    ["1.2 billion", "1,215 million"],
    ["29 November 2026", "2026年11月29日"],
    ["Nov 29, 2026", "2026-11-29"],
    ["November 2026", "on 29 November 2026"],
    ["in 2026", "2026年"],
    ["10-15%", "between 10% and 15%"],
  ])("%s is stated by %s", (claim, source) => {
    expect(agrees(claim, source)).toBe(true);
  });

  it.each([
    ["$140", "$110"],
    ["40%", "41%"],
    ["1.215 billion", "1.2 billion"],
    ["2 GWh", "2 GW"],
    ["$110", "€110"],
    ["40%", "40 plants"],
    ["29 November 2026", "28 November 2026"],
    ["2027", "2026"],
    ["30 GWh", "20 GWh"],
  ])("%s is not stated by %s", (claim, source) => {
    expect(agrees(claim, source)).toBe(false);
  });

  it("reads names with digits as names, not figures", () => {
    expect(extractQuantities("GPT-4, an A320 and the Q3 results")).toEqual([]);
  });

  it("counts money, percentages, measures, full dates and numbers of 10 or more as specific figures, not years or small counts", () => {
    const specific = (text: string) => extractQuantities(text).some(isSpecificFigure);
    expect(specific("It will cost $5.")).toBe(true);
    expect(specific("Sales rose 4%.")).toBe(true);
    expect(specific("It employs 400 people.")).toBe(true);
    expect(specific("It opened on 29 November 2026.")).toBe(true);
    expect(specific("It opened in 2026.")).toBe(false);
    expect(specific("Three companies and 2 plants.")).toBe(false);
  });
});

describe("names and page chrome", () => {
  it("finds Latin and Chinese names, not sentence openers or units", () => {
    expect(latinNames("The plant in Nevada will make 2 GWh for QuantumCell and the U.S. market.")).toEqual([
      "nevada",
      "quantumcell",
      "us",
    ]);
    expect(cjkNames("宁德时代公司宣布成立新公司，并发布《固态电池白皮书》")).toEqual(["宁德时代", "固态电池白皮书"]);
  });

  it("strips bylines, datelines and share bars, but not an X that is a company", () => {
    expect(
      stripClaimChrome(
        "By Jane Doe · 29 November 2026 · Share: X · LinkedIn · Email · Copy link QuantumCell opened a plant.",
      ),
    ).toMatchObject({
      text: "QuantumCell opened a plant.",
      changed: true,
      chromeOnly: false,
    });
    expect(
      stripClaimChrome("来源：电池日报 | 2026年11月29日 分享到：微信 微博 宁德时代将建设固态电池工厂。").text,
    ).toBe("宁德时代将建设固态电池工厂。");
    expect(stripClaimChrome("By Jane Doe · 29 November 2026 · 4 min read").chromeOnly).toBe(true);
    expect(stripClaimChrome("X, the company formerly known as Twitter, said revenue rose.").changed).toBe(false);
    expect(stripClaimChrome("埃隆·马斯克表示，特斯拉将在2026年推出新车型。").changed).toBe(false);
  });

  it("marks comments, related-story links and share bars of a source as supporting nothing", () => {
    const lines = classifySourceLines(
      "QuantumCell opened a 2 GWh plant.\n\nShare: X · LinkedIn · Email\n\n## Related stories\n\n- [VoltCore raises $50m](https://x.example/a)\n\n## Comments\n\n**bob** · 2 hours ago\n\nThis plant will close by 2027.\n\n网友评论\n\n明年就要倒闭。",
    );
    expect(lines.filter((line) => line.citable).map((line) => line.text)).toEqual([
      "QuantumCell opened a 2 GWh plant.",
    ]);
    expect(lines.find((line) => line.text.startsWith("This plant"))?.reason).toBe("comment");
    expect(lines.find((line) => line.text.startsWith("- [VoltCore"))?.reason).toBe("related");
  });
});
