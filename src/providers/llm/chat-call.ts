import type OpenAI from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import type { ModelPresetName } from "./presets.js";
import { cancelledError, ReportError } from "../../core/errors.js";
import { withRetry, type RetryDelay } from "../http/retry.js";
import type { ChatMessage, ModelCallGate, ModelUsage } from "../../core/types.js";
import {
  type CallFailure,
  describeFailure,
  failureToReportError,
  isParameterRejection,
  TruncatedStreamError,
} from "./model-errors.js";
import { estimateUsage, readApiUsage } from "./usage.js";
import { estimateTokens } from "../../core/text/tokens.js";

/** Everything one model instance needs to make calls. */
export type ChatConnection = {
  client: OpenAI;
  provider: ModelPresetName;
  model: string;
  baseUrl: string;
  /** Limit for one HTTP call, streaming included. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, timeouts, network errors). */
  maxRetries: number;
  /** First backoff delay; doubles per retry up to 8 s, unless the server sends `retry-after`. */
  retryBaseDelayMs: number;
  /** Waits between retries (abortable). */
  retryDelay: RetryDelay;
  /** Parameter name for the output limit (OpenAI's newer models want `max_completion_tokens`). */
  tokenParameter: "max_tokens" | "max_completion_tokens";
  redact: (text: string) => string;
};

export type ResponseFormat = NonNullable<ChatCompletionCreateParamsStreaming["response_format"]>;

export type ChatCallRequest = {
  messages: ChatMessage[];
  signal: AbortSignal;
  maxOutputTokens?: number;
  temperature?: number;
  responseFormat?: ResponseFormat;
  /** Called once after the HTTP call succeeded, with the API's or an estimated usage. */
  onUsage: (usage: ModelUsage) => void | Promise<void>;
  /** The run's budget: admits every attempt (retries included) and may lower its output limit. */
  gate?: ModelCallGate | undefined;
};

/** Raw reply of one call: `text` may still contain `<think>`; `reasoning` is `reasoning_content`. */
export type ChatCallResult = { text: string; reasoning: string; usage: ModelUsage };

/** The API rejected the requested `response_format` (a 400/422 naming it): try the next mode. */
export class ResponseFormatRejectedError extends ReportError {
  readonly failure: CallFailure;
  constructor(message: string, failure: CallFailure) {
    super("model_call_failed", message, { cause: failure.cause, status: failure.status });
    this.failure = failure;
  }
}

const FORMAT_REJECTION =
  /response_format|json_schema|json_object|schema|structured|guided|format|not supported|unsupported/i;
const MAX_BACKOFF_MS = 8_000;
/** A `retry-after` longer than this is not waited for: the call fails and says so. */
const MAX_RETRY_WAIT_MS = 60_000;

/**
 * Makes one streaming chat completion, retrying transient failures (429 with `retry-after`,
 * 5xx, timeouts, network errors) with abortable backoff. Drops request parameters the API
 * rejects by name (`stream_options`, `temperature`, `max_tokens`). Throws ReportErrors:
 * `cancelled` when `signal` fires (no request is made after that), `model_call_failed` otherwise,
 * and ResponseFormatRejectedError when the API refuses `responseFormat`.
 */
export async function callChat(connection: ChatConnection, request: ChatCallRequest): Promise<ChatCallResult> {
  const { signal } = request;
  const adjust = {
    streamUsage: true,
    temperature: request.temperature !== undefined,
    tokenParameter: connection.tokenParameter,
  };
  return withRetry({
    signal,
    maxRetries: connection.maxRetries,
    baseDelayMs: connection.retryBaseDelayMs,
    maxBackoffMs: MAX_BACKOFF_MS,
    maxDelayMs: MAX_RETRY_WAIT_MS,
    delay: connection.retryDelay,
    run: async (attempt) => {
      const result = await attemptAdjusting(connection, request, adjust, attempt);
      await request.onUsage(result.usage);
      return result;
    },
  });
}

/**
 * One try of the call (`attempt` counts tries, for the error message). A parameter the API rejects
 * by name is dropped and the request sent again within the same try; any other failure is thrown
 * as a ReportError whose `retryable` / `retryAfterMs` tell withRetry whether and when to try again.
 */
