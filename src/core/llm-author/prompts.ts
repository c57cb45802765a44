import type { Intent, NumberedSource, Outline, OutlineSection, WrittenSection } from "../author.js";
import type { ChatMessage } from "../types.js";

const STRUCTURES: Record<Intent["task_type"], string> = {
  news_report: "a news briefing: the major events first (what happened, who, when), then developments by theme, impact, and what to watch next",
  research_report: "a research report: background, current state of knowledge, key findings by theme, open questions and outlook",
  industry_analysis: "an industry analysis: market overview and size, key players and competition, technology and products, policy, trends and risks",
};

/** "zh" → "Chinese (中文)" for prompts. */
export function languageName(tag: string): string {
  try {
    const english = new Intl.DisplayNames(["en"], { type: "language" }).of(tag) ?? tag;
    const native = new Intl.DisplayNames([tag], { type: "language" }).of(tag) ?? tag;
    return english === native ? english : `${english} (${native})`;
  } catch {
    return tag;
  }
}

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function intentMessages(input: { task: string; now: Date }): ChatMessage[] {
  return [
    {
      role: "system",
      content:
        "You are report-mcp's intent analyst. Classify a research request and name its subject. " +
        "task_type: news_report for recent events/news, industry_analysis for markets/companies/competition, research_report otherwise. " +
        "topic: the subject in a few words, in the request's own language. key_terms: the terms a good report must cover. Answer with JSON only.",
    },
    { role: "user", content: `Today is ${today(input.now)}.\nRequest: ${input.task}` },
  ];
}

export function outlineMessages(input: { task: string; intent: Intent; now: Date }): ChatMessage[] {
  const { intent } = input;
  return [
    {
      role: "system",
      content:
        "You are report-mcp's outline planner. Plan a cited report as 4-7 sections, each with a goal and 1-3 web search queries that will find its evidence. " +
        `Structure it as ${STRUCTURES[intent.task_type]}. Write the title and section names in ${languageName(intent.language)}. ` +
        "Write queries the way people search: specific names, products, numbers; add an English query where English sources are likely better. Answer with JSON only.",
    },
    {
      role: "user",
      content:
        `Today is ${today(input.now)}. Time window: ${intent.time_window.from.slice(0, 10)} to ${intent.time_window.to.slice(0, 10)} (${intent.days} days).\n` +
        `Request: ${input.task}\nTopic: ${intent.topic}\nKey terms: ${intent.key_terms.join(", ")}`,
    },
  ];
}

function sourceLine(source: NumberedSource, maxChars: number): string {
  const date = source.published_at ? source.published_at.slice(0, 10) : "undated";
  const text = source.content.replace(/\s+/g, " ").trim().slice(0, maxChars);
  // A local file's absolute path stays on this machine: the model sees its place in the corpus.
  const where = source.url.startsWith("file:") ? (source.location ?? "local document") : source.url;
  return `[${source.id}] ${source.title} (${date}; ${where})\n${text}`;
}

export function qualityMessages(input: {
  task: string;
  intent: Intent;
  outline: Outline;
  evidence: Map<number, NumberedSource[]>;
  iteration: number;
}): ChatMessage[] {
  const sections = input.outline.sections
    .map((section) => {
      const sources = input.evidence.get(section.id) ?? [];
      const lines = sources.slice(0, 6).map((source) => `  - ${sourceLine(source, 220).replace(/\n/g, " — ")}`);
      return `Section ${section.id} "${section.name}" (goal: ${section.goal}) — ${sources.length} sources\n${lines.join("\n") || "  (no sources)"}`;
    })
    .join("\n\n");
  return [
    {
      role: "system",
      content:
        "You are report-mcp's quality assessor. Score the evidence gathered for a report from 0 to 10 on relevance (to the request), depth (detail and substance), " +
        "accuracy (credible, mutually consistent sources), completeness (every section covered) and timeliness (inside the time window). " +
        "List the gaps, and for each gap a web search query that would fill it, with the id of the section it serves (null if general). Answer with JSON only.",
    },
    {
      role: "user",
      content:
        `Request: ${input.task}\nTime window: ${input.intent.time_window.from.slice(0, 10)} to ${input.intent.time_window.to.slice(0, 10)}\n` +
        `Assessment round: ${input.iteration}\n\n${sections}`,
    },
  ];
}

export function sectionMessages(input: {
  task: string;
  intent: Intent;
  outline: Outline;
  section: OutlineSection;
  evidence: NumberedSource[];
}): ChatMessage[] {
  const others = input.outline.sections.filter((section) => section.id !== input.section.id).map((section) => section.name);
  return [
    {
      role: "system",
      content:
        `You are report-mcp's section writer. Write one section of a research report in ${languageName(input.intent.language)}, in Markdown, ` +
        "without a heading (it is added for you) and without a references list. Use only the numbered sources given: after every factual sentence put the " +
        "number of the source that supports it, like [3] or [2][5]. Never cite a number that is not listed, never invent facts, names, figures or dates. " +
        "If the sources do not support a point the goal asks for, say plainly that the sources do not cover it. Prefer concrete facts, figures and dates; " +
        "use short paragraphs or bullet lists; about 150-400 words.",
    },
    {
      role: "user",
      content:
        `Report: ${input.outline.title}\nRequest: ${input.task}\nSection: ${input.section.name}\nGoal: ${input.section.goal}\n` +
        `Other sections (do not repeat them): ${others.join("; ") || "none"}\n\nSources:\n\n${input.evidence
          .map((source) => sourceLine(source, 1800))
          .join("\n\n")}`,
    },
  ];
}

export function summaryMessages(input: { task: string; intent: Intent; outline: Outline; sections: WrittenSection[] }): ChatMessage[] {
  const body = input.sections.map((section) => `### ${section.name}\n${section.content.slice(0, 2500)}`).join("\n\n");
  return [
    {
      role: "system",
      content:
        `You are report-mcp's summary writer. Write the executive summary of a report in ${languageName(input.intent.language)}: ` +
        "3-6 bullet points or a short paragraph with the most important findings, no heading. Keep the [n] citations of the sentences you draw on, " +
        "exactly as they appear in the sections; add no new facts and no other numbers.",
    },
    { role: "user", content: `Report: ${input.outline.title}\nRequest: ${input.task}\n\n${body}` },
  ];
}
