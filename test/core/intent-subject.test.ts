import { describe, expect, it } from "vitest";
import { analyzeIntentByRules, subjectFromText } from "../../src/core/intent-rules.js";
import { taskParamsSchema } from "../../src/core/params.js";

/**
 * Subject extraction by rules: request wording, time phrases and report-type
 * words are stripped, and the aspects a task names are split off the subject, in both languages.
 */
const CASES: Array<[task: string, subject: string, aspects: string[]]> = [
  // Chinese
  ["生成AI Agent领域最近一周的行业重大事件报告", "AI Agent", []],
  ["分析中国固态电池产业的发展现状、主要企业和成本", "中国固态电池", ["发展现状", "主要企业", "成本"]],
  ["帮我写一份关于钙钛矿电池稳定性的研究报告", "钙钛矿电池", ["稳定性"]],
  ["最近一个月新能源汽车的融资动态", "新能源汽车", ["融资"]],
  ["2026年储能行业市场规模与竞争格局分析", "储能", ["市场规模", "竞争格局"]],
  ["本周大模型有哪些重要发布", "大模型", ["发布"]],
  ["请总结一下近三个月人形机器人行业的投融资情况", "人形机器人", ["投融资"]],
  ["低空经济政策梳理", "低空经济", ["政策"]],
  ["AI芯片市场竞争格局", "AI芯片", ["竞争格局"]],
  ["请生成一份关于固态电池的研究报告", "固态电池", []],
  ["今年的固态电池进展", "固态电池", []],
  ["过去三天固态电池的新闻", "固态电池", []],
  ["AI Agent 最近一个月的融资", "AI Agent", ["融资"]],
  ["请帮我梳理一下自动驾驶行业今年的政策和主要企业", "自动驾驶", ["政策", "主要企业"]],
  ["撰写一份关于量子计算的研究报告", "量子计算", []],
  ["近两周大模型领域的融资与并购动态", "大模型", ["融资", "并购"]],
  ["整理无人机配送的最新进展", "无人机配送", []],
  ["储能电池的成本和供应链分析", "储能电池", ["成本", "供应链"]],
  ["帮我分析一下人形机器人赛道的竞争格局", "人形机器人", ["竞争格局"]],
  ["关于钙钛矿太阳能电池的综述", "钙钛矿太阳能电池", []],
  ["生成本月新能源汽车行业新闻简报", "新能源汽车", []],
  ["介绍一下合成生物学的技术路线与挑战", "合成生物学", ["技术路线", "挑战"]],
  ["半导体设备国产化的现状与前景", "半导体设备国产化", ["现状", "前景"]],
  // English
  ["AI agent industry news from the past week", "AI agent", []],
  ["State of solid-state batteries in 2026", "solid-state batteries", []],
  [
    "Solid-state battery industry analysis: market size, key players and costs",
    "Solid-state battery",
    ["market size", "key players", "costs"],
  ],
  ["Research report on the stability of perovskite solar cells", "perovskite solar cells", ["stability"]],
  ["What's new in AI agents this week?", "AI agents", []],
  ["Tell me about the latest developments in quantum computing", "quantum computing", ["developments"]],
  ["Please write a short research report about retrieval-augmented generation", "retrieval-augmented generation", []],
  [
    "Market size, key players and costs of the solid-state battery industry in China",
    "solid-state battery in China",
    ["market size", "key players", "costs"],
  ],
  [
    "Electric vehicle charging market in Europe, including pricing and policy",
    "Electric vehicle charging in Europe",
    ["pricing", "policy"],
  ],
  ["Compare the costs of sodium-ion and lithium-ion batteries", "sodium-ion and lithium-ion batteries", ["costs"]],
  ["Robotics funding, past year", "Robotics", ["funding"]],
  ["Latest news on robotaxis", "robotaxis", []],
  ["The EV charging market and its competitors", "EV charging", ["competitors"]],
  ["Give me an overview of the humanoid robot industry", "humanoid robot", []],
  ["Analyze the generative AI chip market in 2026", "generative AI chip", []],
  ["Write a weekly briefing on humanoid robots", "humanoid robots", []],
  [
    "Give me a brief overview of synthetic biology: technology and challenges",
    "synthetic biology",
    ["technology", "challenges"],
  ],
  ["Research the regulation of AI agents in the EU", "AI agents in the EU", ["regulation"]],
  ["Summarize recent news about quantum computing", "quantum computing", []],
  [
    "Prepare an industry analysis of drone delivery covering costs and key players",
    "drone delivery",
    ["costs", "key players"],
  ],
  ["What happened in the electric vehicle market this month?", "electric vehicle", []],
];

describe("subject extraction by rules", () => {
  it.each(CASES)("%j → subject %j, aspects %j", (task, subject, aspects) => {
    expect(subjectFromText(task)).toEqual({ subject, aspects });
  });

  it("covers at least twenty phrasings in each language", () => {
    const chinese = CASES.filter(([task]) => /\p{Script=Han}/u.test(task)).length;
    expect(chinese).toBeGreaterThanOrEqual(20);
    expect(CASES.length - chinese).toBeGreaterThanOrEqual(20);
  });

  it("gives the intent the subject as its topic and the aspects' words as key terms, never request or time words", () => {
    const intent = analyzeIntentByRules({
      params: taskParamsSchema.parse({ task: "分析中国固态电池产业的发展现状、主要企业和成本" }),
      now: new Date("2026-11-28T00:00:00Z"),
    });
    expect(intent).toMatchObject({ topic: "中国固态电池", task_type: "industry_analysis", days: 7 });
    expect(intent.key_terms).toEqual(
      expect.arrayContaining(["中国固态电池", "固态", "电池", "发展现状", "主要企业", "成本"]),
    );
    expect(intent.key_terms).not.toEqual(expect.arrayContaining(["分析"]));
    const english = analyzeIntentByRules({
      params: taskParamsSchema.parse({
        task: "Solid-state battery industry analysis: market size, key players and costs",
      }),
      now: new Date("2026-11-28T00:00:00Z"),
    });
    expect(english.topic).toBe("Solid-state battery");
    expect(english.key_terms.slice(0, 3)).toEqual(["solid", "state", "battery"]);
    expect(english.key_terms).not.toContain("analysis");
  });
});
