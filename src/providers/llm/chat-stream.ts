import { EventSourceParserStream } from "eventsource-parser/stream";
import type { ChatMessage } from "../../core/types.js";
import { VERSION } from "../../version.js";

/**
 * One streaming chat completion over an OpenAI-compatible API, with Node's `fetch` and
 * `eventsource-parser` (which the MCP SDK already installs) instead of the `openai` package
 * (20 MB installed for the one call report-mcp makes; retries, timeouts, size caps and error
 * messages are report-mcp's own either way, see chat-call.ts and model-errors.ts).
 */

/** `response_format` as the chat completions API takes it. */
export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null } };

/** The request body of a streamed chat completion (only the fields report-mcp sends). */
export type ChatCompletionBody = {
  model: string;
  messages: ChatMessage[];
  stream: true;
  stream_options?: { include_usage: boolean };
  temperature?: number | null;
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: ResponseFormat;
};

/** One streamed chunk, read leniently: every field may be missing. */
export type ChatChunk = {
  choices?: Array<{
    finish_reason?: string | null;
    delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown } | null;
  } | null> | null;
  usage?: unknown;
};

/** The API's explanation of an error: its `error` object (or whole body), as message and code. */
function explain(body: unknown, fallback: string): { detail: string; code: string } {
  const record = (value: unknown): Record<string, unknown> | null =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const outer = record(body);
  const inner = record(outer?.["error"]) ?? outer;
  const message = inner?.["message"] ?? (typeof outer?.["error"] === "string" ? outer["error"] : undefined);
  const code = [inner?.["type"], inner?.["code"]].filter((value) => typeof value === "string" || typeof value === "number").join(" ");
  if (typeof message === "string") return { detail: message, code };
  if (message !== undefined) return { detail: JSON.stringify(message), code };
  return { detail: outer ? JSON.stringify(body) : fallback, code };
}

/** The API answered with an HTTP error status (the body's explanation in `detail`). */
export class ChatHttpError extends Error {
  readonly status: number;
  readonly headers: Headers;
  /** The API's explanation (its error message, else the body as text); not yet redacted. */
  readonly detail: string;
  /** The error's `type` and `code`, when the body has them. */
  readonly code: string;
  constructor(status: number, headers: Headers, bodyText: string) {
    let body: unknown = null;
    try {
      body = JSON.parse(bodyText);
    } catch {
      // a plain-text or HTML error page: explained by its text
    }
    const { detail, code } = explain(body, bodyText.trim());
    super(`HTTP ${status}: ${detail || "no body"}`);
    this.name = "ChatHttpError";
    this.status = status;
    this.headers = headers;
    this.detail = detail;
    this.code = code;
  }
}

/** An error frame inside a reply stream (`{"error": …}` or an `event: error`): no HTTP status. */
export class ChatStreamError extends Error {
  readonly detail: string;
  readonly code: string;
  constructor(frame: unknown) {
    const { detail, code } = explain(frame, "an error frame without details");
    super(detail);
    this.name = "ChatStreamError";
    this.detail = detail;
    this.code = code;
  }
}

export type StreamChatOptions = {
  /** API root, e.g. https://api.openai.com/v1 (no trailing slash). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; null sends none (local servers need none). */
  apiKey: string | null;
  body: ChatCompletionBody;
  signal: AbortSignal;
  /** The fetch to use (report-mcp passes one that caps body sizes). */
  fetch: typeof fetch;
};

/**
 * Posts `body` to `{baseUrl}/chat/completions` and yields the reply's chunks as they arrive. Throws
 * ChatHttpError for an error status, ChatStreamError for an error frame, SyntaxError for a frame
 * that is not JSON, and whatever `fetch` or the body stream throws (network, abort, size cap).
 * A `[DONE]` frame ends the stream; a stream that ends without it ends all the same (the caller
 * checks `finish_reason`).
 */
export async function* streamChatCompletion(options: StreamChatOptions): AsyncGenerator<ChatChunk> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    "user-agent": `report-mcp/${VERSION}`,
  };
  if (options.apiKey) headers["authorization"] = `Bearer ${options.apiKey}`;
  const response = await options.fetch(`${options.baseUrl}/chat/completions`, {
    method: "POST",
    headers,
    body: JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) throw new ChatHttpError(response.status, response.headers, await response.text());
  if (!response.body) return;
  const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  try {
    for (;;) {
      const { done, value: event } = await reader.read();
      if (done) return;
      if (event.data.startsWith("[DONE]")) return;
      const frame: unknown = JSON.parse(event.data);
      if (event.event === "error") throw new ChatStreamError(frame);
      if (frame !== null && typeof frame === "object" && "error" in frame && (frame as { error: unknown }).error) throw new ChatStreamError(frame);
      if (frame !== null && typeof frame === "object") yield frame as ChatChunk;
    }
  } finally {
    // Stops reading (and the connection) when the caller leaves early or an error is thrown.
    await reader.cancel().catch(() => undefined);
  }
}
