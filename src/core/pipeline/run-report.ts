import pLimit from "p-limit";
import type { Intent, NumberedSource, Outline, QualityAssessment, ReportAuthor, WrittenSection } from "../author.js";
import { ReportError, cancelledError, noSearchSourceError, throwIfAborted, toReportError } from "../errors.js";
import { detectLanguage } from "../text/language.js";
import type { EventSink, PipelineStep } from "../events/index.js";
import type { TaskParams } from "../params.js";
import type { ReportResult } from "../result.js";
import type { ConfirmOutline } from "../runtime.js";
import type { ModelCallGate, PageFetcher, SearchProvider } from "../types.js";
import { CitationVerifier, groundedQuality, type ClaimJudge } from "../grounding/index.js";
import { assembleReport, sectionMarkdown } from "./assemble.js";
import { CitationNumbering } from "./citation-numbering.js";
import { followEvidenceWindow } from "./evidence-window.js";
import { timeWindowFromText } from "../intent-rules.js";
import { assertSomeEvidence, assertSomethingCited } from "./insufficient-evidence.js";
import { collectCitations, sanitizeCitations } from "./citations.js";
import { messagesFor, type Messages } from "./messages.js";
import { normalizeOutline } from "./outline.js";
import { ProgressEmitter } from "./progress.js";
import { EvidencePool, SentenceLedger, evidenceMap, type EvidenceText, type Selection } from "../evidence/index.js";
import { evidenceDetails, perSectionCounts, poolCounts, warnAboutLeftOutSources } from "./evidence-step.js";
import { searchBatch, supplementSearch, type Research, type ResearchLimits } from "./research.js";
import { SourceRegistry } from "./source-registry.js";
import { UsageTracker } from "./usage-tracker.js";
import { isBudgetStop } from "../cost/budget.js";
import { fitPlanToBudget, openRunBudget, type RunBudgetOptions } from "./run-budget.js";

export type PipelineLimits = ResearchLimits & {
  /** Sections written at once. */
  sectionConcurrency: number;
  /** Sections searched at once (each runs its queries across providers). */
  sectionSearchConcurrency: number;
  /** Sources one section's writer gets at most. */
  maxEvidencePerSection: number;
  /**
   * Estimated tokens of source passages one section's writer gets at most: sources are chosen
   * by merit and cut to their best passages until the budget is spent.
   */
  evidenceTokensPerSection: number;
  maxSupplementaryQueries: number;
};

export const DEFAULT_LIMITS: PipelineLimits = {
  searchConcurrency: 4,
  maxResultsPerQuery: 5,
  fetchPerBatch: 5,
  fetchConcurrency: 3,
  maxSourceChars: 20_000,
  sectionConcurrency: 6,
  sectionSearchConcurrency: 3,
  maxEvidencePerSection: 10,
  evidenceTokensPerSection: 3000,
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
  /**
   * Decides the citations the lexical check leaves in its grey zone (one batched call per section
   * and one for the summary; usage reported like any model call). Used only with the LLM engine:
   * the extractive engine quotes verbatim and is verified at no token cost.
   */
  judge?: ClaimJudge | null;
  /** Budget settings; the task's `max_tokens` / `max_cost` win over these defaults. */
  budget?: RunBudgetOptions;
};

export type { RunBudgetOptions };

const MAX_TIMER_MS = 2_147_483_647;
/** Marks a section the budget stopped before it was written (never shown: such sections are left out). */
const BUDGET_STOPPED = "\u0000budget-stopped";

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
              `The report did not finish within the time limit of ${seconds} s.`,
              { hint: { kind: "raise_setting", setting: "timeout", value: seconds } },
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
      throw reason instanceof ReportError
        ? reason
        : new ReportError("cancelled", messagesFor(taskLanguage(options.params)).cancelled, { cause: reason });
    }
    throw toReportError(error);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onParentAbort);
    // Stops sibling work (other sections, searches) still in flight after a failure.
    if (!controller.signal.aborted) controller.abort(cancelledError());
  }
}

/** The report's language before intent analysis: `params.language`, else the task's (as intent analysis decides it). */
function taskLanguage(params: TaskParams): string {
  return params.language ?? detectLanguage(params.task);
}

