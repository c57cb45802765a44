import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ModelPresetName } from "./presets.js";
import { isRetryableStatus, parseRetryAfter, ReportError } from "../../core/errors.js";
import { BodyTooLargeError } from "../http/read-capped.js";
import { describeKeySetting } from "./presets.js";

/** Why one HTTP call to the model API failed, before deciding whether to retry. */
export type CallFailure = {
  kind: "timeout" | "connection" | "http" | "stream";
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  /** Upstream explanation, secrets redacted, shortened. */
  detail: string;
  cause: unknown;
};

/** Where a call went, for messages that tell the user what to check. */
export type CallContext = {
  provider: ModelPresetName;
  model: string;
  baseUrl: string;
  attempts: number;
  timeoutMs: number;
};

const MAX_DETAIL_LENGTH = 300;

/** Error-frame types and codes that say the request is at fault: retrying the same request cannot help. */
const REQUEST_FAULT =
  /invalid_request|context_length|too many tokens|maximum context|content_filter|content_policy|safety|authentication|permission|unauthori[sz]ed|insufficient_quota|billing|not_found|model_not_found|invalid_api_key/i;

/** A reply stream that ended without a `finish_reason`: the connection was cut mid-reply (retried). */
export class TruncatedStreamError extends Error {
  constructor() {
    super("the reply stream ended before the model finished (no finish_reason; the connection was cut)");
    this.name = "TruncatedStreamError";
  }
}

/** Classifies an error thrown by the `openai` client (the caller handles cancellation first). */
export function describeFailure(
  error: unknown,
  options: { timedOut: boolean; redact: (text: string) => string },
): CallFailure {
  const { timedOut, redact } = options;
  if (timedOut || error instanceof APIConnectionTimeoutError) {
    return { kind: "timeout", retryable: true, detail: "no answer in time", cause: error };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    return {
      kind: "http",
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: retryAfterOf(error.headers),
      detail: shorten(redact(upstreamMessage(error))),
      cause: error,
    };
  }
  if (error instanceof APIConnectionError) {
    // Includes APIConnectionTimeoutError: no response reached us.
    const cause = error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
    return { kind: "connection", retryable: true, detail: shorten(redact(cause)), cause: error };
  }
  if (error instanceof APIError) {
    // An error frame inside a stream (no HTTP status): an overloaded or failing upstream, retried
    // like a 5xx — unless the frame says the request itself is at fault.
    const detail = shorten(redact(upstreamMessage(error)));
    return { kind: "stream", retryable: !REQUEST_FAULT.test(`${frameCode(error)} ${detail}`), detail, cause: error };
  }
  if (error instanceof TruncatedStreamError)
    return { kind: "stream", retryable: true, detail: error.message, cause: error };
  if (error instanceof BodyTooLargeError)
    return { kind: "stream", retryable: false, detail: error.message, cause: error };
  if (error instanceof SyntaxError) {
    // A reply frame that is not JSON (a proxy cutting the stream, a garbled chunk): try again.
    return { kind: "stream", retryable: true, detail: "a reply frame was not valid JSON", cause: error };
  }
  const message = error instanceof Error ? error.message : String(error);
  const networkish = error instanceof TypeError || /socket|ECONN|terminated|network|fetch failed/i.test(message);
  return {
    kind: networkish ? "connection" : "stream",
    retryable: networkish,
    detail: shorten(redact(message)),
    cause: error,
  };
}

/** Whether a failed call rejected a request parameter (e.g. `response_format`) rather than the model or key. */
export function isParameterRejection(failure: CallFailure, pattern: RegExp): boolean {
  return failure.kind === "http" && (failure.status === 400 || failure.status === 422) && pattern.test(failure.detail);
}

