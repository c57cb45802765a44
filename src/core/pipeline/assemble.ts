import type { Intent, Outline, WrittenSection } from "../author.js";
import type { TaskParams } from "../params.js";
import type { ReportResult, ReportSection, ReportSource } from "../result.js";
import type { CitationNumbering } from "./citation-numbering.js";
import { messagesFor, type Messages } from "./messages.js";
import type { SourceRegistry } from "./source-registry.js";
import type { UsageTracker } from "./usage-tracker.js";

export type AssembleInput = {
  params: TaskParams;
  intent: Intent;
  outline: Outline;
  /** Section bodies (no heading), citing run-wide source ids. */
  sections: WrittenSection[];
  /** The summary, citing run-wide source ids. */
  summary: string;
  registry: SourceRegistry;
  /** The numbers the sections' live events already carried; sources cited only here get the next ones. */
  numbering: CitationNumbering;
  quality: ReportResult["quality"];
  usage: UsageTracker;
  /** The run's total cost (null when the price is unknown) and its budget. */
  cost: ReportResult["metadata"]["cost"];
  budget: ReportResult["metadata"]["budget"];
  warnings: string[];
  /** Said at the top of the report, under the generated line (e.g. a widened time window). */
  notices?: string[];
  engine: "llm" | "extractive";
  model: { provider: string | null; name: string | null };
  searchProviders: string[];
  startedAt: number;
  now: Date;
};

function referenceLine(source: ReportSource, location: string | null | undefined): string {
  const date = source.published_at ? ` · ${source.published_at.slice(0, 10)}` : "";
  const title = source.title.replace(/[[\]]/g, "");
  // A local file's link is its absolute file:/// URL; the path a reader recognises is shown beside it.
  const where = location ? ` · \`${location.replace(/`/g, "")}\`` : "";
  const url = source.url.startsWith("file:") ? `<${source.url}>` : source.url;
  return `[${source.id}] [${title}](${url}) · ${source.provider}${where}${date}`;
}

/** A section as readers see it, live and in the report: heading, then the body in reader numbers. */
export function sectionMarkdown(messages: Messages, index: number, name: string, displayBody: string): string {
  return `## ${messages.sectionHeading(index, name)}\n\n${displayBody.trim()}`;
}

/**
 * Builds the final result in the reader numbering the sections were streamed with (no
 * renumbering); the references list is made from the retrieved sources those numbers point at.
 */
export function assembleReport(input: AssembleInput): ReportResult {
  const messages = messagesFor(input.intent.language);
  const { numbering } = input;
  // Already numbered in the live events; assigning again only numbers what a caller left unnumbered.
  const sections: ReportSection[] = input.sections.map((section, index) => ({
    id: section.id,
    name: section.name,
    content: sectionMarkdown(messages, index, section.name, numbering.assign(section.content)),
  }));
  const summary = numbering.assign(input.summary).trim();
  const numbered = numbering.sources((id) => input.registry.get(id));
  const sources: ReportSource[] = numbered.map(({ number, source }) => ({
    id: number,
    title: source.title,
    url: source.url,
    published_at: source.published_at,
    provider: source.provider,
    ...(source.also_at && source.also_at.length > 0 ? { also_at: source.also_at } : {}),
  }));

  const header = [
    `# ${input.outline.title}`,
    "",
    `> ${messages.generatedLine(input.now.toISOString().slice(0, 10), input.intent.days)}`,
  ];
  for (const notice of input.notices ?? []) header.push(">", `> **${notice}**`);
  if (input.engine === "extractive") header.push(">", `> ${messages.extractiveNotice}`);
  const parts = [
    header.join("\n"),
    `## ${messages.summaryHeading}\n\n${summary}`,
    ...sections.map((section) => section.content),
  ];
  if (sources.length > 0) {
    const locations = new Map(numbered.map(({ number, source }) => [number, source.location]));
    parts.push(
      `## ${messages.referencesHeading}\n\n${sources.map((source) => referenceLine(source, locations.get(source.id))).join("\n\n")}`,
    );
  }
  const overall = Math.round(input.quality.overall * 10) / 10;
  return {
    status: "completed",
    task: input.params.task,
    task_type: input.intent.task_type,
    title: input.outline.title,
    report_content: `${parts.join("\n\n")}\n`,
    summary,
    sections,
    sources,
    quality: { ...input.quality, overall },
    warnings: input.warnings,
    metadata: {
      topic: input.intent.topic,
      language: input.intent.language,
      sections_count: sections.length,
      final_quality_score: overall,
      engine: input.engine,
      model_provider: input.model.provider,
      model_name: input.model.name,
      search_providers: input.searchProviders,
      days: input.intent.days,
      time_window: input.intent.time_window,
      generated_at: input.now.toISOString(),
      duration_ms: Math.max(0, Math.round(Date.now() - input.startedAt)),
      usage: input.usage.snapshot(),
      ...(input.cost ? { cost: input.cost } : {}),
      ...(input.budget ? { budget: input.budget } : {}),
    },
  };
}
