/**
 * Sources for the citation-check tests, written for this project: a news item with its page
 * chrome (byline, share bar, related stories, reader comments), an unrelated story, a syndicated
 * copy of the first, and the same in Chinese.
 */
import type { NumberedSource } from "../../src/core/author.js";

const QUANTUMCELL_BODY =
  "QuantumCell said on Tuesday it will build a battery plant in Nevada with 2 GWh of annual capacity. " +
  "The plant will cost $110 million and employ 400 people, chief executive Maria Lopez said. " +
  "Production is scheduled to start in March 2027, when the first cells will ship to carmakers in the United States.";

export function englishSources(): NumberedSource[] {
  return [
    {
      id: 1,
      title: "QuantumCell to build Nevada battery plant",
      url: "https://news.example/quantumcell-nevada",
      provider: "tavily",
      published_at: "2026-11-29T08:00:00Z",
      content:
        "# QuantumCell to build Nevada battery plant\n\nBy Jane Doe · 29 November 2026 · Share: X · LinkedIn · Email · Copy link\n\n" +
        `${QUANTUMCELL_BODY}\n\n## Related stories\n\n- [VoltCore raises $50 million for electrolytes](https://news.example/voltcore)\n\n` +
        "## Comments\n\n**bob** · 2 hours ago\n\nQuantumCell's plant will be shut down within a year, mark my words.\n\nReply · Like 3",
    },
    {
      id: 2,
      title: "VoltCore raises $50m",
      url: "https://wire.example/voltcore",
      provider: "tavily",
      published_at: "2026-11-28T08:00:00Z",
      content:
        "VoltCore raised $50 million in a Series B round led by Horizon Ventures. " +
        "The startup makes solid-state electrolytes for electric vehicles and plans to double its staff next year.",
    },
    {
      id: 3,
      title: "Nevada gets a new battery factory",
      url: "https://daily.example/nevada-factory",
      provider: "brave",
      published_at: "2026-11-30T10:00:00Z",
      content: `This story was first published by Energy Daily.\n\n${QUANTUMCELL_BODY}\n\nCopyright 2026 Energy Daily. All rights reserved.`,
    },
  ];
}

export function chineseSources(): NumberedSource[] {
  return [
    {
      id: 1,
      title: "宁德时代宣布建设固态电池工厂",
      url: "https://news.example/catl-solid-state",
      provider: "tavily",
      published_at: "2026-11-29T02:00:00Z",
      content:
        "宁德时代宣布建设固态电池工厂\n\n来源：电池日报 | 2026年11月29日 10:30\n\n分享到：微信 微博 QQ空间\n\n" +
        "宁德时代11月29日宣布，将在福建宁德投资120亿元建设固态电池工厂，设计年产能为20 GWh。该工厂预计于2027年投产。" +
        "公司董事长曾毓群表示，固态电池将率先用于高端电动汽车。\n\n相关阅读\n\n- [比亚迪发布新一代刀片电池](https://news.example/byd)\n\n" +
        "网友评论\n\n网友甲 2小时前\n\n这个工厂肯定会亏损，明年就要倒闭。",
    },
    {
      id: 2,
      title: "比亚迪发布新一代刀片电池",
      url: "https://auto.example/byd-blade",
      provider: "tavily",
      published_at: "2026-11-28T02:00:00Z",
      content: "比亚迪发布了新一代刀片电池，能量密度提升至190 Wh/kg。新电池将首先搭载于今年年底上市的车型。",
    },
  ];
}

/** A lookup over fixed sources, as the run's registry would be. */
export function lookupOf(sources: NumberedSource[]) {
  return { get: (id: number) => sources.find((source) => source.id === id), all: () => sources };
}
