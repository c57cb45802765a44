import { z } from "zod";
import { MODEL_PRESET_NAMES, type ModelPresetName } from "../providers/llm/presets.js";

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
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** Settings keys that hold secrets (masked by `config list`, never printed). */
/** A Redis URL may carry a password. */
export const SECRET_SETTINGS = ["apiKey", "tavilyApiKey", "braveApiKey", "googleApiKey", "token", "redisUrl"] as const;
