import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROGRESS_STATUSES } from "../../src/core/events/index.js";
import { reportResultSchema } from "../../src/core/result.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { followSse, postJson, readSse, type SseEvent, type SseRead } from "./sse-client.js";

/** The seed's own curl example body, unchanged (../shared/seed/000_1baf33b1d3f1c176.txt). */
const SEED_BODY = `{
    "task": "生成AI Agent领域最近一周的行业重大事件报告",
    "task_type": "news_report",
    "kwargs": {
      "days": 7,
      "quality_threshold": 7.0,
      "max_iterations": 2,
      "auto_confirm": true
    }
  }`;

let world: ResearchWorld;
let home: string;
let server: HttpServerHandle;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-"));
  server = await serveHttp({ settings: world.settings(home), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
  await rm(home, { recursive: true, force: true });
});

function keys(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

function expectSeedShapes(events: SseEvent[], task: string, requestId: string | number = 1): void {
  expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
  const [first, ...rest] = events;
  const final = rest.pop();
  expect(keys(first?.message)).toEqual(["jsonrpc", "method", "params"]);
  expect(first?.message).toMatchObject({ jsonrpc: "2.0", method: "session/started", params: { task } });
  expect(keys(first?.message.params)).toEqual(["session_id", "task", "timestamp"]);
  expect(Number.isNaN(Date.parse(first?.message.params.timestamp))).toBe(false);
  for (const { message } of rest) {
    expect(message.jsonrpc).toBe("2.0");
    expect(message.method).toBe("notifications/message");
    const msg = message.params.data.msg;
    expect(keys(message.params.data)).toEqual(["msg"]);
    if (msg.type === "model_usage") {
      expect(keys(message.params)).toEqual(["data", "level"]);
      expect(keys(msg)).toEqual(["data", "type"]);
      // The seed's fields, plus `cost` when the model's price is known (docs/cost.md).
      expect(keys(msg.data).filter((key) => key !== "estimated" && key !== "cost")).toEqual([
        "input_tokens",
        "model_name",
        "model_provider",
        "output_tokens",
      ]);
      expect(msg.data.input_tokens).toBeGreaterThan(0);
    } else {
      expect(keys(message.params)).toEqual(["data", "extra", "level"]);
      expect(message.params.extra).toBeNull();
      expect(["info", "warning"]).toContain(message.params.level);
      expect(keys(msg)).toEqual(["details", "message", "status"]);
      expect(PROGRESS_STATUSES).toContain(msg.status);
      expect(typeof msg.message).toBe("string");
    }
  }
  expect(keys(final?.message)).toEqual(["id", "jsonrpc", "result"]);
  expect(final?.message.id).toBe(requestId);
  const result = final?.message.result;
  expect(keys(result)).toEqual(["content", "isError", "structuredContent"]);
  expect(result.isError).toBe(false);
  expect(result.content).toHaveLength(1);
  expect(result.content[0].type).toBe("text");
  expect(JSON.parse(result.content[0].text)).toEqual(result.structuredContent);
  reportResultSchema.parse(result.structuredContent);
}

type SeedRun = { status: number; contentType: string | null; read: SseRead; modelCalls: number };
let seed: Promise<SeedRun> | undefined;

/**
 * The seed's curl example, run once by whichever test needs it first (so no test depends on
 * another having run), with the model requests it made.
 */
function seedRun(): Promise<SeedRun> {
  seed ??= (async () => {
    const before = world.openai.calls.length;
    const response = await fetch(`${server.url}/mcp/streaming/orchestrator`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: SEED_BODY,
    });
    const read = await readSse(response);
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      read,
      modelCalls: world.openai.calls.length - before,
    };
  })();
  return seed;
}

