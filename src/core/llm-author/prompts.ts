import type { Intent, NumberedSource, Outline, OutlineSection, WrittenSection } from "../author.js";
import type { ChatMessage } from "../types.js";

const STRUCTURES: Record<Intent["task_type"], string> = {
  news_report:
    "a news briefing: the major events first (what happened, who, when), then developments by theme, impact, and what to watch next",
  research_report:
    "a research report: background, current state of knowledge, key findings by theme, open questions and outlook",
  industry_analysis:
    "an industry analysis: market overview and size, key players and competition, technology and products, policy, trends and risks",
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
        "topic: the subject in a few words, in the request's own language. key_terms: the terms a good report must cover, the subject's name first " +
        "(when the request is not in English, also the subject's English name). Answer with JSON only.",
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

/** "published 2026-05-01, updated 2026-05-03", "published 2026-05-01" or "undated". */
export function datesOf(source: Pick<NumberedSource, "published_at" | "modified_at">): string {
  const published = source.published_at ? `published ${source.published_at.slice(0, 10)}` : null;
  const modified =
    source.modified_at && source.modified_at.slice(0, 10) !== source.published_at?.slice(0, 10)
      ? `updated ${source.modified_at.slice(0, 10)}`
      : null;
  if (published && modified) return `${published}, ${modified}`;
  return published ?? modified ?? "undated";
}

function sourceLine(source: NumberedSource, maxChars: number): string {
  const text = source.content.replace(/\s+/g, " ").trim().slice(0, maxChars);
  return `[${source.id}] ${source.title} (${datesOf(source)}; ${whereOf(source)})\n${text}`;
}

/** A section's source: its dates, then its chosen passages with their paragraph breaks. */
function evidenceEntry(source: NumberedSource, maxChars: number): string {
  // One line per passage; a blank line only between sources.
  const text = source.content
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim()
    .slice(0, maxChars);
  return `[${source.id}] ${source.title} (${datesOf(source)}; ${whereOf(source)})\n${text}`;
}

/** A web page's URL; for a local file its place in the corpus (the absolute path stays on this machine). */
function whereOf(source: NumberedSource): string {
  return source.url.startsWith("file:") ? (source.location ?? "local document") : source.url;
}

function clip(text: string, maxChars: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
}

/**
 * The figures a section's sources disagree on, each pair once, the newer first:
 * `- 450 Wh/kg [5] (published 2026-05-20) — newer; 400 Wh/kg [3] (published 2026-03-02) — older. "…" / "…"`.
 */
export function conflictLines(evidence: NumberedSource[]): string[] {
  const byId = new Map(evidence.map((source) => [source.id, source]));
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const source of evidence) {
    for (const conflict of source.conflicts ?? []) {
      const other = byId.get(conflict.other_source_id);
      if (!other) continue;
      const key = [`${source.id}:${conflict.value}`, `${other.id}:${conflict.other_value}`].sort().join("|");
      if (seen.has(key)) continue;
      seen.add(key);
      const mineFirst = conflict.standing !== "older";
      const [first, second] = mineFirst
        ? [
            { source, value: conflict.value },
            { source: other, value: conflict.other_value },
          ]
        : [
            { source: other, value: conflict.other_value },
            { source, value: conflict.value },
          ];
      const labels =
        conflict.standing === "unknown" ? ["date order unknown", "date order unknown"] : ["newer", "older"];
      const otherSentence = other.conflicts?.find(
        (entry) => entry.other_source_id === source.id && entry.value === conflict.other_value,
      )?.sentence;
      const sentences = mineFirst ? [conflict.sentence, otherSentence] : [otherSentence, conflict.sentence];
      lines.push(
        `- ${conflict.quantity ? `${conflict.quantity}: ` : ""}${first.value} [${first.source.id}] (${datesOf(first.source)}) — ${labels[0]}; ` +
          `${second.value} [${second.source.id}] (${datesOf(second.source)}) — ${labels[1]}.` +
          `${sentences[0] ? ` [${first.source.id}] says: "${clip(sentences[0], 220)}"` : ""}${sentences[1] ? ` [${second.source.id}] says: "${clip(sentences[1], 220)}"` : ""}`,
      );
    }
  }
  return lines;
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
  const others = input.outline.sections
    .filter((section) => section.id !== input.section.id)
    .map((section) => section.name);
  return [
    {
      role: "system",
      content:
        `You are report-mcp's section writer. Write one section of a research report in ${languageName(input.intent.language)}, in Markdown, ` +
        "without a heading (it is added for you) and without a references list. Use only the numbered sources given: after every factual sentence put the " +
        "number of the source that supports it, like [3] or [2][5]. Never cite a number that is not listed, never invent facts, names, figures or dates. " +
        "If the sources do not support a point the goal asks for, say plainly that the sources do not cover it. Prefer concrete facts, figures and dates; " +
        "use short paragraphs or bullet lists; about 150-400 words. Every source shows its dates. Where sources give different values for the same " +
        'quantity or claim (listed under "Figures the sources disagree on"), state the newer source\'s value as the current one and cite it; if you also ' +
        'mention an older value, give its date ("up from 400 Wh/kg reported in March 2026 [3]"). Never present an older value as current.',
    },
    {
      role: "user",
      content:
        `Report: ${input.outline.title}\nRequest: ${input.task}\nSection: ${input.section.name}\nGoal: ${input.section.goal}\n` +
        `Other sections (do not repeat them): ${others.join("; ") || "none"}\n\nSources:\n\n${input.evidence
          .map((source) => evidenceEntry(source, 12_000))
          .join("\n\n")}${disagreements(input.evidence)}`,
    },
  ];
}

function disagreements(evidence: NumberedSource[]): string {
  const lines = conflictLines(evidence);
  return lines.length > 0
    ? `\n\nFigures the sources disagree on (the newer source is current):\n${lines.join("\n")}`
    : "";
}

export function summaryMessages(input: {
  task: string;
  intent: Intent;
  outline: Outline;
  sections: WrittenSection[];
}): ChatMessage[] {
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
