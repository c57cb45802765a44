import fs from "node:fs";
import path from "node:path";
import Conf from "conf";
import { MODEL_PRESET_NAMES, SECRET_SETTINGS, settingsSchema, type Settings } from "../app/settings.js";
import { ReportError } from "../core/errors.js";
import { CliUsageError } from "./cli-io.js";
import { SAMPLE_CORPUS } from "./sample-corpus.js";
import { parsePriceOverrides, type PriceOverrides } from "../core/cost/prices.js";

/** Settings keys `report-mcp config` persists (home and allowPrivateFetch are environment-only). */
export const PERSISTED_SETTINGS = [
  "provider",
  "model",
  "apiKey",
  "baseUrl",
  "tavilyApiKey",
  "tavilyBaseUrl",
  "braveApiKey",
  "braveBaseUrl",
  "googleApiKey",
  "googleCseId",
  "googleBaseUrl",
  "corpus",
  "timeoutMs",
  "token",
  "redisUrl",
  "prices",
  "maxTokens",
  "maxCost",
  "maxModelCalls",
  "maxSearchCalls",
  "maxPageFetches",
  "maxPromptTokens",
] as const;
export type PersistedKey = (typeof PERSISTED_SETTINGS)[number];
export type StoredSettings = { [Key in PersistedKey]?: NonNullable<Settings[Key]> };
/** A stored value: text, a number (timeoutMs, budgets), a folder list (corpus) or price overrides (prices). */
export type StoredValue = string | number | string[] | PriceOverrides;

/** Keys stored as numbers. */
export const NUMBER_SETTINGS = new Set<PersistedKey>([
  "timeoutMs",
  "maxTokens",
  "maxCost",
  "maxModelCalls",
  "maxSearchCalls",
  "maxPageFetches",
  "maxPromptTokens",
]);

const URL_KEYS = new Set<PersistedKey>(["baseUrl", "tavilyBaseUrl", "braveBaseUrl", "googleBaseUrl"]);

/** What each key expects, in words (used by usage errors and `config --help`). */
export const SETTING_EXPECTATIONS: Record<PersistedKey, string> = {
  provider: `one of ${MODEL_PRESET_NAMES.join(", ")}`,
  model: "a model name, e.g. gpt-4o-mini",
  apiKey: "the model provider's API key",
  baseUrl: "an http(s) URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1",
  tavilyApiKey: "a Tavily API key",
  tavilyBaseUrl: "an http(s) URL, e.g. https://api.tavily.com",
  braveApiKey: "a Brave Search API key",
  braveBaseUrl: "an http(s) URL, e.g. https://api.search.brave.com",
  googleApiKey: "a Google API key",
  googleCseId: "a Google Programmable Search Engine id (cx)",
  googleBaseUrl: "an http(s) URL, e.g. https://www.googleapis.com",
  corpus: "folders, separated by commas or the path delimiter",
  timeoutMs: "a whole number of milliseconds greater than 0",
  token: "a bearer token for `report-mcp serve`",
  redisUrl: "a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379 (for `serve --redis` and `worker`)",
  prices: `JSON price overrides, e.g. {"gpt-4.1-mini": {"input": 0.4, "output": 1.6, "currency": "USD"}} (money per 1M tokens)`,
  maxTokens: "a whole number of tokens, at least 1000 (the default token budget of a run)",
  maxCost: "an amount of money greater than 0 in the model price's currency (the default money budget of a run)",
  maxModelCalls: "a whole number greater than 0 (model calls per run, retries included)",
  maxSearchCalls: "a whole number greater than 0 (search requests per run)",
  maxPageFetches: "a whole number, 0 or more (page fetches per run)",
  maxPromptTokens: "a whole number of tokens, at least 1000 (size of any one prompt)",
};

export function isPersistedKey(key: string): key is PersistedKey {
  return (PERSISTED_SETTINGS as readonly string[]).includes(key);
}

export function isSecretKey(key: string): boolean {
  return (SECRET_SETTINGS as readonly string[]).includes(key);
}

/** `sk-live-1234abcd` → `••••abcd`; short secrets are hidden entirely. */
export function maskSecret(value: string): string {
  return value.length > 8 ? `••••${value.slice(-4)}` : "••••";
}

