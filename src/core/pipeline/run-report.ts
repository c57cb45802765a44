import pLimit from "p-limit";
import type { Intent, NumberedSource, Outline, QualityAssessment, ReportAuthor, WrittenSection } from "../author.js";
import { ReportError, cancelledError, throwIfAborted, toReportError } from "../errors.js";
import type { EventSink, PipelineStep } from "../events.js";
import type { TaskParams } from "../params.js";
import type { ReportResult } from "../result.js";
import type { ConfirmOutline } from "../runtime.js";
import type { PageFetcher, SearchProvider } from "../types.js";
import { assembleReport } from "./assemble.js";
import { followEvidenceWindow } from "./evidence-window.js";
import { timeWindowFromText } from "../intent-rules.js";
import { assertSomeEvidence, assertSomethingCited } from "./insufficient-evidence.js";
import { collectCitations, sanitizeCitations } from "./citations.js";
import { messagesFor, type Messages } from "./messages.js";
import { normalizeOutline } from "./outline.js";
import { ProgressEmitter } from "./progress.js";
import { addEvidence, searchBatch, type Research, type ResearchLimits } from "./research.js";
import { SourceRegistry } from "./source-registry.js";
import { UsageTracker } from "./usage-tracker.js";

export type PipelineLimits = ResearchLimits & {
  /** Sections written at once. */
  sectionConcurrency: number;
  /** Sections searched at once (each runs its queries across providers). */
  sectionSearchConcurrency: number;
  maxEvidencePerSection: number;
  maxSupplementaryQueries: number;
};

export const DEFAULT_LIMITS: PipelineLimits = {
  searchConcurrency: 4,
  maxResultsPerQuery: 5,
  fetchPerBatch: 3,
  fetchConcurrency: 3,
  maxSourceChars: 6000,
  sectionConcurrency: 6,
  sectionSearchConcurrency: 3,
  maxEvidencePerSection: 8,
  maxSupplementaryQueries: 8,
};

export type RunReportOptions = {
  params: TaskParams;
  author: ReportAuthor;
  searchProviders: SearchProvider[];
  fetcher?: PageFetcher | null;
  onEvent: EventSink;
  signal?: AbortSignal;
  confirmOutline?: ConfirmOutline;
  now?: () => Date;
  limits?: Partial<PipelineLimits>;
  /** Whole-run limit; the run ends with `report_generation_failed` when it passes. */
  timeoutMs?: number | null;
};

const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs the nine steps of SPEC §7 and returns the structured result. Every event goes through
 * `onEvent`; cancelling `signal` stops in-flight calls and starts no new one. Throws ReportError.
 */
export async function runReport(options: RunReportOptions): Promise<ReportResult> {
  const controller = new AbortController();
  const parent = options.signal;
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  parent?.addEventListener("abort", onParentAbort, { once: true });
  // setTimeout fires at once past 2^31-1 ms (~24.8 days): a limit that long means no limit.
  const timer =
    options.timeoutMs != null && options.timeoutMs <= MAX_TIMER_MS
      ? setTimeout(() => {
          const seconds = Math.round((options.timeoutMs ?? 0) / 1000);
          controller.abort(
            new ReportError(
              "report_generation_failed",
              `The report did not finish within the time limit of ${seconds} s. Raise --timeout, lower max_iterations, or narrow the task.`,
            ),
          );
        }, options.timeoutMs)
      : undefined;
  try {
    return await execute(options, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) {
      const reason: unknown = controller.signal.reason;
      // A plain abort gets the task's language; a typed reason (a timeout, a server's own cancel) is kept.
      throw reason instanceof ReportError ? reason : new ReportError("cancelled", messagesFor(guessLanguage(options.params)).cancelled, { cause: reason });
    }
    throw toReportError(error);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onParentAbort);
    // Stops sibling work (other sections, searches) still in flight after a failure.
    if (!controller.signal.aborted) controller.abort(cancelledError());
  }
}

function guessLanguage(params: TaskParams): string {
  if (params.language) return params.language;
  return /[\u3400-\u9fff]/.test(params.task) ? "zh" : "en";
}

