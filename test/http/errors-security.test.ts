import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/app/settings.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { createScriptedRuntime, type ScriptedRuntime } from "./fake-runtime.js";
import { postJson, rawRequest, readSse } from "./sse-client.js";

let home: string;
let runtime: ScriptedRuntime;
let server: HttpServerHandle;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-errors-"));
  runtime = createScriptedRuntime({ gated: true });
  server = await serveHttp({
    settings: settingsSchema.parse({ home }),
    port: 0,
    runtime,
    maxConcurrent: 2,
    maxBodyBytes: 4096,
  });
});

afterAll(async () => {
  await server?.close();
  await rm(home, { recursive: true, force: true });
});

const orchestrator = () => `${server.url}/mcp/streaming/orchestrator`;

describe("HTTP errors", () => {
  it("malformed JSON → 400 with JSON-RPC -32700 parse_error", async () => {
    const response = await postJson(orchestrator(), '{"task": "x",');
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "Parse error", data: { type: "parse_error" } },
    });
  });

  it("invalid params → 400 with -32602 naming every offending field, never clamped", async () => {
    const response = await postJson(orchestrator(), {
      task: "",
      kwargs: { days: 0, quality_threshold: 11, colour: "red" },
      max_iterations: 2.5,
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe(-32602);
    expect(body.error.data.type).toBe("invalid_params");
    expect(body.error.data.fields).toEqual(
      expect.arrayContaining(["task", "kwargs.days", "kwargs.quality_threshold", "kwargs.colour", "max_iterations"]),
    );
    expect(body.error.data.message).toMatch(/kwargs\.days: days must be at least 1/);
    const conflict = await (await postJson(orchestrator(), { task: "t", days: 3, kwargs: { days: 5 } })).json();
    expect(conflict.error.data.fields).toEqual(["days", "kwargs.days"]);
    const notObject = await postJson(orchestrator(), "[1,2]");
    expect(notObject.status).toBe(400);
    expect((await notObject.json()).error.code).toBe(-32602);
  });

  it("body over the cap → 413", async () => {
    const response = await postJson(orchestrator(), { task: "x".repeat(5000) });
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toBe("Payload too large");
  });

  it("unknown session → 404 with session_not_found on every session route", async () => {
    for (const [method, suffix] of [
      ["GET", ""],
      ["GET", "/events"],
      ["POST", "/cancel"],
      ["POST", "/confirm"],
    ] as const) {
      const response = await fetch(`${server.url}/mcp/streaming/sessions/nope${suffix}`, {
        method,
        headers: { "Content-Type": "application/json" },
        body: method === "POST" ? "{}" : undefined,
      });
      expect(response.status).toBe(404);
      expect((await response.json()).error).toMatchObject({ code: -32001, data: { type: "session_not_found" } });
    }
  });

  it("more concurrent runs than the cap → 429 with Retry-After; cancel frees a slot", async () => {
    const first = await postJson(orchestrator(), { task: "one" });
    const second = await postJson(orchestrator(), { task: "two" });
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await postJson(orchestrator(), { task: "three" });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await third.json()).error.data.type).toBe("too_many_sessions");
    const firstId = first.headers.get("x-session-id");
    const cancelled = await (
      await fetch(`${server.url}/mcp/streaming/sessions/${firstId}/cancel`, { method: "POST" })
    ).json();
    expect(cancelled).toMatchObject({ cancelled: true, status: "cancelled" });
    const firstRead = await readSse(first);
    expect(firstRead.events.at(-1)?.message.error.data.type).toBe("cancelled");
    const secondId = second.headers.get("x-session-id");
    await fetch(`${server.url}/mcp/streaming/sessions/${secondId}/cancel`, { method: "POST" });
    await readSse(second);
  });

  it("confirm on a session that is not waiting → 409; an invalid confirm body → 400", async () => {
    runtime.release("quick");
    const response = await postJson(`${server.url}/mcp/orchestrator`, { task: "quick" });
    const id = response.headers.get("x-session-id");
    const conflict = await postJson(`${server.url}/mcp/streaming/sessions/${id}/confirm`, { approve: true });
    expect(conflict.status).toBe(409);
    const invalid = await postJson(`${server.url}/mcp/streaming/sessions/${id}/confirm`, { approve: "yes" });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.data.fields).toEqual(["approve"]);
  });

  it("bad Last-Event-ID → 400; unknown routes → 404 JSON; garbage never crashes the server", async () => {
    // A session of its own, finished: no reliance on one an earlier test left.
    runtime.release("to re-attach to");
    const id = (await postJson(`${server.url}/mcp/orchestrator`, { task: "to re-attach to" })).headers.get(
      "x-session-id",
    );
    expect(
      (await fetch(`${server.url}/mcp/streaming/sessions/${id}/events`, { headers: { "Last-Event-ID": "abc" } }))
        .status,
    ).toBe(400);
    expect((await fetch(`${server.url}/nothing/here`)).status).toBe(404);
    for (const body of ["\u0000\u0001", "null", '{"task": {"$gt": 1}}', "9".repeat(400), '{"task":"a","id":{"x":1}}']) {
      const response = await postJson(orchestrator(), body);
      expect(response.status).toBe(400);
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe("HTTP security", () => {
  it("rejects a foreign Host or Origin with 403 on every route, accepts loopback names", async () => {
    const port = new URL(server.url).port;
    const evilHost = await rawRequest({ url: `${server.url}/health`, headers: { Host: `evil.example:${port}` } });
    expect(evilHost.status).toBe(403);
    const evilOrigin = await rawRequest({
      url: `${server.url}/mcp/streaming/sessions`,
      headers: { Origin: "http://evil.example" },
    });
    expect(evilOrigin.status).toBe(403);
    const evilPost = await rawRequest({
      url: orchestrator(),
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
      body: '{"task":"x"}',
    });
    expect(evilPost.status).toBe(403);
    expect((await rawRequest({ url: `${server.url}/health`, headers: { Host: `localhost:${port}` } })).status).toBe(
      200,
    );
    expect(
      (await rawRequest({ url: `${server.url}/health`, headers: { Origin: `http://localhost:${port}` } })).status,
    ).toBe(200);
    expect((await rawRequest({ url: `${server.url}/`, headers: { Host: `evil.example:${port}` } })).status).toBe(403);
  });

  it("with a token: bearer auth on everything but /health; the page logs in through ?token=", async () => {
    const tokenHome = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-token-"));
    const secured = await serveHttp({
      settings: settingsSchema.parse({ home: tokenHome, token: "s3cret-token" }),
      port: 0,
      runtime: createScriptedRuntime(),
    });
    try {
      expect((await fetch(`${secured.url}/health`)).status).toBe(200);
      for (const route of ["/", "/mcp/streaming/sessions", "/openapi.json"]) {
        const denied = await fetch(`${secured.url}${route}`);
        expect(denied.status).toBe(401);
        expect(JSON.stringify(await denied.json())).not.toContain("s3cret-token");
      }
      expect((await postJson(`${secured.url}/mcp/streaming/orchestrator`, { task: "x" })).status).toBe(401);
      expect((await postJson(`${secured.url}/mcp`, { jsonrpc: "2.0", id: 1, method: "initialize" })).status).toBe(401);
      expect(
        (await fetch(`${secured.url}/mcp/streaming/sessions`, { headers: { Authorization: "Bearer wrong" } })).status,
      ).toBe(401);
      const ok = await postJson(
        `${secured.url}/mcp/streaming/orchestrator`,
        { task: "x" },
        { Authorization: "Bearer s3cret-token" },
      );
      expect(ok.status).toBe(200);
      expect((await readSse(ok)).events.at(-1)?.message.result.isError).toBe(false);
      const login = await fetch(`${secured.url}/?token=s3cret-token`, { redirect: "manual" });
      expect(login.status).toBe(303);
      expect(login.headers.get("location")).toBe("/");
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      expect(login.headers.get("set-cookie")).toMatch(/HttpOnly/);
      expect((await fetch(`${secured.url}/mcp/streaming/sessions`, { headers: { Cookie: cookie } })).status).toBe(200);
    } finally {
      await secured.close();
      await rm(tokenHome, { recursive: true, force: true });
    }
  });

  it("refuses a non-loopback address without a token unless forced", async () => {
    await expect(
      serveHttp({ settings: settingsSchema.parse({ home }), host: "0.0.0.0", port: 0, runtime }),
    ).rejects.toThrow(/without a token/);
    const forced = await serveHttp({
      settings: settingsSchema.parse({ home: await mkdtemp(path.join(home, "forced-")) }),
      host: "0.0.0.0",
      port: 0,
      runtime,
      force: true,
    });
    expect((await fetch(`${forced.url}/health`)).status).toBe(200);
    await forced.close();
  });

  it("reports a port in use clearly", async () => {
    const port = Number(new URL(server.url).port);
    await expect(serveHttp({ settings: settingsSchema.parse({ home }), port, runtime })).rejects.toThrow(
      /already in use/,
    );
  });
});
