import type { JobError } from "../jobs/types.js";
import type { ReportResult } from "../result.js";
import type { ModelUsageEvent, PipelineEvent, ProgressDetails, ProgressStatus } from "./index.js";

/**
 * The seed's four wire messages (SPEC §6.1–6.4), built in one place for every face: the MCP
 * notifier sends the notifications, the SSE stream and the session API wrap them in JSON-RPC
 * envelopes. Their bytes are a contract with existing clients (test/golden pins them): key
 * order included, so fields are written in the order below.
 */

/** A JSON-RPC request id as echoed in final messages (SPEC §6.3: the body's `id`, else 1). */
export type RpcId = string | number;

/** The JSON-RPC code of a failed run (SPEC §6.4). */
export const INTERNAL_ERROR_CODE = -32603;

/** `msg` of a §6.1 progress message, discriminated on `status`; `details` is `{}` when the event has none. */
export type SeedProgressMsg = {
  [Status in ProgressStatus]: {
    status: Status;
    message: string;
    details: NonNullable<ProgressDetails<Status>> | Record<string, never>;
  };
}[ProgressStatus];

/** `data` of a §6.1 progress message. */
export type SeedProgressData = { msg: SeedProgressMsg };

/** `data` of a §6.2 model-usage message; `estimated` only when tokens were counted locally, `cost` only when the price is known. */
export type SeedUsageData = {
  msg: {
    type: "model_usage";
    data: {
      model_provider: string;
      model_name: string;
      input_tokens: number;
      output_tokens: number;
      estimated?: true;
      cost?: { amount: number; currency: string };
    };
  };
};

/**
 * `params` of the `notifications/message` for one event. `logger` is set by MCP (which names
 * the sender) and absent over SSE, as the seed's examples show. `extra: null` belongs to the
 * §6.1 progress shape only; the §6.2 usage shape has none.
 */
export type SeedMessageParams =
  | { level: "info" | "warning"; logger?: string; data: SeedProgressData; extra: null }
  | { level: "info"; logger?: string; data: SeedUsageData };

/** The `notifications/message` of one event (§6.1 progress or §6.2 model usage), without the JSON-RPC envelope. */
export function seedNotification(
  event: PipelineEvent,
  options: { logger?: string } = {},
): { method: "notifications/message"; params: SeedMessageParams } {
  const logger = options.logger === undefined ? {} : { logger: options.logger };
  if (event.type === "model_usage") {
    return {
      method: "notifications/message",
      params: { level: "info", ...logger, data: { msg: { type: "model_usage", data: usageData(event) } } },
    };
  }
  return {
    method: "notifications/message",
    params: {
      level: event.status === "warning" ? "warning" : "info",
      ...logger,
      // One member of the status union; TS does not correlate `status` and `details` across it.
      data: { msg: { status: event.status, message: event.message, details: event.details ?? {} } as SeedProgressMsg },
      extra: null,
    },
  };
}

function usageData(event: ModelUsageEvent): SeedUsageData["msg"]["data"] {
  return {
    model_provider: event.model_provider,
    model_name: event.model_name,
    input_tokens: event.input_tokens,
    output_tokens: event.output_tokens,
    ...(event.estimated ? { estimated: true as const } : {}),
    ...(event.cost === undefined ? {} : { cost: event.cost }),
  };
}

/** §6.1/§6.2 as a JSON-RPC message (SSE frames, the session API's `messages`). */
export function seedEventMessage(event: PipelineEvent) {
  return { jsonrpc: "2.0" as const, ...seedNotification(event) };
}

/** §6.3: the final result message. */
export function seedResultMessage(id: RpcId, result: ReportResult) {
  return {
    jsonrpc: "2.0" as const,
    id,
    result: {
      content: [{ type: "text" as const, text: JSON.stringify(result) }],
      structuredContent: result,
      isError: false as const,
    },
  };
}

/** §6.4: a failed run. */
export function seedErrorMessage(id: RpcId | null, error: JobError) {
  return {
    jsonrpc: "2.0" as const,
    id,
    error: { code: INTERNAL_ERROR_CODE, message: "Internal error" as const, data: error },
  };
}
