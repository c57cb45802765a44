import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { ReportError } from "../../src/core/errors.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createScriptedRuntime } from "./fake-runtime.js";
import { postJson, readSse, type SseEvent } from "./sse-client.js";

/** The OpenAPI document's Session schema describes the session JSON the server really returns. */

let home: string;
let server: HttpServerHandle;
let failingHome: string;
let failing: HttpServerHandle;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-schema-"));
  server = await serveHttp({ settings: settingsSchema.parse({ home }), port: 0, runtime: createScriptedRuntime() });
  failingHome = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-schema-fail-"));
  failing = await serveHttp({
    settings: settingsSchema.parse({ home: failingHome }),
    port: 0,
    runtime: createScriptedRuntime({
      failWith: new ReportError("model_call_failed", "The model API rejected the key."),
    }),
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

describe("OpenAPI Session schema", () => {
  it("the OpenAPI Session schema describes every field GET /mcp/streaming/sessions/{id} returns", async () => {
    const document = await json(`${server.url}/openapi.json`);
    const schema = document.components.schemas.Session;
    const completed = await readSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "completed run" }),
    );
    const waiting = await readSse(
      await postJson(`${server.url}/mcp/streaming/orchestrator`, { task: "waiting run", auto_confirm: false }),
      {
        stopAfter: (event) => statusOf(event) === "awaiting_confirmation",
      },
    );
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
});
