/**
 * A FakeResponder that answers every pipeline step of report-mcp plausibly, recognising the
 * step by the role its system prompt states ("You are report-mcp's outline planner" …).
 * Sections cite the numbered sources they were given, so citation checks are exercised.
 */
import type { FakeChatRequest, FakeReply, FakeResponder } from "./openai-server.js";

export type ResearchResponderOptions = {
  /** Sections in the outline (default 4). */
  sections?: number;
  /** Overall score per assessment round; the last value repeats (default [8]). */
  scores?: number[];
  /** Add a citation to a source the section was not given (the pipeline must drop it). */
  inventCitation?: boolean;
  /** Token usage every reply reports (default: the fake server's character-based count). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Override the reply of one step. */
  override?: Partial<Record<ResearchStep, (request: FakeChatRequest) => FakeReply>>;
};

export type ResearchStep = "intent" | "outline" | "quality" | "section" | "summary";

const ROLES: Array<[ResearchStep, string]> = [
  ["intent", "intent analyst"],
  ["outline", "outline planner"],
  ["quality", "quality assessor"],
  ["section", "section writer"],
  ["summary", "summary writer"],
];

/** Which pipeline step a chat request belongs to. */
export function stepOf(request: FakeChatRequest): ResearchStep | null {
  const system = String(request.body?.messages?.[0]?.content ?? "");
  return ROLES.find(([, role]) => system.includes(role))?.[0] ?? null;
}

function userText(request: FakeChatRequest): string {
  const messages: Array<{ role: string; content: string }> = request.body?.messages ?? [];
  return messages.filter((message) => message.role === "user").map((message) => message.content).join("\n");
}

function isChinese(text: string): boolean {
  return /[\u3400-\u9fff]/.test(text);
}

/** Creates the responder; `calls` counts replies per step. */
export function createResearchResponder(options: ResearchResponderOptions = {}): FakeResponder & { counts: Record<ResearchStep, number> } {
  const counts: Record<ResearchStep, number> = { intent: 0, outline: 0, quality: 0, section: 0, summary: 0 };
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
              overall < 7 ? [{ section_id: 0, query: `${zh ? "AI Agent" : "solid-state battery"} supplementary detail round ${counts.quality}` }] : [],
          }),
        };
      }
      case "section": {
        // Source headers read "[n] Title (dates; url)"; a point names its source's title, so two sections never write the same sentence.
        const headers = [...text.matchAll(/^\[(\d+)\] (.*?)(?: \([^()]*\))?$/gm)].map((match) => ({ id: Number(match[1]), title: match[2] ?? "" }));
        const sentences = headers.slice(0, 3).map(({ id, title }, index) =>
          zh ? `这是第${index + 1}条来自「${title}」的要点 [${id}]。` : `Point ${index + 1} drawn from "${title}" [${id}].`,
        );
        if (options.inventCitation) sentences.push(zh ? "一个没有依据的说法 [999]。" : "An unsupported claim [999].");
        return { content: sentences.join("\n\n") };
      }
      case "summary": {
        const ids = [...new Set([...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])))].slice(0, 3);
        return { content: ids.map((id) => (zh ? `- 关键发现 [${id}]` : `- Key finding [${id}]`)).join("\n") };
      }
    }
  };
  return Object.assign(responder, { counts });
}