async function execute(options: RunReportOptions, signal: AbortSignal): Promise<ReportResult> {
  const { params, author } = options;
  const limits: PipelineLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const startedAt = Date.now();
  const now = options.now?.() ?? new Date();
  if (options.searchProviders.length === 0) throw new ReportError("no_search_source", messagesFor(guessLanguage(params)).noSearchSource);

  const usage = new UsageTracker();
  const emitter = new ProgressEmitter(options.onEvent, usage, { provider: author.modelProvider, name: author.modelName });
  const context = (step: PipelineStep) => ({ params, signal, now, onUsage: emitter.usageFor(step) });
  let messages = messagesFor(guessLanguage(params));
  const providerNames = options.searchProviders.map((provider) => provider.name);

  await emitter.progressTo("task_started", 0, messages.taskStarted(params.task), {
    task: params.task,
    task_type: params.task_type,
    engine: author.engine,
    model_provider: author.modelProvider,
    model_name: author.modelName,
    search_providers: providerNames,
  });

  // 1. Intent
  await emitter.progressTo("analyzing_intent", 2, messages.analyzingIntent);
  const analyzed = await author.analyzeIntent(context("analyzing_intent"));
  throwIfAborted(signal);
  messages = messagesFor(analyzed.language);
  await emitter.progressTo("analyzing_intent", 8, messages.intentDone(analyzed.topic), { intent: analyzed });
  // --- issue 9: nothing dated inside the window → widen it to the newest evidence, and say so.
  const explicit = params.days !== undefined || timeWindowFromText(params.task, now) !== null;
  const window = await followEvidenceWindow({ intent: analyzed, providers: options.searchProviders, now, signal, explicit });
  const intent = window.intent;
  if (window.notice) await emitter.warn(window.notice, window.details);
  // --- end issue 9

  const registry = new SourceRegistry(new Date(intent.time_window.from));
  const research: Research = {
    providers: options.searchProviders,
    fetcher: options.fetcher ?? null,
    registry,
    emitter,
    signal,
    days: intent.days,
    limits,
    fetched: new Set(),
    disabled: new Set(),
    warned: new Set(),
  };

  // 2. Outline (and confirmation)
  await emitter.progressTo("generating_outline", 10, messages.generatingOutline);
  const planned = await author.planOutline({
    ...context("generating_outline"),
    intent,
    search: async (queries) => (await searchBatch(research, queries)).sources,
  });
  let outline = normalizeOutline(planned, intent);
  throwIfAborted(signal);
  await emitter.progressTo("generating_outline", 15, messages.outlineDone(outline.sections.length), { outline });
  if (!params.auto_confirm) outline = await confirm({ options, outline, intent, emitter, messages, signal });

  // 3. Search, per section, in parallel
  const evidence = new Map<number, NumberedSource[]>();
  const queryCount = outline.sections.reduce((count, section) => count + section.queries.length, 0);
  await emitter.progressTo("searching", 18, messages.searching(queryCount), {
    queries: outline.sections.map((section) => ({ section_id: section.id, queries: section.queries })),
  });
  const sectionLimit = pLimit(limits.sectionSearchConcurrency);
  const perQuery = (
    await Promise.all(
      outline.sections.map((section) =>
        sectionLimit(async () => {
          throwIfAborted(signal);
          const batch = await searchBatch(research, section.queries);
          addEvidence(evidence, section.id, batch.sources);
          return batch.perQuery;
        }),
      ),
    )
  ).flat();
  await emitter.progressTo("searching", 32, messages.searchDone(registry.size), {
    per_query: perQuery,
    sources: registry.size,
    per_section: outline.sections.map((section) => ({ id: section.id, name: section.name, sources: evidence.get(section.id)?.length ?? 0 })),
    out_of_window: registry.outOfWindow,
  });
  if (registry.size === 0) {
    await emitter.warn(
      intent.language.startsWith("zh")
        ? "所有查询均未检索到来源；报告将不含任何论断。可尝试扩大时间范围（days）或换用其他关键词。"
        : "No query found any source; the report will make no claims. Try a wider time window (days) or other wording.",
    );
  }

  // 4. Quality assessment and gap filling
  const { assessment, iterations } = await assessAndFill({ options, research, outline, intent, evidence, emitter, messages, context, limits });
  assertSomeEvidence({ intent, evidence, providers: providerNames, retrieved: registry.size }); // issue 9

  // 5. Sections, in parallel
  const written = await writeSections({ options, outline, intent, evidence, emitter, messages, context, limits, signal });
  assertSomethingCited({ intent, sections: written, providers: providerNames, retrieved: registry.size }); // issue 9

  // 6. Executive summary
  await emitter.progressTo("generating_summary", 87, messages.writingSummary);
  const allowed = new Set(written.flatMap((section) => collectCitations(section.content)));
  const citedSources = [...allowed].map((id) => registry.get(id)).filter((source): source is NumberedSource => Boolean(source));
  const rawSummary = await author.writeSummary({ ...context("generating_summary"), intent, outline, sections: written, sources: citedSources });
  throwIfAborted(signal);
  const summary = sanitizeCitations(rawSummary, allowed);
  if (summary.removed.length > 0) {
    await emitter.warn(`Removed citations to sources the summary's sections do not cite: ${summary.removed.map((id) => `[${id}]`).join(" ")}`);
  }
  await emitter.progressTo("generating_summary", 92, messages.summaryDone, { summary: summary.text });

  // 7. Assembly
  await emitter.progressTo("assembling_report", 95, messages.assembling);
  const undated = citedSources.filter((source) => !source.published_at).length;
  if (undated > 0) {
    await emitter.warn(
      intent.language.startsWith("zh")
        ? `有 ${undated} 个被引用的来源没有发布日期（其中的本地文件按修改时间判断是否在时间范围内）。`
        : `${undated} cited source(s) have no publication date (local files among them were matched to the time window by their modification time).`,
    );
  }
  const result = assembleReport({
    params,
    intent,
    outline,
    sections: written,
    summary: summary.text,
    registry,
    quality: { ...assessment.scores, iterations },
    usage,
    warnings: emitter.warnings,
    notices: window.notice ? [window.notice] : [], // issue 9
    engine: author.engine,
    model: { provider: author.modelProvider, name: author.modelName },
    searchProviders: providerNames,
    startedAt,
    now,
  });
  await emitter.progressTo("task_completed", 100, messages.completed(result.sections.length, result.sources.length), {
    title: result.title,
    sections_count: result.sections.length,
    sources_count: result.sources.length,
    final_quality_score: result.metadata.final_quality_score,
    usage: { input_tokens: result.metadata.usage.input_tokens, output_tokens: result.metadata.usage.output_tokens },
  });
  return result;
}