async function execute(options: RunReportOptions, signal: AbortSignal): Promise<ReportResult> {
  const { params, author } = options;
  const limits: PipelineLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const startedAt = Date.now();
  const now = options.now?.() ?? new Date();
  if (options.searchProviders.length === 0) throw noSearchSourceError(taskLanguage(params));

  const usage = new UsageTracker();
  const usesModel = author.engine === "llm";
  const { budget, price, modelLabel } = openRunBudget({ params, author, options: options.budget });
  const emitter = new ProgressEmitter(
    options.onEvent,
    usage,
    { provider: author.modelProvider, name: author.modelName },
    price,
  );
  const gate = budget.admit.bind(budget);
  const context = (step: PipelineStep) => ({ params, signal, now, onUsage: emitter.usageFor(step), gate });
  let messages = messagesFor(taskLanguage(params));
  const providerNames = options.searchProviders.map((provider) => provider.name);

  await emitter.progressTo("task_started", 0, messages.taskStarted(params.task), {
    task: params.task,
    task_type: params.task_type,
    engine: author.engine,
    model_provider: author.modelProvider,
    model_name: author.modelName,
    search_providers: providerNames,
  });
  if (usesModel && !price) {
    // Once per run, not per call: usage events then carry tokens only.
    await emitter.warn(
      `The price of the model ${modelLabel} is unknown, so this run reports tokens but no cost (docs/cost.md says how to set prices).`,
    );
  }

  // 1. Intent
  await emitter.progressTo("analyzing_intent", 2, messages.analyzingIntent);
  const analyzed = await author.analyzeIntent(context("analyzing_intent"));
  throwIfAborted(signal);
  messages = messagesFor(analyzed.language);
  await emitter.progressTo("analyzing_intent", 8, messages.intentDone(analyzed.topic), { intent: analyzed });
  // --- issue 9: nothing dated inside the window → widen it to the newest evidence, and say so.
  const explicit = params.days !== undefined || timeWindowFromText(params.task, now) !== null;
  // The window probe's requests (one or two per provider) count towards the search guard.
  const countedProviders = options.searchProviders.map((provider) => ({
    name: provider.name,
    search: (request: Parameters<typeof provider.search>[0]) => {
      budget.noteSearch();
      return provider.search(request);
    },
  }));
  const window = await followEvidenceWindow({ intent: analyzed, providers: countedProviders, now, signal, explicit });
  const intent = window.intent;
  if (window.notice) await emitter.warn(window.notice, window.details);
  // --- end issue 9

  const registry = new SourceRegistry(new Date(intent.time_window.from));
  const pool = new EvidencePool(registry, intent);
  // Both engines get the same sources per section. The model gets their best passages within its token
  // budget; the extractive engine picks its own sentences and quotes a sentence with the one it leans on,
  // so it reads the chosen sources whole, and leaves out what states a figure marked superseded.
  const evidenceText: EvidenceText = author.engine === "extractive" ? "whole" : "passages";
  let evidenceTokens = limits.evidenceTokensPerSection;
  const choose = (current: Outline): Selection =>
    pool.select({
      outline: current,
      limits: {
        tokensPerSection: evidenceTokens,
        maxSourcesPerSection: limits.maxEvidencePerSection,
        maxPassagesPerSource: 4,
      },
      conflictPolicy: "mark",
      text: evidenceText,
    });
  // The extractive engine's quotes are checked verbatim; its only uncited text is its own framing.
  const verifier = new CitationVerifier({
    sources: registry,
    judge: author.engine === "llm" ? (options.judge ?? null) : null,
    checkUncited: author.engine === "llm",
  });
  const numbering = new CitationNumbering();
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
    budget,
  };

  // 2. Outline (and confirmation)
  await emitter.progressTo("generating_outline", 10, messages.generatingOutline);
  const planned = await author.planOutline({
    ...context("generating_outline"),
    intent,
    search: async (queries) => pool.onTopic((await searchBatch(research, queries)).sources),
  });
  let outline = normalizeOutline(planned, intent);
  throwIfAborted(signal);
  await emitter.progressTo("generating_outline", 15, messages.outlineDone(outline.sections.length), { outline });
  if (!params.auto_confirm) outline = await confirm({ options, outline, intent, emitter, messages, signal });

  // The rest of the run planned within what the budget has left (extractive runs spend no tokens).
  let rounds = params.max_iterations;
  if (usesModel) {
    const wanted = { sections: outline.sections.length, rounds, evidenceTokensPerSection: evidenceTokens };
    const plan = await fitPlanToBudget({ budget, wanted, language: intent.language, emitter });
    outline = { ...outline, sections: outline.sections.slice(0, plan.sections) };
    rounds = plan.rounds;
    evidenceTokens = plan.evidenceTokensPerSection;
  }

  // 3. Search, per section, in parallel
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
          pool.found(section.id, batch.sources);
          return batch.perQuery;
        }),
      ),
    )
  ).flat();
  const found = choose(outline);
  await emitter.progressTo("searching", 32, messages.searchDone(registry.size), {
    per_query: perQuery,
    sources: registry.size,
    per_section: perSectionCounts(outline, found),
    out_of_window: registry.outOfWindow,
    ...poolCounts(registry, pool),
  });
  if (registry.size === 0) {
    await emitter.warn(
      intent.language.startsWith("zh")
        ? "所有查询均未检索到来源；报告将不含任何论断。可尝试扩大时间范围（days）或换用其他关键词。"
        : "No query found any source; the report will make no claims. Try a wider time window (days) or other wording.",
    );
  }

  // 4. Quality assessment and gap filling
  const { assessment, iterations } = await assessAndFill({
    options,
    research,
    pool,
    choose,
    outline,
    intent,
    emitter,
    messages,
    context,
    limits,
    rounds,
  });

  // 5. Sections, in parallel, each from the evidence chosen for it
  await warnAboutLeftOutSources({ registry, pool, emitter, messages });
  const selection = choose(outline);
  assertSomeEvidence({ intent, evidence: evidenceMap(selection), providers: providerNames, retrieved: registry.size });
  const written = await writeSections({
    options,
    outline,
    intent,
    selection,
    emitter,
    messages,
    context,
    limits,
    signal,
    verifier,
    numbering,
  });
  const unwritten = written.filter((section) => section.content === BUDGET_STOPPED);
  if (unwritten.length === written.length) {
    throw new ReportError(
      "budget_exceeded",
      intent.language.startsWith("zh")
        ? `预算在写出第一个章节之前用尽（${budget.spentTokens} / ${budget.limits.maxTokens} tokens）。`
        : `The budget ran out before any section was written (${budget.spentTokens} of ${budget.limits.maxTokens} tokens).`,
      { hint: { kind: "raise_setting", setting: "budget" } },
    );
  }
  if (unwritten.length > 0) {
    await emitter.warn(
      intent.language.startsWith("zh")
        ? `预算用尽：${unwritten.length} 个章节未写出，报告只包含已完成的章节。`
        : `The budget ran out: ${unwritten.length} section(s) were not written; the report has the sections finished before that.`,
      { unwritten: unwritten.map((section) => section.name) },
    );
    written.splice(0, written.length, ...written.filter((section) => section.content !== BUDGET_STOPPED));
  }
  assertSomethingCited({ intent, sections: written, providers: providerNames, retrieved: registry.size });

  // 6. Executive summary
  await emitter.progressTo("generating_summary", 87, messages.writingSummary);
  const allowed = new Set(written.flatMap((section) => collectCitations(section.content)));
  const citedSources = [...allowed]
    .map((id) => registry.get(id))
    .filter((source): source is NumberedSource => Boolean(source));
  let rawSummary = "";
  try {
    rawSummary = await author.writeSummary({
      ...context("generating_summary"),
      intent,
      outline,
      sections: written,
      sources: citedSources,
    });
  } catch (error) {
    if (!isBudgetStop(error)) throw error;
    await emitter.warn(
      intent.language.startsWith("zh")
        ? "预算用尽：未生成执行摘要。"
        : "The budget ran out before the executive summary: the report has none.",
    );
  }
  throwIfAborted(signal);
  const summary = sanitizeCitations(rawSummary, allowed);
  if (summary.removed.length > 0) {
    await emitter.warn(
      `Removed citations to sources the summary's sections do not cite: ${summary.removed.map((id) => `[${id}]`).join(" ")}`,
    );
  }
  const checkedSummary = (
    await verifier.verify({
      text: summary.text,
      evidence: citedSources,
      signal,
      onUsage: context("generating_summary").onUsage,
      gate,
    })
  ).trim();
  throwIfAborted(signal);
  const summaryText = checkedSummary || (summary.text.trim() ? messages.summaryUnsupported : "");
  await emitter.progressTo("generating_summary", 92, messages.summaryDone, { summary: numbering.assign(summaryText) });
  if (verifier.judgeFailure) await emitter.warn(messages.judgeFailed(verifier.judgeFailure));
  const checkWarning = verifier.ledger.warning(intent.language);
  if (checkWarning)
    await emitter.warn(checkWarning, {
      grounding: verifier.ledger.figures,
      dropped_examples: verifier.ledger.droppedExamples,
    });

  // 7. Assembly
  await emitter.progressTo("assembling_report", 95, messages.assembling);
  const undated = numbering.sources((id) => registry.get(id)).filter(({ source }) => !source.published_at).length;
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
    summary: summaryText,
    registry,
    numbering,
    quality: groundedQuality({ ...assessment.scores, iterations }, verifier.ledger.figures),
    usage,
    cost: budget.spentCost ?? undefined,
    budget: budget.snapshot(),
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
    ...(result.metadata.cost ? { cost: result.metadata.cost } : {}),
  });
  return result;
}

