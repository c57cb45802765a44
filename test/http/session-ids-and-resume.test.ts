import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createScriptedRuntime } from "./fake-runtime.js";
import { postJson, readSse } from "./sse-client.js";

/**
 * Ids on the SSE API: a request `id` that cannot be echoed is refused with a message saying
 * what an id may be; Last-Event-ID accepts only the decimal ids the server sent; re-attaching
 * after a finished session's last event answers 204 so EventSource stops reconnecting.
 */

let home: string;
let server: HttpServerHandle;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-ids-"));
  server = await serveHttp({ settings: settingsSchema.parse({ home }), port: 0, runtime: createScriptedRuntime() });
});

afterAll(async () => {
  await server?.close();
  await rm(home, { recursive: true, force: true });
});

describe("the request id", () => {
  it("an invalid `id` is rejected with a message that says what an id may be", async () => {
    for (const id of [null, 1.5, "x".repeat(201), { nested: true }]) {
      const response = await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "t", id });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.data.fields).toEqual(["id"]);
      expect(body.error.data.message).toMatch(/id must be a string of at most 200 characters or an integer/);
    }
  });
});

describe("re-attaching with Last-Event-ID", () => {
  it("Last-Event-ID must be one of the decimal ids the server sent (no hex, no exponent)", async () => {
    const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "ids" }));
    const sessionId = read.events[0]?.message.params.session_id;
    for (const raw of ["0x2", "1e1", "2.0", "+3", "1 2"]) {
      const response = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, {
        headers: { "Last-Event-ID": raw },
      });
      expect(response.status, raw).toBe(400);
      expect((await response.json()).error.data.fields).toEqual(["Last-Event-ID"]);
    }
    const resumed = await readSse(
      await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, { headers: { "Last-Event-ID": " 2 " } }),
    );
    expect(resumed.events[0]?.id).toBe("3");
  });

  it("re-attaching to a finished session after its last event answers 204, so EventSource stops reconnecting", async () => {
    const read = await readSse(await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "finished" }));
    const sessionId = read.events[0]?.message.params.session_id;
    const lastId = Number(read.events.at(-1)?.id);
    const response = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, {
      headers: { "Last-Event-ID": String(lastId) },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    // An id above the last one was never sent: 400, not a 204 that would hide a gap.
    const beyond = await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, {
      headers: { "Last-Event-ID": String(lastId + 5) },
    });
    expect(beyond.status).toBe(400);
    expect((await beyond.json()).error.data).toMatchObject({ type: "invalid_params", fields: ["Last-Event-ID"] });
    const replay = await readSse(
      await fetch(`${server.url}/mcp/streaming/sessions/${sessionId}/events`, {
        headers: { "Last-Event-ID": String(lastId - 1) },
      }),
    );
    expect(replay.status).toBe(200);
    expect(replay.events.map((event) => Number(event.id))).toEqual([lastId]);
  });
});
