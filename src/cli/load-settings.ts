import fs from "node:fs";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { MODEL_PRESET_NAMES, settingsSchema, type ModelPresetName, type Settings } from "../app/settings.js";
import { ReportError } from "../core/errors.js";
import { resolveAppPaths } from "./app-paths.js";
import { parsePriceOverrides } from "../core/cost/prices.js";
import { resolveCorpusFolder } from "./sample-corpus.js";
import {
  checkSettingValue,
  isSecretKey,
  openConfigStore,
  SETTING_EXPECTATIONS,
  type StoredSettings,
} from "./config-store.js";

/** Settings given as command-line flags (strongest source). */
export type SettingsFlags = {
  provider?: string;
  model?: string;
  baseUrl?: string;
  corpus?: string[];
  /** Whole-run limit in ms; null = no limit (`--timeout 0`). */
  timeoutMs?: number | null;
  token?: string;
  redisUrl?: string;
};

export type LoadSettingsOptions = {
  flags?: SettingsFlags;
  /** Defaults to `process.env` (never modified). */
  env?: NodeJS.ProcessEnv;
  /** Where `.env` is read and relative paths are resolved; defaults to `process.cwd()`. */
  cwd?: string;
};

/** Environment variables that hold each preset's API key, first match wins. */
export const PRESET_KEY_VARIABLES: Record<ModelPresetName, readonly string[]> = {
  openai: ["OPENAI_API_KEY"],
  doubao: ["ARK_API_KEY"],
  deepseek: ["DEEPSEEK_API_KEY"],
  ollama: [],
  custom: ["REPORT_MCP_API_KEY", "OPENAI_API_KEY"],
};

/** Key variables that select a preset when none is named, in this order. */
const DETECTION_ORDER: ReadonlyArray<[string, ModelPresetName]> = [
  ["OPENAI_API_KEY", "openai"],
  ["ARK_API_KEY", "doubao"],
  ["DEEPSEEK_API_KEY", "deepseek"],
];

const FLAG_NAMES: Record<keyof SettingsFlags, string> = {
  provider: "--provider",
  model: "--model",
  baseUrl: "--base-url",
  corpus: "--corpus",
  timeoutMs: "--timeout",
  token: "--token",
  redisUrl: "--redis",
};

/** A value and where it came from ("--model", "REPORT_MCP_MODEL", "config key model"). */
type Candidate<T> = { value: T; source: string };

/**
 * Resolves Settings, strongest first: flags > environment (process env over `.env` in `cwd`) >
 * the `conf` store > defaults. The stored `apiKey`, `model` and `baseUrl` belong to the stored
 * `provider`: they apply only when the resolved provider is that one (or none is stored).
 * Invalid values throw ReportError `invalid_params` naming the flag, variable or key.
 */
