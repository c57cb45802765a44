import type { ReportAuthor } from "../core/author.js";
import { createModelJudge, type ClaimJudge } from "../core/grounding/index.js";
import { ExtractiveAuthor } from "../core/extractive/index.js";
import { LlmAuthor } from "../core/llm-author/llm-author.js";
import { DEFAULT_LIMITS, runReport, type PipelineLimits, type RunBudgetOptions } from "../core/pipeline/run-report.js";
import { DEFAULT_MAX_TOKENS } from "../core/cost/budget.js";
import { estimateRun, type RunEstimate } from "../core/cost/estimate.js";
import { findPrice } from "../core/cost/prices.js";
import type { TaskParams } from "../core/params.js";
import { openUsageHistory } from "./usage-history.js";
import type { ReportRuntime } from "../core/runtime.js";
import { runSearches } from "../core/search/index.js";
import type { LanguageModel, PageFetcher, SearchProvider } from "../core/types.js";
import { createCorpusSearch } from "../providers/corpus/index.js";
import { createPageFetcher } from "../providers/fetch/index.js";
import { createOpenAICompatibleModel, ResponseFormatMemory } from "../providers/llm/index.js";
import { createBraveSearch, createGoogleSearch, createTavilySearch } from "../providers/search/index.js";
import type { Settings } from "./settings.js";

export type CreateRuntimeOptions = {
  /** Diagnostics (stderr in the CLI); never stdout. */
  logger?: (line: string) => void;
  now?: () => Date;
  limits?: Partial<PipelineLimits>;
};

/** Web and corpus search providers enabled by the settings, in fallback order. */
export function createSearchProviders(
  settings: Settings,
  logger?: (line: string) => void,
  now?: () => Date,
): SearchProvider[] {
  const providers: SearchProvider[] = [];
  if (settings.tavilyApiKey)
    providers.push(createTavilySearch({ apiKey: settings.tavilyApiKey, baseUrl: settings.tavilyBaseUrl ?? undefined }));
  if (settings.braveApiKey)
    providers.push(createBraveSearch({ apiKey: settings.braveApiKey, baseUrl: settings.braveBaseUrl ?? undefined }));
  if (settings.googleApiKey && settings.googleCseId) {
    providers.push(
      createGoogleSearch({
        apiKey: settings.googleApiKey,
        cseId: settings.googleCseId,
        baseUrl: settings.googleBaseUrl ?? undefined,
      }),
    );
  } else if (settings.googleApiKey) {
    logger?.("GOOGLE_API_KEY is set but GOOGLE_CSE_ID is not: Google search stays off until both are set.");
  }
  if (settings.corpus.length > 0) {
    // Skipped-file notices reach every run's (and search's) warnings; logging them too printed them twice.
    providers.push(createCorpusSearch({ folders: settings.corpus, home: settings.home, now }));
  }
  return providers;
}

function createModel(settings: Settings): LanguageModel | null {
  if (!settings.provider) return null;
  return createOpenAICompatibleModel({
    provider: settings.provider,
    model: settings.model,
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    formatMemory: new ResponseFormatMemory(),
  });
}

/** The budget defaults and runaway guards of the settings (docs/cost.md). */
export function budgetOptions(settings: Settings): RunBudgetOptions {
  return {
    maxTokens: settings.maxTokens,
    maxCost: settings.maxCost,
    prices: settings.prices,
    guards: {
      maxModelCalls: settings.maxModelCalls,
      maxSearchCalls: settings.maxSearchCalls,
      maxPageFetches: settings.maxPageFetches,
      maxPromptTokens: settings.maxPromptTokens,
    },
  };
}

/** The author the settings call for: the model when one is configured, else the extractive engine. */
export function createAuthor(settings: Settings): ReportAuthor {
  const model = createModel(settings);
  return model ? new LlmAuthor(model) : new ExtractiveAuthor();
}

/**
 * Binds settings to providers and the pipeline. Cheap: nothing touches the network or the disk
 * until a report or search runs.
 */
export function createRuntime(settings: Settings, options: CreateRuntimeOptions = {}): ReportRuntime {
  const providers = createSearchProviders(settings, options.logger, options.now);
  const model = createModel(settings);
  const author: ReportAuthor = model ? new LlmAuthor(model) : new ExtractiveAuthor();
  // The citation judge only exists with a model; the extractive engine is verified lexically, at no token cost.
  const judge: ClaimJudge | null = model ? createModelJudge({ model }) : null;
  const hasWeb = providers.some((provider) => provider.name !== "corpus");
  const history = openUsageHistory({ home: settings.home, logger: options.logger });
  const modelKey = `${author.modelProvider ?? "none"}/${author.modelName ?? "none"}`;
  const budget = budgetOptions(settings);
  const price = model
    ? findPrice({ provider: author.modelProvider, model: author.modelName, overrides: settings.prices })
    : null;
  const evidenceTokensPerSection = options.limits?.evidenceTokensPerSection ?? DEFAULT_LIMITS.evidenceTokensPerSection;
  const estimate = (params: TaskParams, sections?: number): RunEstimate =>
    estimateRun({
      params,
      engine: author.engine,
      modelProvider: author.modelProvider,
      modelName: author.modelName,
      price,
      maxTokens: params.max_tokens ?? settings.maxTokens ?? DEFAULT_MAX_TOKENS,
      maxCost: params.max_cost ?? settings.maxCost,
      evidenceTokensPerSection,
      ...(sections ? { sections } : {}),
      measured: model ? history.read(modelKey) : null,
    });
  const fetcher: PageFetcher | null = hasWeb ? createPageFetcher({ allowPrivate: settings.allowPrivateFetch }) : null;
  return {
    async estimate(params) {
      return estimate(params);
    },
    async runReport(params, runOptions) {
      const confirmOutline = runOptions.confirmOutline;
      const result = await runReport({
        params,
        author,
        searchProviders: providers,
        fetcher,
        onEvent: runOptions.onEvent,
        signal: runOptions.signal,
        confirmOutline:
          confirmOutline &&
          ((request) => confirmOutline({ ...request, estimate: estimate(params, request.outline.sections.length) })),
        now: options.now,
        limits: options.limits,
        timeoutMs: settings.timeoutMs,
        judge,
        budget,
      });
      // Runs the budget did not cut short teach the estimate what this model spends per step.
      if (model && !result.metadata.budget?.limited) history.record(modelKey, result.metadata.usage.by_step);
      return result;
    },
    async search(request) {
      const warnings: string[] = [];
      const result = await runSearches({
        providers,
        queries: [request.query],
        days: request.days,
        maxResultsPerQuery: request.maxResults,
        signal: request.signal ?? new AbortController().signal,
        onWarning: (message) => {
          warnings.push(message);
        },
      });
      return { results: result.hits, providers: providers.map((provider) => provider.name), warnings };
    },
    describe() {
      return {
        engine: author.engine,
        modelProvider: author.modelProvider,
        modelName: author.modelName,
        searchProviders: providers.map((provider) => provider.name),
      };
    },
  };
}