type StepInput = {
  options: RunReportOptions;
  outline: Outline;
  intent: Intent;
  evidence: Map<number, NumberedSource[]>;
  emitter: ProgressEmitter;
  messages: Messages;
  context: (step: PipelineStep) => { params: TaskParams; signal: AbortSignal; now: Date; onUsage: ReturnType<ProgressEmitter["usageFor"]> };
  limits: PipelineLimits;
};

async function confirm(input: {
  options: RunReportOptions;
  outline: Outline;
  intent: Intent;
  emitter: ProgressEmitter;
  messages: Messages;
  signal: AbortSignal;
}): Promise<Outline> {
  const { options, intent, emitter, messages, signal } = input;
  if (!options.confirmOutline) {
    await emitter.warn(messages.confirmationSkipped);
    return input.outline;
  }
  await emitter.progressTo("awaiting_confirmation", 16, messages.awaitingConfirmation, { outline: input.outline });
  const decision = await options.confirmOutline({ outline: input.outline, intent, signal });
  throwIfAborted(signal);
  if (decision.action === "reject") throw new ReportError("cancelled", messages.outlineRejected(decision.feedback));
  if (decision.action === "approve") return input.outline;
  const edited = normalizeOutline(decision.outline, intent);
  await emitter.progressTo("generating_outline", 17, messages.outlineEdited, { outline: edited });
  return edited;
}