/** Returns the reason a value is invalid for a key, or null when it is fine. */
export function checkSettingValue(key: PersistedKey, value: unknown): string | null {
  const result = settingsSchema.shape[key].safeParse(value);
  if (!result.success || value === null) return SETTING_EXPECTATIONS[key];
  if (URL_KEYS.has(key) && typeof value === "string" && !/^https?:\/\//i.test(value)) return SETTING_EXPECTATIONS[key];
  if (key === "redisUrl" && typeof value === "string" && !/^rediss?:\/\/[^/\s]/i.test(value))
    return SETTING_EXPECTATIONS[key];
  return null;
}

/** Parses the text of `config set <key> <value>` into the stored value; throws CliUsageError. */
export function parseSettingValue(options: { key: PersistedKey; text: string; cwd: string }): StoredValue {
  const { key, text, cwd } = options;
  const trimmed = text.trim();
  let value: StoredValue = trimmed;
  if (NUMBER_SETTINGS.has(key)) value = /^(\d+(\.\d*)?|\.\d+)$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (key === "prices" && trimmed !== "") {
    const parsed = parsePriceOverrides(trimmed);
    if (!parsed.ok) throw new CliUsageError(`invalid value for prices: ${parsed.problem}`);
    value = parsed.value;
  }
  // `sample` (the shipped sample corpus) is kept as the name and resolved when settings are read.
  if (key === "corpus")
    value = splitFolderList(trimmed).map((folder) => (folder === SAMPLE_CORPUS ? folder : path.resolve(cwd, folder)));
  const empty = trimmed === "" || (Array.isArray(value) && value.length === 0);
  const problem = empty ? SETTING_EXPECTATIONS[key] : checkSettingValue(key, value);
  if (problem) throw new CliUsageError(`invalid value for ${key}: expected ${problem}`);
  if (Array.isArray(value)) {
    for (const folder of value) {
      if (folder !== SAMPLE_CORPUS && !isDirectory(folder))
        throw new CliUsageError(`corpus folder ${folder} does not exist or is not a folder`);
    }
  }
  return value;
}

/** Splits a folder list on commas and the platform's path delimiter. */
export function splitFolderList(text: string): string[] {
  return text
    .split(new RegExp(`[,${escapeRegExp(path.delimiter)}]`))
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

export type ConfigStore = {
  /** Absolute path of the settings file. */
  readonly path: string;
  /** Stored values, validated; an invalid stored value is a ReportError `invalid_params` naming it. */
  read(): StoredSettings;
  /** Stores a value already checked by `parseSettingValue`. */
  set(key: PersistedKey, value: StoredValue): void;
  unset(key: PersistedKey): void;
};

/** Opens the `conf` store in `configDir` (file `config.json`, mode 0600). Does not create the file. */
export function openConfigStore(options: { configDir: string }): ConfigStore {
  const file = path.join(options.configDir, "config.json");
  let conf: Conf<Record<string, unknown>>;
  try {
    conf = new Conf<Record<string, unknown>>({
      projectName: "report-mcp",
      projectSuffix: "",
      cwd: options.configDir,
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReportError(
      "invalid_params",
      `The settings file ${file} could not be read (${reason}). Fix it or delete it.`,
      {
        cause: error,
      },
    );
  }
  const restrict = (): void => {
    if (process.platform !== "win32" && fs.existsSync(conf.path)) fs.chmodSync(conf.path, 0o600);
  };
  return {
    path: conf.path,
    read() {
      const stored: Record<string, unknown> = {};
      for (const key of PERSISTED_SETTINGS) {
        if (!conf.has(key)) continue;
        const value = conf.get(key);
        const problem = checkSettingValue(key, value);
        if (problem) {
          throw new ReportError(
            "invalid_params",
            `The stored setting ${key} in ${conf.path} is invalid: expected ${problem}. Fix it with \`report-mcp config set ${key} <value>\` or \`report-mcp config unset ${key}\`.`,
          );
        }
        stored[key] = value;
      }
      return stored as StoredSettings;
    },
    set(key, value) {
      conf.set(key, value);
      restrict();
    },
    unset(key) {
      conf.delete(key);
      restrict();
    },
  };
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
