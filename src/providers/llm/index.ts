/** The LLM provider: any OpenAI-compatible chat API as a `LanguageModel`. */
export { callChat, ResponseFormatRejectedError } from "./chat-call.js";
export type { ChatCallRequest, ChatCallResult, ChatConnection, ResponseFormat } from "./chat-call.js";
export { RESPONSE_FORMAT_MODES, ResponseFormatMemory } from "./format-memory.js";
export type { ModelEndpoint, ResponseFormatMode } from "./format-memory.js";
export { extractJson } from "./json-extract.js";
export type { JsonExtraction, JsonShape } from "./json-extract.js";
export { toModelJsonSchema, toSchemaName } from "./json-schema.js";
export type { ModelJsonSchema } from "./json-schema.js";
export { createRedactor, displayUrl } from "./model-errors.js";
export { createOpenAICompatibleModel } from "./openai-compatible.js";
export type { OpenAICompatibleModelOptions } from "./openai-compatible.js";
export { describeKeySetting, MODEL_PRESETS } from "./presets.js";
export type { ModelPreset } from "./presets.js";
export { generateStructured } from "./structured.js";
export { stripThinking } from "./think.js";
export { estimateUsage, readApiUsage } from "./usage.js";
