import { setTimeout as sleep } from "node:timers/promises";
import { ReportError, cancelledError, throwIfAborted, type ErrorType } from "../../core/errors.js";

/**
 * A failure worth retrying (429, 5xx, timeout, network). `reason` is the short cause
 * ("HTTP 500", "timed out after 20 s") and `label` names the call ("Brave search"), so that
 * when retries run out the final message reads "Brave search failed (HTTP 500 after 3 tries)".
 */
export class TransientCallError extends ReportError {
  readonly label: string;
  readonly reason: string;

  constructor(options: {
    type: ErrorType;
    label: string;
    reason: string;
    status?: number;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(options.type, `${options.label} failed (${options.reason}).`, {
      retryable: true,
      status: options.status,
      retryAfterMs: options.retryAfterMs,
      cause: options.cause,
    });
    this.name = "TransientCallError";
    this.label = options.label;
    this.reason = options.reason;
  }
}

export type RetryOptions<T> = {
  /** One attempt; `attempt` counts from 1. */
  run: (attempt: number) => Promise<T>;
  signal: AbortSignal;
  /** Retries after the first try; default 2 (three tries in all). */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, up to `maxBackoffMs`, less up to a quarter of jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest backoff between tries when the server names no `retry-after`. Default `maxDelayMs`. */
  maxBackoffMs?: number;
  /** Longest delay waited; a `retry-after` beyond it ends the retries. Default 20 s. */
  maxDelayMs?: number;
  /** Random source in [0, 1) for jitter (tests may fix it). */
  random?: () => number;
  /** Waits between tries; default `abortableDelay` (a timer). See RetryDelay. */
  delay?: RetryDelay;
};

/**
 * Waits `ms` before the next try, rejecting with the `cancelled` error when `signal` aborts.
 * The default is `abortableDelay`; an embedder (or a test) may pass its own clock, e.g. one
 * that records the wait and resolves at once.
 */
export type RetryDelay = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * Runs `run`, retrying ReportErrors marked retryable with exponential backoff and jitter,
 * honouring `retryAfterMs` (from `retry-after`). Delays are abortable; an abort ends with the
 * `cancelled` error. Non-retryable errors are rethrown at once. When retries run out, a
 * TransientCallError is rethrown as a ReportError saying how many tries were made.
 */
export async function withRetry<T>(options: RetryOptions<T>): Promise<T> {
  const {
    run,
    signal,
    maxRetries = 2,
    baseDelayMs = 500,
    maxDelayMs = 20_000,
    maxBackoffMs = maxDelayMs,
    random = Math.random,
    delay = abortableDelay,
  } = options;
  for (let attempt = 1; ; attempt += 1) {
    throwIfAborted(signal);
    try {
      return await run(attempt);
    } catch (error) {
      if (signal.aborted) throw cancelledError(signal.reason);
      if (!(error instanceof ReportError) || !error.isRetryable) throw error;
      const backoff = Math.min(maxBackoffMs, baseDelayMs * 2 ** (attempt - 1)) * (1 - random() * 0.25);
      const wait = error.retryAfterMs ?? backoff;
      if (attempt > maxRetries || wait > maxDelayMs) throw exhausted(error, attempt);
      await delay(wait, signal);
    }
  }
}

function exhausted(error: ReportError, attempts: number): ReportError {
  if (!(error instanceof TransientCallError)) return error;
  const tries = attempts === 1 ? "1 try" : `${attempts} tries`;
  return new ReportError(error.type, `${error.label} failed (${error.reason} after ${tries}).`, {
    cause: error,
    status: error.status,
    retryable: true,
  });
}

/** Waits `ms`, rejecting with the `cancelled` error as soon as `signal` aborts. */
export async function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw cancelledError(signal.reason);
    throw error;
  }
}
