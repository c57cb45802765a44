import type { Intent, NumberedSource, Outline, QualityScores, WrittenSection } from "../author.js";
import type { TaskParams } from "../params.js";
import type { ReportResult, ReportSection, ReportSource } from "../result.js";
import { collectCitations, rewriteCitations } from "./citations.js";
import { messagesFor } from "./messages.js";
import type { SourceRegistry } from "./source-registry.js";
import type { UsageTracker } from "./usage-tracker.js";

export type AssembleInput = {
  params: TaskParams;
  intent: Intent;
  outline: Outline;
  /** Section bodies (no heading), citing run-wide source ids. */
  sections: WrittenSection[];
  summary: string;
  registry: SourceRegistry;
  quality: QualityScores & { iterations: number };
  usage: UsageTracker;
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

/**
 * Builds the final result: citations renumbered 1..K in order of first appearance (summary,
 * then sections), the references list made from the retrieved sources those numbers point at.
 */
export function assembleReport(input: AssembleInput): ReportResult {
  const messages = messagesFor(input.intent.language);
  const order = collectCitations([input.summary, ...input.sections.map((section) => section.content)].join("\n"));
  const renumber = new Map<number, number>();
  const sources: ReportSource[] = [];
  for (const oldId of order) {
    const source: NumberedSource | undefined = input.registry.get(oldId);
    if (!source) continue;
    renumber.set(oldId, sources.length + 1);
    sources.push({
      id: sources.length + 1,
      title: source.title,
      url: source.url,
      published_at: source.published_at,
      provider: source.provider,
    });
  }
  const map = (id: number): number | null => renumber.get(id) ?? null;
  const summary = rewriteCitations(input.summary, map).trim();
  const sections: ReportSection[] = input.sections.map((section, index) => ({
    id: section.id,
    name: section.name,
    content: `## ${messages.sectionHeading(index, section.name)}\n\n${rewriteCitations(section.content, map).trim()}`,
  }));

  const header = [`# ${input.outline.title}`, "", `> ${messages.generatedLine(input.now.toISOString().slice(0, 10), input.intent.days)}`];
  for (const notice of input.notices ?? []) header.push(">", `> **${notice}**`);
  if (input.engine === "extractive") header.push(">", `> ${messages.extractiveNotice}`);
  const parts = [header.join("\n"), `## ${messages.summaryHeading}\n\n${summary}`, ...sections.map((section) => section.content)];
  if (sources.length > 0) {
    const locations = new Map([...renumber].map(([oldId, id]) => [id, input.registry.get(oldId)?.location]));
    parts.push(`## ${messages.referencesHeading}\n\n${sources.map((source) => referenceLine(source, locations.get(source.id))).join("\n\n")}`);
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
    },
  };
}
