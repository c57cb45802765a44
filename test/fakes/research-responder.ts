/**
 * A FakeResponder that answers every pipeline step of report-mcp plausibly, recognising the
 * step by the role its system prompt states ("You are report-mcp's outline planner" …).
 * Sections are written from sentences of the numbered sources they were given (research-writer.ts),
 * honestly by default or with the faults of a model that mis-cites; the citation judge answers
 * by its own word and figure check.
 */
import type { FakeChatRequest, FakeReply, FakeResponder } from "./openai-server.js";
import { judgeReply, writeSection, writeSummary, type JudgeBehaviour, type WriterFaults } from "./research-writer.js";

export { WRONG_CITING_WRITER, type JudgeBehaviour, type WriterFaults } from "./research-writer.js";

export type ResearchResponderOptions = {
  /** Sections in the outline (default 4). */
  sections?: number;
  /** Overall score per assessment round; the last value repeats (default [8]). */
  scores?: number[];
  /** Add a citation to a source the section was not given (the pipeline must drop it). */
  inventCitation?: boolean;
  /** How the section writer goes wrong (default: an honest writer). */
  writer?: WriterFaults;
  /** How the citation judge answers (default "honest"; "fail" answers HTTP 500). */
  judge?: JudgeBehaviour;
  /** Token usage every reply reports (default: the fake server's character-based count). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Override the reply of one step. */
  override?: Partial<Record<ResearchStep, (request: FakeChatRequest) => FakeReply>>;
};

export type ResearchStep = "intent" | "outline" | "quality" | "section" | "summary" | "judge";

const ROLES: Array<[ResearchStep, string]> = [
  ["intent", "intent analyst"],
  ["outline", "outline planner"],
  ["quality", "quality assessor"],
  ["section", "section writer"],
  ["summary", "summary writer"],
  ["judge", "citation checker"],
];

/** Which pipeline step a chat request belongs to. */
export function stepOf(request: FakeChatRequest): ResearchStep | null {
  const system = String(request.body?.messages?.[0]?.content ?? "");
  return ROLES.find(([, role]) => system.includes(role))?.[0] ?? null;
}

function userText(request: FakeChatRequest): string {
  const messages: Array<{ role: string; content: string }> = request.body?.messages ?? [];
  return messages
    .filter((message) => message.role === "user")
    .map((message) => message.content)
    .join("\n");
}

function isChinese(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}

/** Creates the responder; `calls` counts replies per step. */
export function createResearchResponder(
  options: ResearchResponderOptions = {},
): FakeResponder & { counts: Record<ResearchStep, number> } {
  const counts: Record<ResearchStep, number> = { intent: 0, outline: 0, quality: 0, section: 0, summary: 0, judge: 0 };
  const sectionCount = options.sections ?? 4;
  const scores = options.scores ?? [8];
  const responder = (request: FakeChatRequest): FakeReply => {
    const reply = answer(request);
    return options.usage && reply.usage === undefined ? { ...reply, usage: options.usage } : reply;
  };
  const answer = (request: FakeChatRequest): FakeReply => {
    const step = stepOf(request);
    if (!step) return { content: "I am a fake model and did not recognise this request." };
    counts[step] += 1;
    const override = options.override?.[step];
    if (override) return override(request);
    const text = userText(request);
    const zh = isChinese(text);
    switch (step) {
      case "intent": {
        const task = /Request: (.*)/.exec(text)?.[1] ?? "the topic";
        return {
          content: JSON.stringify({
            task_type: /news|新闻|事件|week|一周/i.test(task) ? "news_report" : "research_report",
            topic: zh ? "AI Agent" : "solid-state batteries",
            key_terms: zh ? ["AI Agent", "智能体"] : ["solid-state battery", "electrolyte"],
          }),
        };
      }
      case "outline":
        return {
          content: JSON.stringify({
            title: zh ? "AI Agent 行业重大事件报告" : "State of Solid-State Batteries",
            sections: Array.from({ length: sectionCount }, (_, index) => ({
              name: zh ? `主题${index + 1}` : `Theme ${index + 1}`,
              goal: zh ? `说明主题${index + 1}的最新进展` : `Explain the latest on theme ${index + 1}`,
              queries: [zh ? `AI Agent 主题${index + 1}` : `solid-state battery theme ${index + 1}`],
            })),
          }),
        };
      case "quality": {
        const overall = scores[Math.min(counts.quality - 1, scores.length - 1)] ?? 8;
        return {
          content: JSON.stringify({
            relevance: overall,
            depth: overall,
            accuracy: overall,
            completeness: overall,
            timeliness: overall,
            gaps: overall < 7 ? ["more detail on theme 1"] : [],
            supplementary_queries:
              overall < 7
                ? [
                    {
                      section_id: 0,
                      query: `${zh ? "AI Agent" : "solid-state battery"} supplementary detail round ${counts.quality}`,
                    },
                  ]
                : [],
          }),
        };
      }
      case "section":
        return { content: writeSection(text, options.writer ?? {}, options.inventCitation ?? false) };
      case "summary":
        return { content: writeSummary(text) };
      case "judge":
        if (options.judge === "fail") return { status: 500, content: "The fake judge is down" };
        return { content: judgeReply(text, options.judge ?? "honest") };
    }
  };
  return Object.assign(responder, { counts });
}
