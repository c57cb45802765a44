import OpenAI from "openai";
import { ReportError } from "../../core/errors.js";
import type { GenerateObjectRequest, GenerateTextRequest, LanguageModel } from "../../core/types.js";
import { createCappedFetch } from "./capped-fetch.js";
import { type ChatConnection, callChat } from "./chat-call.js";
import type { ResponseFormatMemory } from "./format-memory.js";
import { createRedactor } from "./model-errors.js";
import { abortableDelay, type RetryDelay } from "../http/retry.js";
import { describeKeySetting, MODEL_PRESET_NAMES, MODEL_PRESETS, type ModelPresetName } from "./presets.js";
import { generateStructured } from "./structured.js";
import { stripThinking } from "./think.js";

export type OpenAICompatibleModelOptions = {
  /** Preset: openai, doubao, deepseek, ollama, custom. Reported as `model_provider`. */
  provider: ModelPresetName;
  /** Model name; null/undefined = the preset's default (required for `custom`). */
  model?: string | null;
  /** API base URL; null/undefined = the preset's (required for `custom`). */
  baseUrl?: string | null;
  /** API key (required by every preset except `ollama`). Never logged or put in messages. */
  apiKey?: string | null;
  /** Limit for one HTTP call including its streamed reply; default 120 000 ms. */
  timeoutMs?: number;
  /** Retries of 429/5xx/timeouts/network errors after the first attempt; default 3. */
  maxRetries?: number;
  /** First retry delay when the server sends no `retry-after`; doubles per retry (max 8 s). Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Waits between retries; default a timer (`abortableDelay`). Pass another clock to observe or skip the waits. */
  retryDelay?: RetryDelay;
  /** Shared memory of which structured-output mode each endpoint accepts; without it every call starts at json_schema. */
  formatMemory?: ResponseFormatMemory;
  /** Size caps on what is read from the API: a streamed reply (default 64 MiB) and an error body (default 64 KiB). */
  maxReplyBytes?: number;
  maxErrorBytes?: number;
};

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** Sent as the key to APIs that need none (Ollama ignores it; the SDK insists on one). */
const PLACEHOLDER_KEY = "no-key";

/**
 * Builds a LanguageModel over an OpenAI-compatible chat API with the `openai` client. Replies are
 * streamed; structured output falls back json_schema → json_object → prompt + extraction.
 * Throws ReportError `invalid_params` when the options cannot work (e.g. `custom` without a base
 * URL or model, a keyed preset without a key), naming the setting or env var to set.
 */
export function createOpenAICompatibleModel(options: OpenAICompatibleModelOptions): LanguageModel {
  const {
    provider,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    maxRetries = DEFAULT_MAX_RETRIES,
    retryBaseDelayMs = DEFAULT_RETRY_BASE_DELAY_MS,
    retryDelay = abortableDelay,
    formatMemory,
  } = options;
  if (!MODEL_PRESET_NAMES.includes(provider)) {
    throw new ReportError(
      "invalid_params",
      `Unknown model provider "${String(provider)}". Use one of: ${MODEL_PRESET_NAMES.join(", ")}.`,
    );
  }
  const preset = MODEL_PRESETS[provider];
  const baseUrl = (options.baseUrl?.trim() || preset.baseUrl || "").replace(/\/+$/, "");
  const model = options.model?.trim() || preset.defaultModel;
  const apiKey = options.apiKey?.trim() || null;

  if (baseUrl === "") {
    throw new ReportError(
      "invalid_params",
      `The ${provider} model provider needs a base URL: set OPENAI_BASE_URL or run \`report-mcp config set baseUrl <url>\`.`,
    );
  }
  if (!isHttpUrl(baseUrl)) {
    throw new ReportError(
      "invalid_params",
      "The model API base URL is not an http(s) URL. Check OPENAI_BASE_URL / `report-mcp config set baseUrl`.",
    );
  }
  if (model === "") {
    throw new ReportError(
      "invalid_params",
      `The ${provider} model provider needs a model name: set REPORT_MCP_MODEL or run \`report-mcp config set model <name>\`.`,
    );
  }
  if (preset.requiresKey && !apiKey) {
    throw new ReportError(
      "invalid_params",
      `The ${provider} model provider needs an API key: set ${describeKeySetting(provider)}.`,
    );
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ReportError(
      "invalid_params",
      `The model call timeout must be a positive number of milliseconds (got ${timeoutMs}).`,
    );
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new ReportError("invalid_params", `The model retry count must be a whole number ≥ 0 (got ${maxRetries}).`);
  }

  const client = new OpenAI({
    apiKey: apiKey ?? PLACEHOLDER_KEY,
    baseURL: baseUrl,
    // Explicit values so the SDK reads none of them from the environment.
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: timeoutMs,
    fetch: createCappedFetch({ maxReplyBytes: options.maxReplyBytes, maxErrorBytes: options.maxErrorBytes }),
    logLevel: "warn",
    logger: stderrLogger,
  });
  const connection: ChatConnection = {
    client,
    provider,
    model,
    baseUrl,
    timeoutMs,
    maxRetries,
    retryBaseDelayMs,
    retryDelay,
    tokenParameter: provider === "openai" ? "max_completion_tokens" : "max_tokens",
    redact: createRedactor(apiKey),
  };

  return {
    provider,
    model,
    async generateText(request: GenerateTextRequest): Promise<string> {
      const result = await callChat(connection, request);
      const text = stripThinking(result.text);
      if (text === "") {
        const why =
          result.text.trim() !== "" || result.reasoning !== "" ? "only reasoning, no answer" : "an empty reply";
        throw new ReportError(
          "model_output_invalid",
          `The model "${model}" (${provider}) returned ${why}. Raise its output limit, try again, or try another model.`,
        );
      }
      return text;
    },
    generateObject<T>(request: GenerateObjectRequest<T>): Promise<T> {
      return generateStructured({ connection, memory: formatMemory, request });
    },
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** The SDK logs through this: stderr only (stdout is the MCP protocol in stdio mode). */
const stderrLogger = {
  error: (message: string, ...rest: unknown[]) => writeLog("error", message, rest),
  warn: (message: string, ...rest: unknown[]) => writeLog("warn", message, rest),
  info: (message: string, ...rest: unknown[]) => writeLog("info", message, rest),
  debug: (message: string, ...rest: unknown[]) => writeLog("debug", message, rest),
};

/** The SDK logs whole stream frames it cannot parse: each part is shortened to a line's worth. */
const MAX_LOG_PART = 500;

function writeLog(level: string, message: string, rest: unknown[]): void {
  const parts = [message, ...rest.map((item) => (typeof item === "string" ? item : safeJson(item)))].map((part) =>
    part.length > MAX_LOG_PART ? `${part.slice(0, MAX_LOG_PART)}… (${part.length} characters)` : part,
  );
  process.stderr.write(`[report-mcp] openai ${level}: ${parts.join(" ")}\n`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
