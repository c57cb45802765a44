import { z } from "zod";
import { MODEL_PRESET_NAMES, type ModelPresetName } from "../providers/llm/presets.js";
import { DEFAULT_GUARDS } from "../core/cost/budget.js";
import { priceOverridesSchema } from "../core/cost/prices.js";

/**
 * Default whole-run time limit: 60 minutes. A safety net, far above a normal run (minutes), so that
 * one call that hangs past every per-call limit cannot hold a run forever. `--timeout`,
 * `REPORT_MCP_TIMEOUT` (seconds; 0 = no limit) or `config set timeoutMs` change it.
 */
export const DEFAULT_RUN_TIMEOUT_MS = 60 * 60 * 1000;

export { MODEL_PRESET_NAMES, type ModelPresetName };

/**
 * Fully resolved settings (flags > env + .env > conf store > defaults), produced by the CLI
 * layer (`src/cli/load-settings.ts`) and consumed by `createRuntime`. Nothing below the CLI
 * reads the environment.
 */
export const settingsSchema = z.object({
  /** Model preset; null = no model configured → extractive engine. */
  provider: z.enum(MODEL_PRESET_NAMES).nullable().default(null),
  /** Model name; null = the preset's default. */
  model: z.string().min(1).nullable().default(null),
  /** API key of the model provider (never logged). */
  apiKey: z.string().min(1).nullable().default(null),
  /** Base URL of the OpenAI-compatible API; null = the preset's. */
  baseUrl: z.string().url().nullable().default(null),
  tavilyApiKey: z.string().min(1).nullable().default(null),
  tavilyBaseUrl: z.string().url().nullable().default(null),
  braveApiKey: z.string().min(1).nullable().default(null),
  braveBaseUrl: z.string().url().nullable().default(null),
  googleApiKey: z.string().min(1).nullable().default(null),
  googleCseId: z.string().min(1).nullable().default(null),
  googleBaseUrl: z.string().url().nullable().default(null),
  /** Local corpus folders (absolute paths). */
  corpus: z.array(z.string().min(1)).default([]),
  /** Data directory: indexes, sessions, reports. */
  home: z.string().min(1),
  /** Lets page fetching reach loopback/private addresses (tests only). */
  allowPrivateFetch: z.boolean().default(false),
  /** Whole-run time limit in ms (planning, searching, writing and any wait for outline approval); null = none. */
  timeoutMs: z.number().int().positive().nullable().default(DEFAULT_RUN_TIMEOUT_MS),
  /** Bearer token for `serve`. */
  token: z.string().min(1).nullable().default(null),
  /** Redis URL of a scaled-out deployment (`serve --redis`, `worker`); null = one process, no Redis. */
  redisUrl: z.string().min(1).nullable().default(null),
  /** Price overrides per model (`REPORT_MCP_PRICES`, `config set prices`): money per 1M tokens. */
  prices: priceOverridesSchema.nullable().default(null),
  /** Token budget of a run that sets no `max_tokens`; null = the built-in default (1,000,000). */
  maxTokens: z.number().int().min(1000).nullable().default(null),
  /** Money budget of a run that sets no `max_cost`; null = none. */
  maxCost: z.number().positive().nullable().default(null),
  /** Runaway guards per run (docs/cost.md). */
  maxModelCalls: z.number().int().positive().default(DEFAULT_GUARDS.maxModelCalls),
  maxSearchCalls: z.number().int().positive().default(DEFAULT_GUARDS.maxSearchCalls),
  maxPageFetches: z.number().int().nonnegative().default(DEFAULT_GUARDS.maxPageFetches),
  maxPromptTokens: z.number().int().min(1000).default(DEFAULT_GUARDS.maxPromptTokens),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** Settings keys that hold secrets (masked by `config list`, never printed). */
/** A Redis URL may carry a password. */
export const SECRET_SETTINGS = ["apiKey", "tavilyApiKey", "braveApiKey", "googleApiKey", "token", "redisUrl"] as const;
