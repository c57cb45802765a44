import { describe, expect, it } from "vitest";
import { analyzeIntentByRules } from "../../src/core/intent-rules.js";
import { taskParamsSchema, type TaskParamsInput } from "../../src/core/params.js";

const NOW = new Date("2026-11-25T10:00:00Z");
const intentFor = (input: TaskParamsInput) => analyzeIntentByRules({ params: taskParamsSchema.parse(input), now: NOW });

describe("analyzeIntentByRules", () => {
  it("reads the seed's Chinese example: news report on AI Agent for the last week, in Chinese", () => {
    const intent = intentFor({ task: "生成AI Agent领域最近一周的行业重大事件报告" });
    expect(intent).toMatchObject({ task_type: "news_report", topic: "AI Agent", language: "zh", days: 7 });
    expect(intent.key_terms).toEqual(["ai", "agent"]);
    expect(intent.time_window).toEqual({ from: "2026-11-18T10:00:00.000Z", to: "2026-11-25T10:00:00.000Z" });
  });

  it("treats 'in 2026' as the window from January 1 of that year", () => {
    const intent = intentFor({ task: "State of solid-state batteries in 2026" });
    expect(intent).toMatchObject({ task_type: "research_report", topic: "solid-state batteries", language: "en" });
    expect(intent.days).toBe(329);
    expect(intent.time_window.from.slice(0, 10)).toBe("2025-12-31");
    expect(intent.key_terms).toEqual(expect.arrayContaining(["solid", "state", "batteries"]));
  });

  it.each([
    ["近一个月储能市场竞争格局分析", 30],
    ["过去三天固态电池的新闻", 3],
    ["最近两周的AI动态", 14],
    ["本周AI Agent动态", 7],
    ["What changed in EV charging over the last 30 days?", 30],
    ["AI agents this week", 7],
    ["Robotics funding, past year", 365],
    ["Quantum computing in the past 3 months", 90],
    ["今年的固态电池进展", 329],
    ["A research report on retrieval-augmented generation", 7],
  ])("reads the time window of %j as %i days", (task, days) => {
    expect(intentFor({ task }).days).toBe(days);
  });

  it("lets params.days and params.language win over the wording", () => {
    const intent = intentFor({ task: "生成AI Agent领域最近一周的行业重大事件报告", days: 30, language: "en" });
    expect(intent.days).toBe(30);
    expect(intent.language).toBe("en");
  });

  it.each([
    ["AI Agent 行业新闻", "news_report"],
    ["Latest news on robotaxis", "news_report"],
    ["储能市场竞争格局", "industry_analysis"],
    ["The EV charging market and its competitors", "industry_analysis"],
    ["How do solid electrolytes conduct ions?", "research_report"],
  ])("resolves auto task type of %j to %s", (task, type) => {
    expect(intentFor({ task }).task_type).toBe(type);
  });

  it("keeps an explicit task type", () => {
    expect(intentFor({ task: "AI Agent 行业新闻", task_type: "research_report" }).task_type).toBe("research_report");
  });

  it("detects Japanese, Korean, Chinese and English by script", () => {
    expect(intentFor({ task: "最近のAIエージェントの動向" }).language).toBe("ja");
    expect(intentFor({ task: "전고체 배터리 시장 동향" }).language).toBe("ko");
    expect(intentFor({ task: "固态电池 solid-state battery 进展" }).language).toBe("zh");
    expect(intentFor({ task: "Solid-state battery 固态 progress report for investors" }).language).toBe("en");
  });

  it("strips request wording from the topic and drops boilerplate from key terms", () => {
    expect(intentFor({ task: "Please write a short research report about retrieval-augmented generation" }).topic).toBe(
      "retrieval-augmented generation",
    );
    expect(intentFor({ task: "请生成一份关于固态电池的研究报告" }).topic).toBe("固态电池");
    const terms = intentFor({ task: "Write a report on AI agents this week" }).key_terms;
    expect(terms).toEqual(["ai", "agents"]);
    const chinese = intentFor({ task: "近一个月储能市场竞争格局分析" });
    expect(chinese.topic).toBe("储能");
    expect(chinese.key_terms[0]).toBe("储能");
    expect(chinese.key_terms).not.toContain("分析");
    expect(intentFor({ task: "固态电池产业竞争格局分析，近三个月" })).toMatchObject({
      topic: "固态电池",
      days: 90,
      task_type: "industry_analysis",
    });
  });

  it("drops a Chinese time phrase together with its 的 in mixed Chinese-English tasks, keeping the aspect apart from the subject", () => {
    const spaced = intentFor({ task: "AI Agent 最近一个月的融资" });
    expect(spaced).toMatchObject({ topic: "AI Agent", days: 30, language: "zh" });
    expect(spaced.key_terms).toEqual(["ai", "agent", "融资"]);
    expect(intentFor({ task: "AI Agent最近一个月的融资" }).topic).toBe("AI Agent");
  });
});