export async function loadSettings({
  flags = {},
  env = process.env,
  cwd = process.cwd(),
}: LoadSettingsOptions = {}): Promise<Settings> {
  const environment = readEnvironment({ env, cwd });
  const variable = (name: string): Candidate<string> | undefined => {
    const value = environment.values[name];
    return value === undefined
      ? undefined
      : { value, source: environment.fromDotenv.has(name) ? `${name} (in .env)` : name };
  };
  const flag = <Key extends keyof SettingsFlags>(key: Key): Candidate<NonNullable<SettingsFlags[Key]>> | undefined => {
    const value = flags[key];
    return value === undefined
      ? undefined
      : { value: value as NonNullable<SettingsFlags[Key]>, source: FLAG_NAMES[key] };
  };
  const paths = resolveAppPaths({ env: environment.values, cwd });
  const stored = openConfigStore({ configDir: paths.configDir }).read();
  const fromStore = <Key extends keyof StoredSettings>(
    key: Key,
  ): Candidate<NonNullable<StoredSettings[Key]>> | undefined => {
    const value = stored[key];
    return value === undefined
      ? undefined
      : { value: value as NonNullable<StoredSettings[Key]>, source: `config key ${key}` };
  };

  const explicitProvider = first(flag("provider"), variable("REPORT_MCP_PROVIDER"), fromStore("provider"));
  if (explicitProvider && !isPresetName(explicitProvider.value)) {
    throw invalid(explicitProvider.source, `one of ${MODEL_PRESET_NAMES.join(", ")}`, explicitProvider.value);
  }
  const provider =
    (explicitProvider?.value as ModelPresetName | undefined) ?? detectProvider(environment.values, stored);
  const storedApplies = provider !== null && (stored.provider === undefined || stored.provider === provider);
  const ownStore = <Key extends "apiKey" | "model" | "baseUrl">(key: Key) =>
    storedApplies ? fromStore(key) : undefined;

  const apiKey = provider ? first(...PRESET_KEY_VARIABLES[provider].map(variable), ownStore("apiKey")) : undefined;
  if (provider && provider !== "ollama" && !apiKey) {
    const names = [...PRESET_KEY_VARIABLES[provider], "`report-mcp config set apiKey <key>`"].join(" or ");
    const origin = explicitProvider ? ` (from ${explicitProvider.source})` : "";
    throw new ReportError("invalid_params", `The model provider ${provider}${origin} needs an API key: set ${names}.`);
  }
  const model = first(flag("model"), variable("REPORT_MCP_MODEL"), ownStore("model"));
  const baseUrl = first(
    flag("baseUrl"),
    provider === "custom" ? variable("REPORT_MCP_BASE_URL") : undefined,
    variable("OPENAI_BASE_URL"),
    ownStore("baseUrl"),
  );
  if (provider === "custom" && !baseUrl) {
    throw new ReportError(
      "invalid_params",
      "The custom model provider needs a base URL: set --base-url, REPORT_MCP_BASE_URL or `report-mcp config set baseUrl <url>`.",
    );
  }
  if (provider === "custom" && !model) {
    throw new ReportError(
      "invalid_params",
      "The custom model provider needs a model name: set --model, REPORT_MCP_MODEL or `report-mcp config set model <name>`.",
    );
  }

  for (const folder of flags.corpus ?? []) {
    // A mistyped --corpus is bad usage; an empty one would otherwise research the working directory.
    if (folder.trim() === "") throw new ReportError("invalid_params", "--corpus needs a folder (got an empty value).");
    const resolvedFolder = resolveCorpusFolder(folder, cwd);
    if (!isDirectory(resolvedFolder))
      throw new ReportError(
        "invalid_params",
        `--corpus ${folder}: ${resolvedFolder} does not exist or is not a folder.`,
      );
  }
  const corpusVariable = variable("REPORT_MCP_CORPUS");
  const corpus = first(
    flags.corpus && flags.corpus.length > 0 ? flag("corpus") : undefined,
    corpusVariable && {
      value: corpusVariable.value.split(path.delimiter).filter((part) => part.trim() !== ""),
      source: corpusVariable.source,
    },
    fromStore("corpus"),
  );
  const allowPrivate = variable("REPORT_MCP_ALLOW_PRIVATE_FETCH");

  const candidates = {
    model,
    apiKey,
    baseUrl,
    tavilyApiKey: first(variable("TAVILY_API_KEY"), fromStore("tavilyApiKey")),
    tavilyBaseUrl: first(variable("TAVILY_BASE_URL"), fromStore("tavilyBaseUrl")),
    braveApiKey: first(variable("BRAVE_API_KEY"), fromStore("braveApiKey")),
    braveBaseUrl: first(variable("BRAVE_BASE_URL"), fromStore("braveBaseUrl")),
    googleApiKey: first(variable("GOOGLE_API_KEY"), fromStore("googleApiKey")),
    googleCseId: first(variable("GOOGLE_CSE_ID"), fromStore("googleCseId")),
    googleBaseUrl: first(variable("GOOGLE_BASE_URL"), fromStore("googleBaseUrl")),
    corpus: corpus && { ...corpus, value: corpus.value.map((folder) => resolveCorpusFolder(folder, cwd)) },
    token: first(flag("token"), variable("REPORT_MCP_TOKEN"), fromStore("token")),
    redisUrl: first(flag("redisUrl"), variable("REPORT_MCP_REDIS_URL"), fromStore("redisUrl")),
    prices: first(pricesVariable(variable("REPORT_MCP_PRICES")), fromStore("prices")),
    maxTokens: first(numberVariable(variable("REPORT_MCP_MAX_TOKENS")), fromStore("maxTokens")),
    maxCost: first(numberVariable(variable("REPORT_MCP_MAX_COST")), fromStore("maxCost")),
    maxModelCalls: first(numberVariable(variable("REPORT_MCP_MAX_MODEL_CALLS")), fromStore("maxModelCalls")),
    maxSearchCalls: first(numberVariable(variable("REPORT_MCP_MAX_SEARCH_CALLS")), fromStore("maxSearchCalls")),
    maxPageFetches: first(numberVariable(variable("REPORT_MCP_MAX_PAGE_FETCHES")), fromStore("maxPageFetches")),
    maxPromptTokens: first(numberVariable(variable("REPORT_MCP_MAX_PROMPT_TOKENS")), fromStore("maxPromptTokens")),
  };
  const resolved: Record<string, unknown> = {
    provider,
    home: paths.dataDir,
    allowPrivateFetch: parseSwitch(allowPrivate),
  };
  for (const [key, candidate] of Object.entries(candidates) as Array<
    [keyof typeof SETTING_EXPECTATIONS, Candidate<unknown> | undefined]
  >) {
    if (!candidate) continue;
    const problem = checkSettingValue(key, candidate.value);
    if (problem) throw invalid(candidate.source, problem, isSecretKey(key) ? undefined : candidate.value);
    resolved[key] = candidate.value;
  }
  const timeout = first<number | null>(
    flags.timeoutMs === undefined ? undefined : { value: flags.timeoutMs, source: FLAG_NAMES.timeoutMs },
    secondsVariable(variable("REPORT_MCP_TIMEOUT")),
    fromStore("timeoutMs"),
  );
  if (timeout) {
    const problem = timeout.value === null ? null : checkSettingValue("timeoutMs", timeout.value);
    if (problem) throw invalid(timeout.source, problem, timeout.value);
    resolved["timeoutMs"] = timeout.value;
  }
  const settings = settingsSchema.safeParse(resolved);
  if (!settings.success) {
    const issue = settings.error.issues[0];
    throw new ReportError(
      "invalid_params",
      `Invalid settings: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
    );
  }
  return settings.data;
}

/**
 * The environment as report-mcp sees it: process env over the `.env` file in `cwd` (parsed, never
 * loaded into process.env); empty values count as unset.
 */
export function readEnvironment(options: { env: NodeJS.ProcessEnv; cwd: string }): {
  values: Record<string, string>;
  fromDotenv: Set<string>;
} {
  const values: Record<string, string> = {};
  const fromDotenv = new Set<string>();
  const dotenvFile = path.join(options.cwd, ".env");
  if (fs.existsSync(dotenvFile)) {
    let text: Buffer;
    try {
      text = fs.readFileSync(dotenvFile);
    } catch (error) {
      const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
      throw new ReportError(
        "invalid_params",
        `The .env file ${dotenvFile} could not be read (${reason}). Fix it or remove it.`,
        { cause: error },
      );
    }
    for (const [name, value] of Object.entries(parseDotenv(text))) {
      if (value.trim() === "") continue;
      values[name] = value.trim();
      fromDotenv.add(name);
    }
  }
  for (const [name, value] of Object.entries(options.env)) {
    if (value === undefined || value.trim() === "") continue;
    values[name] = value.trim();
    fromDotenv.delete(name);
  }
  return { values, fromDotenv };
}

/** A numeric variable: decimal notation only; anything else stays text, which the setting's check rejects. */
function numberVariable(candidate: Candidate<string> | undefined): Candidate<number | string> | undefined {
  if (!candidate) return undefined;
  const text = candidate.value.trim();
  return { value: /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : text, source: candidate.source };
}

/** `REPORT_MCP_PRICES`: JSON price overrides; a parse error names the variable and the expected shape. */
function pricesVariable(candidate: Candidate<string> | undefined): Candidate<unknown> | undefined {
  if (!candidate) return undefined;
  const parsed = parsePriceOverrides(candidate.value);
  if (!parsed.ok) throw new ReportError("invalid_params", `${candidate.source} is invalid: ${parsed.problem}.`);
  return { value: parsed.value, source: candidate.source };
}

/** `REPORT_MCP_TIMEOUT`: whole seconds or decimals; 0 = no limit (null). */
function secondsVariable(candidate: Candidate<string> | undefined): Candidate<number | null> | undefined {
  if (!candidate) return undefined;
  if (!/^\d+(\.\d+)?$/.test(candidate.value))
    throw invalid(candidate.source, "a number of seconds (0 = no limit)", candidate.value);
  const seconds = Number(candidate.value);
  return { value: seconds === 0 ? null : Math.max(1, Math.round(seconds * 1000)), source: candidate.source };
}

function detectProvider(values: Record<string, string>, stored: StoredSettings): ModelPresetName | null {
  for (const [name, preset] of DETECTION_ORDER) if (values[name]) return preset;
  return stored.apiKey ? "openai" : null;
}

function parseSwitch(candidate: Candidate<string> | undefined): boolean {
  if (!candidate) return false;
  const value = candidate.value.toLowerCase();
  if (value === "1" || value === "true" || value === "yes") return true;
  if (value === "0" || value === "false" || value === "no") return false;
  throw invalid(candidate.source, "1 (on) or 0 (off)", candidate.value);
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

function first<T>(...candidates: Array<Candidate<T> | undefined>): Candidate<T> | undefined {
  return candidates.find((candidate) => candidate !== undefined);
}

function isPresetName(value: string): value is ModelPresetName {
  return (MODEL_PRESET_NAMES as readonly string[]).includes(value);
}

function invalid(source: string, expected: string, value?: unknown): ReportError {
  const shown = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
  return new ReportError("invalid_params", `${source} must be ${expected}${shown}.`);
}