/** Turns a final call failure into the ReportError the pipeline sees, telling the user what to check. */
export function failureToReportError(failure: CallFailure, context: CallContext): ReportError {
  const { provider, model, attempts } = context;
  const where = displayUrl(context.baseUrl);
  const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  const options = {
    cause: failure.cause,
    retryable: failure.retryable,
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    ...(failure.status === undefined ? {} : { status: failure.status }),
  };
  const fail = (message: string) => new ReportError("model_call_failed", message, options);
  const status = failure.status;

  if (failure.kind === "timeout") {
    const seconds = Math.round(context.timeoutMs / 100) / 10;
    return fail(
      `The model API of ${provider} (${where}) did not answer within ${seconds} s (${tries}). ` +
        `Check that the service is up and reachable, or try again later.`,
    );
  }
  if (failure.kind === "connection") {
    return fail(
      `Could not reach the model API of ${provider} at ${where} (${failure.detail}; ${tries}). ` +
        "Check the base URL (OPENAI_BASE_URL / `report-mcp config set baseUrl`) and that the service is running.",
    );
  }
  if (failure.kind === "stream" || status === undefined) {
    return fail(
      `The model API of ${provider} reported an error for model "${model}" (${tries}): ${failure.detail}. Try again, or try another model.`,
    );
  }
  if (status === 401 || status === 403) {
    return fail(
      `The model API rejected the key for ${provider} (HTTP ${status}). Check ${describeKeySetting(provider)}.`,
    );
  }
  if (status === 404) {
    return fail(
      `The model "${model}" is not known to ${provider} at ${where} (HTTP 404). ` +
        "Check the model name (REPORT_MCP_MODEL / `report-mcp config set model`) and that the base URL is the API root (e.g. …/v1).",
    );
  }
  if (status === 429) {
    const asked =
      failure.retryAfterMs === undefined ? "" : ` It asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s.`;
    return fail(
      `The model API of ${provider} is rate-limiting requests (HTTP 429, ${tries}): ${failure.detail}.${asked} ` +
        "Wait a little and try again, or check your plan's rate limits.",
    );
  }
  if (status >= 500 || status === 408 || status === 409) {
    return fail(
      `The model API of ${provider} failed with HTTP ${status} (${tries}): ${failure.detail}. ` +
        `The service may be down; try again later and check the base URL ${where}.`,
    );
  }
  return fail(
    `The model API of ${provider} rejected the request for model "${model}" (HTTP ${status}): ${failure.detail}. ` +
      "Check the model name and what this provider supports.",
  );
}

/** Shows a base URL without credentials or query string. */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, "")}`;
  } catch {
    return "(invalid base URL)";
  }
}

/** Builds a function that removes the API key and key-like tokens from upstream text. */
export function createRedactor(apiKey: string | null): (text: string) => string {
  return (text) => {
    let result = apiKey ? text.split(apiKey).join("[redacted]") : text;
    result = result.replace(/\b(sk|ak|key)-[A-Za-z0-9_*-]{6,}/gi, "[redacted]");
    return result.replace(/Bearer\s+\S+/gi, "Bearer [redacted]");
  };
}

/** The `type` and `code` of an error frame's `error` object, when it has them. */
function frameCode(error: APIError): string {
  const body = error.error;
  if (!body || typeof body !== "object") return "";
  const fields = body as Record<string, unknown>;
  return [fields["type"], fields["code"]]
    .filter((value) => typeof value === "string" || typeof value === "number")
    .join(" ");
}

function upstreamMessage(error: APIError): string {
  const body = error.error;
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
  return describeHtml(error.message.replace(/^\d{3}\s+/, ""));
}

/** An HTML error page (a proxy's 502, a web server at the wrong URL) as its title, not its markup. */
function describeHtml(text: string): string {
  if (!/^\s*(<!doctype html|<html|<head|<body)/i.test(text)) return text;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1];
  return title?.trim()
    ? `an HTML page "${title.trim()}" instead of an API reply`
    : "an HTML page instead of an API reply";
}

function retryAfterOf(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  return parseRetryAfter(headers?.get("retry-after"));
}

function shorten(text: string): string {
  const single = text.replace(/\s+/g, " ").trim();
  return single.length > MAX_DETAIL_LENGTH ? `${single.slice(0, MAX_DETAIL_LENGTH)}…` : single || "no details";
}
