/**
 * How structured output is requested, best first:
 * - `json_schema`: `response_format: {type: "json_schema"}` with the schema;
 * - `json_object`: `response_format: {type: "json_object"}`, the schema in the prompt;
 * - `prompt`: no `response_format`, the schema in the prompt, JSON extracted from the text.
 */
export type ResponseFormatMode = "json_schema" | "json_object" | "prompt";

/** The fallback order of structured-output modes. */
export const RESPONSE_FORMAT_MODES: readonly ResponseFormatMode[] = ["json_schema", "json_object", "prompt"];

/** Which API a model is served from, as far as structured-output support goes. */
export type ModelEndpoint = { provider: string; model: string; baseUrl: string };

/**
 * Remembers, per provider + model (+ base URL), which structured-output mode the API accepted,
 * so later calls start there instead of being rejected again. Create one per process (or per
 * runtime) and pass it to every model built from it; it holds no global state.
 */
export class ResponseFormatMemory {
  readonly #modes = new Map<string, ResponseFormatMode>();

  /** The mode that last worked for this endpoint, if any. */
  get(endpoint: ModelEndpoint): ResponseFormatMode | undefined {
    return this.#modes.get(keyOf(endpoint));
  }

  /** Records that the endpoint accepted `mode`. */
  set(endpoint: ModelEndpoint, mode: ResponseFormatMode): void {
    this.#modes.set(keyOf(endpoint), mode);
  }

  /** Forgets what was learnt (e.g. after the user switched the provider's configuration). */
  clear(): void {
    this.#modes.clear();
  }
}

function keyOf(endpoint: ModelEndpoint): string {
  return `${endpoint.provider}\u0000${endpoint.baseUrl}\u0000${endpoint.model}`;
}