type StepInput = {
  options: RunReportOptions;
  outline: Outline;
  intent: Intent;
  emitter: ProgressEmitter;
  messages: Messages;
  context: (step: PipelineStep) => {
    params: TaskParams;
    signal: AbortSignal;
    now: Date;
    onUsage: ReturnType<ProgressEmitter["usageFor"]>;
    gate: ModelCallGate;
  };
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
  input: StepInput & {
    research: Research;
    pool: EvidencePool;
    choose: (outline: Outline) => Selection;
    rounds: number;
  },
): Promise<{ assessment: QualityAssessment; iterations: number }> {
  const { options, research, pool, choose, outline, intent, emitter, messages, context, limits } = input;
  const { quality_threshold: threshold } = options.params;
  const maxIterations = input.rounds;
  let assessment: QualityAssessment | undefined;
  let iteration = 0;
  while (iteration < maxIterations) {
    iteration += 1;
    const base = 34 + ((iteration - 1) / maxIterations) * 15;
    await emitter.progressTo("assessing_quality", base, messages.assessing(iteration));
    const evidence = evidenceMap(choose(outline));
    try {
      assessment = await options.author.assessQuality({
        ...context("assessing_quality"),
        intent,
        outline,
        evidence,
        iteration,
      });
    } catch (error) {
      // A later round the budget cannot pay for: write with the evidence and scores of the last one.
      if (!assessment || !isBudgetStop(error)) throw error;
      iteration -= 1;
      await emitter.warn(error.message);
      break;
    }
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
    await emitter.progressTo("supplementing_search", base + 6, messages.supplementing(iteration, queries.length), {
      iteration,
      queries,
    });
    const added = await supplementSearch({ research, pool, outline, evidence, queries });
    await emitter.progressTo("supplementing_search", base + 9, messages.supplemented(added), {
      iteration,
      added,
      sources: research.registry.size,
      ...poolCounts(research.registry, pool),
    });
    if (added === 0) break;
  }
  if (!assessment) throw new ReportError("report_generation_failed", "Quality assessment did not run.");
  return { assessment, iterations: iteration };
}

