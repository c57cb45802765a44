import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CallToolResultSchema, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportResultSchema } from "../../src/core/result.js";
import { serveHttp, type HttpServerHandle } from "../../src/http/serve.js";
import { startResearchWorld, type ResearchWorld } from "../fakes/research-world.js";
import { postJson, readSse } from "./sse-client.js";

let world: ResearchWorld;
let home: string;
let server: HttpServerHandle;

beforeAll(async () => {
  world = await startResearchWorld({ sections: 3 });
  home = await mkdtemp(path.join(os.tmpdir(), "report-mcp-http-mcp-"));
  server = await serveHttp({ settings: world.settings(home), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
  await rm(home, { recursive: true, force: true });
});

async function connect(): Promise<Client> {
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
  return client;
}

describe("/mcp (Streamable HTTP)", () => {
  it("serves the MCP tools to an SDK client: generate_report with progress, messages and a valid result", async () => {
    const client = await connect();
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(["generate_report", "start_report", "get_report", "cancel_report", "search"]),
      );
      const messages: unknown[] = [];
      client.setNotificationHandler(
        LoggingMessageNotificationSchema,
        (notification) => void messages.push(notification.params),
      );
      const progress: number[] = [];
      const result = await client.callTool(
        { name: "generate_report", arguments: { task: "AI agent security incidents", max_iterations: 1 } },
        CallToolResultSchema,
        {
          onprogress: (update) => void progress.push(update.progress),
          resetTimeoutOnProgress: true,
        },
      );
      expect(result.isError).toBeFalsy();
      const structured = reportResultSchema.parse(result.structuredContent);
      expect(structured.report_content).toMatch(/^# /);
      expect(progress.length).toBeGreaterThan(3);
      expect(progress).toEqual([...progress].sort((left, right) => left - right));
      expect(messages.length).toBeGreaterThan(3);
    } finally {
      await client.close();
    }
  });

  it("shares the job registry: a report started over MCP is a session of the SSE API", async () => {
    const client = await connect();
    try {
      const started = await client.callTool(
        { name: "start_report", arguments: { task: "Edge AI chips", max_iterations: 1 } },
        CallToolResultSchema,
      );
      const reportId = (started.structuredContent as { report_id: string }).report_id;
      expect(reportId).toBeTruthy();
      const final = await server.jobs.done(reportId);
      expect(final.status).toBe("completed");
      const session = await (await fetch(`${server.url}/mcp/streaming/sessions/${reportId}`)).json();
      expect(session.status).toBe("completed");
    } finally {
      await client.close();
    }
  });

  it("resumes a tool call's stream after a disconnect with Last-Event-ID (event store)", async () => {
    const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
    const init = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      }),
    });
    const sessionId = init.headers.get("mcp-session-id") ?? "";
    expect(sessionId).toBeTruthy();
    await init.text();
    const session = { ...headers, "Mcp-Session-Id": sessionId, "Mcp-Protocol-Version": "2025-11-25" };
    await (
      await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: session,
        body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
      })
    ).text();
    const call = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: session,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: {
          name: "generate_report",
          arguments: { task: "Battery supply chains", max_iterations: 1 },
          _meta: { progressToken: "p1" },
        },
      }),
    });
    const first = await readSse(call, { stopAfter: (event) => event.message?.method === "notifications/progress" });
    expect(first.ended).toBe(false);
    const lastId = first.events.at(-1)?.id ?? "";
    // Until the server has seen the old stream close it answers 409, as a real client would find
    // on a quick retry; each retry is a round trip that gives the server its turn (no timer).
    let reattached = await fetch(`${server.url}/mcp`, {
      headers: { ...session, Accept: "text/event-stream", "Last-Event-ID": lastId },
    });
    for (let attempt = 0; reattached.status === 409 && attempt < 100; attempt += 1) {
      await reattached.text();
      reattached = await fetch(`${server.url}/mcp`, {
        headers: { ...session, Accept: "text/event-stream", "Last-Event-ID": lastId },
      });
    }
    expect(reattached.status).toBe(200);
    const resumed = await readSse(reattached, { stopAfter: (event) => event.message?.id === 7 });
    const final = resumed.events.at(-1)?.message;
    expect(final?.id).toBe(7);
    expect(final?.result.isError).toBeFalsy();
    reportResultSchema.parse(final?.result.structuredContent);
    const ids = [...first.events, ...resumed.events].map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const progress = [...first.events, ...resumed.events]
      .filter((event) => event.message?.method === "notifications/progress")
      .map((event) => event.message.params.progress);
    expect(progress).toEqual([...progress].sort((left, right) => left - right));
    await fetch(`${server.url}/mcp`, { method: "DELETE", headers: session });
  });

  it("rejects requests without a session and unknown sessions", async () => {
    const noInit = await postJson(
      `${server.url}/mcp`,
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { Accept: "application/json, text/event-stream" },
    );
    expect(noInit.status).toBe(400);
    const unknown = await postJson(
      `${server.url}/mcp`,
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { Accept: "application/json, text/event-stream", "Mcp-Session-Id": "nope" },
    );
    expect(unknown.status).toBe(404);
  });
});
