/**
 * report-mcp as a library: the pipeline, its contracts, and the runtime factory the CLI, MCP and
 * HTTP servers use.
 */
export { VERSION } from "./version.js";
export * from "./core/params.js";
export * from "./core/events/index.js";
export * from "./core/errors.js";
export * from "./core/result.js";
export type * from "./core/types.js";
export type * from "./core/author.js";
export type * from "./core/runtime.js";
export {
  runReport,
  DEFAULT_LIMITS,
  type RunReportOptions,
  type PipelineLimits,
  type RunBudgetOptions,
} from "./core/pipeline/run-report.js";
export { LlmAuthor } from "./core/llm-author/llm-author.js";
export { createRuntime, createAuthor, createSearchProviders, type CreateRuntimeOptions } from "./app/create-runtime.js";
export {
  settingsSchema,
  MODEL_PRESET_NAMES,
  type Settings,
  type SettingsInput,
  type ModelPresetName,
} from "./app/settings.js";
export { createOpenAICompatibleModel, ResponseFormatMemory, MODEL_PRESETS } from "./providers/llm/index.js";
export {
  createCorpusSearch,
  buildCorpusIndex,
  type CorpusIndexStats,
  type CorpusSearch,
} from "./providers/corpus/index.js";
export { ExtractiveAuthor, createExtractiveAuthor } from "./core/extractive/index.js";
export { analyzeIntentByRules } from "./core/intent-rules.js";
export { estimateTokens, estimateChatTokens } from "./core/text/tokens.js";
export {
  PRICE_TABLE,
  PRICES_AS_OF,
  findPrice,
  costOf,
  parsePriceOverrides,
  type ModelPrice,
  type Cost,
  type PriceOverrides,
} from "./core/cost/prices.js";
export { DEFAULT_MAX_TOKENS, DEFAULT_GUARDS, type RunGuards } from "./core/cost/budget.js";
export { estimateRun, foldRun, type RunEstimate, type MeasuredAverages } from "./core/cost/estimate.js";
export { runEstimateSchema } from "./core/cost/estimate-schema.js";
export {
  CitationVerifier,
  createModelJudge,
  groundedQuality,
  type ClaimJudge,
  type GroundingFigures,
} from "./core/grounding/index.js";
export { createTavilySearch, createBraveSearch, createGoogleSearch } from "./providers/search/index.js";
export { createPageFetcher } from "./providers/fetch/index.js";
export { runSearches, type SearchRunOptions, type SearchRunResult } from "./core/search/index.js";
export { ReportJobs } from "./core/jobs/index.js";