async function writeSections(
  input: StepInput & {
    selection: Selection;
    signal: AbortSignal;
    verifier: CitationVerifier;
    numbering: CitationNumbering;
  },
): Promise<WrittenSection[]> {
  const { options, outline, intent, selection, emitter, messages, context, limits, signal, verifier, numbering } =
    input;
  const total = outline.sections.length;
  await emitter.progressTo("generating_sections", 50, messages.writingSections(total), {
    sections: outline.sections.map((section) => ({ id: section.id, name: section.name })),
    ...evidenceDetails(outline, selection),
  });
  const limit = pLimit(limits.sectionConcurrency);
  const ledger = new SentenceLedger();
  let finished = 0;
  return Promise.all(
    outline.sections.map((section, index) =>
      limit(async (): Promise<WrittenSection> => {
        throwIfAborted(signal);
        const sources = selection.sections.find((entry) => entry.id === section.id)?.sources ?? [];
        let body = messages.noEvidence;
        if (sources.length > 0) {
          let raw: string;
          try {
            raw = await options.author.writeSection({
              ...context("generating_sections"),
              intent,
              outline,
              section,
              evidence: sources,
            });
          } catch (error) {
            if (!isBudgetStop(error)) throw error;
            return { id: section.id, name: section.name, content: BUDGET_STOPPED };
          }
          throwIfAborted(signal);
          const cleaned = sanitizeCitations(raw, new Set(sources.map((source) => source.id)));
          if (cleaned.removed.length > 0) {
            await emitter.warn(
              `Section "${section.name}": removed citations to sources it was not given: ${cleaned.removed.map((id) => `[${id}]`).join(" ")}`,
            );
          }
          // Every cited sentence checked against its source: re-pointed, trimmed or dropped when unsupported.
          const sectionContext = context("generating_sections");
          const checked = await verifier.verify({
            text: cleaned.text,
            evidence: sources,
            signal,
            onUsage: sectionContext.onUsage,
            gate: sectionContext.gate,
          });
          throwIfAborted(signal);
          body = checked.trim() || (cleaned.text.trim() ? messages.noSupportedStatements : messages.noEvidence);
          // Then sentences an earlier-finished section already said go (in finishing order, so live and final text agree).
          const unique = ledger.take(section.name, body);
          if (unique.removed.length > 0) {
            await emitter.warn(messages.repeatedSentences(section.name, unique.removed.length), {
              section_id: section.id,
              removed: unique.removed,
            });
            body = unique.text || messages.coveredElsewhere;
          }
        }
        finished += 1;
        await emitter.progressTo(
          "generating_sections",
          50 + (finished / total) * 35,
          messages.sectionDone(section.name, finished, total),
          {
            id: section.id,
            name: section.name,
            // Sources are numbered at first citation as sections finish: these are the final report's numbers.
            content: sectionMarkdown(messages, index, section.name, numbering.assign(body)),
            index: finished,
            total,
          },
        );
        return { id: section.id, name: section.name, content: body };
      }),
    ),
  );
}
