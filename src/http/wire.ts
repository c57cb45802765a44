import {
  INTERNAL_ERROR_CODE,
  seedErrorMessage,
  seedEventMessage,
  seedResultMessage,
  type RpcId,
} from "../core/events/seed-messages.js";
import type { JobError, JobRecord, JobSnapshot } from "../core/jobs/index.js";
import type { ReportResult } from "../core/result.js";
import { httpErrorPayload } from "./hint-advice.js";

export type { RpcId } from "../core/events/seed-messages.js";

/** One JSON-RPC 2.0 message of the seed's wire contract (SPEC §6). */
export type WireMessage = Record<string, unknown> & { jsonrpc: "2.0" };

/** JSON-RPC error codes used over HTTP. */
export const RPC_CODES = {
  parseError: -32700,
  invalidParams: -32602,
  internalError: INTERNAL_ERROR_CODE,
  sessionNotFound: -32001,
  serverError: -32000,
} as const;

/** SPEC §6.3: the final result message. */
export function resultMessage(id: RpcId, result: ReportResult): WireMessage {
  return seedResultMessage(id, result);
}

/** SPEC §6.4: a failed run. */
export function errorMessage(id: RpcId | null, error: JobError): WireMessage {
  return seedErrorMessage(id, httpErrorPayload(error));
}

/**
 * Maps one job record to its JSON-RPC message: `session/started`, a progress message (§6.1),
 * a model-usage message (§6.2), the final result (§6.3) or the error (§6.4).
 */
export function recordToMessage(
  record: JobRecord,
  snapshot: Pick<JobSnapshot, "id" | "task" | "request_id" | "start_time">,
): WireMessage {
  const requestId: RpcId = snapshot.request_id ?? 1;
  switch (record.kind) {
    case "started":
      return {
        jsonrpc: "2.0",
        method: "session/started",
        params: { session_id: snapshot.id, task: snapshot.task, timestamp: record.time },
      };
    case "event":
      return seedEventMessage(record.event);
    case "result":
      return resultMessage(requestId, record.result);
    case "error":
      return errorMessage(requestId, record.error);
  }
}

/** One SSE event: `id:` = the record's seq, `data:` = the JSON-RPC message on one line. */
export function sseFrame(
  record: JobRecord,
  snapshot: Pick<JobSnapshot, "id" | "task" | "request_id" | "start_time">,
): string {
  return `id: ${record.seq}\ndata: ${JSON.stringify(recordToMessage(record, snapshot))}\n\n`;
}

/** A JSON-RPC error body for HTTP-level failures (parse errors, invalid params, unknown session…). */
export function rpcErrorBody(options: {
  code: number;
  message: string;
  data?: Record<string, unknown>;
  id?: RpcId | null;
}): WireMessage {
  const error: Record<string, unknown> = { code: options.code, message: options.message };
  if (options.data) error["data"] = options.data;
  return { jsonrpc: "2.0", id: options.id ?? null, error };
}
