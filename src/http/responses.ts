import type { Context } from "hono";
import { ReportError } from "../core/errors.js";
import type { JobRegistry, JobSnapshot } from "../core/jobs/index.js";
import type { z } from "zod";
import { httpErrorPayload } from "./hint-advice.js";
import type { sessionSchema } from "./openapi.js";
import { parseJson, type BodyProblem } from "./schemas.js";
import { readBodyText } from "./security.js";
import { RPC_CODES, recordToMessage, rpcErrorBody, type RpcId } from "./wire.js";

/**
 * 400 with a JSON-RPC `-32700` (parse_error) or `-32602` (invalid_params) error naming the fields;
 * `id` echoes the request's id when it had a readable one.
 */
export function badRequest(c: Context, problem: BodyProblem, id: RpcId | null = null): Response {
  const code = problem.type === "parse_error" ? RPC_CODES.parseError : RPC_CODES.invalidParams;
  const message = problem.type === "parse_error" ? "Parse error" : "Invalid params";
  const data: Record<string, unknown> = { type: problem.type, message: problem.message };
  if (problem.fields.length > 0) data["fields"] = problem.fields;
  return c.json(rpcErrorBody({ code, message, data, id }), 400);
}

/** 404 for an unknown session id. */
export function sessionNotFound(c: Context, id: string): Response {
  const message = `No session "${id}" exists on this server (it may have been pruned). List sessions at GET /mcp/streaming/sessions or start a new report.`;
  return c.json(
    rpcErrorBody({
      code: RPC_CODES.sessionNotFound,
      message: "Session not found",
      data: { type: "session_not_found", message },
    }),
    404,
  );
}

/** 413 for a body over the cap. */
export function payloadTooLarge(c: Context, maxBytes: number): Response {
  const message = `The request body is larger than ${maxBytes} bytes; send a shorter task or outline.`;
  return c.json(
    rpcErrorBody({
      code: RPC_CODES.invalidParams,
      message: "Payload too large",
      data: { type: "invalid_params", message },
    }),
    413,
  );
}

/** Maps an error thrown while starting a job (429 too_many_sessions, 400 invalid_params, …); `id` is the request's. */
export function startFailed(c: Context, error: unknown, id: RpcId | null = null): Response {
  if (error instanceof ReportError && error.type === "too_many_sessions") {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 5000) / 1000));
    c.header("Retry-After", String(seconds));
    return c.json(
      rpcErrorBody({ code: RPC_CODES.serverError, message: "Too many sessions", data: error.toJSON(), id }),
      429,
    );
  }
  if (error instanceof ReportError && error.type === "invalid_params") {
    return badRequest(c, { type: "invalid_params", message: error.message, fields: [] }, id);
  }
  if (error instanceof ReportError && error.type === "interrupted") {
    if (error.status === 503) return serviceUnavailable(c, error, id);
    return c.json(
      rpcErrorBody({ code: RPC_CODES.serverError, message: "Shutting down", data: error.toJSON(), id }),
      503,
    );
  }
  throw error;
}

/** 503 with `Retry-After` for a store that is away for now (the Redis of `serve --redis`). */
export function serviceUnavailable(c: Context, error: ReportError, id: RpcId | null = null): Response {
  c.header("Retry-After", String(Math.max(1, Math.ceil((error.retryAfterMs ?? 2000) / 1000))));
  return c.json(
    rpcErrorBody({ code: RPC_CODES.serverError, message: "Service unavailable", data: error.toJSON(), id }),
    503,
  );
}

/**
 * Reads and parses a JSON body (capped by the app's `bodyCap`). An empty body counts as `{}` when
 * `emptyAsObject`. Returns the value or a finished error Response.
 */
export async function readJsonBody(
  c: Context,
  options: { emptyAsObject?: boolean } = {},
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const text = await readBodyText(c.req.raw);
  if (text === null) {
    const message =
      "The request body is not valid UTF-8; send the JSON encoded as UTF-8 (with Content-Type: application/json; charset=utf-8).";
    return { ok: false, response: badRequest(c, { type: "parse_error", message, fields: [] }) };
  }
  if (text.trim() === "" && options.emptyAsObject) return { ok: true, value: {} };
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, response: badRequest(c, parsed.problem) };
  return parsed;
}

/** The fields every view of a session starts with. */
function sessionHead(snapshot: JobSnapshot) {
  return {
    session_id: snapshot.id,
    status: snapshot.status,
    task: snapshot.task,
    task_type: snapshot.task_type,
    start_time: snapshot.start_time,
    end_time: snapshot.end_time,
    progress: snapshot.progress,
  };
}

type SessionView = z.infer<typeof sessionSchema>;

/** The JSON view of a session (SPEC §5): status, progress, every JSON-RPC message so far, result, error. */
export async function sessionView(jobs: JobRegistry, snapshot: JobSnapshot): Promise<SessionView> {
  return {
    ...sessionHead(snapshot),
    message: snapshot.message,
    current_status: snapshot.current_status,
    outline: snapshot.outline,
    sections: snapshot.sections,
    last_event_id: snapshot.last_seq,
    messages: (await jobs.records(snapshot.id)).map((record) => recordToMessage(record, snapshot)),
    result: snapshot.result,
    error: snapshot.error ? httpErrorPayload(snapshot.error) : null,
  };
}

/** A short entry of the session list. */
export function sessionSummary(snapshot: JobSnapshot): Record<string, unknown> {
  return {
    ...sessionHead(snapshot),
    title: snapshot.result?.title ?? snapshot.outline?.title ?? null,
  };
}
