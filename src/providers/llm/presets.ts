/** The model presets' names (SPEC §2); settings and the CLI take them from here. */
export const MODEL_PRESET_NAMES = ["openai", "doubao", "deepseek", "ollama", "custom"] as const;
export type ModelPresetName = (typeof MODEL_PRESET_NAMES)[number];

/** What a model preset provides: where the API lives, its default model and the env var of its key. */
export type ModelPreset = {
  /** Base URL of the OpenAI-compatible API; null = must come from settings (`custom`). */
  baseUrl: string | null;
  /** Model used when settings name none; "" = must come from settings (`custom`). */
  defaultModel: string;
  /** Environment variable the CLI reads the key from (named in error messages); null = no key. */
  apiKeyEnv: string | null;
  /** Whether a call without an API key is pointless. */
  requiresKey: boolean;
  /** Human-readable name. */
  label: string;
};

/**
 * The model presets of SPEC §2. They only *name* environment variables; the CLI maps the
 * environment to settings, nothing here reads it.
 */
export const MODEL_PRESETS: Record<ModelPresetName, ModelPreset> = {
  openai: {
    baseUrl: "https://api.openai.com/v1",
    defaultModel: "gpt-4.1-mini",
    apiKeyEnv: "OPENAI_API_KEY",
    requiresKey: true,
    label: "OpenAI",
  },
  doubao: {
    baseUrl: "https://ark.cn-beijing.volces.com/api/v3",
    defaultModel: "doubao-1-5-pro-32k-250115",
    apiKeyEnv: "ARK_API_KEY",
    requiresKey: true,
    label: "Doubao (Volcengine Ark)",
  },
  deepseek: {
    baseUrl: "https://api.deepseek.com",
    defaultModel: "deepseek-chat",
    apiKeyEnv: "DEEPSEEK_API_KEY",
    requiresKey: true,
    label: "DeepSeek",
  },
  ollama: {
    baseUrl: "http://127.0.0.1:11434/v1",
    defaultModel: "qwen2.5:7b",
    apiKeyEnv: null,
    requiresKey: false,
    label: "Ollama (local)",
  },
  custom: {
    baseUrl: null,
    defaultModel: "",
    apiKeyEnv: "OPENAI_API_KEY",
    requiresKey: true,
    label: "Custom OpenAI-compatible API",
  },
};

/** How a user sets the key of a preset, for error messages: "ARK_API_KEY / `report-mcp config set apiKey`". */
export function describeKeySetting(provider: ModelPresetName): string {
  const envName = MODEL_PRESETS[provider].apiKeyEnv;
  return envName ? `${envName} / \`report-mcp config set apiKey\`` : "`report-mcp config set apiKey`";
}