async function attemptAdjusting(
  connection: ChatConnection,
  request: ChatCallRequest,
  adjust: Adjustments,
  attempt: number,
): Promise<ChatCallResult> {
  const { signal } = request;
  for (;;) {
    const ticket = request.gate?.({ messages: request.messages, maxOutputTokens: request.maxOutputTokens });
    const admitted = ticket ? { ...request, maxOutputTokens: ticket.maxOutputTokens } : request;
    const outcome = await attemptOnce(connection, admitted, adjust, ticket !== undefined);
    ticket?.settle(outcome.ok ? outcome.result.usage : null);
    if (outcome.ok) return outcome.result;
    if (signal.aborted) throw cancelledError(signal.reason);
    const failure = describeFailure(outcome.error, { timedOut: outcome.timedOut, redact: connection.redact });
    const context = { ...connection, attempts: attempt };

    if (
      request.responseFormat &&
      isParameterRejection(failure, FORMAT_REJECTION) &&
      !/stream_options|temperature|max_tokens/i.test(failure.detail)
    ) {
      throw new ResponseFormatRejectedError(failureToReportError(failure, context).message, failure);
    }
    if (adjust.streamUsage && isParameterRejection(failure, /stream_options|include_usage/i)) {
      adjust.streamUsage = false;
      continue;
    }
    if (adjust.temperature && isParameterRejection(failure, /temperature/i)) {
      adjust.temperature = false;
      continue;
    }
    if (
      adjust.tokenParameter === "max_tokens" &&
      request.maxOutputTokens !== undefined &&
      isParameterRejection(failure, /max_tokens/i)
    ) {
      adjust.tokenParameter = "max_completion_tokens";
      continue;
    }
    throw failureToReportError(failure, context);
  }
}

type Adjustments = {
  streamUsage: boolean;
  temperature: boolean;
  tokenParameter: "max_tokens" | "max_completion_tokens";
};
type AttemptOutcome = { ok: true; result: ChatCallResult } | { ok: false; error: unknown; timedOut: boolean };

/**
 * One HTTP call. With `capOutput`, a reply that runs past its output limit (a model that ignores
 * `max_tokens`) is cut off locally once its counted tokens pass the limit: it is returned as it
 * stands, with its usage counted locally, so a budget holds whatever the model does.
 */
async function attemptOnce(
  connection: ChatConnection,
  request: ChatCallRequest,
  adjust: Adjustments,
  capOutput = false,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error("model call timed out"));
  }, connection.timeoutMs);
  const forwardAbort = () => controller.abort(request.signal.reason);
  request.signal.addEventListener("abort", forwardAbort, { once: true });
  try {
    const params: ChatCompletionCreateParamsStreaming = {
      model: connection.model,
      messages: request.messages,
      stream: true,
      ...(adjust.streamUsage ? { stream_options: { include_usage: true } } : {}),
      ...(adjust.temperature ? { temperature: request.temperature ?? null } : {}),
      ...(request.maxOutputTokens === undefined ? {} : { [adjust.tokenParameter]: request.maxOutputTokens }),
      ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
    };
    const stream = await connection.client.chat.completions.create(params, {
      signal: controller.signal,
      maxRetries: 0,
      timeout: connection.timeoutMs,
    });
    let text = "";
    let reasoning = "";
    let apiUsage: unknown = null;
    let chunks = 0;
    let finished = false;
    let outputTokens = 0;
    const outputCap = capOutput ? request.maxOutputTokens : undefined;
    for await (const chunk of stream) {
      chunks += 1;
      if (chunk.choices?.[0]?.finish_reason) finished = true;
      const delta = chunk.choices?.[0]?.delta;
      if (delta) {
        const piece = delta.content ?? "";
        text += piece;
        let thought = "";
        if ("reasoning_content" in delta && typeof delta.reasoning_content === "string")
          thought = delta.reasoning_content;
        else if ("reasoning" in delta && typeof delta.reasoning === "string") thought = delta.reasoning;
        reasoning += thought;
        if (outputCap !== undefined) {
          outputTokens += estimateTokens(piece) + estimateTokens(thought);
          if (outputTokens >= outputCap) {
            // Over its limit: stop reading (closing the stream stops the provider's generation too).
            controller.abort(new Error("reply passed its output limit"));
            return {
              ok: true,
              result: {
                text,
                reasoning,
                usage: estimateUsage({ messages: request.messages, output: reasoning + text }),
              },
            };
          }
        }
      }
      if (chunk.usage) apiUsage = chunk.usage;
    }
    // The SDK ends a stream quietly when its signal fires, so a cut-off reply looks complete here.
    if (controller.signal.aborted) return { ok: false, error: controller.signal.reason, timedOut };
    if (chunks === 0) {
      return {
        ok: false,
        error: new Error("the API answered without any stream events (does it support `stream: true`?)"),
        timedOut: false,
      };
    }
    if (!finished && text !== "") {
      // The connection closed mid-reply (no finish_reason): a cut-off text must not pass as complete.
      return { ok: false, error: new TruncatedStreamError(), timedOut: false };
    }
    const usage = readApiUsage(apiUsage) ?? estimateUsage({ messages: request.messages, output: reasoning + text });
    return { ok: true, result: { text, reasoning, usage } };
  } catch (error) {
    return { ok: false, error, timedOut };
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", forwardAbort);
  }
}
