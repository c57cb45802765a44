import { z } from "zod";
import { detectLanguage } from "./text/language.js";

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

/** The settings a hint may ask to raise (each face names its own knob for them). */
export const HINT_SETTINGS = ["timeout", "days", "budget", "max_model_calls", "max_prompt_tokens"] as const;
export type HintSetting = (typeof HINT_SETTINGS)[number];

/**
 * What the person can do about an error, as data: core messages say only what happened, and each
 * face (CLI, MCP, HTTP) renders the hint in its own terms (flags, tool arguments, body fields).
 * - `configure_search`: no search source (web search key or corpus folder) is configured.
 * - `raise_setting`: a wider `setting` may succeed; `value` is what this run used (seconds for
 *   `timeout`, days for `days`). `budget` is the run's `max_tokens` / `max_cost`; `max_model_calls`
 *   and `max_prompt_tokens` are the runaway guards.
 * - `set_price`: the price of `model` is needed (for `max_cost`) and not known.
 */
export const errorHintSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("configure_search") }),
  z.object({ kind: z.literal("raise_setting"), setting: z.enum(HINT_SETTINGS), value: z.number().optional() }),
  z.object({ kind: z.literal("set_price"), model: z.string() }),
]);
export type ErrorHint = z.infer<typeof errorHintSchema>;
export type HintKind = ErrorHint["kind"];

/**
 * How one face words each hint, in English and Chinese (the language of the message it follows).
 * A face declares `… satisfies HintAdvice`, so a new hint kind is a compile error until every face renders it.
 */
export type HintAdvice = {
  [Kind in HintKind]: (hint: Extract<ErrorHint, { kind: Kind }>, language: "zh" | "en") => string;
};

/** The message of an error with its hint rendered by one face (the message alone when there is no hint). */
export function messageWithHint(error: { message: string; hint?: ErrorHint | undefined }, advice: HintAdvice): string {
  const hint = error.hint;
  if (!hint) return error.message;
  const language = detectLanguage(error.message) === "zh" ? "zh" : "en";
  const text = renderHint(hint, advice, language);
  return language === "zh" ? `${error.message}${text}` : `${error.message} ${text}`;
}

function renderHint(hint: ErrorHint, advice: HintAdvice, language: "zh" | "en"): string {
  switch (hint.kind) {
    case "configure_search":
      return advice.configure_search(hint, language);
    case "raise_setting":
      return advice.raise_setting(hint, language);
    case "set_price":
      return advice.set_price(hint, language);
  }
}

export type ReportErrorOptions = {
  cause?: unknown;
  /** What the person can do about it (rendered by each face). */
  hint?: ErrorHint;
  /** True when trying the same call again may succeed (408/409/429/5xx, network errors). */
  retryable?: boolean;
  /** Server-suggested delay before a retry, from `retry-after`. */
  retryAfterMs?: number;
  /** HTTP status of the upstream response, when there was one. */
  status?: number;
};

/**
 * The one error type that crosses layer boundaries. `message` says what happened and, unless
 * `hint` says it as data for each face to render, what to do next; it never contains secrets.
 */
export class ReportError extends Error {
  readonly type: ErrorType;
  readonly isRetryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly hint: ErrorHint | undefined;

  constructor(type: ErrorType, message: string, options: ReportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ReportError";
    this.type = type;
    this.isRetryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.hint = options.hint;
  }

  toJSON(): { type: ErrorType; message: string } {
    return { type: this.type, message: this.message };
  }

  /** The error as a job records it: `{type, message}` plus the hint, if any (faces render it when they show the error). */
  toRecord(): { type: ErrorType; message: string; hint?: ErrorHint } {
    return this.hint ? { type: this.type, message: this.message, hint: this.hint } : this.toJSON();
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

/**
 * `no_search_source`: no web search key and no corpus folder. The message says what happened (in
 * Chinese for a Chinese task, else English); each face renders the `configure_search` hint.
 */
export function noSearchSourceError(language = "en"): ReportError {
  const message = /^zh\b/i.test(language)
    ? "没有配置任何检索来源（网络搜索密钥或本地资料文件夹），无法开展研究。"
    : "No search source (web search key or local corpus folder) is configured, so there is nothing to research.";
  return new ReportError("no_search_source", message, { hint: { kind: "configure_search" } });
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