describe("POST /mcp/streaming/orchestrator against the loopback fakes", () => {
  it("streams the seed's curl example: started, progress and usage, one final result, then ends", async () => {
    const { status, contentType, read, modelCalls } = await seedRun();
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(read.ended).toBe(true);
    const events = read.events;
    expectSeedShapes(events, "生成AI Agent领域最近一周的行业重大事件报告");
    const statuses = events.map((event) => event.message.params?.data?.msg?.status).filter(Boolean);
    for (const step of [
      "task_started",
      "analyzing_intent",
      "generating_outline",
      "searching",
      "assessing_quality",
      "generating_sections",
      "generating_summary",
      "assembling_report",
      "task_completed",
    ]) {
      expect(statuses).toContain(step);
    }
    const sectionMessages = events.filter(
      (event) =>
        event.message.params?.data?.msg?.status === "generating_sections" &&
        event.message.params.data.msg.details?.content,
    );
    expect(sectionMessages.length).toBeGreaterThanOrEqual(3);
    const structured = events.at(-1)?.message.result.structuredContent;
    expect(structured.task_type).toBe("news_report");
    expect(structured.metadata.days).toBe(7);
    expect(structured.report_content).toMatch(/^# /);
    const usage = events
      .filter((event) => event.message.params?.data?.msg?.type === "model_usage")
      .map((event) => event.message.params.data.msg.data);
    expect(usage.length).toBe(modelCalls);
    expect(usage.reduce((sum, item) => sum + item.input_tokens, 0)).toBe(structured.metadata.usage.input_tokens);
    expect(usage.reduce((sum, item) => sum + item.output_tokens, 0)).toBe(structured.metadata.usage.output_tokens);
  });

  it("GET /mcp/streaming/sessions/{id} returns the session with every message and the result", async () => {
    const { events } = (await seedRun()).read;
    const sessionId = events[0]?.message.params.session_id;
    const response = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}`);
    expect(response.status).toBe(200);
    const session = await response.json();
    expect(session).toMatchObject({
      session_id: sessionId,
      status: "completed",
      task: "生成AI Agent领域最近一周的行业重大事件报告",
      task_type: "news_report",
      progress: 100,
      error: null,
    });
    expect(Date.parse(session.end_time)).toBeGreaterThanOrEqual(Date.parse(session.start_time));
    expect(session.messages).toEqual(events.map((event) => event.message));
    expect(session.result).toEqual(events.at(-1)?.message.result.structuredContent);
    const list = await (await fetch(`${server.url}/mcp/streaming/sessions`)).json();
    // A task_type of "auto" is resolved in the session as soon as the intent is known.
    const autoRun = followSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, {
        task: "State of solid-state batteries in 2026",
        max_iterations: 1,
      }),
    );
    const intentOf = () =>
      autoRun.events.find((event) => event.message.params?.data?.msg?.details?.intent !== undefined)?.message.params
        .data.msg.details.intent;
    await autoRun.until(() => intentOf() !== undefined);
    const resolving = await (
      await fetch(`${server.url}/mcp/streaming/sessions/${autoRun.events[0]?.message.params.session_id}`)
    ).json();
    expect(resolving.task_type).toBe(intentOf().task_type);
    expect(resolving.task_type).not.toBe("auto");
    // Read to the end: no run of this test is left going when the next one starts.
    await autoRun.done;
    expect(list.sessions.map((item: { session_id: string }) => item.session_id)).toContain(sessionId);
  });

  it("re-attaching to a finished session replays after Last-Event-ID and ends", async () => {
    const { events } = (await seedRun()).read;
    const sessionId = events[0]?.message.params.session_id;
    const response = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, {
      headers: { "Last-Event-ID": String(events.length - 2) },
    });
    const read = await readSse(response);
    expect(read.ended).toBe(true);
    expect(read.events.map((event) => event.message)).toEqual(events.slice(-2).map((event) => event.message));
  });

  it("takes options at the top level, echoes the body id, and POST /mcp/orchestrator answers with one JSON-RPC result", async () => {
    const streamed = await readSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, {
        task: "State of solid-state batteries",
        task_type: "research_report",
        max_iterations: 1,
        id: "req-42",
      }),
    );
    expectSeedShapes(streamed.events, "State of solid-state batteries", "req-42");
    const response = await postJson(`${server.url}/mcp/orchestrator`, {
      task: "State of solid-state batteries",
      kwargs: { max_iterations: 1 },
      id: 9,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const message = await response.json();
    expect(keys(message)).toEqual(["id", "jsonrpc", "result"]);
    expect(message.id).toBe(9);
    expect(message.result.isError).toBe(false);
    reportResultSchema.parse(message.result.structuredContent);
    expect(response.headers.get("x-session-id")).toBeTruthy();
  });

  it("a failed run ends the stream with one SPEC §6.4 error", async () => {
    world.openai.setResponder(() => ({ status: 401, content: "Incorrect API key provided" }));
    try {
      const read = await readSse(
        await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "AI chips", max_iterations: 1 }),
      );
      const final = read.events.at(-1)?.message;
      expect(read.ended).toBe(true);
      expect(keys(final)).toEqual(["error", "id", "jsonrpc"]);
      expect(final?.id).toBe(1);
      expect(final?.error.code).toBe(-32603);
      expect(final?.error.message).toBe("Internal error");
      expect(keys(final?.error.data)).toEqual(["message", "type"]);
      expect(final?.error.data.type).toBe("model_call_failed");
      expect(final?.error.data.message).not.toContain("sk-test-fake-key");
      expect(read.events.filter((event) => "result" in event.message || "error" in event.message)).toHaveLength(1);
    } finally {
      world.openai.setResponder(world.responder);
    }
  });

  it("serves /health and an OpenAPI document built from the validating schemas", async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: "ok", version: expect.any(String) });
    const document = await (await fetch(`${server.url}/openapi.json`)).json();
    expect(document.openapi).toBe("3.1.0");
    const body = document.components.schemas.OrchestratorBody;
    expect(body.required).toEqual(["task"]);
    expect(body.properties.days).toMatchObject({ type: "integer", minimum: 1, maximum: 3650 });
    expect(body.properties.kwargs.properties.quality_threshold).toMatchObject({ minimum: 0, maximum: 10 });
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/mcp/streaming/orchestrator",
        "/mcp/streaming/sessions/{session_id}/events",
        "/mcp/orchestrator",
        "/health",
      ]),
    );
  });
});
