/** The documented error vocabulary of SPEC §6.4 (`data.type`). */
export const ERROR_TYPES = [
  "invalid_params",
  "parse_error",
  "session_not_found",
  "no_search_source",
  "search_failed",
  "model_call_failed",
  "model_output_invalid",
  "report_generation_failed",
  "cancelled",
  "interrupted",
  "rate_limited",
  "too_many_sessions",
  "insufficient_evidence",
  "budget_exceeded",
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export type ReportErrorOptions = {
  cause?: unknown;
  /** True when trying the same call again may succeed (408/409/429/5xx, network errors). */
  retryable?: boolean;
  /** Server-suggested delay before a retry, from `retry-after`. */
  retryAfterMs?: number;
  /** HTTP status of the upstream response, when there was one. */
  status?: number;
};

/**
 * The one error type that crosses layer boundaries. `message` says what happened and what to
 * do next; it never contains secrets.
 */
export class ReportError extends Error {
  readonly type: ErrorType;
  readonly isRetryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(type: ErrorType, message: string, options: ReportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ReportError";
    this.type = type;
    this.isRetryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }

  toJSON(): { type: ErrorType; message: string } {
    return { type: this.type, message: this.message };
  }
}

/** Whether an HTTP status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Parses a `retry-after` header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The error a cancelled run ends with. */
export function cancelledError(reason?: unknown): ReportError {
  if (reason instanceof ReportError) return reason;
  return new ReportError("cancelled", "The report was cancelled before it finished; no further work was done.", {
    cause: reason,
  });
}

/** Throws the run's cancellation error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal.reason);
}

/** Converts anything thrown into a ReportError, keeping ReportErrors as they are. */
export function toReportError(error: unknown, fallbackType: ErrorType = "report_generation_failed"): ReportError {
  if (error instanceof ReportError) return error;
  if (error instanceof Error && error.name === "AbortError") return cancelledError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new ReportError(fallbackType, message, { cause: error });
}