async function assessAndFill(
  input: StepInput & { research: Research },
): Promise<{ assessment: QualityAssessment; iterations: number }> {
  const { options, research, outline, intent, evidence, emitter, messages, context, limits } = input;
  const { quality_threshold: threshold, max_iterations: maxIterations } = options.params;
  let assessment: QualityAssessment | undefined;
  let iteration = 0;
  while (iteration < maxIterations) {
    iteration += 1;
    const base = 34 + ((iteration - 1) / maxIterations) * 15;
    await emitter.progressTo("assessing_quality", base, messages.assessing(iteration));
    assessment = await options.author.assessQuality({ ...context("assessing_quality"), intent, outline, evidence, iteration });
    throwIfAborted(research.signal);
    const passed = assessment.scores.overall >= threshold;
    await emitter.progressTo("assessing_quality", base + 3, messages.assessed(iteration, assessment.scores.overall), {
      iteration,
      scores: assessment.scores,
      threshold,
      passed,
      gaps: assessment.gaps,
    });
    if (passed || iteration === maxIterations) break;
    const queries = assessment.supplementary_queries.slice(0, limits.maxSupplementaryQueries);
    if (queries.length === 0) break;
    await emitter.progressTo("supplementing_search", base + 6, messages.supplementing(iteration, queries.length), { iteration, queries });
    const added = await supplement(research, outline, evidence, queries);
    await emitter.progressTo("supplementing_search", base + 9, messages.supplemented(added), { iteration, added, sources: research.registry.size });
    if (added === 0) break;
  }
  if (!assessment) throw new ReportError("report_generation_failed", "Quality assessment did not run.");
  return { assessment, iterations: iteration };
}

/** Runs supplementary queries; a query without a section goes to the section with the least evidence. */
async function supplement(
  research: Research,
  outline: Outline,
  evidence: Map<number, NumberedSource[]>,
  queries: QualityAssessment["supplementary_queries"],
): Promise<number> {
  const bySection = new Map<number, string[]>();
  for (const { section_id: sectionId, query } of queries) {
    const known = outline.sections.some((section) => section.id === sectionId);
    const target = known && sectionId !== null
      ? sectionId
      : [...outline.sections].sort((a, b) => (evidence.get(a.id)?.length ?? 0) - (evidence.get(b.id)?.length ?? 0))[0]?.id ?? 0;
    bySection.set(target, [...(bySection.get(target) ?? []), query]);
  }
  let added = 0;
  await Promise.all(
    [...bySection].map(async ([sectionId, sectionQueries]) => {
      const batch = await searchBatch(research, sectionQueries);
      added += addEvidence(evidence, sectionId, batch.sources);
    }),
  );
  return added;
}

async function writeSections(input: StepInput & { signal: AbortSignal }): Promise<WrittenSection[]> {
  const { options, outline, intent, evidence, emitter, messages, context, limits, signal } = input;
  const total = outline.sections.length;
  await emitter.progressTo("generating_sections", 50, messages.writingSections(total), {
    sections: outline.sections.map((section) => ({ id: section.id, name: section.name })),
  });
  const limit = pLimit(limits.sectionConcurrency);
  let finished = 0;
  return Promise.all(
    outline.sections.map((section, index) =>
      limit(async (): Promise<WrittenSection> => {
        throwIfAborted(signal);
        const sources = (evidence.get(section.id) ?? []).slice(0, limits.maxEvidencePerSection);
        let body = messages.noEvidence;
        if (sources.length > 0) {
          const raw = await options.author.writeSection({ ...context("generating_sections"), intent, outline, section, evidence: sources });
          throwIfAborted(signal);
          const cleaned = sanitizeCitations(raw, new Set(sources.map((source) => source.id)));
          if (cleaned.removed.length > 0) {
            await emitter.warn(
              `Section "${section.name}": removed citations to sources it was not given: ${cleaned.removed.map((id) => `[${id}]`).join(" ")}`,
            );
          }
          body = cleaned.text.trim() || messages.noEvidence;
        }
        finished += 1;
        await emitter.progressTo("generating_sections", 50 + (finished / total) * 35, messages.sectionDone(section.name, finished, total), {
          id: section.id,
          name: section.name,
          content: `## ${messages.sectionHeading(index, section.name)}\n\n${body}`,
          index: finished,
          total,
        });
        return { id: section.id, name: section.name, content: body };
      }),
    ),
  );
}
