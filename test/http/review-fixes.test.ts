import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { ReportError } from "../../src/core/errors.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createScriptedRuntime } from "./fake-runtime.js";
import { postJson, readSse, type SseEvent } from "./sse-client.js";

/**
 * Defects found by the issue-5 review: the OpenAPI Session schema vs the real session JSON,
 * an unclear error for a bad `id`, lenient Last-Event-ID parsing, and EventSource clients
 * re-attaching forever to a finished session.
 */

let home: string;
let server: HttpServerHandle;
let failingHome: string;
let failing: HttpServerHandle;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-review-"));
  server = await serveHttp({ settings: settingsSchema.parse({ home }), port: 0, runtime: createScriptedRuntime() });
  failingHome = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-review-fail-"));
  failing = await serveHttp({
    settings: settingsSchema.parse({ home: failingHome }),
    port: 0,
    runtime: createScriptedRuntime({ failWith: new ReportError("model_call_failed", "The model API rejected the key.") }),
  });
});

afterAll(async () => {
  await server?.close();
  await failing?.close();
  await rm(home, { recursive: true, force: true });
  await rm(failingHome, { recursive: true, force: true });
});

const statusOf = (event: SseEvent): string | undefined => event.message.params?.data?.msg?.status;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body read by path; the assertions check the values
async function json(url: string): Promise<Record<string, any>> {
  return (await fetch(url)).json();
}

describe("issue 5 review fixes", () => {
  it("the OpenAPI Session schema describes every field GET /mcp/streaming/sessions/{id} returns", async () => {
    const document = await json(`${server.url}/openapi.json`);
    const schema = document.components.schemas.Session;
    const completed = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "completed run" }));
    const waiting = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "waiting run", auto_confirm: false }), {
      stopAfter: (event) => statusOf(event) === "awaiting_confirmation",
    });
    const failed = await readSse(await postJson(`${failing.url}/mcp/streaming/orchestrator`, { task: "failed run" }));
    const sessions = [
      await json(`${server.url}/mcp/streaming/sessions/${completed.events[0]?.message.params.session_id}`),
      await json(`${server.url}/mcp/streaming/sessions/${waiting.events[0]?.message.params.session_id}`),
      await json(`${failing.url}/mcp/streaming/sessions/${failed.events[0]?.message.params.session_id}`),
    ];
    expect(sessions.map((session) => session.status)).toEqual(["completed", "awaiting_confirmation", "failed"]);
    for (const session of sessions) {
      // zod's JSON Schema closes objects (additionalProperties: false): a field missing from the
      // schema makes every real response invalid against the published document.
      expect(schema.additionalProperties).toBe(false);
      expect(Object.keys(session).filter((key) => !(key in schema.properties))).toEqual([]);
      expect(schema.required.filter((key: string) => !(key in session))).toEqual([]);
    }
    expect(schema.properties.current_status.anyOf ?? schema.properties.current_status.enum).toBeTruthy();
    expect(sessions[1]?.outline.sections.length).toBeGreaterThan(0);
    await fetch(`${server.url}/mcp/streaming/sessions/${sessions[1]?.session_id}/cancel`, { method: "POST" });
  });

  it("an invalid `id` is rejected with a message that says what an id may be", async () => {
    for (const id of [null, 1.5, "x".repeat(201), { nested: true }]) {
      const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "t", id });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.data.fields).toEqual(["id"]);
      expect(body.error.data.message).toMatch(/id must be a string of at most 200 characters or an integer/);
    }
  });

  it("Last-Event-ID must be one of the decimal ids the server sent (no hex, no exponent)", async () => {
    const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "ids" }));
    const sessionId = read.events[0]?.message.params.session_id;
    for (const raw of ["0x2", "1e1", "2.0", "+3", "1 2"]) {
      const response = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": raw } });
      expect(response.status, raw).toBe(400);
      expect((await response.json()).error.data.fields).toEqual(["Last-Event-ID"]);
    }
    const resumed = await readSse(await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": " 2 " } }));
    expect(resumed.events[0]?.id).toBe("3");
  });

  it("re-attaching to a finished session after its last event answers 204, so EventSource stops reconnecting", async () => {
    const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "finished" }));
    const sessionId = read.events[0]?.message.params.session_id;
    const lastId = Number(read.events.at(-1)?.id);
    const response = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": String(lastId) } });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    // An id above the last one was never sent: 400, not a 204 that would hide a gap.
    const beyond = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": String(lastId + 5) } });
    expect(beyond.status).toBe(400);
    expect((await beyond.json()).error.data).toMatchObject({ type: "invalid_params", fields: ["Last-Event-ID"] });
    const replay = await readSse(await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": String(lastId - 1) } }));
    expect(replay.status).toBe(200);
    expect(replay.events.map((event) => Number(event.id))).toEqual([lastId]);
  });
});
