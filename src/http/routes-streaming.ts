import type { Context, Hono } from "hono";
import type { JobRecord, JobRegistry } from "../core/jobs/index.js";
import type { OutlineDecision, ReportRuntime } from "../core/runtime.js";
import { toReportError } from "../core/errors.js";
import { httpErrorPayload } from "./hint-advice.js";
import { badRequest, readJsonBody, sessionNotFound, sessionSummary, sessionView, startFailed } from "./responses.js";
import { parseOrchestratorRequest } from "./orchestrator-request.js";
import { confirmBodySchema, describeIssues } from "./schemas.js";
import { SSE_HEADERS, jobEventStream, parseLastEventId } from "./sse.js";
import { RPC_CODES, recordToMessage, rpcErrorBody } from "./wire.js";

export type StreamingRouteOptions = {
  jobs: JobRegistry;
  keepAliveMs: number;
  /** Called for each SSE frame queued (benchmarks). */
  onFrame?: (record: JobRecord) => void;
  /** For `POST /mcp/streaming/estimate`. */
  runtime?: () => Promise<ReportRuntime>;
};

/**
 * The seed's SSE API (SPEC §5): the streaming orchestrator, the session endpoints, and the
 * non-streaming `POST /mcp/orchestrator`.
 */
export function registerStreamingRoutes(app: Hono, options: StreamingRouteOptions): void {
  const { jobs } = options;

  const eventStream = (id: string, afterSeq: number): Response =>
    new Response(jobEventStream({ jobs, id, afterSeq, keepAliveMs: options.keepAliveMs, onFrame: options.onFrame }), {
      status: 200,
      headers: { ...SSE_HEADERS, "X-Session-Id": id },
    });

  app.post("/mcp/streaming/orchestrator", async (c) => {
    const parsed = await readOrchestratorBody(c);
    if (parsed instanceof Response) return parsed;
    try {
      const snapshot = await jobs.start(parsed.params, { requestId: parsed.requestId, confirm: "external" });
      return eventStream(snapshot.id, 0);
    } catch (error) {
      return startFailed(c, error, parsed.requestId);
    }
  });

  // A quote for the same body as the orchestrator's: JSON, nothing runs or is spent.
  app.post("/mcp/streaming/estimate", async (c) => {
    const parsed = await readOrchestratorBody(c);
    if (parsed instanceof Response) return parsed;
    try {
      const runtime = await options.runtime?.();
      if (!runtime?.estimate) throw new Error("this server cannot estimate runs");
      return c.json(await runtime.estimate(parsed.params));
    } catch (error) {
      const reportError = toReportError(error);
      const status = reportError.type === "invalid_params" ? 400 : 500;
      const code = status === 400 ? RPC_CODES.invalidParams : RPC_CODES.internalError;
      return c.json(
        rpcErrorBody({
          id: parsed.requestId,
          code,
          message: status === 400 ? "Invalid params" : "Internal error",
          data: httpErrorPayload(reportError.toRecord()),
        }),
        status,
      );
    }
  });

  app.post("/mcp/orchestrator", async (c) => {
    const parsed = await readOrchestratorBody(c);
    if (parsed instanceof Response) return parsed;
    let id: string;
    try {
      id = (await jobs.start(parsed.params, { requestId: parsed.requestId, confirm: "none" })).id;
    } catch (error) {
      return startFailed(c, error, parsed.requestId);
    }
    const final = await jobs.done(id);
    const last = (await jobs.records(id, final.last_seq - 1))[0];
    c.header("X-Session-Id", id);
    if (!last) throw new Error(`session ${id} ended without a terminal record`);
    return c.json(recordToMessage(last, final));
  });

  app.get("/mcp/streaming/sessions", async (c) => c.json({ sessions: (await jobs.list()).map(sessionSummary) }));

  app.get("/mcp/streaming/sessions/:id", async (c) => {
    const snapshot = await jobs.get(c.req.param("id"));
    return snapshot ? c.json(await sessionView(jobs, snapshot)) : sessionNotFound(c, c.req.param("id"));
  });

  app.get("/mcp/streaming/sessions/:id/events", async (c) => {
    const id = c.req.param("id");
    const snapshot = await jobs.get(id);
    if (!snapshot) return sessionNotFound(c, id);
    const raw = c.req.header("last-event-id") ?? c.req.query("last_event_id");
    const afterSeq = parseLastEventId(raw);
    if (afterSeq === null) {
      return badRequest(c, {
        type: "invalid_params",
        message: `Invalid params: Last-Event-ID must be a non-negative whole number, got "${raw}".`,
        fields: ["Last-Event-ID"],
      });
    }
    // Every event is on disk before any client is sent it, so an id above the last one (even
    // after a crash and restart) is not one this server sent: resuming from it would skip events.
    if (afterSeq > snapshot.last_seq) {
      return badRequest(c, {
        type: "invalid_params",
        message: `Invalid params: Last-Event-ID ${afterSeq} is beyond the last event of session "${id}" (${snapshot.last_seq}); send the id of the last event you received, or none to replay from the start.`,
        fields: ["Last-Event-ID"],
      });
    }
    // The session has ended and the client has every event: 204 tells EventSource to stop
    // reconnecting (an empty 200 stream would make it re-attach every few seconds forever).
    if (snapshot.end_time !== null && afterSeq === snapshot.last_seq) {
      return c.body(null, 204, { "X-Session-Id": id });
    }
    return eventStream(id, afterSeq);
  });

  app.post("/mcp/streaming/sessions/:id/cancel", async (c) => {
    const id = c.req.param("id");
    if (!(await jobs.get(id))) return sessionNotFound(c, id);
    const cancelled = await jobs.cancel(id);
    return c.json({ session_id: id, cancelled, status: (await jobs.get(id))?.status });
  });

  app.post("/mcp/streaming/sessions/:id/confirm", async (c) => {
    const id = c.req.param("id");
    const snapshot = await jobs.get(id);
    if (!snapshot) return sessionNotFound(c, id);
    const body = await readJsonBody(c);
    if (!body.ok) return body.response;
    const parsed = confirmBodySchema.safeParse(body.value);
    if (!parsed.success) return badRequest(c, describeIssues(parsed.error));
    const decision: OutlineDecision = parsed.data.approve
      ? parsed.data.outline
        ? { action: "edit", outline: parsed.data.outline }
        : { action: "approve" }
      : { action: "reject", ...(parsed.data.feedback ? { feedback: parsed.data.feedback } : {}) };
    if (!(await jobs.confirm(id, decision))) {
      const message = `Session "${id}" is ${snapshot.status}, not awaiting_confirmation; only a run started with auto_confirm: false waits for /confirm.`;
      return c.json(
        rpcErrorBody({
          code: RPC_CODES.invalidParams,
          message: "Not awaiting confirmation",
          data: { type: "invalid_params", message },
        }),
        409,
      );
    }
    return c.json({ session_id: id, accepted: true, action: decision.action, status: (await jobs.get(id))?.status });
  });
}

/** The body every orchestrator-shaped route reads (the seed's `tools/call` envelope or flat fields), or the 400 that refuses it. */
async function readOrchestratorBody(c: Context) {
  const body = await readJsonBody(c);
  if (!body.ok) return body.response;
  const parsed = parseOrchestratorRequest(body.value);
  return parsed.ok ? parsed.body : badRequest(c, parsed.problem, parsed.requestId);
}
