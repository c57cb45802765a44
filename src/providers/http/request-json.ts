import { ReportError, cancelledError, isRetryableStatus, parseRetryAfter, type ErrorType } from "../../core/errors.js";
import { formatBytes, readAllCapped } from "./read-capped.js";
import { TransientCallError } from "./retry.js";
import { networkReason } from "./network-reason.js";

/** Default cap on a JSON answer: search APIs answer in tens of kilobytes. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;

export type JsonResponse = {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
};

export type RequestJsonOptions = {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** JSON-serialised as the request body. */
  body?: unknown;
  /** Per-request time limit. */
  timeoutMs: number;
  signal: AbortSignal;
  /** Names the call in error messages, e.g. "Brave search". */
  label: string;
  /** Error type of failures; default `search_failed`. */
  errorType?: ErrorType;
  /** Largest body read; a larger one fails the call (not retried). Default 8 MiB. */
  maxBytes?: number;
};

/**
 * One HTTP request returning status, headers and parsed JSON. It does not throw on HTTP
 * status (see `statusError`); it throws a retryable TransientCallError on network failure or
 * timeout, and the `cancelled` error when `signal` aborts. Messages never contain the URL
 * (it may carry an API key).
 */
export async function requestJson(options: RequestJsonOptions): Promise<JsonResponse> {
  const {
    url,
    method = "GET",
    headers = {},
    body,
    timeoutMs,
    signal,
    label,
    errorType = "search_failed",
    maxBytes = MAX_JSON_BYTES,
  } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  let bytes: Uint8Array | null;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: combined,
    });
    bytes = await readAllCapped(response.body, maxBytes);
  } catch (error) {
    if (signal.aborted) throw cancelledError(signal.reason);
    if (timeout.aborted) {
      throw new TransientCallError({
        type: errorType,
        label,
        reason: `no answer within ${formatSeconds(timeoutMs)}`,
        cause: error,
      });
    }
    throw new TransientCallError({
      type: errorType,
      label,
      reason: `network error: ${networkReason(error)}`,
      cause: error,
    });
  }
  if (bytes === null) {
    throw new ReportError(
      errorType,
      `${label} sent an answer larger than ${formatBytes(maxBytes)}; check that its base URL points at the real API.`,
      {
        status: response.status,
      },
    );
  }
  return { status: response.status, headers: response.headers, body: parseJson(new TextDecoder().decode(bytes)) };
}

/**
 * The error for a non-2xx status, or null for 2xx. 401/403 are not retryable and tell the
 * user which setting to check (`credentialHint`, e.g. "BRAVE_API_KEY"); 408/409/429/5xx are
 * retryable (honouring `retry-after`); anything else is a plain failure. `detail` (from the
 * provider's error body) is shortened and has every `secrets` value removed.
 */
export function statusError(options: {
  label: string;
  status: number;
  headers: Headers;
  credentialHint: string;
  detail?: string | null;
  secrets?: string[];
  errorType?: ErrorType;
  /** Retry delay to use when the response has no `retry-after` (e.g. from rate-limit headers). */
  retryAfterMs?: number;
}): ReportError | null {
  const { label, status, headers, credentialHint, errorType = "search_failed" } = options;
  if (status >= 200 && status < 300) return null;
  const detail = cleanDetail(options.detail, options.secrets ?? []);
  if (status === 401 || status === 403) return authError({ label, status, credentialHint, errorType });
  if (isRetryableStatus(status)) {
    return new TransientCallError({
      type: errorType,
      label,
      reason: `HTTP ${status}`,
      status,
      retryAfterMs: parseRetryAfter(headers.get("retry-after")) ?? options.retryAfterMs,
    });
  }
  return new ReportError(errorType, `${label} failed (HTTP ${status}${detail ? `: ${detail}` : ""}).`, { status });
}

/** The non-retryable "key rejected" error naming the setting to check, never the key. */
export function authError(options: {
  label: string;
  status?: number;
  credentialHint: string;
  errorType?: ErrorType;
}): ReportError {
  const { label, status, credentialHint, errorType = "search_failed" } = options;
  const code = status === undefined ? "" : ` (HTTP ${status})`;
  return new ReportError(
    errorType,
    `${label} rejected the API key${code}: check ${credentialHint} — it is missing, invalid, expired or not allowed to use this API.`,
    { status, retryable: false },
  );
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function cleanDetail(detail: string | null | undefined, secrets: string[]): string {
  if (!detail) return "";
  let text = detail.replace(/\s+/g, " ").trim();
  for (const secret of secrets) if (secret) text = text.split(secret).join("***");
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** "20 s", "1.5 s". */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
